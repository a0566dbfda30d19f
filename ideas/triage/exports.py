"""Staff CSV exports, streamed: 100,000 ideas go out row by row, never all in memory.

Rows come from `values_list(...).iterator()`, so neither model instances nor
the whole result are held; the first status event into "decided" and into
"shipped" are subqueries in the same statement, and the few story links are
one dictionary.
"""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import Min, OuterRef, QuerySet, Subquery

from ideas.models import DECIDED_STATUSES, SHIPPED_STATUSES, Idea, Status, StatusEvent

IDEA_COLUMNS = [
    "id", "title", "status", "product area", "owner", "promotes", "demotes",
    "distinct supporters", "comments", "created", "first staff answer", "decided", "shipped",
    "story link",
]  # fmt: skip
FIGURES_COLUMNS = [
    "group", "label", "posted", "answer due", "answered within target", "share within target",
    "median hours to first answer", "decided", "shipped", "official responses", "near-copy share",
]  # fmt: skip
CHUNK = 2000


def _first_event(statuses) -> Subquery:
    events = (
        StatusEvent.objects.filter(idea=OuterRef("pk"), to_status__in=statuses)
        .order_by()
        .values("idea")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    return Subquery(events[:1])


def idea_export(ideas: QuerySet[Idea]) -> QuerySet:
    """The export's rows for these ideas (any filtered idea queryset), id order."""
    return (
        ideas.order_by("pk")
        .prefetch_related(None)
        .annotate(
            decided_at=_first_event(DECIDED_STATUSES), shipped_at=_first_event(SHIPPED_STATUSES)
        )
        .values_list(
            "pk", "title", "status", "category__name", "owner__display_name", "owner__username",
            "promotes", "demotes", "comment_count", "created_at", "first_staff_response_at",
            "decided_at", "shipped_at",
        )
    )  # fmt: skip


def _story_links(base_url: str) -> dict[int, str]:
    """Each shipped idea's Ideas in Action story (the first, when several tell it)."""
    links = Idea._meta.get_field("story_links").related_model.objects
    urls: dict[int, str] = {}
    for link in links.filter(story__live=True).select_related("story").order_by("pk"):
        url = link.story.get_url()
        if url and link.idea_id not in urls:
            urls[link.idea_id] = url if url.startswith("http") else base_url + url
    return urls


def _cell(value) -> str:
    """Text as a spreadsheet shows it; a leading = + - @ is kept from running as a formula."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="seconds")
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def idea_rows(rows: QuerySet, *, base_url: str) -> Iterator[list[str]]:
    stories = _story_links(base_url)
    labels = dict(Status.choices)
    yield IDEA_COLUMNS
    for (pk, title, status, area, owner_name, owner_username, promotes, demotes, comments,
         created, answered, decided, shipped) in rows.iterator(chunk_size=CHUNK):  # fmt: skip
        yield [_cell(v) for v in (
            pk, title, labels.get(status, status), area, owner_name or owner_username, promotes,
            demotes, promotes, comments, created, answered, decided, shipped, stories.get(pk),
        )]  # fmt: skip


def figures_rows(figures) -> Iterator[list[str]]:
    yield FIGURES_COLUMNS
    groups = [("total", [figures.total]), ("month", figures.by_month), ("area", figures.by_area)]
    for group, rows in groups:
        for row in rows:
            yield [_cell(v) for v in (
                group, row.label, row.posted, row.answer_due, row.answered_in_target,
                row.share_in_target, row.median_hours, row.decided, row.shipped,
                row.official_responses, row.near_copy_share,
            )]  # fmt: skip


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)
