"""Named reads. Each owns its joins and prefetches, so templates never query."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import Cast
from django.utils.functional import cached_property
from taggit.models import Tag, TaggedItem
from voting.models import Vote

from community.cache import generation
from community.core.compiled import CompiledQuery
from community.permissions import audience_groups, can_see_hidden, is_member, is_staff
from ideas.exceptions import IdeaNotFound
from ideas.models import SHIPPED_STATUSES, Category, Comment, Follow, Idea, StatusEvent
from ideas.permissions import can_view_idea


def idea_list(
    *,
    viewer,
    sort: str = "hot",
    period: str = "all",
    category: Category | None = None,
    status: str | None = None,
    tag: str | None = None,
    storm_session=None,
    now: datetime,
) -> QuerySet[Idea]:
    ideas = Idea.objects.visible_to(viewer).sorted_by(sort, period=period, now=now)
    if storm_session is not None:
        ideas = ideas.filter(storm_session=storm_session)
    if category is not None:
        ideas = ideas.filter(category=category)
    if status:
        ideas = ideas.filter(status=status)
    if tag:
        ideas = ideas.filter(tags__slug=tag)
    return _for_cards(ideas, viewer)


def idea_list_count_key(*, viewer, category, status, tag, period: str) -> str:
    """The cache key of a list's count: what `idea_list` filters on, and who may see what.

    The count does not depend on the sort, only on the filters and on the same
    visibility rule `IdeaQuerySet.visible_to` applies: staff or not, the
    viewer's audience (their groups), and the audiences' version, which
    `audiences_changed` moves on when a Storm Session's audience changes.
    """
    parts = (
        category and category.pk, status, tag, period or "all", audience_key(viewer),
        generation(LISTED_IDEAS),
    )  # fmt: skip
    return "ideas:count:" + ":".join(str(part) for part in parts)


# Which ideas the lists hold (not their order): the lists' shared counts name this
# generation, so an idea posted, moved to another status, area or tag, hidden or
# withdrawn is counted at once (`ideas.events.idea_changed` starts a new one).
LISTED_IDEAS = "ideas.listed"


def audience_key(viewer) -> str:
    """What a cached read of ideas depends on about its reader: staff or not, their
    audience (groups), and the audiences' version (`audiences_changed`)."""
    groups = audience_groups(viewer)
    audience = "all" if groups is None else "-".join(str(pk) for pk in sorted(groups))
    return f"{can_see_hidden(viewer)}:{audience}:{cache.get(AUDIENCES_VERSION_KEY, 0)}"


def count_shared(queryset: QuerySet, *, key: str) -> int:
    """A count shared through the cache for COUNT_TTL seconds (`key` names what it counts
    and for whom: include `audience_key`)."""
    return cache.get_or_set(key, queryset.count, COUNT_TTL)


AUDIENCES_VERSION_KEY = "ideas:audiences:version"


def reads_as_visitor(viewer) -> bool:
    """Whether a signed-in member sees the ideas a visitor sees, with the same controls
    apart from their own votes and account: no staff role, and in none of the groups
    ideas are limited to. Their lists come from the visitors' shared copy
    (`community.pagecache`, `cached_for_visitors(members=...)`)."""
    if not is_member(viewer) or is_staff(viewer):
        return False
    return not (viewer.group_ids & limited_groups())


def limited_groups() -> frozenset[int]:
    """The groups some Storm Session (and so its ideas) is limited to, whether live or
    not. Shared through the cache until a session's audience changes (`audiences_changed`)."""
    sessions = Idea._meta.get_field("storm_session").related_model.objects
    key = f"ideas:limited-groups:{cache.get(AUDIENCES_VERSION_KEY, 0)}"
    return cache.get_or_set(
        key,
        lambda: frozenset(
            sessions.exclude(restricted_to=None).values_list("restricted_to", flat=True)
        ),
        3600,
    )


def member_votes(request, idea_ids: list[str]) -> dict[str, str]:
    """The reader's vote on each of these ideas ("1" or "-1"; none left out), in one query:
    what the page cache's vote slots show them (`templatetags.idea_votes.vote_widget`)."""
    votes = Vote.objects.filter(
        user=request.user,
        content_type=ContentType.objects.get_for_model(Idea),
        object_id__in=idea_ids,
    )
    return {object_id: str(vote) for object_id, vote in votes.values_list("object_id", "vote")}


def idea_as_read_by(*, pk: int, viewer) -> Idea | None:
    """The idea's state and what its page shows of this reader, in one query (compiled
    once per process: it runs on every member's idea page): `following` and
    `commented` (anything of theirs in its discussion, even removed): what the page
    cache's reader slots need (`presenters.idea_page_variants`)."""
    idea = _idea_read.first(pk, viewer.pk)
    if idea is not None:  # a raw row's Exists comes as the database's own truth value
        idea.following, idea.commented = bool(idea.following), bool(idea.commented)
    return idea


def _idea_as_read_by(pk: int, viewer_id: int):
    reader = {"idea": models.OuterRef("pk")}
    return (
        Idea.objects.filter(pk=pk)
        .only("author_id", "visibility", "status", "locked_at", "first_staff_response_at")
        .annotate(
            following=models.Exists(Follow.objects.filter(**reader, user_id=viewer_id)),
            commented=models.Exists(Comment.objects.filter(**reader, author_id=viewer_id)),
        )
    )


_idea_read = CompiledQuery(_idea_as_read_by, int, int)


def comments_by_pk(*, idea: Idea, pks: list[int]) -> dict[int, Comment]:
    return {comment.pk: comment for comment in Comment.objects.filter(idea=idea, pk__in=pks)}


def audiences_changed() -> None:
    """Who may see some ideas changed: counts cached before are not read again."""
    cache.set(AUDIENCES_VERSION_KEY, secrets.token_hex(4), None)


def _for_cards(ideas: QuerySet[Idea], viewer) -> QuerySet[Idea]:
    tag_rows = TaggedItem.objects.select_related("tag").order_by("tag__name")
    return (
        ideas.select_related("author", "category", "storm_session")
        .prefetch_related(Prefetch("tagged_items", queryset=tag_rows, to_attr="tag_rows"))
        .with_user_vote(viewer)
    )


class CachedCountPaginator(Paginator):
    """Counting 100,000 rows costs more than rendering the page, and a count a
    few seconds old harms nobody, so the count is shared through the cache."""

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return cache.get_or_set(self.count_key, lambda: Paginator.count.func(self), COUNT_TTL)


COUNT_TTL = 15  # seconds


def paginate(
    queryset: QuerySet, *, page_number: int, per_page: int, count_key: str | None = None
) -> Page:
    """The requested page; an out-of-range number raises django's EmptyPage."""
    if count_key is None:
        return Paginator(queryset, per_page).page(page_number)
    return CachedCountPaginator(queryset, per_page, count_key=count_key).page(page_number)


@dataclass
class IdeaDetail:
    idea: Idea
    official_response: Comment | None
    thread: list[Comment]
    status_events: list[StatusEvent]
    is_following: bool
    # The idea a duplicate was merged into, if the viewer may see it (None otherwise).
    merged_into: Idea | None = None


def idea_detail(*, pk: int, viewer) -> IdeaDetail:
    # Not `visible_to`: a hidden idea's author may still read it, with the reason.
    idea = _for_cards(Idea.objects.select_related("merged_into"), viewer).filter(pk=pk).first()
    if idea is None or not can_view_idea(viewer, idea):
        raise IdeaNotFound()
    thread = list(idea_threads(idea=idea))
    official = [c for c in thread if c.is_official and not c.is_removed and not c.is_hidden]
    status_events = list(idea.status_events.select_related("actor"))
    is_following = (
        viewer.is_authenticated and Follow.objects.filter(idea=idea, user=viewer).exists()
    )
    return IdeaDetail(
        idea=idea,
        official_response=official[-1] if official else None,
        thread=thread,
        status_events=status_events,
        is_following=is_following,
        merged_into=idea.merged_into
        if idea.merged_into and can_view_idea(viewer, idea.merged_into)
        else None,
    )


def idea_for(*, pk: int, viewer) -> Idea:
    """One idea the viewer may see (the `can_view_idea` rule), or IdeaNotFound."""
    idea = Idea.objects.select_related("author", "category").filter(pk=pk).first()
    if idea is None or not can_view_idea(viewer, idea):
        raise IdeaNotFound()
    return idea


def idea_threads(*, idea: Idea) -> QuerySet[Comment]:
    """The idea's top-level comments, oldest first, each with its replies prefetched."""
    replies = Comment.objects.select_related("author").order_by("created_at", "id")
    return (
        idea.comments.top_level()
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "id")
    )


def shipped_ideas(*, viewer) -> QuerySet[Idea]:
    """Shipped ideas, most recently shipped first."""
    ideas = Idea.objects.published().for_audience(viewer).filter(status__in=SHIPPED_STATUSES)
    return _for_cards(ideas, viewer).order_by("-status_changed_at", "-id")


def idea_ids_by_author(*, author_id: int) -> list[int]:
    return list(Idea.objects.filter(author_id=author_id).values_list("pk", flat=True))


def member_ideas(*, member, viewer) -> QuerySet[Idea]:
    ideas = Idea.objects.published().for_audience(viewer).filter(author=member)
    return _for_cards(ideas, viewer).order_by("-created_at")


def member_comments(*, member, viewer) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(
            author=member,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
            idea__visibility="published",
        )
        .for_audience(viewer)
        .select_related("idea")
        .order_by("-created_at")
    )


def community_figures() -> dict:
    """The public figures: ideas submitted, share answered by staff, ideas shipped.

    Counts only, so ideas of Storm Sessions limited to a group count too: the
    figures say how the company listens, and a number names no idea.
    """
    from django.db.models import Count, Q

    figures = Idea.objects.published().aggregate(
        submitted=Count("pk"),
        answered=Count("pk", filter=Q(first_staff_response_at__isnull=False)),
        shipped=Count("pk", filter=Q(status__in=SHIPPED_STATUSES)),
    )
    submitted = figures["submitted"]
    figures["answered_share"] = round(100 * figures["answered"] / submitted) if submitted else 0
    return figures


def storm_session_live(*, pk: int, viewer):
    """A live Storm Session page by id that `viewer` may see, or None.

    The ideas app knows sessions only through `Idea.storm_session`, so it asks
    that relation for the model rather than importing the cms app above it.
    """
    sessions = Idea._meta.get_field("storm_session").related_model.objects
    return sessions.live().for_audience(viewer).filter(pk=pk).first()


def product_areas() -> QuerySet[Category]:
    return Category.objects.all()


def tags_in_use(*, viewer, limit: int = 200) -> list[dict]:
    """Tags on ideas customers can see, most used first (a hidden idea's tags stay unseen,
    and so do those only on ideas outside the viewer's audience)."""
    visible = Idea.objects.visible_to_customers().for_audience(viewer).values("pk")
    return list(
        Tag.objects.filter(
            taggit_taggeditem_items__content_type__model="idea",
            taggit_taggeditem_items__object_id__in=visible,
        )
        .annotate(ideas=Count("taggit_taggeditem_items"))
        .order_by("-ideas", "name")
        .values("slug", "name", "ideas")[:limit]
    )


def participants(*, storm_session_ids) -> set[int]:
    """Members who took part in these Storm Sessions: posted, voted on or follow one of
    their published ideas."""
    ideas = Idea.objects.published().filter(storm_session_id__in=storm_session_ids)
    authors = set(ideas.values_list("author_id", flat=True))
    followers = set(
        Follow.objects.filter(idea__in=ideas.values("pk")).values_list("user_id", flat=True)
    )
    voters = set(
        Vote.objects.filter(
            content_type=ContentType.objects.get_for_model(Idea),
            object_id__in=ideas.annotate(key=Cast("pk", models.CharField())).values("key"),
        ).values_list("user_id", flat=True)
    )
    return authors | followers | voters
