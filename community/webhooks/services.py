"""Writes for webhooks: record events in the writer's transaction and queue their
deliveries after it commits, redeliver, manage endpoints. Sending is `delivery`."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.core.exceptions import InvalidInput, NotAllowed, NotFound
from community.permissions import can_manage_webhooks
from community.webhooks.models import (
    DeliveryState,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    new_secret,
)
from community.webhooks.ssrf import UnsafeUrl, url_check
from community.webhooks.tasks import deliveries_queue

# --- Recording (inside the writer's transaction) ------------------------------------------


def event_record(
    kind: str,
    *,
    idea_id: int,
    comment_id: int | None = None,
    status_event_id: int | None = None,
    into_id: int | None = None,
    milestone: int | None = None,
    now: datetime | None = None,
) -> WebhookEvent | None:
    """Store the event and one delivery per active endpoint that wants it, in the
    caller's transaction; queue the deliveries once it commits. A rolled-back
    write takes its event with it, so nothing is ever sent for it."""
    endpoints = [e for e in WebhookEndpoint.objects.filter(is_active=True) if e.wants(kind)]
    if not endpoints:
        return None
    now = now or timezone.now()
    fields = {
        "type": kind,
        "idea_id": idea_id,
        "comment_id": comment_id,
        "status_event_id": status_event_id,
        "into_id": into_id,
        "milestone": milestone,
        "created_at": now,
    }
    if milestone is not None:
        # Once per idea and number, even if promotes fall back and rise again.
        if WebhookEvent.objects.filter(type=kind, idea_id=idea_id, milestone=milestone).exists():
            return None
        try:
            with transaction.atomic():
                event = WebhookEvent.objects.create(**fields)
        except IntegrityError:
            return None
    else:
        event = WebhookEvent.objects.create(**fields)
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(event=event, endpoint=e, next_attempt_at=now, created_at=now)
            for e in endpoints
        ]
    )
    _queue_on_commit(deliveries)
    return event


class _QueueAfterCommit:
    """Deliveries recorded in one transaction, queued once it commits: one batch per
    endpoint and WEBHOOK_BATCH_SIZE, not one task per delivery (an import, the
    benchmark, a change several endpoints want)."""

    def __init__(self):
        self.deliveries: list[tuple[int, int]] = []  # (endpoint id, delivery id)

    def __call__(self) -> None:
        by_endpoint: dict[int, list[int]] = {}
        for endpoint_id, pk in self.deliveries:
            by_endpoint.setdefault(endpoint_id, []).append(pk)
        for ids in by_endpoint.values():
            deliveries_queue(ids)


def _queue_on_commit(deliveries) -> None:
    """Add the deliveries to the transaction's queue-after-commit callback.

    The callback is the latest of its kind the transaction registered, found in
    Django's `run_on_commit` (which drops a rolled-back savepoint's callbacks
    itself), else a new one. Ids recorded in a savepoint rolled back after the
    callback was registered stay in it and, their rows gone, match nothing when
    the batch is sent.
    """
    recorded = [(d.endpoint_id, d.pk) for d in deliveries]
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _, callback, *_ in reversed(connection.run_on_commit):
            if isinstance(callback, _QueueAfterCommit):
                callback.deliveries += recorded
                return
    waiting = _QueueAfterCommit()
    waiting.deliveries += recorded
    transaction.on_commit(waiting)  # outside a transaction: runs now


def delivery_redeliver(*, delivery_id: int, now: datetime | None = None) -> None:
    """Send it again now (same `webhook-id`, so a receiver that has it can tell)."""
    now = now or timezone.now()
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        state=DeliveryState.PENDING, next_attempt_at=now, skipped_reason="", attempts=0
    )
    transaction.on_commit(lambda: deliveries_queue([delivery_id]))


# --- Managing endpoints (the staff area) -------------------------------------------------

EDITABLE = ("name", "url", "events", "format")


def _require_manager(actor) -> None:
    if not can_manage_webhooks(actor):
        raise NotAllowed("Only administrators manage webhook endpoints.")


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    try:
        return WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    except WebhookEndpoint.DoesNotExist as error:
        raise NotFound("There is no such webhook endpoint.") from error


def _save_checked(endpoint: WebhookEndpoint) -> None:
    """Validate (including the SSRF check on the URL) and save; a clear message if not."""
    try:
        endpoint.full_clean()
    except ValidationError as error:
        messages = [m for field in error.message_dict.values() for m in field]
        raise InvalidInput(" ".join(messages)) from error
    endpoint.save()


@transaction.atomic
def endpoint_create(
    *, actor, name: str, url: str, events: list[str], format: str
) -> WebhookEndpoint:
    """A new active endpoint owned by `actor` (told if it is switched off), with a
    new secret the caller shows once."""
    _require_manager(actor)
    endpoint = WebhookEndpoint(
        name=name, url=url, events=list(events), format=format, owner=actor, is_active=True
    )
    _save_checked(endpoint)
    return endpoint


@transaction.atomic
def endpoint_update(*, actor, endpoint_id: int, **fields) -> WebhookEndpoint:
    _require_manager(actor)
    endpoint = _endpoint(endpoint_id)
    for field in EDITABLE:
        if field in fields:
            setattr(endpoint, field, fields[field])
    _save_checked(endpoint)
    return endpoint


@transaction.atomic
def endpoint_switch(*, actor, endpoint_id: int, on: bool) -> WebhookEndpoint:
    """Switch deliveries on or off. Switching on clears why it was switched off;
    what it missed meanwhile is redelivered from its log, not sent by itself."""
    _require_manager(actor)
    endpoint = _endpoint(endpoint_id)
    if on and not endpoint.is_active:
        try:
            url_check(endpoint.url)
        except UnsafeUrl as error:
            raise InvalidInput(f"{error} Change the URL first.") from error
        endpoint.disabled_at = None
        endpoint.disabled_reason = ""
    elif not on and endpoint.is_active:
        endpoint.disabled_at = timezone.now()
        endpoint.disabled_reason = f"Switched off by {actor.public_name}"[:200]
    endpoint.is_active = on
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    return endpoint


@transaction.atomic
def endpoint_secret_rotate(*, actor, endpoint_id: int) -> WebhookEndpoint:
    """A new signing secret, used from the next attempt on (retries included)."""
    _require_manager(actor)
    endpoint = _endpoint(endpoint_id)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint


def delivery_redeliver_by(*, actor, endpoint_id: int, delivery_id: int) -> WebhookDelivery:
    """An administrator's Redeliver button: the delivery must belong to the endpoint."""
    _require_manager(actor)
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_related("event")
            .filter(pk=delivery_id, endpoint_id=endpoint_id)
            .first()
        )
        if delivery is None:
            raise NotFound("There is no such delivery for this endpoint.")
        delivery_redeliver(delivery_id=delivery.pk)
    return delivery
