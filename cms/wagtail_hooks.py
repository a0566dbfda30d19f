from django.shortcuts import redirect
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.snippets.models import register_snippet

from cms.admin_views import CategoryViewSet, StatusLabelViewSet, TagViewSet
from cms.choosers import idea_chooser_viewset
from cms.selectors import private_ideas_under
from community import pagecache


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def snippets_changed(request, instance_or_instances):
    """Product areas and status labels show on every page: cached pages are drawn again."""
    pagecache.site_changed()


@hooks.register("before_delete_page")
def keep_private_ideas_private(request, page):
    """Before the delete page is shown or confirmed: a Storm Session limited to a group
    keeps its ideas private, and deleting it would show them to everyone."""
    count = private_ideas_under(page)
    if not count:
        return None
    messages.error(
        request,
        ngettext(
            "“%(title)s” cannot be deleted: %(count)d idea in a Storm Session limited to "
            "a group would become visible to everyone. Unpublish the session instead; "
            "its ideas stay with its group.",
            "“%(title)s” cannot be deleted: %(count)d ideas in a Storm Session limited to "
            "a group would become visible to everyone. Unpublish the session instead; "
            "its ideas stay with its group.",
            count,
        )
        % {"title": page.get_admin_display_title(), "count": count},
    )
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("register_admin_viewset")
def register_idea_chooser():
    return idea_chooser_viewset


# Product areas, status labels and tags for product teams (Django model permissions).
register_snippet(CategoryViewSet)
register_snippet(StatusLabelViewSet)
register_snippet(TagViewSet)
