"""Notifications: the request stores one event; the worker tells each member.

`notification_send` writes one `NotificationEvent` row and queues its fan-out
in the caller's transaction (django-tasks-db writes the task row there too),
so a change that rolls back tells nobody, a committed one is never lost, and
the request's cost is the same for one follower or ten thousand. The worker
stores one notification per member, pushes the bell, and decides per member
and kind whether it goes out by email now, in a digest or not at all
(`community.notifications.fanout`, `community.notifications.delivery`).
"""

from django.db import transaction
from django.utils import timezone

from community.models import Notification, User
from community.notifications import kinds, texts
from community.notifications.models import EmailPreference, Frequency, NotificationEvent
from community.notifications.tasks import notification_fan_out_queue
from community.notifications.tokens import Unsubscribe


def notification_send(
    *,
    idea,
    actor,
    kind: str,
    message: texts.Parts,
    url: str,
    user_ids=(),
    audience: str = "",
    params: dict | None = None,
    now=None,
    comment=None,
) -> NotificationEvent | None:
    """Queue a notification to `user_ids`, or to a registered `audience` worked out later.

    `message` is the news as translatable parts (`texts.part`), so each
    member reads it in their language. Never to the actor. Returns the stored
    event (None when nobody is named).
    """  # fmt: skip
    recipients = sorted({int(pk) for pk in user_ids} - {actor.pk if actor else None})
    if not audience and not recipients:
        return None
    event = NotificationEvent.objects.create(
        kind=kind, idea=idea, actor=actor, comment=comment, message=message,
        text=texts.render_in_site_language(message)[:300], url=url,
        created_at=now or timezone.now(), audience=audience, params=params or {},
        recipients=recipients,
    )  # fmt: skip
    notification_fan_out_queue(event.pk)
    return event


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
