"""Hiding, restoring and editing ideas and comments, and locking discussions."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from community.audit import Action, audit_record
from community.core.exceptions import InvalidInput
from community.moderation.models import Flag
from community.moderation.services.rules import (
    clean_reason,
    idea_flags,
    require_moderator,
    resolve_flags,
)
from community.notifications.texts import part
from ideas import events
from ideas.events import idea_changed
from ideas.markdown import render_markdown
from ideas.models import Comment, CommentRevision, Idea, IdeaRevision, Visibility
from ideas.services.comments import remove_comment
from ideas.services.rules import (
    BODY_MAX,
    COMMENT_MAX,
    clean_body,
    clean_title,
    comment_count_change,
    lock_comment,
    lock_idea,
)


def hide_idea(idea: Idea, *, actor, reason: str, now: datetime, notify: bool = True) -> list[int]:
    """Hide a locked, published idea and resolve its flags; the caller audits."""
    idea.visibility = Visibility.HIDDEN
    idea.moderation_reason = reason
    idea.updated_at = now
    idea.save(update_fields=["visibility", "moderation_reason", "updated_at"])
    flag_ids = resolve_flags(
        idea_flags(idea.pk), actor=actor, now=now, resolution=Flag.Resolution.HIDDEN
    )
    idea_changed(idea.pk)
    events.idea_hidden(idea, actor=actor, now=now, notify=notify)
    return flag_ids


@transaction.atomic
def idea_hide(*, actor, idea_id: int, reason: str, now: datetime | None = None) -> Idea:
    """Take an idea out of public view; its author still sees it, with the reason."""
    require_moderator(actor)
    reason = clean_reason(reason)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    if idea.visibility == Visibility.HIDDEN:
        raise InvalidInput(_("This idea is already hidden."))
    if idea.visibility == Visibility.WITHDRAWN:
        raise InvalidInput(_("Its author withdrew this idea; it is not shown to anyone."))
    flag_ids = hide_idea(idea, actor=actor, reason=reason, now=now)
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
    require_moderator(actor)
    reason = clean_reason(reason, required=False)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    if idea.visibility != Visibility.HIDDEN:
        raise InvalidInput(_("This idea is not hidden, so there is nothing to restore."))
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
    require_moderator(actor)
    reason = clean_reason(reason)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    title, body = clean_title(title), clean_body(body, limit=BODY_MAX, what="description")
    if (title, body) == (idea.title, idea.body):
        raise InvalidInput(_("Nothing changed: edit the title or the description first."))
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
        message=[
            part(
                gettext_noop("A moderator edited your idea “%(title)s”: %(reason)s"),
                title=idea.title,
                reason=reason,
            )
        ],  # fmt: skip
        url=idea.get_absolute_url(),
        now=now,
    )
    return idea


@transaction.atomic
def thread_lock(*, actor, idea_id: int, reason: str, now: datetime | None = None) -> Idea:
    """Close an idea's discussion to new comments; votes and official responses go on."""
    require_moderator(actor)
    reason = clean_reason(reason)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    if idea.is_locked:
        raise InvalidInput(_("This discussion is already locked."))
    idea.locked_at = now
    idea.save(update_fields=["locked_at"])
    events.idea_pages_changed([idea.pk])
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
    require_moderator(actor)
    reason = clean_reason(reason, required=False)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    if not idea.is_locked:
        raise InvalidInput(_("This discussion is not locked."))
    before = {"locked": True, "locked_at": idea.locked_at.isoformat()}
    idea.locked_at = None
    idea.save(update_fields=["locked_at"])
    events.idea_pages_changed([idea.pk])
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


def hide_comment(
    comment: Comment, *, actor, reason: str, now: datetime, notify: bool = True
) -> list[int]:
    """Hide a locked, visible comment; it leaves the idea's comment count. The caller audits."""
    comment.hidden_at = now
    comment.hidden_reason = reason
    comment.save(update_fields=["hidden_at", "hidden_reason"])
    Idea.objects.filter(pk=comment.idea_id).update(**comment_count_change(-1))
    flag_ids = resolve_flags(
        Flag.objects.filter(comment=comment),
        actor=actor,
        now=now,
        resolution=Flag.Resolution.HIDDEN,
    )
    idea_changed(comment.idea_id, listed=False)
    events.comment_hidden(comment, actor=actor, now=now, notify=notify)
    return flag_ids


@transaction.atomic
def comment_hide(*, actor, comment_id: int, reason: str, now: datetime | None = None) -> Comment:
    """Replace a comment with "Hidden by a moderator" for everyone but its author and staff."""
    require_moderator(actor)
    reason = clean_reason(reason)
    now = now or timezone.now()
    _idea, comment = lock_comment(comment_id)
    if comment.is_hidden:
        raise InvalidInput(_("This comment is already hidden."))
    flag_ids = hide_comment(comment, actor=actor, reason=reason, now=now)
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
    require_moderator(actor)
    reason = clean_reason(reason, required=False)
    now = now or timezone.now()
    _idea, comment = lock_comment(comment_id)
    if not comment.is_hidden:
        raise InvalidInput(_("This comment is not hidden, so there is nothing to restore."))
    before = {"hidden": True, "hidden_reason": comment.hidden_reason}
    comment.hidden_at = None
    comment.hidden_reason = ""
    comment.save(update_fields=["hidden_at", "hidden_reason"])
    Idea.objects.filter(pk=comment.idea_id).update(**comment_count_change(+1))
    audit_record(
        actor=actor,
        action=Action.COMMENT_RESTORE,
        target=comment,
        now=now,
        before=before,
        after={"hidden": False},
        reason=reason,
    )
    idea_changed(comment.idea_id, listed=False)
    events.comment_restored(comment, actor=actor, now=now)
    return comment


@transaction.atomic
def comment_moderator_edit(
    *, actor, comment_id: int, body: str, reason: str, now: datetime | None = None
) -> Comment:
    """Edit a comment's text, keeping the old text as a revision staff can read."""
    require_moderator(actor)
    reason = clean_reason(reason)
    now = now or timezone.now()
    _idea, comment = lock_comment(comment_id)
    body = clean_body(body, limit=COMMENT_MAX, what="comment")
    if body == comment.body:
        raise InvalidInput(_("Nothing changed: edit the comment's text first."))
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
        idea_changed(comment.idea_id, listed=False)  # the document carries the latest response
    else:
        events.idea_pages_changed([comment.idea_id])
    events.comment_edited(comment)
    events.moderation_notice(
        user_id=comment.author_id,
        idea=comment.idea,
        actor=actor,
        message=[
            part(
                gettext_noop("A moderator edited your comment on “%(title)s”: %(reason)s"),
                title=comment.idea.title,
                reason=reason,
            )
        ],  # fmt: skip
        url=f"{comment.idea.get_absolute_url()}#comment-{comment.pk}",
        now=now,
    )
    return comment


@transaction.atomic
def comment_remove(*, actor, comment_id: int, reason: str, now: datetime | None = None) -> Comment:
    """A moderator removes someone else's comment for good: with a reason, audited,
    its flags resolved, and its author told why (hiding is the reversible choice)."""
    require_moderator(actor)
    reason = clean_reason(reason)
    now = now or timezone.now()
    idea, comment = lock_comment(comment_id)
    if comment.author_id == actor.pk:
        raise InvalidInput(_("This is your own comment: remove it from the idea page."))
    flag_ids = resolve_flags(
        Flag.objects.filter(comment=comment),
        actor=actor,
        now=now,
        resolution=Flag.Resolution.HIDDEN,
    )
    before = {"removed": False, "hidden": comment.is_hidden, "body": comment.body}
    remove_comment(idea, comment, now=now)
    audit_record(
        actor=actor,
        action=Action.COMMENT_REMOVE,
        target=comment,
        now=now,
        before=before,
        after={"removed": True, "resolved_flags": flag_ids},
        reason=reason,
    )
    events.moderation_notice(
        user_id=comment.author_id,
        idea=idea,
        actor=actor,
        message=[
            part(
                gettext_noop("A moderator removed your comment on “%(title)s”: %(reason)s"),
                title=idea.title,
                reason=reason,
            )
        ],  # fmt: skip
        url=f"{idea.get_absolute_url()}#comment-{comment.pk}",
        now=now,
    )
    return comment
