from wagtail import hooks
from wagtail.snippets.models import register_snippet

from cms.admin_views import CategoryViewSet, StatusLabelViewSet, TagViewSet
from cms.choosers import idea_chooser_viewset
from community import pagecache


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def snippets_changed(request, instance_or_instances):
    """Product areas and status labels show on every page: cached pages are drawn again."""
    pagecache.site_changed()


@hooks.register("register_admin_viewset")
def register_idea_chooser():
    return idea_chooser_viewset


# Product areas, status labels and tags for product teams (Django model permissions).
register_snippet(CategoryViewSet)
register_snippet(StatusLabelViewSet)
register_snippet(TagViewSet)
