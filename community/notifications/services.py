"""Notifications: the rows are written in the caller's transaction; the push follows commit.

The bell only needs to know that something arrived, so members are told with
one small message each after commit: no template is rendered and nothing is
sent while the writer still holds its locks, however many followers there are.
Email is the worker's: a task queued with the same transaction decides, per
member and kind, whether the notification goes out now, in a digest or not
at all (community.notifications.delivery).
"""

from django.db import transaction
from django.utils import timezone

from community.models import Notification, User
from community.notifications import kinds
from community.notifications.models import EmailPreference, Frequency
from community.notifications.tasks import notifications_email_queue
from community.notifications.tokens import Unsubscribe
from realtime.api import members_message


def notification_send(
    *, user_ids, idea, actor, kind: str, text: str, url: str, now=None, comment=None
) -> int:
    """Store one notification per member (never to the actor); push to them after commit."""
    now = now or timezone.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id, kind=kind, idea=idea, actor=actor, text=text[:300], url=url,
                created_at=now, comment=comment,
            )
            for user_id in sorted(set(user_ids))
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
        notifications_email_queue([notification.pk for notification in notifications])
    return len(notifications)


def notifications_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the member's notifications read, or all of them."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def email_preferences_set(*, user, choices: dict[str, str]) -> int:
    """Store the member's choice per kind; a choice equal to the default stores no row."""
    allowed = set(kinds.kinds_for(user))
    changed = 0
    for kind, frequency in choices.items():
        if kind not in allowed or frequency not in Frequency.values:
            continue
        if frequency == kinds.default_frequency(kind):
            changed += EmailPreference.objects.filter(user=user, kind=kind).delete()[0]
        else:
            _preference, created = EmailPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"frequency": frequency}
            )
            changed += 1
    return changed


@transaction.atomic
def email_unsubscribe(*, link: Unsubscribe) -> list[str]:
    """Turn off what a signed link names: one kind, or every kind sent in that digest.

    Returns the kinds turned off (empty when the member no longer exists).
    """
    user = User.objects.filter(pk=link.user_id).first()
    if user is None:
        return []
    if link.kind in kinds.DIGEST_KINDS:
        frequency = kinds.DIGEST_KINDS[link.kind]
        chosen = {p.kind: p.frequency for p in EmailPreference.objects.filter(user=user)}
        off = [
            kind
            for kind in kinds.kinds_for(user)
            if chosen.get(kind, kinds.default_frequency(kind)) == frequency
        ]
    elif link.kind in kinds.ALL_KINDS:
        off = [link.kind]
    else:
        return []
    email_preferences_set(user=user, choices={kind: Frequency.OFF for kind in off})
    return off
