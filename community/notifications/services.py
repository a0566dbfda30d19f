"""Notifications: the rows are written in the caller's transaction; the push follows commit.

The bell only needs to know that something arrived, so members are told with
one small message each after commit: no template is rendered and nothing is
sent while the writer still holds its locks, however many followers there are.
"""

from django.utils import timezone

from community.models import Notification
from realtime.api import members_message


def notification_send(*, user_ids, idea, actor, kind: str, text: str, url: str, now=None) -> int:
    """Store one notification per member (never to the actor); push to them after commit."""
    now = now or timezone.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id, kind=kind, idea=idea, actor=actor, text=text[:300], url=url,
                created_at=now,
            )
            for user_id in set(user_ids)
            if actor is None or user_id != actor.pk
        ]
    )  # fmt: skip
    recipients = [notification.user_id for notification in notifications]
    if recipients:
        members_message(
            user_ids=recipients,
            kind="notification",
            data={"unread_delta": 1, "text": text[:300], "url": url},
        )
    return len(notifications)


def notifications_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the member's notifications read, or all of them."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
