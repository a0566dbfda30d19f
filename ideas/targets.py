"""The response target: when an idea's first staff answer is due, late or in time.

The one definition, in the domain, so every page that measures answers (the
triage inbox, the overdue board, the staff figures, the public listening
report) reads the same rule. `ideas.triage.selectors` re-exports these names.
"""

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from community import configuration


def response_target() -> timedelta:
    return timedelta(hours=configuration.current().response_target_hours)


def overdue_since(now: datetime) -> datetime:
    """Ideas posted before this moment and still unanswered are overdue."""
    return now - response_target()


def is_overdue(*, created_at: datetime, answered_at: datetime | None, now: datetime) -> bool:
    """The one definition: no staff answer, and waited longer than the target.

    An idea posted exactly one target ago is not overdue yet; `overdue_since`
    and the figures' "answered within target" use the same boundary.
    """
    return answered_at is None and created_at < overdue_since(now)


def answered_in_target(*, created_at: datetime, answered_at: datetime) -> bool:
    return not answered_at - created_at > response_target()


def answer_due(*, created_at: datetime, answered_at: datetime | None, now: datetime) -> bool:
    """Counted in "answered within target": answered, or unanswered past the target.

    Ideas still inside their target time are not yet counted either way.
    """
    return answered_at is not None or is_overdue(created_at=created_at, answered_at=None, now=now)


@dataclass(kw_only=True)
class AnswerCounts:
    """How a group of ideas was answered: the staff figures' and the listening report's
    rows both count with `add`, so "answered within target" means one thing."""

    posted: int = 0
    answered: int = 0
    answer_due: int = 0
    answered_in_target: int = 0
    answer_hours: list[float] = field(default_factory=list, repr=False)

    def add(self, *, created_at: datetime, answered_at: datetime | None, now: datetime) -> None:
        self.posted += 1
        if answered_at is not None:
            self.answered += 1
            self.answer_hours.append((answered_at - created_at).total_seconds() / 3600)
        if answer_due(created_at=created_at, answered_at=answered_at, now=now):
            self.answer_due += 1
            if answered_at is not None and answered_in_target(
                created_at=created_at, answered_at=answered_at
            ):
                self.answered_in_target += 1

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.posted if self.posted else None

    @property
    def share_in_target(self) -> float | None:
        return self.answered_in_target / self.answer_due if self.answer_due else None

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.answer_hours) if self.answer_hours else None
