"""Who someone is to the community: member, staff, suspended, and what their role allows.

Pure predicates over the user (plus the one query each needs, remembered on the
user object for the rest of the request). Object rules, such as who may edit an
idea, live with their domain (`ideas.permissions`). Services enforce these;
views and presenters turn them into flags for templates.
"""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from community import roles
from community.core.exceptions import NotAllowed
from community.models import Suspension


def _remembered(user, key: str, compute):
    """One query per request-user: the answer is kept on the user object."""
    cache = user.__dict__.setdefault("_community_permissions", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_staff(user) -> bool:
    """Holds a staff role: shows the staff area's link. Actions check permissions."""
    return is_member(user) and user.is_staff_member


def has(user, permission: str) -> bool:
    # Permissions come with staff roles, so a customer is answered without
    # loading any (the role names are one cached query).
    return is_staff(user) and user.has_perm(permission)


def suspensions_active(now: datetime):
    """Suspensions in force at `now`: not lifted, and not yet ended (None: for good)."""
    return Suspension.objects.filter(lifted_at=None).filter(Q(ends_at=None) | Q(ends_at__gt=now))


def active_suspension(user, now: datetime | None = None) -> Suspension | None:
    """The member's suspension in force, if any: the one definition of "suspended"."""
    if not is_member(user):
        return None
    if now is not None:  # a caller with its own clock (services, tests) asks afresh
        return suspensions_active(now).filter(member=user).order_by("-created_at").first()
    return _remembered(
        user,
        "suspension",
        lambda: (
            suspensions_active(timezone.now()).filter(member=user).order_by("-created_at").first()
        ),
    )


def is_suspended(user) -> bool:
    return active_suspension(user) is not None


def has_verified_email(user) -> bool:
    return is_member(user) and _remembered(
        user, "verified", lambda: user.emailaddress_set.filter(verified=True).exists()
    )


def can_participate(user) -> bool:
    """Posting, commenting, voting and flagging need a verified, unsuspended member."""
    return has_verified_email(user) and not is_suspended(user)


def require_participant(user) -> None:
    """Refuse, with the reason, anyone who may read but not take part."""
    if not is_member(user):
        raise NotAllowed(_("Please sign in first."))
    if not has_verified_email(user):
        raise NotAllowed(_("Please confirm your email address first; we sent you a link."))
    suspension = active_suspension(user)
    if suspension is not None:
        if suspension.ends_at:
            message = _(
                "Your account is suspended until %(until)s UTC: %(reason)s "
                "You can still read the community."
            ) % {
                "until": date_format(suspension.ends_at, "j F Y, H:i"),
                "reason": suspension.reason,
            }
        else:
            message = _(
                "Your account is suspended for good: %(reason)s You can still read the community."
            ) % {"reason": suspension.reason}
        raise NotAllowed(message)


def is_exempt_from_limits(user) -> bool:
    """Staff answer in the company's name, so abuse limits do not apply to them."""
    return user.is_staff_member


def can_see_hidden(user) -> bool:
    return has(user, roles.VIEW_HIDDEN)


def can_triage(user) -> bool:
    return has(user, roles.TRIAGE)


def can_respond_officially(user) -> bool:
    return has(user, roles.RESPOND)


def can_change_status(user) -> bool:
    return has(user, roles.SET_STATUS)


def can_assign(user) -> bool:
    return has(user, roles.ASSIGN)


def can_merge(user) -> bool:
    return has(user, roles.MERGE)


def can_moderate(user) -> bool:
    return has(user, roles.MODERATE)


def can_suspend(user) -> bool:
    return has(user, roles.SUSPEND)


def can_read_audit_log(user) -> bool:
    return has(user, roles.READ_AUDIT_LOG)


def is_administrator(user) -> bool:
    """Holds the Administrator role (or is a superuser): runs the site's integrations."""
    return is_member(user) and (user.is_superuser or roles.ADMINISTRATOR in user.role_names)


def can_manage_webhooks(user) -> bool:
    return is_administrator(user)
