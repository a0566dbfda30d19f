"""Reads for the roadmap: its columns of cards, and the status changes its feed carries.

The board is rendered once and shared through the cache for BOARD_SECONDS by
readers who see the same ideas (`audience_key`) in the same language; a status
change, or an idea hidden, withdrawn or merged, starts a new generation of it
at once (`ideas.events.SHOWN_IDEAS`). Supporter counts and titles may lag by
those seconds.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cms.models import StoryIdea
from community.cache import generation
from ideas.events import SHOWN_IDEAS
from ideas.models import SHIPPED_STATUSES, Category, Idea, Status, StatusEvent
from ideas.selectors import audience_key, count_shared

RECENTLY_SHIPPED = timedelta(days=90)
BOARD_SECONDS = 15
COLUMN_SIZE = 30
FEED_SIZE = 50


@dataclass
class RoadmapColumn:
    key: str
    title: str
    ideas: list[Idea]
    total: int
    more_url: str = ""


@dataclass
class Roadmap:
    columns: list[RoadmapColumn]
    category: Category | None = None
    categories: list[Category] = field(default_factory=list)


COLUMNS = [
    ("under_review", _("Under review"), [Status.UNDER_REVIEW]),
    ("planned", _("Planned"), [Status.PLANNED]),
    ("in_progress", _("In progress"), [Status.IN_PROGRESS]),
    ("shipped", _("Recently shipped"), SHIPPED_STATUSES),
]


def _latest_message():
    events = StatusEvent.objects.filter(idea=OuterRef("pk")).order_by("-created_at", "-id")
    return Subquery(events.values("message")[:1])


def roadmap(*, now: datetime, viewer, category: Category | None = None) -> Roadmap:
    """Each column's most supported ideas (shipped: most recently shipped), with their news.

    Ideas of a Storm Session limited to a group are on the roadmap of that group
    and staff only, in the cards and in the columns' totals.
    """
    columns = []
    visible = Idea.objects.visible_to_customers().for_audience(viewer)
    for key, title, statuses in COLUMNS:
        ideas: QuerySet[Idea] = visible.filter(status__in=statuses)
        if category is not None:
            ideas = ideas.filter(category=category)
        if key == "shipped":
            ideas = ideas.filter(status_changed_at__gte=now - RECENTLY_SHIPPED).order_by(
                "-status_changed_at", "-id"
            )
        else:
            ideas = ideas.order_by("-promotes", "-id")
        cards = list(
            ideas.select_related("category")
            .defer("body", "body_html")  # a card shows neither
            .annotate(latest_message=_latest_message())[:COLUMN_SIZE]
        )
        if len(cards) < COLUMN_SIZE:
            total = len(cards)
        else:  # counting 20,000 planned ideas costs more than the page: shared for seconds
            parts = ("roadmap", key, category and category.pk, audience_key(viewer))
            total = count_shared(ideas, key=":".join(str(part) for part in parts))
        columns.append(RoadmapColumn(key=key, title=title, ideas=cards, total=total))
    _attach_stories([idea for column in columns for idea in column.ideas if idea.is_shipped])
    return Roadmap(columns=columns, category=category, categories=list(Category.objects.all()))


def roadmap_board_html(*, viewer, category: Category | None, render) -> str:
    """The board as `render(roadmap)` draws it, shared with readers who see the same."""
    parts = (
        "roadmap:board", get_language(), category and category.pk, audience_key(viewer),
        generation(SHOWN_IDEAS),
    )  # fmt: skip
    key = ":".join(str(part) for part in parts)
    html = cache.get(key)
    if html is None:
        html = render(roadmap(now=timezone.now(), viewer=viewer, category=category))
        cache.set(key, str(html), BOARD_SECONDS)
    return mark_safe(html)  # rendered by our own template, escaped there


def _attach_stories(ideas: list[Idea]) -> None:
    """Each shipped card's live Ideas in Action stories, in one query."""
    by_idea: dict[int, list] = {}
    links = (
        StoryIdea.objects.filter(idea_id__in=[idea.pk for idea in ideas], story__live=True)
        .select_related("story")
        .order_by("-story__first_published_at")
    )
    for link in links:
        by_idea.setdefault(link.idea_id, []).append(link.story)
    for idea in ideas:
        idea.stories = by_idea.get(idea.pk, [])


def status_changes(*, viewer, category: Category | None = None) -> QuerySet[StatusEvent]:
    """The latest status changes of ideas customers (and `viewer`'s audience) can see."""
    visible = Idea.objects.visible_to_customers().for_audience(viewer)
    events = StatusEvent.objects.filter(idea__in=visible).exclude(to_status=Status.DUPLICATE)
    if category is not None:
        events = events.filter(idea__category=category)
    return events.select_related("idea", "actor").order_by("-created_at", "-id")[:FEED_SIZE]
