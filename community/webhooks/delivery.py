"""Sending webhook deliveries: a batch per task, each delivery attempted at most once at a time.

A task takes a list of delivery ids (up to WEBHOOK_BATCH_SIZE, queued per
endpoint when their events commit). What the batch needs is read once: its
pending deliveries with their events, and the ideas, comments and status
changes the payloads show. Per delivery only its row is locked, with SKIP
LOCKED, in a transaction that lasts while its request is made and its
attempt is logged: two workers never send one delivery at once, and a
worker that dies mid-request leaves it pending (the receiver may then see
its `webhook-id` twice). The query that takes the lock also reads, at that
moment, the endpoint (switched on, URL, secret, format) and what decides
whether the idea, its comment and a merge target are still visible, so
content hidden or an endpoint switched off while the batch runs is never
sent.

Requests go over one pooled HTTP client per endpoint, kept by the process
from batch to batch (its connections are checked as they connect:
`ssrf.PinnedBackend`). Outside a transaction a batch is split over up to
WEBHOOK_SEND_THREADS threads (each with its own database connection)
taking deliveries from one queue, so a slow receiver holds up one thread,
not the batch.
"""

import logging
import queue
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpcore
import httpx
from django import db
from django.conf import settings
from django.core.mail import mail_admins, send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from standardwebhooks.webhooks import Webhook

from community.core.i18n import in_site_language
from community.notifications.texts import language_of
from community.webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)
from community.webhooks.models import WebhookEndpoint as Endpoint
from community.webhooks.payloads import (
    COMMENT_VISIBILITY_FIELDS,
    IDEA_VISIBILITY_FIELDS,
    NotDeliverable,
    body_render,
    content_as_of,
    content_read,
    payload_build,
)
from community.webhooks.ssrf import PinnedBackend, UnsafeUrl, url_check
from ideas.models import Comment, Idea

log = logging.getLogger(__name__)
State = DeliveryState

RESPONSE_KEEP_BYTES = 1024
KEEP_CLIENTS = 64  # endpoints whose connection pools a worker process keeps
ENDPOINT_FIELDS = ("is_active", "url", "secret", "format")


def _lock_sql(connection) -> str:
    """The one query made per delivery before its request: lock its row if it is still
    pending and due (skipping it if another worker holds it), and read, at that moment,
    what may have changed since the batch began: the endpoint, and what decides
    whether the idea, a merge target and the comment are visible (`payloads`).

    Written as SQL, once: the ORM spent more time compiling this query than the
    database took to run it, on every delivery.
    """

    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    def column(alias, model, name):
        return f"{alias}.{connection.ops.quote_name(model._meta.get_field(name).column)}"

    fresh = [
        column("d", WebhookDelivery, "attempts"),
        *(column("e", Endpoint, name) for name in ENDPOINT_FIELDS),
        *(column("i", Idea, name) for name in ("id", *IDEA_VISIBILITY_FIELDS)),
        *(column("m", Idea, name) for name in ("id", *IDEA_VISIBILITY_FIELDS)),
        *(column("c", Comment, name) for name in ("id", *COMMENT_VISIBILITY_FIELDS)),
    ]
    lock = ""
    if connection.features.has_select_for_update_skip_locked:
        lock = " FOR UPDATE OF d SKIP LOCKED"
        if not connection.features.has_select_for_update_of:
            lock = " FOR UPDATE SKIP LOCKED"
    return (
        f"SELECT {', '.join(fresh)} FROM {table(WebhookDelivery)} d"
        f" JOIN {table(Endpoint)} e ON e.id = {column('d', WebhookDelivery, 'endpoint')}"
        f" JOIN {table(WebhookEvent)} v ON v.id = {column('d', WebhookDelivery, 'event')}"
        f" LEFT JOIN {table(Idea)} i ON i.id = {column('v', WebhookEvent, 'idea')}"
        f" LEFT JOIN {table(Idea)} m ON m.id = {column('v', WebhookEvent, 'into')}"
        f" LEFT JOIN {table(Comment)} c ON c.id = {column('v', WebhookEvent, 'comment')}"
        f" WHERE d.id = %s AND {column('d', WebhookDelivery, 'state')} = %s"
        f" AND {column('d', WebhookDelivery, 'next_attempt_at')} <= %s{lock}"
    )


def _lock(pk: int, at: datetime) -> dict | None:
    connection = transaction.get_connection()
    sql = _lock_sqls.get(connection.vendor) or _lock_sqls.setdefault(
        connection.vendor, _lock_sql(connection)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, State.PENDING, connection.ops.adapt_datetimefield_value(at)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)
    fresh = {"attempts": next(values)}
    fresh["endpoint"] = {name: next(values) for name in ENDPOINT_FIELDS}
    for key, names in (
        ("idea", IDEA_VISIBILITY_FIELDS),
        ("into", IDEA_VISIBILITY_FIELDS),
        ("comment", COMMENT_VISIBILITY_FIELDS),
    ):
        found = next(values) is not None
        seen = {name: next(values) for name in names}
        fresh[key] = seen if found else None
    return fresh


_lock_sqls: dict[str, str] = {}  # by database vendor


class DeliveriesNotAttempted(Exception):
    """Something unforeseen (a bug, the database gone) stopped some deliveries of a
    batch; they stay pending, for the sweep, and the rest of the batch went."""


@dataclass
class SendReport:
    attempted: int = 0  # requests made, or refused by the SSRF check: each has a log row
    succeeded: int = 0
    failed: int = 0  # of the attempted; each is retried later unless its retries are used up
    skipped: int = 0  # not sent: hidden content, or the endpoint switched off
    busy: int = 0  # delivered already, or being attempted by another worker
    retries: list[tuple[datetime, int]] = field(default_factory=list)  # (when, delivery id)
    errors: list[Exception] = field(default_factory=list)  # what stopped a delivery, logged

    def add(self, other: "SendReport") -> None:
        for name in ("attempted", "succeeded", "failed", "skipped", "busy"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.retries += other.retries
        self.errors += other.errors

    def raise_errors(self) -> None:
        if self.errors:
            raise DeliveriesNotAttempted(
                f"Webhook deliveries not attempted, left pending: {len(self.errors)}; "
                f"the first error: {self.errors[0]!r}"
            ) from self.errors[0]


# --- HTTP ----------------------------------------------------------------------------------

_clients: OrderedDict[int, httpx.Client] = OrderedDict()
_clients_lock = threading.Lock()


def _client_new() -> httpx.Client:
    """A connection pool; no proxies from the environment, no redirects.

    Its connections go only to addresses checked as they connect (PinnedBackend).
    httpx has no public setting for the network backend, so its transport's pool is
    replaced by one built the same way (httpx is pinned to 0.28 in pyproject.toml).
    """
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=PinnedBackend()
    )
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(
            settings.WEBHOOK_TIMEOUT_SECONDS, connect=settings.WEBHOOK_CONNECT_TIMEOUT_SECONDS
        ),
        follow_redirects=False,
        trust_env=False,
        headers={"user-agent": "Idealoop-Webhooks/1"},
    )


def _client(endpoint_id: int | None) -> httpx.Client:
    """The endpoint's client, shared by the threads of every batch this process sends."""
    with _clients_lock:
        client = _clients.get(endpoint_id)
        if client is not None:
            _clients.move_to_end(endpoint_id)
            return client
        client = _clients[endpoint_id] = _client_new()
        while len(_clients) > KEEP_CLIENTS:
            _clients.popitem(last=False)[1].close()
        return client


def signed_headers(secret: str, message_id: str, body: str) -> dict[str, str]:
    sent_at = timezone.now()
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, sent_at, body),
    }


def _post(url: str, *, body: str, headers: dict, endpoint_id: int | None = None) -> dict:
    """POST and keep the status, the time taken and the response's first 1 KB."""
    started = time.monotonic()
    result = {"status_code": None, "response_body": "", "error": ""}
    try:
        with _client(endpoint_id).stream(
            "POST", url, content=body.encode(), headers=headers
        ) as response:
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
        result["error"] = _("Timed out.")
    except httpx.HTTPError as error:
        result["error"] = f"{type(error).__name__}: {error}"[:300]
    result["response_ms"] = round((time.monotonic() - started) * 1000)
    return result


# --- Retries and switching off -------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta | None:
    """How long after the `attempts`-th failed attempt to try again; None when done."""
    delays = settings.WEBHOOK_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return timedelta(seconds=delays[attempts - 1])


def endpoint_disable(endpoint: Endpoint, *, now: datetime, reason: str) -> None:
    switched = Endpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_at=now, disabled_reason=reason[:200]
    )
    if not switched:
        return
    owner = endpoint.owner if endpoint.owner_id and endpoint.owner.email else None
    with translation.override(language_of(owner) if owner else settings.LANGUAGE_CODE):
        subject = _("Webhook endpoint “%(name)s” was switched off") % {"name": endpoint.name}
        message = _(
            "Deliveries to %(url)s kept failing (%(reason)s), so Idealoop stopped sending "
            "to it. Fix the receiver, switch the endpoint back on in the staff area's Webhooks "
            "page, and redeliver what it missed from its delivery log."
        ) % {"url": endpoint.url, "reason": reason}
    if owner is not None:
        send_mail(subject, message, None, [owner.email], fail_silently=True)
    else:
        mail_admins(subject, message, fail_silently=True)
    log.warning("Webhook endpoint %s switched off: %s", endpoint.pk, reason)


def _gave_up(delivery: WebhookDelivery, attempts: int, now: datetime, batch: "_Batch") -> None:
    """Its last retry failed: switch the endpoint off if it has not succeeded since
    before this delivery began (about a day ago)."""
    endpoint = Endpoint.objects.select_related("owner").get(pk=delivery.endpoint_id)
    succeeded = max(
        filter(None, [endpoint.last_success_at, batch.succeeded_at.get(endpoint.pk)]), default=None
    )
    if endpoint.is_active and (succeeded is None or succeeded < delivery.created_at):
        reason = ngettext("%(n)s failed attempt", "%(n)s failed attempts", attempts) % {
            "n": attempts
        }
        endpoint_disable(endpoint, now=now, reason=reason)


# --- Sending a batch -----------------------------------------------------------------------


class _Batch:
    """What a batch reads once: its pending deliveries, and what their payloads show."""

    def __init__(self, ids: list[int]):
        self.deliveries = (
            WebhookDelivery.objects.filter(pk__in=ids, state=State.PENDING)
            .select_related("event")
            .in_bulk()
        )
        self.content = content_read(d.event for d in self.deliveries.values())
        self.bodies: dict[tuple, str] = {}  # one payload per event and visibility, per format
        self.urls_checked: dict[str, str] = {}  # URL: why it is refused ("" if it is not)
        self.succeeded_at: dict[int, datetime] = {}  # endpoint: its last success in the batch

    def body(self, delivery: WebhookDelivery, fresh: dict) -> str:
        """The request body, built with the visibility read with the row lock."""
        event, fmt = delivery.event, fresh["endpoint"]["format"]
        seen = {key: fresh[key] for key in ("idea", "into", "comment")}
        key = (event.pk, fmt, *(tuple((v or {}).items()) for v in seen.values()))
        if key not in self.bodies:
            payload = payload_build(event, content_as_of(self.content, event, seen))
            self.bodies[key] = body_render(payload, fmt)
        return self.bodies[key]

    def refusal(self, url: str) -> str:
        """Why the URL may not be used now ("" if it may); checked once a batch, and
        again by PinnedBackend as each connection is made."""
        if url not in self.urls_checked:
            try:
                url_check(url)
                self.urls_checked[url] = ""
            except UnsafeUrl as error:
                self.urls_checked[url] = str(error)[:300]
        return self.urls_checked[url]

    def record_successes(self) -> None:
        for endpoint_id, at in self.succeeded_at.items():
            Endpoint.objects.filter(pk=endpoint_id).filter(
                Q(last_success_at__isnull=True) | Q(last_success_at__lt=at)
            ).update(last_success_at=at)


@in_site_language
def deliveries_send(*, delivery_ids, now: datetime | None = None) -> SendReport:
    """Attempt these deliveries, those still pending and due, each at most once at a time.

    `now` stands for the clock (tests); retries are due WEBHOOK_RETRY_DELAYS after
    the attempt. The report's `retries` say when each failed delivery is due again.
    Chat messages, and the reasons stored in the log, are in the site's language
    (the threads' too: a new thread starts in it), whoever caused the batch.
    """
    ids = list(dict.fromkeys(delivery_ids))
    batch = _Batch(ids)
    todo = [pk for pk in ids if pk in batch.deliveries]
    report = SendReport(busy=len(ids) - len(todo))  # not pending when the batch began
    threads = min(settings.WEBHOOK_SEND_THREADS, max(1, len(todo) // 10))
    try:
        if threads <= 1 or transaction.get_connection().in_atomic_block:
            for pk in todo:
                _attempt_or_log(batch.deliveries[pk], batch, report, now)
        else:
            work: queue.SimpleQueue[int] = queue.SimpleQueue()
            for pk in todo:
                work.put(pk)
            with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="webhook") as pool:
                parts = [pool.submit(_send_in_thread, work, batch, now) for _ in range(threads)]
                for part in parts:
                    report.add(part.result())
    finally:
        batch.record_successes()
    return report


def _send_in_thread(work: queue.SimpleQueue, batch: _Batch, now: datetime | None) -> SendReport:
    report = SendReport()
    try:
        while True:
            try:
                pk = work.get_nowait()
            except queue.Empty:
                return report
            _attempt_or_log(batch.deliveries[pk], batch, report, now)
    finally:
        db.connections.close_all()  # this thread's own database connection


def _attempt_or_log(
    delivery: WebhookDelivery, batch: _Batch, report: SendReport, now: datetime | None
) -> None:
    """One delivery's attempt; what goes wrong unforeseen stops only this delivery."""
    try:
        _attempt(delivery, batch, report, now)
    except Exception as error:
        log.exception("Webhook delivery %s could not be attempted; it stays pending", delivery.pk)
        report.errors.append(error)


def _attempt(
    delivery: WebhookDelivery, batch: _Batch, report: SendReport, now: datetime | None
) -> None:
    """One attempt, holding the delivery's row lock from before the request until its
    outcome is stored; nothing if it is no longer pending and due, or is locked."""
    at = now or timezone.now()
    gave_up = 0
    with transaction.atomic():
        fresh = _lock(delivery.pk, at)
        if fresh is None:  # delivered meanwhile, not due, or another worker has it
            report.busy += 1
            return
        pending = WebhookDelivery.objects.filter(pk=delivery.pk)
        endpoint = fresh["endpoint"]
        if not endpoint["is_active"]:
            pending.update(state=State.SKIPPED, skipped_reason=_("the endpoint is switched off"))
            report.skipped += 1
            return
        try:
            body = batch.body(delivery, fresh)
        except NotDeliverable as reason:
            not_sent = _("Not sent: %(reason)s.") % {"reason": reason}
            pending.update(state=State.SKIPPED, skipped_reason=not_sent[:200])
            report.skipped += 1
            return
        url = endpoint["url"]
        refused = batch.refusal(url)
        if refused:
            result = {"status_code": None, "response_body": "", "error": refused, "response_ms": 0}
        else:
            headers = signed_headers(endpoint["secret"], delivery.message_id, body)
            result = _post(url, body=body, headers=headers, endpoint_id=delivery.endpoint_id)
        attempt = WebhookAttempt.objects.create(delivery=delivery, attempted_at=at, **result)
        attempts = fresh["attempts"] + 1
        report.attempted += 1
        if attempt.ok:
            pending.update(state=State.SUCCEEDED, delivered_at=at, attempts=attempts)
            batch.succeeded_at[delivery.endpoint_id] = at
            report.succeeded += 1
            return
        report.failed += 1
        delay = retry_delay(attempts)
        if delay is not None:
            pending.update(attempts=attempts, next_attempt_at=at + delay)
            report.retries.append((at + delay, delivery.pk))
            return
        pending.update(state=State.FAILED, attempts=attempts)
        gave_up = attempts
    _gave_up(delivery, gave_up, at, batch)


def deliveries_due(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries whose time has come, by endpoint (so batches keep to one)."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
        .order_by("endpoint_id", "next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_stale(*, now: datetime | None = None, limit: int = 20_000) -> list[int]:
    """Pending deliveries due for longer than OUTBOX_STALE_SECONDS: their task was lost
    (a worker killed mid-batch) or is far behind; queueing them again is safe."""
    now = now or timezone.now()
    return deliveries_due(now=now - timedelta(seconds=settings.OUTBOX_STALE_SECONDS), limit=limit)
