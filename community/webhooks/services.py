"""Writes for webhooks: record events in the writer's transaction and queue their
deliveries after it commits, redeliver, manage endpoints. Sending is `delivery`."""

import hashlib
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community.audit import Action, audit_record
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


# --- Managing endpoints (the staff area, the Django admin) ---------------------------------
#
# Every change an administrator makes is in the audit log, with its before and
# after (`_audited`): never the secret, and a URL by its host and a fingerprint,
# since an incoming-webhook URL (Slack's, Teams') is itself a credential.

EDITABLE = ("name", "url", "events", "format", "owner")


def _require_manager(actor) -> None:
    if not can_manage_webhooks(actor):
        raise NotAllowed(_("Only administrators manage webhook endpoints."))


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    try:
        return WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    except WebhookEndpoint.DoesNotExist as error:
        raise NotFound(_("There is no such webhook endpoint.")) from error


def _save_checked(endpoint: WebhookEndpoint) -> None:
    """Validate (including the SSRF check on the URL) and save; a clear message if not."""
    try:
        endpoint.full_clean()
    except ValidationError as error:
        messages = [m for field in error.message_dict.values() for m in field]
        raise InvalidInput(" ".join(messages)) from error
    endpoint.save()


def url_for_audit(url: str) -> str:
    """The URL as the audit log keeps it: whole when it is only a host, else its host
    and a fingerprint that changes with it (its path may be the receiver's key)."""
    parts = urlsplit(url)
    if parts.path in ("", "/") and not parts.query:
        return url
    fingerprint = hashlib.sha256(url.encode()).hexdigest()[:8]
    return f"{parts.scheme}://{parts.netloc}/… ({fingerprint})"


def _audited(endpoint: WebhookEndpoint, fields=("name", "url", "events", "format", "owner")):
    values = {}
    for field in fields:
        if field == "url":
            values["url"] = url_for_audit(endpoint.url)
        elif field == "owner":
            values["owner"] = endpoint.owner.public_name if endpoint.owner_id else None
        else:
            values[field] = getattr(endpoint, field)
    return values


@transaction.atomic
def endpoint_create(
    *,
    actor,
    name: str,
    url: str,
    events: list[str],
    format: str,
    owner=None,
    is_active: bool = True,
    now: datetime | None = None,
) -> WebhookEndpoint:
    """A new endpoint owned by `owner` (by default `actor`; told if it is switched off),
    with a new secret the caller shows once."""
    _require_manager(actor)
    endpoint = WebhookEndpoint(
        name=name, url=url, events=list(events), format=format, owner=owner or actor,
        is_active=is_active,
    )  # fmt: skip
    _save_checked(endpoint)
    audit_record(
        actor=actor,
        action=Action.WEBHOOK_CREATE,
        target=endpoint,
        now=now or timezone.now(),
        after=_audited(endpoint) | {"active": endpoint.is_active},
    )
    return endpoint


@transaction.atomic
def endpoint_update(
    *, actor, endpoint_id: int, now: datetime | None = None, **fields
) -> WebhookEndpoint:
    """Change what is given of EDITABLE; the audit log has what changed."""
    _require_manager(actor)
    endpoint = _endpoint(endpoint_id)
    before = _audited(endpoint)
    for field in EDITABLE:
        if field in fields:
            setattr(endpoint, field, fields[field])
    _save_checked(endpoint)
    after = _audited(endpoint)
    changed = [field for field in after if after[field] != before[field]]
    if changed:
        audit_record(
            actor=actor,
            action=Action.WEBHOOK_EDIT,
            target=endpoint,
            now=now or timezone.now(),
            before={field: before[field] for field in changed},
            after={field: after[field] for field in changed},
        )
    return endpoint


@transaction.atomic
def endpoint_switch(
    *, actor, endpoint_id: int, on: bool, now: datetime | None = None
) -> WebhookEndpoint:
    """Switch deliveries on or off. Switching on clears why it was switched off;
    what it missed meanwhile is redelivered from its log, not sent by itself."""
    _require_manager(actor)
    now = now or timezone.now()
    endpoint = _endpoint(endpoint_id)
    if on == endpoint.is_active:
        return endpoint
    if on:
        try:
            url_check(endpoint.url)
        except UnsafeUrl as error:
            raise InvalidInput(f"{error} {_('Change the URL first.')}") from error
        before = {"active": False, "switched_off": endpoint.disabled_reason or None}
        endpoint.disabled_at = None
        endpoint.disabled_reason = ""
    else:
        before = {"active": True}
        endpoint.disabled_at = now
        with translation.override(settings.LANGUAGE_CODE):  # stored: the site's language
            reason = _("Switched off by %(name)s") % {"name": actor.public_name}
        endpoint.disabled_reason = reason[:200]
    endpoint.is_active = on
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    audit_record(
        actor=actor,
        action=Action.WEBHOOK_SWITCH_ON if on else Action.WEBHOOK_SWITCH_OFF,
        target=endpoint,
        now=now,
        before=before,
        after={"active": on},
    )
    return endpoint


@transaction.atomic
def endpoint_secret_rotate(
    *, actor, endpoint_id: int, now: datetime | None = None
) -> WebhookEndpoint:
    """A new signing secret, used from the next attempt on (retries included). The
    audit log says it was replaced, and keeps neither."""
    _require_manager(actor)
    endpoint = _endpoint(endpoint_id)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    audit_record(
        actor=actor, action=Action.WEBHOOK_SECRET_ROTATE, target=endpoint, now=now or timezone.now()
    )
    return endpoint


@transaction.atomic
def endpoint_delete(*, actor, endpoint_id: int, now: datetime | None = None) -> None:
    """Delete the endpoint with its deliveries and their log; the audit log keeps what
    it was."""
    _require_manager(actor)
    endpoint = _endpoint(endpoint_id)
    deliveries = endpoint.deliveries.count()
    audit_record(
        actor=actor,
        action=Action.WEBHOOK_DELETE,
        target=endpoint,
        now=now or timezone.now(),
        before=_audited(endpoint) | {"active": endpoint.is_active, "deliveries": deliveries},
    )
    endpoint.delete()


def delivery_redeliver_by(
    *, actor, delivery_id: int, endpoint_id: int | None = None, now: datetime | None = None
) -> WebhookDelivery:
    """An administrator's Redeliver: from an endpoint's log the delivery must belong to
    that endpoint (`endpoint_id`)."""
    _require_manager(actor)
    now = now or timezone.now()
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.select_for_update(of=("self",)).select_related(
            "event", "endpoint"
        )
        if endpoint_id is not None:
            deliveries = deliveries.filter(endpoint_id=endpoint_id)
        delivery = deliveries.filter(pk=delivery_id).first()
        if delivery is None:
            raise NotFound(_("There is no such delivery for this endpoint."))
        audit_record(
            actor=actor,
            action=Action.WEBHOOK_REDELIVER,
            target=delivery,
            now=now,
            before={"state": delivery.state, "attempts": delivery.attempts},
            after={
                "endpoint": delivery.endpoint.name,
                "event": delivery.event.type,
                "webhook_id": delivery.message_id,
            },
        )
        delivery_redeliver(delivery_id=delivery.pk, now=now)
    return delivery
