"""Background work for notification emails: thin, idempotent wrappers taking ids."""

from django.db import transaction
from django_tasks import task

from community.core.tasks import GaveUp, TransientError, enqueue, retry_later
from community.notifications import delivery, fanout


def _send(delivery_ids: list[int], attempt: int) -> int:
    try:
        return delivery.email_deliveries_send(delivery_ids=delivery_ids).sent
    except TransientError as exc:
        remaining = getattr(exc, "remaining", None) or list(delivery_ids)
        try:
            retry_later(email_deliveries_send, attempt=attempt, error=exc, delivery_ids=remaining)
        except GaveUp:
            delivery.email_deliveries_give_up(delivery_ids=remaining, error=str(exc))
            raise
        return 0


@task()
def notification_fan_out(event_id: int) -> int:
    """Tell everyone an event concerns: their notifications, then their emails' decision."""
    with transaction.atomic():
        notification_ids = fanout.notification_event_fan_out(event_id=event_id)
        notifications_email_queue(notification_ids)
    return len(notification_ids)


@task()
def notification_emails(notification_ids: list[int], attempt: int = 1) -> int:
    """Decide how these new notifications go by email, and send the instant ones."""
    return _send(delivery.notification_emails_plan(notification_ids=notification_ids), attempt)


@task()
def email_deliveries_send(delivery_ids: list[int], attempt: int = 1) -> int:
    """Send owed emails over a few SMTP connections; what SMTP refused for now is retried."""
    return _send(delivery_ids, attempt)


@task()
def digests_send(frequency: str) -> int:
    """Make this period's daily or weekly digests and queue them for sending."""
    ids = delivery.digests_prepare(frequency=frequency)
    for chunk in delivery.chunks(ids):
        email_deliveries_send.enqueue(delivery_ids=chunk)
    return len(ids)


def notifications_email_queue(notification_ids) -> None:
    """Queue the email decision for new notifications, with the caller's transaction."""
    for chunk in delivery.chunks(notification_ids):
        enqueue(notification_emails, notification_ids=chunk)


def notification_fan_out_queue(event_id: int) -> None:
    """Queue an event's fan-out with the caller's transaction."""
    enqueue(notification_fan_out, event_id=event_id)


def outbox_sweep() -> dict:
    """Queue again any work left waiting too long (a lost task, a dead worker)."""
    events = fanout.events_stale()
    for event_id in events:
        enqueue(notification_fan_out, event_id=event_id)
    notes, deliveries = delivery.email_work_stale()
    for chunk in delivery.chunks(notes):
        enqueue(notification_emails, notification_ids=chunk)
    for chunk in delivery.chunks(deliveries):
        enqueue(email_deliveries_send, delivery_ids=chunk)
    return {"events": len(events), "notifications": len(notes), "deliveries": len(deliveries)}
