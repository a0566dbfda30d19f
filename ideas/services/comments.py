"""Comments, replies and official responses."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions
from community.audit import Action, audit_record
from community.core.exceptions import InvalidInput, NotAllowed
from community.permissions import require_participant
from ideas import events
from ideas import permissions as idea_permissions
from ideas.events import idea_changed
from ideas.exceptions import IdeaClosed, NearCopyWarning
from ideas.markdown import render_markdown
from ideas.models import Comment, CommentRevision, Idea
from ideas.services import limits
from ideas.services.rules import (
    COMMENT_MAX,
    RESUBMIT_WINDOW,
    clean_body,
    comment_count_change,
    follow,
    lock_comment,
    lock_idea,
    require_audience,
    require_open,
    staff_answered,
)
from ideas.similarity import near_copy_find


@transaction.atomic
def comment_create(
    *,
    author,
    idea_id: int,
    body: str,
    parent_id: int | None = None,
    official: bool = False,
    near_copy_acknowledged: bool = False,
    now: datetime | None = None,
) -> Comment:
    """Comment on an idea, reply to a comment, or (staff) post an official response.

    Replies are one level deep: a reply to a reply joins its top-level thread.
    An official response that resembles an earlier one raises NearCopyWarning
    unless the writer has seen the warning and chosen to post; that choice is
    kept on the response.
    """
    require_participant(author)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    require_audience(author, idea)
    require_open(idea)
    if official and not permissions.can_respond_officially(author):
        raise NotAllowed(_("Only staff can post an official response."))
    if idea.is_locked and not official:
        raise IdeaClosed(
            _(
                "A moderator locked this discussion, so it takes no new comments. "
                "You can still vote on the idea."
            )
        )

    parent = None
    if parent_id is not None:
        if official:
            raise InvalidInput(_("An official response starts its own thread."))
        parent = Comment.objects.filter(pk=parent_id, idea=idea).first()
        if parent is None or parent.is_removed or parent.is_hidden:
            raise InvalidInput(_("The comment you replied to no longer exists."))
        parent = parent.parent or parent

    body = clean_body(body, limit=COMMENT_MAX, what="comment")
    # The idea is locked, so a double submission waits here and finds the first.
    resubmitted = Comment.objects.filter(
        idea=idea, author=author, parent=parent, body=body, is_official=official,
        deleted_at__isnull=True, created_at__gte=now - RESUBMIT_WINDOW,
    ).first()  # fmt: skip
    if resubmitted is not None:
        return resubmitted
    limits.comment_check(author, idea_id=idea.pk, body=body, now=now)
    near_copy = near_copy_find(writer=author, draft=body, now=now) if official else None
    if near_copy is not None and not near_copy_acknowledged:
        raise NearCopyWarning(near_copy)
    comment = Comment.objects.create(
        idea=idea,
        author=author,
        parent=parent,
        body=body,
        body_html=render_markdown(body),
        is_official=official,
        author_role=author.role if official else "",
        created_at=now,
        near_copy_of=near_copy.response if near_copy else None,
        near_copy_similarity=near_copy.similarity if near_copy else None,
    )
    if official:
        audit_record(
            actor=author,
            action=Action.OFFICIAL_RESPONSE,
            target=idea,
            now=now,
            after={
                "comment": comment.pk,
                "near_copy_of": comment.near_copy_of_id,
                "near_copy_similarity": comment.near_copy_similarity,
            },
        )
    answered = staff_answered(idea, now=now) if official else {}
    Idea.objects.filter(pk=idea.pk).update(
        **comment_count_change(+1), last_activity_at=now, **answered
    )
    follow(author, idea)
    idea_changed(idea.pk, listed=False)
    events.comment_posted(comment, comment_count=idea.comment_count + 1)
    return comment


@transaction.atomic
def comment_update(*, editor, comment_id: int, body: str, now: datetime | None = None) -> Comment:
    now = now or timezone.now()
    idea, comment = lock_comment(comment_id)
    if not idea_permissions.can_edit_comment(editor, comment, now):
        raise NotAllowed(_("You can edit your comment only for a short while after posting."))
    body = clean_body(body, limit=COMMENT_MAX, what="comment")
    if body != comment.body:
        # An edit passes the same spam check as a post (a link-free comment edited into spam).
        limits.text_check(editor, text=body, idea_id=idea.pk, now=now)
        CommentRevision.objects.create(
            comment=comment, editor=editor, body=comment.body, created_at=now
        )
    comment.body = body
    comment.body_html = render_markdown(comment.body)
    comment.edited_at = now
    comment.save(update_fields=["body", "body_html", "edited_at"])
    if comment.is_official:
        idea_changed(comment.idea_id, listed=False)  # the document carries the latest response
    else:
        events.idea_pages_changed([comment.idea_id])
    events.comment_edited(comment)
    return comment


@transaction.atomic
def comment_delete(*, actor, comment_id: int, now: datetime | None = None) -> Comment:
    """An author removes their own comment. Moderators remove others' comments
    through `community.moderation.services.comment_remove`, with a reason."""
    idea, comment = lock_comment(comment_id)
    if not idea_permissions.can_delete_comment(actor, comment):
        raise NotAllowed(
            _("You can only remove your own comments.")
            if not permissions.can_moderate(actor)
            else _("Remove someone else's comment from its Remove link, giving a reason.")
        )
    return remove_comment(idea, comment, now=now or timezone.now())


def remove_comment(idea: Idea, comment: Comment, *, now: datetime) -> Comment:
    """Soft-delete a locked comment: the thread keeps a "comment removed" placeholder.

    The caller holds the locks (`lock_comment`) and has checked who may remove it.
    """
    comment.deleted_at = now
    comment.save(update_fields=["deleted_at"])
    # A hidden comment already left the count when it was hidden.
    counted = 0 if comment.is_hidden else 1
    Idea.objects.filter(pk=idea.pk).update(**comment_count_change(-counted))
    idea_changed(idea.pk, listed=False)
    events.comment_removed(comment, comment_count=idea.comment_count - counted)
    return comment
