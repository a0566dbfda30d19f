"""Checks and helpers every moderation write shares."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from community import permissions
from community.core.exceptions import InvalidInput, MemberNotFound, NotAllowed
from community.moderation.models import Flag

REASON_MAX = 300
FLAG_TEXT_MAX = 500

User = get_user_model()


def require_moderator(actor) -> None:
    if not permissions.can_moderate(actor):
        raise NotAllowed(_("Only community managers and administrators can moderate content."))


def require_suspender(actor) -> None:
    if not permissions.can_suspend(actor):
        raise NotAllowed(_("Only community managers and administrators can act on members."))


def clean_reason(reason: str, *, required: bool = True) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise InvalidInput(_("Give a reason: it is kept in the audit log and shown to the author."))
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("The reason can be at most %(REASON_MAX)s characters long.")
            % {"REASON_MAX": REASON_MAX}
        )
    return reason


def lock_member_row(member_id: int):
    member = User.objects.select_for_update().filter(pk=member_id).first()
    if member is None:
        raise MemberNotFound()
    return member


def resolve_flags(flags, *, actor, now: datetime, resolution: str) -> list[int]:
    ids = list(flags.filter(resolved_at=None).values_list("pk", flat=True))
    Flag.objects.filter(pk__in=ids).update(
        resolved_at=now, resolved_by=actor, resolution=resolution
    )
    return ids


def idea_flags(idea_id: int):
    return Flag.objects.filter(idea_id=idea_id, comment=None)
