"""Staff figures: are ideas answered in time, decided and shipped, by humans?

Answer figures group ideas by the month they were posted. An idea counts
toward "answered within target" once its answer is due (the target time has
passed) or it has been answered; ideas still inside their target time are not
yet counted either way. Decisions and shipments count in the month they
happened, once per idea: "decided" here is the team's throughput (decisions
made in the month), where the public listening report's "decided" is the
share of the month's ideas that have had a decision since. Hidden and
withdrawn ideas are left out. The answer counting is `ideas.targets.AnswerCounts`,
the same as the listening report's.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from community.core.i18n import month_label
from ideas.models import DECIDED_STATUSES, SHIPPED_STATUSES, Category, Comment, Idea, StatusEvent
from ideas.targets import AnswerCounts, response_target


@dataclass(kw_only=True)
class Figures(AnswerCounts):
    label: str
    decided: int = 0
    shipped: int = 0
    official_responses: int = 0
    near_copies: int = 0

    @property
    def near_copy_share(self) -> float | None:
        return self.near_copies / self.official_responses if self.official_responses else None


@dataclass
class StaffFigures:
    since: datetime
    target: timedelta
    total: Figures
    by_month: list[Figures]
    by_area: list[Figures]


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _month_key(moment: datetime) -> str:
    return f"{moment:%Y-%m}"


def staff_figures(*, now: datetime, months: int = 12) -> StaffFigures:
    since = _month_start(now)
    for _month in range(months - 1):
        since = _month_start(since - timedelta(days=1))
    by_month: dict[str, Figures] = {}
    cursor = since
    while cursor <= now:
        by_month[_month_key(cursor)] = Figures(label=month_label(cursor, "F Y"))
        cursor = _month_start(cursor + timedelta(days=32))
    areas = {area.pk: Figures(label=area.name) for area in Category.objects.all()}
    total = Figures(label=_("All product areas"))

    def rows(category_id: int, moment: datetime) -> list[Figures]:
        return [total, by_month[_month_key(moment)], areas[category_id]]

    counted = Idea.objects.exclude(visibility__in=["hidden", "withdrawn"])
    for category_id, created, answered in counted.filter(created_at__gte=since).values_list(
        "category_id", "created_at", "first_staff_response_at"
    ):
        for row in rows(category_id, created):
            row.add(created_at=created, answered_at=answered, now=now)

    for statuses, attribute in ((DECIDED_STATUSES, "decided"), (SHIPPED_STATUSES, "shipped")):
        first_event: dict[int, tuple[datetime, int]] = {}
        events = StatusEvent.objects.filter(to_status__in=statuses, idea__in=counted).values_list(
            "idea_id", "idea__category_id", "created_at"
        )
        for idea_id, category_id, created in events:
            if idea_id not in first_event or created < first_event[idea_id][0]:
                first_event[idea_id] = (created, category_id)
        for created, category_id in first_event.values():
            if created >= since:
                for row in rows(category_id, created):
                    setattr(row, attribute, getattr(row, attribute) + 1)

    responses = Comment.objects.official().filter(created_at__gte=since, idea__in=counted)
    for category_id, created, near_copy_of in responses.values_list(
        "idea__category_id", "created_at", "near_copy_of_id"
    ):
        for row in rows(category_id, created):
            row.official_responses += 1
            row.near_copies += near_copy_of is not None

    return StaffFigures(
        since=since,
        target=response_target(),
        total=total,
        by_month=list(reversed(by_month.values())),
        by_area=[row for row in areas.values() if row.posted or row.official_responses],
    )
