"""Emailing notifications: decided once per notification, each email sent once.

The worker decides how each new notification goes by email (right away, in
the daily or weekly digest, or not at all) from the member's preference at
that moment, and stores the decision on the notification: a notification
decided "instant" gets one `EmailDelivery`, one decided for a digest is
picked up by exactly one digest, so no event reaches a member twice.

Sending holds the delivery's row lock while the message goes out and marks it
sent in the same transaction: two workers never send one email, and a worker
that dies before the server accepted a message leaves it pending. Whether it
should still go out is checked when its batch starts sending (a batch of
EMAIL_BATCH_SIZE takes a second or two): the member's current choice, hidden
or withdrawn content, a suspension (digests). What a batch needs is read once
for the batch; per email only the row lock is taken.
"""

import logging
import smtplib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import db
from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from community import permissions
from community.core.tasks import TransientError
from community.models import Notification, User
from community.notifications import extras, kinds, messages, texts
from community.notifications.models import EmailDelivery, EmailPreference, Frequency

logger = logging.getLogger(__name__)
State = EmailDelivery.State
Kind = Notification.Kind
# Kinds about the member's own content being acted on: sent even though hidden.
ABOUT_HIDING = {Kind.MODERATION}


def frequencies_for(user_ids, kinds_wanted) -> dict[tuple[int, str], str]:
    rows = EmailPreference.objects.filter(user_id__in=user_ids, kind__in=kinds_wanted)
    return {(row.user_id, row.kind): row.frequency for row in rows}


def frequency_of(user, kind: str) -> str:
    chosen = frequencies_for([user.pk], [kind]).get((user.pk, kind))
    return chosen or kinds.default_frequency(kind)


def notification_emails_plan(*, notification_ids, now: datetime | None = None) -> list[int]:
    """Decide how each of these notifications goes by email; return the deliveries to send.

    Idempotent: a notification already decided keeps its decision, and its
    pending delivery (if any) is returned again, so a retried task sends it.
    """
    now = now or timezone.now()
    ids = list(notification_ids)
    with transaction.atomic():
        todo = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids, email="")
            .select_related("user")
            .order_by("pk")
        )
        chosen = frequencies_for({n.user_id for n in todo}, {n.kind for n in todo})
        decided: dict[str, list[int]] = {}
        for note in todo:
            frequency = chosen.get((note.user_id, note.kind)) or kinds.default_frequency(note.kind)
            if not note.user.email or not note.user.is_active:
                frequency = Frequency.OFF
            decided.setdefault(frequency, []).append(note.pk)
        for frequency, pks in decided.items():
            Notification.objects.filter(pk__in=pks).update(email=frequency)
        instant = {n.pk: n for n in todo if n.pk in set(decided.get(Frequency.INSTANT, []))}
        EmailDelivery.objects.bulk_create(
            [
                EmailDelivery(
                    key=f"notification:{pk}", user_id=note.user_id, kind=note.kind,
                    notification=note, created_at=now,
                )
                for pk, note in instant.items()
            ],
            ignore_conflicts=True,
        )  # fmt: skip
    return list(
        EmailDelivery.objects.filter(notification_id__in=ids, state=State.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- sending -----------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    busy: int = 0


def _shows(notification, user) -> bool:
    """Whether the content the notification is about may still be shown to its member."""
    if notification.kind in ABOUT_HIDING:
        return True
    idea = notification.idea
    if idea is None:  # not about an idea (a Storm Session): its audience was checked at fan-out
        return True
    if not permissions.in_audience(user, idea.audience_group_id):
        return False  # the member left the group its Storm Session is limited to
    visible = (
        idea.is_published if notification.kind == Kind.MERGED else idea.is_visible_to_customers
    )
    comment = notification.comment
    return visible and not (comment and (comment.is_hidden or comment.is_removed))


def _digest_items(delivery) -> list:
    items = [
        note
        for note in delivery.digest_items.select_related("idea", "actor", "comment")
        if _shows(note, delivery.user)
    ]
    items.sort(key=lambda n: (kinds.DIGEST_ORDER.get(n.kind, 99), n.created_at, n.pk))
    return items


def _build(delivery, *, chosen: dict | None = None, added: dict | None = None):
    """The message to send, or the reason not to send one.

    `chosen` holds the batch's preferences, read when the batch started
    (`frequencies_for`; without it they are read now); `added` what the
    layers above add to each (kind, idea)'s email (`extras`).
    """
    user = delivery.user
    if not user.email or not user.is_active:
        return None, "no address"

    def frequency(kind: str) -> str:
        if chosen is None:
            return frequency_of(user, kind)
        return chosen.get((user.pk, kind)) or kinds.default_frequency(kind)

    if delivery.notification_id:
        note = delivery.notification
        if note is None:
            return None, "notification gone"
        if frequency(note.kind) == Frequency.OFF:
            return None, "unsubscribed"
        if not _shows(note, user):
            return None, "content hidden"
        note.user = user
        extra = (added or {}).get((note.kind, note.idea_id), {})
        return messages.notification_message(delivery=delivery, notification=note, extra=extra), ""
    digest_frequency = kinds.DIGEST_KINDS[delivery.kind]
    if permissions.is_suspended(user):
        return None, "suspended"
    items = [n for n in _digest_items(delivery) if frequency(n.kind) != Frequency.OFF]
    if not items:
        return None, "nothing to say"
    return messages.digest_message(
        delivery=delivery, user=user, items=items, frequency=digest_frequency
    ), ""


def _batch_context(ids) -> tuple[dict, dict, dict]:
    """What a batch reads once, not once per email: preferences, the actors' roles,
    and what the layers above add to its kinds of email (a shipped idea's story)."""
    rows = list(
        EmailDelivery.objects.filter(pk__in=ids).values_list(
            "user_id", "kind", "notification__kind", "notification__actor_id",
            "notification__idea_id",
        )
    )  # fmt: skip
    user_ids = {row[0] for row in rows}
    wanted = {row[1] for row in rows} | {row[2] for row in rows if row[2]}
    if any(row[1] in kinds.DIGEST_KINDS for row in rows):
        wanted |= set(kinds.ALL_KINDS)
    actor_ids = {row[3] for row in rows if row[3]}
    roles: dict[int, frozenset[str]] = {pk: frozenset() for pk in actor_ids}
    for user_id, name in User.groups.through.objects.filter(user_id__in=actor_ids).values_list(
        "user_id", "group__name"
    ):
        roles[user_id] = roles[user_id] | {name}
    ideas_by_kind: dict[str, set[int]] = {}
    for row in rows:
        if row[2]:
            ideas_by_kind.setdefault(row[2], set()).add(row[4])
    added = {
        (kind, idea_id): values
        for kind, idea_ids in ideas_by_kind.items()
        for idea_id, values in extras.for_ideas(kind, idea_ids).items()
    }
    return frequencies_for(user_ids, wanted), roles, added


def email_deliveries_send(*, delivery_ids, connection=None) -> SendReport:
    """Send these deliveries, each at most once, over EMAIL_SEND_CONNECTIONS connections.

    A worker spends most of an email waiting for the SMTP server (and the
    database), so a batch is split over a few SMTP connections, one thread
    each (each thread has its own database connection and takes each row's
    lock itself). Inside a transaction (tests running tasks in-process) or
    with a `connection` given, it runs in the caller's thread on one
    connection. A passing failure on any connection raises one
    TransientError whose `remaining` lists what is still owed.
    """
    ids = list(delivery_ids)
    threads = min(settings.EMAIL_SEND_CONNECTIONS, max(1, len(ids) // 20))
    if connection is not None or threads <= 1 or transaction.get_connection().in_atomic_block:
        return _send_serial(delivery_ids=ids, connection=connection)
    parts = [ids[start::threads] for start in range(threads)]
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="email") as pool:
        results = list(pool.map(_send_in_thread, parts))
    report, remaining, first_error = SendReport(), [], None
    for result in results:
        if isinstance(result, TransientError):
            remaining += result.remaining
            first_error = first_error or result
            continue
        for field in ("sent", "skipped", "failed", "busy"):
            setattr(report, field, getattr(report, field) + getattr(result, field))
    if first_error is not None:
        error = TransientError(str(first_error))
        error.remaining = sorted(remaining)
        raise error from first_error
    return report


def _send_in_thread(ids):
    try:
        return _send_serial(delivery_ids=ids)
    except TransientError as exc:
        return exc
    finally:
        db.connections.close_all()  # this thread's own database connection


def _send_serial(*, delivery_ids, connection=None) -> SendReport:
    """Send these deliveries over one SMTP connection, each at most once.

    A passing SMTP failure (refused connection, timeout, 4xx) raises
    TransientError after recording it; its `remaining` lists the ids from the
    one that failed on, so the caller can queue them again.
    """
    report, ids = SendReport(), list(delivery_ids)
    chosen, roles, added = _batch_context(ids)
    # What the emails show, read once for the batch (a batch takes a second or two):
    # an idea or comment hidden before it started is not emailed.
    batch = (
        EmailDelivery.objects.filter(pk__in=ids, state=State.PENDING)
        .select_related(
            "user", "notification__idea", "notification__actor", "notification__comment__author"
        )
        .in_bulk()
    )
    connection = connection or get_connection()
    opened = False
    try:
        for position, pk in enumerate(ids):
            try:
                with transaction.atomic():
                    # The lock is all that is read per email; the rest was read for the batch.
                    locked = (
                        EmailDelivery.objects.select_for_update(skip_locked=True)
                        .filter(pk=pk, state=State.PENDING)
                        .values_list("pk", flat=True)
                    )
                    delivery = batch.get(pk) if list(locked) else None
                    if delivery is None:  # sent, skipped, or being sent by another worker
                        report.busy += 1
                        continue
                    actor = delivery.notification.actor if delivery.notification_id else None
                    if actor is not None and actor.pk in roles:
                        actor.__dict__["role_names"] = roles[actor.pk]  # read once per batch
                    with translation.override(texts.language_of(delivery.user)):
                        message, reason = _build(delivery, chosen=chosen, added=added)
                    if message is None:
                        EmailDelivery.objects.filter(pk=pk).update(
                            state=State.SKIPPED, skip_reason=reason
                        )
                        report.skipped += 1
                        continue
                    if not opened:
                        connection.open()
                        opened = True
                    connection.send_messages([message])
                    EmailDelivery.objects.filter(pk=pk).update(
                        state=State.SENT, sent_at=timezone.now(),
                        message_id=message.extra_headers["Message-ID"],
                        attempts=F("attempts") + 1,
                    )  # fmt: skip
                    report.sent += 1
            except (
                smtplib.SMTPRecipientsRefused
            ) as exc:  # the address is wrong: retrying won't help
                EmailDelivery.objects.filter(pk=pk).update(
                    state=State.FAILED, attempts=F("attempts") + 1, last_error=str(exc)[:300]
                )
                report.failed += 1
            except (smtplib.SMTPException, OSError) as exc:
                EmailDelivery.objects.filter(pk=pk).update(
                    attempts=F("attempts") + 1, last_error=str(exc)[:300]
                )
                error = TransientError(f"SMTP: {exc}")
                error.remaining = ids[position:]
                raise error from exc
    finally:
        if opened:
            try:
                connection.close()
            except Exception:  # a dead connection cannot be closed politely
                logger.debug("SMTP connection close failed", exc_info=True)
    return report


def email_deliveries_give_up(*, delivery_ids, error: str) -> int:
    """Mark what is still owed as failed after the last retry (administrators can resend)."""
    return EmailDelivery.objects.filter(pk__in=delivery_ids, state=State.PENDING).update(
        state=State.FAILED, last_error=error[:300]
    )


def email_deliveries_resend(*, delivery_ids) -> list[int]:
    """An administrator's "send again" for failed deliveries: pending once more."""
    pks = list(
        EmailDelivery.objects.filter(pk__in=delivery_ids, state=State.FAILED).values_list(
            "pk", flat=True
        )
    )
    EmailDelivery.objects.filter(pk__in=pks).update(state=State.PENDING, last_error="")
    return pks


# --- digests -----------------------------------------------------------------------------


def digest_period(frequency: str, now: datetime) -> str:
    if frequency == Frequency.DAILY:
        return now.date().isoformat()
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def digests_prepare(*, frequency: str, now: datetime | None = None) -> list[int]:
    """Make this period's digest for every member with something waiting for it.

    Each digest's key names the member and the period, so running this twice
    makes nothing twice; each notification joins one digest only.
    """
    now = now or timezone.now()
    kind = {Frequency.DAILY: "digest_daily", Frequency.WEEKLY: "digest_weekly"}[frequency]
    period = digest_period(frequency, now)
    waiting = Notification.objects.filter(email=frequency, digest__isnull=True, created_at__lte=now)
    user_ids = sorted(set(waiting.values_list("user_id", flat=True)))
    prepared = []
    for user_id in user_ids:
        with transaction.atomic():
            delivery, _ = EmailDelivery.objects.get_or_create(
                key=f"digest:{frequency}:{user_id}:{period}",
                defaults={"user_id": user_id, "kind": kind, "created_at": now},
            )
            if delivery.state != State.PENDING:
                continue  # this period's digest went already; the rest waits for the next
            waiting.filter(user_id=user_id).update(digest=delivery)
            prepared.append(delivery.pk)
    return prepared


# --- the outbox sweep --------------------------------------------------------------------


def email_work_stale(*, now: datetime | None = None, limit: int = 20_000):
    """Notifications not yet decided and emails not yet sent, waiting past OUTBOX_STALE_SECONDS.

    Their tasks were lost (a worker killed mid-task leaves its task "running"
    for good) or are far behind; queueing them again is safe.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    notes = list(
        Notification.objects.filter(email="", created_at__lt=stale)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    deliveries = list(
        EmailDelivery.objects.filter(state=State.PENDING, created_at__lt=stale)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return notes, deliveries


def chunks(ids, size: int | None = None):
    size = size or settings.EMAIL_BATCH_SIZE
    ids = list(ids)
    return [ids[start : start + size] for start in range(0, len(ids), size)]
