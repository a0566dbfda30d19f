"""Staff reads: the triage inbox in merit order and the overdue board.

Merit is net supporters (each member counted once: promotes minus demotes)
plus the days the idea has waited for a first staff answer, each day worth
TRIAGE_SUPPORTERS_PER_WAITING_DAY supporters. Comments and repeated posting
add nothing, so a loud thread does not jump the queue.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import F, FloatField, Func, QuerySet, Value

from ideas.models import Category, Idea
from ideas.targets import (  # noqa: F401 (re-exported: the rule lives in the domain)
    answer_due,
    answered_in_target,
    is_overdue,
    overdue_since,
    response_target,
)


class EpochDays(Func):
    """Days since 1970 of a datetime column, on PostgreSQL and on SQLite."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "(EXTRACT(EPOCH FROM %(expressions)s)::double precision / 86400.0)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # julianday() counts from 4714 BC; 2440587.5 is 1970-01-01.
        template = "(julianday(%(expressions)s) - 2440587.5)"
        return self.as_sql(compiler, connection, template=template, **extra)


def awaiting_answer() -> QuerySet[Idea]:
    """Published ideas no staff member has answered yet (duplicates are answered by merging)."""
    return Idea.objects.visible_to_customers().filter(first_staff_response_at__isnull=True)


def with_merit(ideas: QuerySet[Idea], *, now: datetime) -> QuerySet[Idea]:
    now_days = now.timestamp() / 86400.0
    waiting_days = Value(now_days) - EpochDays("created_at")
    weight = settings.TRIAGE_SUPPORTERS_PER_WAITING_DAY
    return ideas.annotate(
        merit=F("score") + Value(weight) * waiting_days, waiting_days=waiting_days
    )


def inbox(
    *,
    now: datetime,
    category: Category | None = None,
    status: str | None = None,
    owner=None,
    unassigned: bool = False,
    storm_session=None,
) -> QuerySet[Idea]:
    ideas = awaiting_answer()
    if category is not None:
        ideas = ideas.filter(category=category)
    if status:
        ideas = ideas.filter(status=status)
    if unassigned:
        ideas = ideas.filter(owner__isnull=True)
    elif owner is not None:
        ideas = ideas.filter(owner=owner)
    if storm_session is not None:
        ideas = ideas.filter(storm_session=storm_session)
    return (
        with_merit(ideas, now=now)
        .select_related("author", "category", "owner", "storm_session")
        .order_by("-merit", "created_at", "pk")
    )


@dataclass
class OverdueGroup:
    category: Category
    owner: object | None
    ideas: list[Idea] = field(default_factory=list)

    @property
    def oldest(self) -> datetime:
        return self.ideas[0].created_at


def overdue_board(*, now: datetime, limit: int = 500) -> list[OverdueGroup]:
    """Unanswered ideas past the response target, by product area and owner, oldest first."""
    ideas = (
        awaiting_answer()
        .filter(created_at__lt=overdue_since(now))
        .select_related("category", "owner", "author")
        .order_by("created_at", "pk")[:limit]
    )
    groups: dict[tuple[int, int | None], OverdueGroup] = {}
    for idea in ideas:
        key = (idea.category_id, idea.owner_id)
        group = groups.setdefault(key, OverdueGroup(category=idea.category, owner=idea.owner))
        group.ideas.append(idea)
    return sorted(groups.values(), key=lambda group: group.oldest)


def overdue_totals(groups: list[OverdueGroup]) -> dict[str, list[tuple[str, int]]]:
    """How many overdue ideas each product area and each owner has, most first."""
    by_area: dict[str, int] = {}
    by_owner: dict[str, int] = {}
    for group in groups:
        owner = group.owner.public_name if group.owner else "Unassigned"
        by_area[group.category.name] = by_area.get(group.category.name, 0) + len(group.ideas)
        by_owner[owner] = by_owner.get(owner, 0) + len(group.ideas)
    most_first = lambda counts: sorted(counts.items(), key=lambda item: (-item[1], item[0]))  # noqa: E731
    return {"area": most_first(by_area), "owner": most_first(by_owner)}


def overdue_count(*, now: datetime) -> int:
    return awaiting_answer().filter(created_at__lt=overdue_since(now)).count()
