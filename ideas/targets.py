"""The response target: when an idea's first staff answer is due, late or in time.

The one definition, in the domain, so every page that measures answers (the
triage inbox, the overdue board, the staff figures, the public listening
report) reads the same rule. `ideas.triage.selectors` re-exports these names.
"""

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
