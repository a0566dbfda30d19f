"""An admin chooser for ideas, used by story pages and their idea blocks."""

from wagtail.admin.viewsets.chooser import ChooserViewSet


class IdeaChooserViewSet(ChooserViewSet):
    model = "ideas.Idea"
    icon = "pick"
    choose_one_text = "Choose an idea"
    choose_another_text = "Choose another idea"
    per_page = 20

    def get_object_list(self):
        from ideas.models import Idea

        return Idea.objects.published().order_by("-status_changed_at", "-id")


idea_chooser_viewset = IdeaChooserViewSet("idea_chooser")
