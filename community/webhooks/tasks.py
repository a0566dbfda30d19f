"""Background work for webhooks: batches of deliveries queued by id, so it runs the
same on any django-tasks backend; and the sweeps that find what is due or lost."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django_tasks import default_task_backend, task

from community.webhooks import delivery

log = logging.getLogger(__name__)

RETRY_GROUP = timedelta(seconds=60)  # retries due this close together share a task


def _send(delivery_ids: list[int], now: datetime | None = None) -> delivery.SendReport:
    report = delivery.deliveries_send(delivery_ids=delivery_ids, now=now)
    retries_queue(report.retries)
    return report


@task()
def webhook_deliveries_send(delivery_ids: list[int]) -> int:
    """Attempt a batch of deliveries; queue each failed one's retry. The number attempted.

    If something unforeseen stopped some of them, the task fails once the rest are
    done, so it is kept with its traceback (the admin, /healthz); those stay pending.
    """
    report = _send(delivery_ids)
    report.raise_errors()
    return report.attempted


@task()
def webhook_deliver(delivery_id: int) -> None:
    """One delivery: what was queued before deliveries went in batches."""
    _send([delivery_id]).raise_errors()


@task()
def webhooks_retry_due() -> int:
    """Attempt every delivery whose retry is due (run by a scheduler, or `manage.py
    webhooks_retry`, on backends that cannot defer a task)."""
    return deliveries_retry_due()


def chunks(ids, size: int | None = None) -> list[list[int]]:
    size = size or settings.WEBHOOK_BATCH_SIZE
    ids = list(ids)
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def deliveries_queue(delivery_ids, *, run_after: datetime | None = None) -> None:
    """Hand deliveries to the worker in batches. A failure to queue loses nothing: the
    rows stay pending and the sweeps find them."""
    for chunk in chunks(delivery_ids):
        try:
            if run_after is not None:
                if not default_task_backend.supports_defer:
                    return  # the retry sweep attempts them when they are due
                webhook_deliveries_send.using(run_after=run_after).enqueue(delivery_ids=chunk)
            else:
                webhook_deliveries_send.enqueue(delivery_ids=chunk)
        except Exception:
            log.exception("Could not queue webhook deliveries %s; the sweep will", chunk)


def retries_queue(retries: list[tuple[datetime, int]]) -> None:
    """Queue failed deliveries for when they are due, those due within a minute of
    each other in one batch (their endpoint's, as the batch was)."""
    group: list[int] = []
    started = due = None
    for when, pk in sorted(retries):
        if group and (when - started > RETRY_GROUP or len(group) >= settings.WEBHOOK_BATCH_SIZE):
            deliveries_queue(group, run_after=due)
            group = []
        if not group:
            started = when
        group.append(pk)
        due = when
    if group:
        deliveries_queue(group, run_after=due)


def deliveries_retry_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Attempt the pending deliveries whose time has come, here and now; the number attempted."""
    due = delivery.deliveries_due(now=now, limit=limit)
    return sum(_send(chunk, now=now).attempted for chunk in chunks(due))


def deliveries_stale_queue() -> int:
    """Queue again deliveries left waiting too long (a lost task, a dead worker)."""
    stale = delivery.deliveries_stale()
    deliveries_queue(stale)
    return len(stale)
