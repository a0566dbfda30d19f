"""Suspending members, lifting suspensions, and hiding a member's content in bulk."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from community import permissions, roles
from community.audit import Action, audit_record
from community.core.exceptions import InvalidInput, MemberNotFound, NotAllowed
from community.models import Suspension
from community.moderation.services.content import hide_comment, hide_idea
from community.moderation.services.rules import (
    User,
    clean_reason,
    lock_member_row,
    require_suspender,
)
from community.notifications.texts import part
from ideas import events
from ideas.models import Comment, Idea, Visibility


def require_actionable_member(actor, member) -> None:
    if member.pk == actor.pk:
        raise NotAllowed(_("You cannot do this to your own account."))
    if member.is_superuser or roles.ADMINISTRATOR in member.role_names:
        raise NotAllowed(_("Administrators cannot be suspended or have their content hidden here."))


@transaction.atomic
def member_suspend(
    *,
    actor,
    member_id: int,
    reason: str,
    ends_at: datetime | None = None,
    now: datetime | None = None,
) -> Suspension:
    """Stop a member posting, voting and flagging until `ends_at` (None: for good).

    They can still sign in and read. The member's row is locked, so two
    moderators suspending at once leave one suspension.
    """
    require_suspender(actor)
    reason = clean_reason(reason)
    now = now or timezone.now()
    member = lock_member_row(member_id)
    require_actionable_member(actor, member)
    if ends_at is not None and ends_at <= now:
        raise InvalidInput(_("A suspension must end in the future; leave the end empty for good."))
    current = permissions.active_suspension(member, now)
    if current is not None:
        raise InvalidInput(
            f"{member.public_name} is already suspended; lift that suspension to change it."
        )
    suspension = Suspension.objects.create(
        member=member, actor=actor, reason=reason, created_at=now, ends_at=ends_at
    )
    audit_record(
        actor=actor,
        action=Action.MEMBER_SUSPEND,
        target=member,
        now=now,
        before={"suspended": False},
        after={
            "suspended": True,
            "suspension": suspension.pk,
            "ends_at": ends_at.isoformat() if ends_at else None,
        },
        reason=reason,
    )
    return suspension


@transaction.atomic
def member_suspension_lift(
    *, actor, member_id: int, reason: str = "", now: datetime | None = None
) -> Suspension:
    require_suspender(actor)
    reason = clean_reason(reason, required=False)
    now = now or timezone.now()
    member = lock_member_row(member_id)
    suspension = permissions.active_suspension(member, now)
    if suspension is None:
        raise InvalidInput(
            _("%(public_name)s is not suspended.") % {"public_name": member.public_name}
        )
    suspension.lifted_at = now
    suspension.save(update_fields=["lifted_at"])
    audit_record(
        actor=actor,
        action=Action.MEMBER_UNSUSPEND,
        target=member,
        now=now,
        before={
            "suspended": True,
            "suspension": suspension.pk,
            "ends_at": suspension.ends_at.isoformat() if suspension.ends_at else None,
        },
        after={"suspended": False},
        reason=reason,
    )
    return suspension


@transaction.atomic
def member_content_hide(
    *, actor, member_id: int, reason: str, now: datetime | None = None
) -> dict[str, list[int]]:
    """Hide all of a member's published ideas and visible comments at once (a spammer).

    One audit entry lists every id, so restoring by hand stays possible. The
    ideas involved are locked in id order, then the comments.
    """
    require_suspender(actor)
    reason = clean_reason(reason)
    now = now or timezone.now()
    member = User.objects.filter(pk=member_id).first()
    if member is None:
        raise MemberNotFound()
    require_actionable_member(actor, member)
    comments_q = Comment.objects.filter(author=member, deleted_at=None, hidden_at=None)
    idea_ids = set(
        Idea.objects.filter(author=member, visibility=Visibility.PUBLISHED).values_list(
            "pk", flat=True
        )
    ) | set(comments_q.values_list("idea_id", flat=True))
    ideas = {
        idea.pk: idea
        for idea in Idea.objects.select_for_update().filter(pk__in=idea_ids).order_by("pk")
    }
    comments = list(
        comments_q.select_for_update(of=("self",)).select_related("idea").order_by("pk")
    )
    hidden_ideas = []
    for idea in ideas.values():
        if idea.author_id == member.pk and idea.visibility == Visibility.PUBLISHED:
            hide_idea(idea, actor=actor, reason=reason, now=now, notify=False)
            hidden_ideas.append(idea.pk)
    for comment in comments:
        hide_comment(comment, actor=actor, reason=reason, now=now, notify=False)
    hidden_comments = [comment.pk for comment in comments]
    if not hidden_ideas and not hidden_comments:
        raise InvalidInput(
            _("%(public_name)s has no published ideas or visible comments.")
            % {"public_name": member.public_name}
        )
    # One notice for the lot, pointing at the first item.
    first = ideas[hidden_ideas[0]] if hidden_ideas else comments[0].idea
    events.moderation_notice(
        user_id=member.pk,
        idea=first,
        actor=actor,
        message=[
            part(
                gettext_noop(
                    "A moderator hid your ideas and comments "
                    "(ideas: %(ideas)s, comments: %(comments)s): %(reason)s"
                ),
                ideas=len(hidden_ideas),
                comments=len(hidden_comments),
                reason=reason,
            )
        ],  # fmt: skip
        url=first.get_absolute_url(),
        now=now,
    )
    audit_record(
        actor=actor,
        action=Action.MEMBER_CONTENT_HIDE,
        target=member,
        now=now,
        before={"published_ideas": hidden_ideas, "visible_comments": hidden_comments},
        after={"hidden_ideas": hidden_ideas, "hidden_comments": hidden_comments},
        reason=reason,
    )
    return {"ideas": hidden_ideas, "comments": hidden_comments}
