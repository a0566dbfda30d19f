"""RSS and Atom feeds of the roadmap's status changes, for people who follow it."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from community.core.text import strip_control_characters as clean
from ideas.models import Category, Status, StatusEvent
from ideas.roadmap.selectors import status_changes


class RoadmapFeed(Feed):
    title = "Idealoop roadmap: status changes"
    description = "Ideas from the community as they move through review, plans and shipping."

    def get_object(self, request):
        slug = request.GET.get("area")
        if not slug:
            return None
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            raise Http404("There is no product area with that name.")
        return category

    def link(self, category=None):
        url = reverse("roadmap:board")
        return f"{url}?area={category.slug}" if category else url

    def items(self, category=None):
        # Feed readers are anonymous: ideas of a session limited to a group are not for them.
        return status_changes(viewer=AnonymousUser(), category=category)

    def item_title(self, item: StatusEvent) -> str:
        return clean(f"{item.idea.title}: {Status(item.to_status).label.lower()}")

    def item_description(self, item: StatusEvent) -> str:
        return clean(item.message)

    def item_link(self, item: StatusEvent) -> str:
        return f"{item.idea.get_absolute_url()}#status-timeline"

    def item_guid(self, item: StatusEvent) -> str:
        return f"status-event-{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item: StatusEvent) -> str:
        return clean(item.actor.public_name)

    def item_pubdate(self, item: StatusEvent):
        return item.created_at


class RoadmapAtomFeed(RoadmapFeed):
    feed_type = Atom1Feed
    subtitle = RoadmapFeed.description
