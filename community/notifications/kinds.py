"""Which notifications a member may get by email, and how often by default."""

from django.utils.translation import gettext_lazy as _

from community.models import Notification
from community.notifications.models import Frequency

Kind = Notification.Kind

# Decisions first: the order kinds appear in on the preferences page and in digests.
MEMBER_KINDS = [
    Kind.SHIPPED,
    Kind.STORY,
    Kind.STATUS_CHANGE,
    Kind.OFFICIAL_RESPONSE,
    Kind.REPLY,
    Kind.MERGED,
    Kind.MODERATION,
    Kind.STORM_SESSION,
]
STAFF_KINDS = [Kind.ASSIGNED, Kind.OVERDUE]
ALL_KINDS = MEMBER_KINDS + STAFF_KINDS
DIGEST_ORDER = {kind: rank for rank, kind in enumerate(ALL_KINDS)}

# The defaults: answers, decisions and shipping on ideas you wrote,
# voted on or follow, and replies to you, right away; the rest weekly.
INSTANT_BY_DEFAULT = {
    Kind.OFFICIAL_RESPONSE,
    Kind.STATUS_CHANGE,
    Kind.SHIPPED,
    Kind.STORY,
    Kind.REPLY,
}

DESCRIPTIONS = {
    Kind.SHIPPED: _("An idea you wrote, voted on or follow shipped"),
    Kind.STORY: _("An Ideas in Action story tells how an idea you follow shipped"),
    Kind.STATUS_CHANGE: _("The status of an idea you wrote, voted on or follow changed"),
    Kind.OFFICIAL_RESPONSE: _("Staff answered an idea you wrote, voted on or follow"),
    Kind.REPLY: _("Someone replied to your comment"),
    Kind.MERGED: _("Your idea, or one you support, was merged into another"),
    Kind.MODERATION: _("A moderator hid or restored your idea or comment"),
    Kind.STORM_SESSION: _(
        "A Storm Session opened in an area you took part in, or one you took part in closed"
    ),
    Kind.ASSIGNED: _("An idea was assigned to you (staff)"),
    Kind.OVERDUE: _("An idea you own is overdue for a first answer (staff)"),
}

DIGEST_KINDS = {"digest_daily": Frequency.DAILY, "digest_weekly": Frequency.WEEKLY}


def default_frequency(kind: str) -> str:
    return Frequency.INSTANT if kind in INSTANT_BY_DEFAULT else Frequency.WEEKLY


def kinds_for(user) -> list[str]:
    return ALL_KINDS if user.is_staff_member else MEMBER_KINDS


def label(kind: str) -> str:
    if kind in DIGEST_KINDS:
        return f"the {DIGEST_KINDS[kind].lower()} digest"
    return Kind(kind).label.lower()
