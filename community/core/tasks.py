"""Queueing background work, and running it again after a passing failure.

With the database backend (production, tests) the task row is written in the
caller's transaction: it commits with the change it follows from, or not at
all, and no worker can start on it before the change is visible. The
in-process backend (`make run`) runs the task after commit instead, so a
rolled-back write never triggers it either. Either way tasks take ids and
plain values and are idempotent: running one twice does nothing twice.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends

logger = logging.getLogger(__name__)


class TransientError(Exception):
    """A failure that may pass (a server down or busy): run the task again later."""


class GaveUp(Exception):
    """A task failed TASK_MAX_ATTEMPTS times; its row is kept as failed for administrators."""


def _durable(task) -> bool:
    return task.get_backend().supports_defer


def enqueue(task, **kwargs) -> None:
    """Queue `task(**kwargs)` with the caller's transaction (see the module docstring)."""
    if _durable(task):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: _enqueue_now(task, kwargs))


def _enqueue_now(task, kwargs) -> None:
    try:
        task.enqueue(**kwargs)
    except Exception:  # in-process work must not fail the request that already committed
        logger.exception("Background task %s failed in-process; the sweep will retry", task.name)


def retry_delay(attempt: int) -> float:
    """Exponential backoff: base, 2×base, 4×base, … up to the cap."""
    return min(
        settings.TASK_RETRY_BASE_SECONDS * 2 ** (attempt - 1), settings.TASK_RETRY_MAX_SECONDS
    )


def retry_later(task, *, attempt: int, error: Exception, **kwargs) -> None:
    """Queue `task` again after a backoff, or give up after TASK_MAX_ATTEMPTS.

    Giving up raises, so the worker records the task as failed with its
    traceback (kept, listed in the admin and counted by /healthz). The
    in-process backend cannot defer: the work is left to the outbox sweep.
    """
    if attempt >= settings.TASK_MAX_ATTEMPTS:
        raise GaveUp(f"{task.name} failed {attempt} times; last error: {error}") from error
    if not _durable(task):
        logger.warning("%s failed (%s); the outbox sweep will run it again", task.name, error)
        return
    delay = retry_delay(attempt)
    logger.warning(
        "%s failed (%s); attempt %d again in %.1fs", task.name, error, attempt + 1, delay
    )
    task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
        attempt=attempt + 1, **kwargs
    )


def queue_health() -> dict | None:
    """The database queue's oldest waiting task (seconds) and failed count; None in-process."""
    backend = task_backends["default"]
    if not backend.supports_defer:
        return None
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    ready = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True)
    )
    oldest = ready.first()
    return {
        "waiting": DBTaskResult.objects.ready().count(),
        "oldest_waiting_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0.0,
        "failed": DBTaskResult.objects.failed().count(),
    }
