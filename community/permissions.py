"""Who someone is to the community: member, staff, suspended, and what their role allows.

Pure predicates over the user (plus the one query each needs, remembered on the
user object for the rest of the request). Object rules, such as who may edit an
idea, live with their domain (`ideas.permissions`). Services enforce these;
views and presenters turn them into flags for templates.
"""

from datetime import datetime

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from community import roles
from community.core.exceptions import NotAllowed
from community.models import Suspension, User


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


# What a member read for a request carries already (`participation_loaded`).
VERIFIED_LOADED = "verified_email_loaded"
MAY_BE_SUSPENDED_LOADED = "may_be_suspended_loaded"


def participation_loaded() -> dict:
    """Annotations for a query on members that spare `has_verified_email` and
    `active_suspension` their queries (`community.members.selectors.member_for_request`):
    whether the member has a verified address, and whether a suspension of theirs is
    unlifted (only then is the one in force, if any, looked up)."""
    addresses = User._meta.get_field("emailaddress").related_model.objects
    return {
        VERIFIED_LOADED: Exists(addresses.filter(user=OuterRef("pk"), verified=True)),
        MAY_BE_SUSPENDED_LOADED: Exists(
            Suspension.objects.filter(member=OuterRef("pk"), lifted_at=None)
        ),
    }


def suspensions_active(now: datetime):
    """Suspensions in force at `now`: not lifted, and not yet ended (None: for good)."""
    return Suspension.objects.filter(lifted_at=None).filter(Q(ends_at=None) | Q(ends_at__gt=now))


def active_suspension(user, now: datetime | None = None) -> Suspension | None:
    """The member's suspension in force, if any: the one definition of "suspended"."""
    if not is_member(user):
        return None
    if now is not None:  # a caller with its own clock (services, tests) asks afresh
        return suspensions_active(now).filter(member=user).order_by("-created_at").first()
    if not getattr(user, MAY_BE_SUSPENDED_LOADED, True):
        return None  # read with the member: no suspension of theirs is unlifted
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
    if not is_member(user):
        return False
    loaded = getattr(user, VERIFIED_LOADED, None)
    if loaded is not None:  # read with the member
        return bool(loaded)
    return _remembered(
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


# --- Audiences: content limited to a group -----------------------------------------------
#
# A Storm Session (and so its ideas) can be limited to one group of members,
# such as beta testers. This is the one rule for who sees such content: staff
# (anyone who may see hidden ideas) see all of it, a member what is limited to
# a group they belong to, a visitor none. Everything else asks through these:
# `admits` for one item, `audience_q` for a queryset, the ids themselves for a
# search filter, `audience_members` for a list of people to tell.


def audience_groups(user) -> frozenset[int] | None:
    """The groups whose limited content `user` may see; None means all of it (staff)."""
    if can_see_hidden(user):
        return None
    if not is_member(user):
        return frozenset()
    return user.group_ids


def admits(groups: frozenset[int] | None, group_id: int | None) -> bool:
    """Whether a reader with these `audience_groups` may see content limited to `group_id`."""
    return group_id is None or groups is None or group_id in groups


def in_audience(user, group_id: int | None) -> bool:
    """Whether `user` may see content limited to `group_id` (None: not limited)."""
    return group_id is None or admits(audience_groups(user), group_id)


def audience_q(groups: frozenset[int] | None, field: str) -> Q | None:
    """`admits` as a filter on `field`, the path to the limiting group; None: no filter."""
    if groups is None:
        return None
    unlimited = Q(**{f"{field}__isnull": True})
    return unlimited | Q(**{f"{field}__in": sorted(groups)}) if groups else unlimited


def audience_members(user_ids, group_id: int | None) -> set[int]:
    """Those of `user_ids` who may see content limited to `group_id`, in one query.

    `in_audience` for a list of people (who is told of something): the group's
    active members, and staff as `can_see_hidden` defines them (a superuser, or a
    staff role holding the permission through a group or their own).
    """
    ids = {int(pk) for pk in user_ids}
    if group_id is None or not ids:
        return ids
    memberships = User.groups.through.objects
    grants = User.user_permissions.through.objects
    app_label, codename = roles.VIEW_HIDDEN.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    in_group = Q(pk__in=memberships.filter(group_id=group_id).values("user_id"))
    staff_role = Q(pk__in=memberships.filter(group__name__in=roles.STAFF_ROLES).values("user_id"))
    holds = Q(pk__in=memberships.filter(group__permissions__in=permission).values("user_id")) | Q(
        pk__in=grants.filter(permission__in=permission).values("user_id")
    )
    admitted = in_group | Q(is_superuser=True) | (staff_role & holds)
    members = User.objects.filter(pk__in=ids, is_active=True).filter(admitted)
    return set(members.values_list("pk", flat=True))
