"""Writes for webhooks: record events in the writer's transaction, attempt a
delivery, retry with backoff, switch a failing endpoint off, redeliver."""

import logging
import threading
import time
from datetime import datetime, timedelta

import httpcore
import httpx
from django.conf import settings
from django.core.mail import mail_admins, send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import default_task_backend
from standardwebhooks.webhooks import Webhook

from community.webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from community.webhooks.payloads import NotDeliverable, body_render, payload_build
from community.webhooks.ssrf import PinnedBackend, UnsafeUrl, url_check
from community.webhooks.tasks import webhook_deliver

log = logging.getLogger(__name__)

RESPONSE_KEEP_BYTES = 1024

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
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: [delivery_enqueue(pk) for pk in ids])
    return event


def delivery_enqueue(delivery_id: int, *, run_after: datetime | None = None) -> None:
    """Hand the delivery to the worker. A failure to queue loses nothing: the row
    stays pending and the retry sweep finds it."""
    try:
        if run_after is not None:
            if not default_task_backend.supports_defer:
                return  # the retry sweep attempts it when it is due
            webhook_deliver.using(run_after=run_after).enqueue(delivery_id)
        else:
            webhook_deliver.enqueue(delivery_id)
    except Exception:
        log.exception("Could not queue webhook delivery %s; the retry sweep will", delivery_id)


# --- Sending -------------------------------------------------------------------------------

_client_local = threading.local()


def _client() -> httpx.Client:
    """One connection pool per thread; no proxies from the environment, no redirects.

    Its connections go only to addresses checked as they connect (PinnedBackend).
    httpx has no public setting for the network backend, so its transport's pool is
    replaced by one built the same way (httpx is pinned to 0.28 in pyproject.toml).
    """
    client = getattr(_client_local, "client", None)
    if client is None:
        transport = httpx.HTTPTransport()
        transport._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=PinnedBackend()
        )
        client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(
                settings.WEBHOOK_TIMEOUT_SECONDS, connect=settings.WEBHOOK_CONNECT_TIMEOUT_SECONDS
            ),
            follow_redirects=False,
            trust_env=False,
            headers={"user-agent": "Idealoop-Webhooks/1"},
        )
        _client_local.client = client
    return client


def signed_headers(endpoint: WebhookEndpoint, message_id: str, body: str) -> dict[str, str]:
    sent_at = timezone.now()
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(message_id, sent_at, body),
    }


def _post(url: str, *, body: str, headers: dict) -> dict:
    """POST and keep the status, the time taken and the response's first 1 KB."""
    started = time.monotonic()
    result = {"status_code": None, "response_body": "", "error": ""}
    try:
        with _client().stream("POST", url, content=body.encode(), headers=headers) as response:
            result["status_code"] = response.status_code
            kept = b""
            for chunk in response.iter_bytes():
                kept += chunk
                if len(kept) >= RESPONSE_KEEP_BYTES:
                    break
            result["response_body"] = kept[:RESPONSE_KEEP_BYTES].decode("utf-8", "replace")
    except UnsafeUrl as error:  # what the host resolved to as the request connected
        result["error"] = str(error)[:300]
    except httpx.TimeoutException:
        result["error"] = "Timed out."
    except httpx.HTTPError as error:
        result["error"] = f"{type(error).__name__}: {error}"[:300]
    result["response_ms"] = round((time.monotonic() - started) * 1000)
    return result


def _lease_seconds() -> float:
    return settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 60


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> WebhookAttempt | None:
    """Make one attempt if the delivery is pending and due; None when it is not
    (already delivered, or another worker holds it)."""
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + timedelta(seconds=_lease_seconds()), attempts=F("attempts") + 1)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        _skip(delivery, "the endpoint is switched off")
        return None
    try:
        payload = payload_build(delivery.event)
    except NotDeliverable as reason:
        _skip(delivery, f"Not sent: {reason}.")
        return None
    body = body_render(payload, endpoint.format)
    try:
        url_check(endpoint.url)
    except UnsafeUrl as error:
        result = {"status_code": None, "response_body": "", "error": str(error)[:300]}
        result["response_ms"] = 0
    else:
        result = _post(
            endpoint.url, body=body, headers=signed_headers(endpoint, delivery.message_id, body)
        )
    attempt = WebhookAttempt.objects.create(delivery=delivery, attempted_at=now, **result)
    if attempt.ok:
        _succeeded(delivery, now)
    else:
        _failed(delivery, now)
    return attempt


def _skip(delivery: WebhookDelivery, reason: str) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SKIPPED, skipped_reason=reason[:200]
    )


def _succeeded(delivery: WebhookDelivery, now: datetime) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SUCCEEDED, delivered_at=now
    )
    WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(last_success_at=now)


def retry_delay(attempts: int) -> timedelta | None:
    """How long after the `attempts`-th failed attempt to try again; None when done."""
    delays = settings.WEBHOOK_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return timedelta(seconds=delays[attempts - 1])


def _failed(delivery: WebhookDelivery, now: datetime) -> None:
    delivery.refresh_from_db(fields=["attempts"])
    delay = retry_delay(delivery.attempts)
    if delay is not None:
        run_after = now + delay
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=run_after)
        delivery_enqueue(delivery.pk, run_after=run_after)
        return
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED)
    endpoint = WebhookEndpoint.objects.get(pk=delivery.endpoint_id)
    # Failing since before this delivery began (about a day ago): switch it off.
    if endpoint.is_active and (
        endpoint.last_success_at is None or endpoint.last_success_at < delivery.created_at
    ):
        endpoint_disable(endpoint, now=now, reason=f"{delivery.attempts} failed attempts")


def endpoint_disable(endpoint: WebhookEndpoint, *, now: datetime, reason: str) -> None:
    switched = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_at=now, disabled_reason=reason[:200]
    )
    if not switched:
        return
    subject = f"Webhook endpoint “{endpoint.name}” was switched off"
    message = (
        f"Deliveries to {endpoint.url} kept failing ({reason}), so Idealoop stopped sending "
        "to it. Fix the receiver, switch the endpoint back on in the admin, and redeliver "
        "what it missed from its delivery log."
    )
    if endpoint.owner_id and endpoint.owner.email:
        send_mail(subject, message, None, [endpoint.owner.email], fail_silently=True)
    else:
        mail_admins(subject, message, fail_silently=True)
    log.warning("Webhook endpoint %s switched off: %s", endpoint.pk, reason)


def deliveries_retry_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Attempt the pending deliveries whose time has come; the number attempted."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)[:limit]
    )
    attempted = 0
    for pk in due:
        if delivery_attempt(delivery_id=pk, now=now) is not None:
            attempted += 1
    return attempted


def delivery_redeliver(*, delivery_id: int, now: datetime | None = None) -> None:
    """Send it again now (same `webhook-id`, so a receiver that has it can tell)."""
    now = now or timezone.now()
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        state=DeliveryState.PENDING, next_attempt_at=now, skipped_reason="", attempts=0
    )
    transaction.on_commit(lambda: delivery_enqueue(delivery_id))
