"""RSS and Atom feeds of new ideas and new Ideas in Action stories."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from cms.models import StoryPage
from cms.selectors import stories_visible_to
from ideas.models import Idea
from ideas.services.rules import CONTROL_CHARACTERS


def xml_safe(text: str) -> str:
    """Text without the control characters XML 1.0 cannot carry.

    New input is cleaned on the way in (ideas.services.rules.clean_text), but a
    row stored before that must not take the whole feed down."""
    return CONTROL_CHARACTERS.sub("", text or "")


FEED_SIZE = 30


class NewIdeasFeed(Feed):
    title = "Idealoop: new ideas"
    description = "The newest ideas from the community."

    def link(self):
        return reverse("ideas:list") + "?sort=new"

    def items(self):
        # Feed readers are anonymous: ideas of a session limited to a group are not for them.
        ideas = Idea.objects.published().for_audience(AnonymousUser())
        return ideas.select_related("author").order_by("-created_at")[:FEED_SIZE]

    def item_title(self, item: Idea) -> str:
        return xml_safe(item.title)

    def item_description(self, item: Idea) -> str:
        return xml_safe(item.body_html)

    def item_author_name(self, item: Idea) -> str:
        return xml_safe(item.author.public_name)

    def item_pubdate(self, item: Idea):
        return item.created_at

    def item_updateddate(self, item: Idea):
        return item.updated_at


class NewIdeasAtomFeed(NewIdeasFeed):
    feed_type = Atom1Feed
    subtitle = NewIdeasFeed.description


class NewStoriesFeed(Feed):
    title = "Idealoop: Ideas in Action"
    description = "Stories of ideas from the community that shipped."

    def link(self):
        return "/"

    def items(self):
        # Feed readers are anonymous: a restricted story is not for them.
        return stories_visible_to(AnonymousUser()).order_by("-first_published_at")[:FEED_SIZE]

    def item_title(self, item: StoryPage) -> str:
        return xml_safe(item.title)

    def item_description(self, item: StoryPage) -> str:
        return xml_safe(item.summary)

    def item_link(self, item: StoryPage) -> str:
        return item.url or "/"

    def item_pubdate(self, item: StoryPage):
        return item.first_published_at

    def item_updateddate(self, item: StoryPage):
        return item.last_published_at


class NewStoriesAtomFeed(NewStoriesFeed):
    feed_type = Atom1Feed
    subtitle = NewStoriesFeed.description
