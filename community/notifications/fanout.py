"""Fanning a notification event out: one notification per member, done by the worker.

The request stored one `NotificationEvent` and queued this work with it
(`services.notification_send`), so the request's cost does not grow with the
number of followers. Here, in one transaction, the event's row is locked, its
audience resolved (as it is now: a member who unfollowed in between is not
told, nor anyone outside the audience of the idea's Storm Session), one
notification per member stored, the event marked done, and (by the task that
runs this) their email decision queued in batches.
Notifications are unique per event and member, so running this twice creates
nothing twice; the bell is pushed after commit.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from community.models import Notification, User
from community.notifications import audiences, texts
from community.notifications.models import NotificationEvent
from community.permissions import audience_members
from realtime.api import members_message

INSERT_BATCH = 2000


def notification_event_fan_out(*, event_id: int) -> list[int]:
    """Store the event's notifications; return the ids whose email is still to be decided.

    The caller (`tasks.notification_fan_out`) queues their email decision in
    the same transaction. A second run returns nothing.
    """
    with transaction.atomic():
        event = (
            NotificationEvent.objects.select_for_update(of=("self",))
            .select_related("idea")
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.fanned_out_at is not None:
            return []  # the idea is gone, or a run before this one finished the work
        wanted: dict[int, tuple[int, str]] = {}
        groups = audiences.resolve(event)
        for number, group in enumerate(groups):
            for user_id in group.user_ids:
                if user_id != event.actor_id:
                    wanted.setdefault(user_id, (number, group.url or event.url))
        # Stored in both forms: the parts each reader reads in their language, and
        # the site's language for the admin and the live push below.
        messages = [group.message or event.message for group in groups]
        site_texts = [
            texts.render_in_site_language(message)[:300] if message else event.text
            for message in messages
        ]
        # Members who left between the change and now are not told (nor can they be).
        existing = set(User.objects.filter(pk__in=list(wanted)).values_list("pk", flat=True))
        if event.idea is not None:  # nor anyone outside the audience of its Storm Session
            existing &= audience_members(existing, event.idea.audience_group_id)
        Notification.objects.bulk_create(
            [
                Notification(
                    event=event, user_id=user_id, kind=event.kind, idea_id=event.idea_id,
                    actor_id=event.actor_id, comment_id=event.comment_id,
                    message=messages[number], text=site_texts[number], url=url,
                    created_at=event.created_at,
                )
                for user_id, (number, url) in sorted(wanted.items())
                if user_id in existing
            ],
            batch_size=INSERT_BATCH,
            ignore_conflicts=True,
        )  # fmt: skip
        stored = list(
            Notification.objects.filter(event=event)
            .order_by("pk")
            .values_list("pk", "user_id", "text", "url")
        )
        pushes: dict[tuple[str, str], list[int]] = {}
        for _, user_id, text, url in stored:
            pushes.setdefault((text, url), []).append(user_id)
        for (text, url), user_ids in pushes.items():
            members_message(
                user_ids=user_ids,
                kind="notification",
                data={"unread_delta": 1, "text": text, "url": url},
            )
        event.fanned_out_at = timezone.now()
        event.save(update_fields=["fanned_out_at"])
    return [pk for pk, *_ in stored]


def events_stale(*, now=None, limit: int = 1000) -> list[int]:
    """Events not fanned out OUTBOX_STALE_SECONDS after they happened (a lost task)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    return list(
        NotificationEvent.objects.filter(fanned_out_at__isnull=True, created_at__lt=stale)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
