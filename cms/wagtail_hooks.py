from wagtail import hooks
from wagtail.snippets.models import register_snippet

from cms.admin_views import CategoryViewSet, StatusLabelViewSet, TagViewSet
from cms.choosers import idea_chooser_viewset


@hooks.register("register_admin_viewset")
def register_idea_chooser():
    return idea_chooser_viewset


# Product areas, status labels and tags for product teams (Django model permissions).
register_snippet(CategoryViewSet)
register_snippet(StatusLabelViewSet)
register_snippet(TagViewSet)
