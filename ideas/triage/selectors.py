"""Staff reads: the triage inbox in merit order and the overdue board.

Merit is net supporters (each member counted once: promotes minus demotes,
less the votes of suspected voting rings awaiting review) plus the days the
idea has waited for a first staff answer, each day worth
TRIAGE_SUPPORTERS_PER_WAITING_DAY supporters. Comments and repeated posting
add nothing, so a loud thread does not jump the queue.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, FloatField, Func, Q, QuerySet, Value
from voting.models import Vote

from ideas.models import DISCOUNTED_RING_STATES, Category, Idea
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
    # Votes from suspected voting rings count on the idea page, not here.
    supporters = F("score") - F("ring_discount")
    return ideas.annotate(
        merit=supporters + Value(weight) * waiting_days, waiting_days=waiting_days
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


def ideas_for_export(
    *,
    category: Category | None = None,
    status: str | None = None,
    owner=None,
    unassigned: bool = False,
    storm_session=None,
) -> QuerySet[Idea]:
    """Published ideas (merged ones too, as the figures count them), by the inbox's filters."""
    ideas = Idea.objects.published()
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
    return ideas


@dataclass(frozen=True)
class SupportConcentration:
    """How much of an idea's support comes from brand-new or lockstep accounts."""

    supporters: int
    new_accounts: int  # younger than NEW_ACCOUNT_DAYS now
    in_rings: int  # members of suspected or confirmed voting rings
    ring_discount: int

    @property
    def new_share(self) -> float | None:
        return self.new_accounts / self.supporters if self.supporters else None


def support_concentration(idea: Idea, *, now: datetime) -> SupportConcentration:
    promotes = Vote.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea), object_id=str(idea.pk), vote=1
    )
    counts = promotes.aggregate(
        supporters=Count("pk"),
        new_accounts=Count(
            "pk", filter=Q(user__date_joined__gt=now - timedelta(days=settings.NEW_ACCOUNT_DAYS))
        ),
        in_rings=Count(
            "pk",
            filter=Q(user__vote_ring_membership__ring__state__in=DISCOUNTED_RING_STATES),
        ),
    )
    return SupportConcentration(**counts, ring_discount=idea.ring_discount)
