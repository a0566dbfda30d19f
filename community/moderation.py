"""Moderation: members flag, moderators hide, restore, edit and lock, and suspend members.

Every write runs in one transaction, checks the actor's permission before
anything else, locks the rows whose state it checks, and records an audit
entry (who, what, when, before and after) in the same transaction. Search,
realtime and notifications hear of it after commit (ideas.events).
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from community import abuse, roles
from community.audit import Action, audit_record
from community.models import Flag, Suspension
from ideas import events, permissions
from ideas.exceptions import (
    CommentNotFound,
    IdeaClosed,
    InvalidInput,
    MemberNotFound,
    NotAllowed,
)
from ideas.markdown import render_markdown
from ideas.models import Comment, CommentRevision, Idea, IdeaRevision, Visibility
from ideas.services.rules import (
    BODY_MAX,
    COMMENT_MAX,
    clean_body,
    clean_title,
    lock_idea,
    require_participant,
)
from search.api import idea_changed

REASON_MAX = 300
FLAG_TEXT_MAX = 500

User = get_user_model()


# --- Shared checks ----------------------------------------------------------------


def _require_moderator(actor) -> None:
    if not permissions.can_moderate(actor):
        raise NotAllowed("Only community managers and administrators can moderate content.")


def _require_suspender(actor) -> None:
    if not permissions.can_suspend(actor):
        raise NotAllowed("Only community managers and administrators can act on members.")


def _clean_reason(reason: str, *, required: bool = True) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise InvalidInput("Give a reason: it is kept in the audit log and shown to the author.")
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"The reason can be at most {REASON_MAX} characters long.")
    return reason


def _lock_comment(comment_id: int) -> Comment:
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("idea", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.is_removed:
        raise CommentNotFound()
    return comment


def _lock_member(member_id: int):
    member = User.objects.select_for_update().filter(pk=member_id).first()
    if member is None:
        raise MemberNotFound()
    return member


def _resolve_flags(flags, *, actor, now: datetime, resolution: str) -> list[int]:
    ids = list(flags.filter(resolved_at=None).values_list("pk", flat=True))
    Flag.objects.filter(pk__in=ids).update(
        resolved_at=now, resolved_by=actor, resolution=resolution
    )
    return ids


def _idea_flags(idea_id: int):
    return Flag.objects.filter(idea_id=idea_id, comment=None)


# --- Flags ------------------------------------------------------------------------


@transaction.atomic
def flag_create(
    *,
    reporter,
    idea_id: int,
    comment_id: int | None = None,
    reason: str,
    text: str = "",
    now: datetime | None = None,
) -> Flag:
    """A member reports an idea or a comment to the moderators, once per item.

    The idea's row is locked, so a double submission waits and finds the
    first flag; the flag is not an audit entry (members are not staff).
    """
    require_participant(reporter)
    now = now or timezone.now()
    if reason not in Flag.Reason.values:
        raise InvalidInput("Choose why you are flagging this.")
    text = (text or "").strip()
    if len(text) > FLAG_TEXT_MAX:
        raise InvalidInput(f"The note can be at most {FLAG_TEXT_MAX} characters long.")
    idea = lock_idea(idea_id)
    if idea.visibility != Visibility.PUBLISHED:
        raise IdeaClosed("This idea is no longer shown, so there is nothing to flag.")
    comment = None
    if comment_id is not None:
        comment = Comment.objects.filter(pk=comment_id, idea=idea).first()
        if comment is None or comment.is_removed:
            raise CommentNotFound()
        if comment.is_hidden:
            raise IdeaClosed("A moderator already hid this comment.")
    what = "comment" if comment else "idea"
    author_id = comment.author_id if comment else idea.author_id
    if not permissions.can_flag(reporter, author_id):
        raise NotAllowed(f"You cannot flag your own {what}; you can edit or remove it instead.")
    if Flag.objects.filter(reporter=reporter, idea=idea, comment=comment).exists():
        raise InvalidInput(f"You already flagged this {what}; a moderator will look at it.")
    abuse.flag_check(reporter, now=now)
    return Flag.objects.create(
        reporter=reporter, idea=idea, comment=comment, reason=reason, text=text, created_at=now
    )


@transaction.atomic
def flags_dismiss(
    *,
    actor,
    idea_id: int,
    comment_id: int | None = None,
    reason: str,
    now: datetime | None = None,
) -> list[int]:
    """Close an item's open flags without acting on it; returns the flags' ids."""
    _require_moderator(actor)
    reason = _clean_reason(reason)
    now = now or timezone.now()
    if comment_id is not None:
        target = _lock_comment(comment_id)
        if target.idea_id != idea_id:
            raise CommentNotFound()
        flags = Flag.objects.filter(comment=target)
    else:
        target = lock_idea(idea_id)
        flags = _idea_flags(target.pk)
    ids = _resolve_flags(flags, actor=actor, now=now, resolution=Flag.Resolution.DISMISSED)
    if not ids:
        raise InvalidInput("There are no open flags on this to dismiss.")
    audit_record(
        actor=actor,
        action=Action.FLAGS_DISMISS,
        target=target,
        now=now,
        before={"open_flags": ids},
        after={"open_flags": [], "resolution": Flag.Resolution.DISMISSED},
        reason=reason,
    )
    return ids


# --- Ideas --------------------------------------------------------------------------


def _hide_idea(idea: Idea, *, actor, reason: str, now: datetime, notify: bool = True) -> list[int]:
    """Hide a locked, published idea and resolve its flags; the caller audits."""
    idea.visibility = Visibility.HIDDEN
    idea.moderation_reason = reason
    idea.updated_at = now
    idea.save(update_fields=["visibility", "moderation_reason", "updated_at"])
    flag_ids = _resolve_flags(
        _idea_flags(idea.pk), actor=actor, now=now, resolution=Flag.Resolution.HIDDEN
    )
    idea_changed(idea.pk)
    events.idea_hidden(idea, actor=actor, now=now, notify=notify)
    return flag_ids


@transaction.atomic
def idea_hide(*, actor, idea_id: int, reason: str, now: datetime | None = None) -> Idea:
    """Take an idea out of public view; its author still sees it, with the reason."""
    _require_moderator(actor)
    reason = _clean_reason(reason)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    if idea.visibility == Visibility.HIDDEN:
        raise InvalidInput("This idea is already hidden.")
    if idea.visibility == Visibility.WITHDRAWN:
        raise InvalidInput("Its author withdrew this idea; it is not shown to anyone.")
    flag_ids = _hide_idea(idea, actor=actor, reason=reason, now=now)
    audit_record(
        actor=actor,
        action=Action.IDEA_HIDE,
        target=idea,
        now=now,
        before={"visibility": Visibility.PUBLISHED},
        after={"visibility": Visibility.HIDDEN, "resolved_flags": flag_ids},
        reason=reason,
    )
    return idea


@transaction.atomic
def idea_restore(*, actor, idea_id: int, reason: str = "", now: datetime | None = None) -> Idea:
    _require_moderator(actor)
    reason = _clean_reason(reason, required=False)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    if idea.visibility != Visibility.HIDDEN:
        raise InvalidInput("This idea is not hidden, so there is nothing to restore.")
    before = {"visibility": idea.visibility, "moderation_reason": idea.moderation_reason}
    idea.visibility = Visibility.PUBLISHED
    idea.moderation_reason = ""
    idea.updated_at = now
    idea.save(update_fields=["visibility", "moderation_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.IDEA_RESTORE,
        target=idea,
        now=now,
        before=before,
        after={"visibility": Visibility.PUBLISHED},
        reason=reason,
    )
    idea_changed(idea.pk)
    events.idea_restored(idea, actor=actor, now=now)
    return idea


@transaction.atomic
def idea_moderator_edit(
    *, actor, idea_id: int, title: str, body: str, reason: str, now: datetime | None = None
) -> Idea:
    """Edit an idea's title and text (say, to take out personal details), keeping a revision."""
    _require_moderator(actor)
    reason = _clean_reason(reason)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    title, body = clean_title(title), clean_body(body, limit=BODY_MAX, what="description")
    if (title, body) == (idea.title, idea.body):
        raise InvalidInput("Nothing changed: edit the title or the description first.")
    before = {"title": idea.title, "body": idea.body}
    IdeaRevision.objects.create(
        idea=idea, editor=actor, title=idea.title, body=idea.body, created_at=now
    )
    idea.title, idea.body = title, body
    idea.slug = idea.make_slug()
    idea.body_html = render_markdown(body)
    idea.updated_at = now
    idea.save(update_fields=["title", "slug", "body", "body_html", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.IDEA_EDIT,
        target=idea,
        now=now,
        before=before,
        after={"title": title, "body": body},
        reason=reason,
    )
    idea_changed(idea.pk)
    events.moderation_notice(
        user_id=idea.author_id,
        idea=idea,
        actor=actor,
        text=f"A moderator edited your idea “{idea.title}”: {reason}",
        url=idea.get_absolute_url(),
        now=now,
    )
    return idea


@transaction.atomic
def thread_lock(*, actor, idea_id: int, reason: str, now: datetime | None = None) -> Idea:
    """Close an idea's discussion to new comments; votes and official responses go on."""
    _require_moderator(actor)
    reason = _clean_reason(reason)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    if idea.is_locked:
        raise InvalidInput("This discussion is already locked.")
    idea.locked_at = now
    idea.save(update_fields=["locked_at"])
    audit_record(
        actor=actor,
        action=Action.THREAD_LOCK,
        target=idea,
        now=now,
        before={"locked": False},
        after={"locked": True},
        reason=reason,
    )
    return idea


@transaction.atomic
def thread_unlock(*, actor, idea_id: int, reason: str = "", now: datetime | None = None) -> Idea:
    _require_moderator(actor)
    reason = _clean_reason(reason, required=False)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    if not idea.is_locked:
        raise InvalidInput("This discussion is not locked.")
    before = {"locked": True, "locked_at": idea.locked_at.isoformat()}
    idea.locked_at = None
    idea.save(update_fields=["locked_at"])
    audit_record(
        actor=actor,
        action=Action.THREAD_UNLOCK,
        target=idea,
        now=now,
        before=before,
        after={"locked": False},
        reason=reason,
    )
    return idea


# --- Comments -------------------------------------------------------------------------


def _hide_comment(
    comment: Comment, *, actor, reason: str, now: datetime, notify: bool = True
) -> list[int]:
    """Hide a locked, visible comment; it leaves the idea's comment count. The caller audits."""
    comment.hidden_at = now
    comment.hidden_reason = reason
    comment.save(update_fields=["hidden_at", "hidden_reason"])
    Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") - 1)
    flag_ids = _resolve_flags(
        Flag.objects.filter(comment=comment),
        actor=actor,
        now=now,
        resolution=Flag.Resolution.HIDDEN,
    )
    idea_changed(comment.idea_id)
    events.comment_hidden(comment, actor=actor, now=now, notify=notify)
    return flag_ids


@transaction.atomic
def comment_hide(*, actor, comment_id: int, reason: str, now: datetime | None = None) -> Comment:
    """Replace a comment with "Hidden by a moderator" for everyone but its author and staff."""
    _require_moderator(actor)
    reason = _clean_reason(reason)
    now = now or timezone.now()
    comment = _lock_comment(comment_id)
    lock_idea(comment.idea_id)
    if comment.is_hidden:
        raise InvalidInput("This comment is already hidden.")
    flag_ids = _hide_comment(comment, actor=actor, reason=reason, now=now)
    audit_record(
        actor=actor,
        action=Action.COMMENT_HIDE,
        target=comment,
        now=now,
        before={"hidden": False},
        after={"hidden": True, "resolved_flags": flag_ids},
        reason=reason,
    )
    return comment


@transaction.atomic
def comment_restore(
    *, actor, comment_id: int, reason: str = "", now: datetime | None = None
) -> Comment:
    _require_moderator(actor)
    reason = _clean_reason(reason, required=False)
    now = now or timezone.now()
    comment = _lock_comment(comment_id)
    lock_idea(comment.idea_id)
    if not comment.is_hidden:
        raise InvalidInput("This comment is not hidden, so there is nothing to restore.")
    before = {"hidden": True, "hidden_reason": comment.hidden_reason}
    comment.hidden_at = None
    comment.hidden_reason = ""
    comment.save(update_fields=["hidden_at", "hidden_reason"])
    Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") + 1)
    audit_record(
        actor=actor,
        action=Action.COMMENT_RESTORE,
        target=comment,
        now=now,
        before=before,
        after={"hidden": False},
        reason=reason,
    )
    idea_changed(comment.idea_id)
    events.comment_restored(comment, actor=actor, now=now)
    return comment


@transaction.atomic
def comment_moderator_edit(
    *, actor, comment_id: int, body: str, reason: str, now: datetime | None = None
) -> Comment:
    """Edit a comment's text, keeping the old text as a revision staff can read."""
    _require_moderator(actor)
    reason = _clean_reason(reason)
    now = now or timezone.now()
    comment = _lock_comment(comment_id)
    body = clean_body(body, limit=COMMENT_MAX, what="comment")
    if body == comment.body:
        raise InvalidInput("Nothing changed: edit the comment's text first.")
    before = {"body": comment.body}
    CommentRevision.objects.create(comment=comment, editor=actor, body=comment.body, created_at=now)
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = now
    comment.save(update_fields=["body", "body_html", "edited_at"])
    audit_record(
        actor=actor,
        action=Action.COMMENT_EDIT,
        target=comment,
        now=now,
        before=before,
        after={"body": body},
        reason=reason,
    )
    if comment.is_official:
        idea_changed(comment.idea_id)  # the document carries the latest response
    events.comment_edited(comment)
    events.moderation_notice(
        user_id=comment.author_id,
        idea=comment.idea,
        actor=actor,
        text=f"A moderator edited your comment on “{comment.idea.title}”: {reason}",
        url=f"{comment.idea.get_absolute_url()}#comment-{comment.pk}",
        now=now,
    )
    return comment


# --- Members ---------------------------------------------------------------------------


def _require_actionable_member(actor, member) -> None:
    if member.pk == actor.pk:
        raise NotAllowed("You cannot do this to your own account.")
    if member.is_superuser or roles.ADMINISTRATOR in member.role_names:
        raise NotAllowed("Administrators cannot be suspended or have their content hidden here.")


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
    _require_suspender(actor)
    reason = _clean_reason(reason)
    now = now or timezone.now()
    member = _lock_member(member_id)
    _require_actionable_member(actor, member)
    if ends_at is not None and ends_at <= now:
        raise InvalidInput("A suspension must end in the future; leave the end empty for good.")
    current = _active_suspension(member, now)
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


def _active_suspension(member, now: datetime) -> Suspension | None:
    return next((s for s in member.suspensions.filter(lifted_at=None) if s.is_active(now)), None)


@transaction.atomic
def member_suspension_lift(
    *, actor, member_id: int, reason: str = "", now: datetime | None = None
) -> Suspension:
    _require_suspender(actor)
    reason = _clean_reason(reason, required=False)
    now = now or timezone.now()
    member = _lock_member(member_id)
    suspension = _active_suspension(member, now)
    if suspension is None:
        raise InvalidInput(f"{member.public_name} is not suspended.")
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
    _require_suspender(actor)
    reason = _clean_reason(reason)
    now = now or timezone.now()
    member = User.objects.filter(pk=member_id).first()
    if member is None:
        raise MemberNotFound()
    _require_actionable_member(actor, member)
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
            _hide_idea(idea, actor=actor, reason=reason, now=now, notify=False)
            hidden_ideas.append(idea.pk)
    for comment in comments:
        _hide_comment(comment, actor=actor, reason=reason, now=now, notify=False)
    hidden_comments = [comment.pk for comment in comments]
    if not hidden_ideas and not hidden_comments:
        raise InvalidInput(f"{member.public_name} has no published ideas or visible comments.")
    # One notice for the lot, pointing at the first item.
    first = ideas[hidden_ideas[0]] if hidden_ideas else comments[0].idea
    events.moderation_notice(
        user_id=member.pk,
        idea=first,
        actor=actor,
        text=(
            f"A moderator hid {len(hidden_ideas)} of your ideas and "
            f"{len(hidden_comments)} of your comments: {reason}"
        ),
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
