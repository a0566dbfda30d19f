"""Notifications: stored rows first, then a live push to each member's stream."""

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from community.models import Notification
from realtime.api import member_message


def _push(notifications: list[Notification]) -> None:
    for notification in notifications:
        html = render_to_string(
            "community/includes/_notification.html", {"notification": notification}
        )
        member_message(
            user_id=notification.user_id, kind="notification", html=html, data={"unread_delta": 1}
        )


def notification_send(*, user_ids, idea, actor, kind: str, text: str, url: str, now=None) -> int:
    """Store one notification per member (never to the actor) and push each live."""
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
    _push(notifications)
    return len(notifications)


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("idea", "actor")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the member's notifications read, or all of them."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
