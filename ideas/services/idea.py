"""Posting, editing, withdrawing and following ideas, and moving them through the workflow."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import abuse, permissions
from community.audit import Action, audit_record
from community.core.exceptions import InvalidInput, NotAllowed
from community.permissions import require_participant
from ideas import events
from ideas import permissions as idea_permissions
from ideas.events import idea_changed
from ideas.exceptions import IdeaNotFound
from ideas.markdown import render_markdown
from ideas.models import Category, Follow, Idea, IdeaRevision, Status, StatusEvent
from ideas.ranking import hot_rank
from ideas.services import limits
from ideas.services.rules import (
    BODY_MAX,
    COMMENT_MAX,
    RESUBMIT_WINDOW,
    STATUS_TRANSITIONS,
    clean_body,
    clean_tags,
    clean_title,
    follow,
    lock_idea,
    require_session_audience,
    require_session_open,
    staff_answered,
)
from ideas.services.votes import vote_cast


@transaction.atomic
def idea_create(
    *,
    author,
    title: str,
    body: str,
    category: Category,
    tags: list[str] | None = None,
    storm_session=None,
    now: datetime | None = None,
) -> Idea:
    """Publish an idea, into a Storm Session if one is given (it must be open).

    It starts with its author's promote, and they follow it. Sending the same
    idea again (a double click, a retried request) returns the first one: the
    author's row is locked so two copies in flight cannot both be created.
    """
    require_participant(author)
    now = now or timezone.now()
    require_session_audience(author, storm_session)
    require_session_open(storm_session, now)
    title, body = clean_title(title), clean_body(body, limit=BODY_MAX, what="description")
    abuse.member_lock(author)
    resubmitted = Idea.objects.filter(
        author=author, title=title, body=body, created_at__gte=now - RESUBMIT_WINDOW
    ).first()
    if resubmitted is not None:
        return resubmitted
    limits.idea_check(author, body=body, now=now)
    idea = Idea(
        storm_session=storm_session,
        title=title,
        body=body,
        author=author,
        category=category,
        owner_id=category.default_assignee_id,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
    )
    idea.slug = idea.make_slug()
    idea.body_html = render_markdown(idea.body)
    idea.hot = hot_rank(0, now)
    idea.save()
    idea.tags.set(clean_tags(tags or []))
    follow(author, idea)
    vote_cast(voter=author, idea_id=idea.pk, value=1, now=now)
    idea.refresh_from_db()
    events.idea_created(idea)
    return idea


@transaction.atomic
def idea_update(
    *,
    editor,
    idea_id: int,
    title: str,
    body: str,
    category: Category,
    tags: list[str] | None = None,
    now: datetime | None = None,
) -> Idea:
    """Edit an idea within the author's window, keeping the old text as a revision."""
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    if not idea_permissions.can_edit_idea(editor, idea, now):
        raise NotAllowed(
            _(
                "You can edit your idea only for a short while after posting, "
                "and not after staff have answered it."
            )
        )
    title, body = clean_title(title), clean_body(body, limit=BODY_MAX, what="description")
    tags = clean_tags(tags or [])
    if body != idea.body:  # an edit passes the same spam check as a post
        limits.text_check(editor, text=body, idea_id=idea.pk, now=now)
    if (title, body, category.pk) != (idea.title, idea.body, idea.category_id):
        IdeaRevision.objects.create(
            idea=idea, editor=editor, title=idea.title, body=idea.body, created_at=now
        )
    idea.title, idea.body, idea.category = title, body, category
    idea.slug = idea.make_slug()
    idea.body_html = render_markdown(body)
    idea.updated_at = now
    idea.save()
    idea.tags.set(tags)
    idea_changed(idea.pk)
    return idea


@transaction.atomic
def idea_withdraw(*, author, idea_id: int, now: datetime | None = None) -> Idea:
    idea = lock_idea(idea_id)
    if not idea_permissions.can_withdraw_idea(author, idea):
        raise NotAllowed(_("Only the author can withdraw a published idea."))
    idea.visibility = "withdrawn"
    idea.updated_at = now or timezone.now()
    idea.save(update_fields=["visibility", "updated_at"])
    idea_changed(idea.pk)
    events.idea_withdrawn(idea)
    return idea


@transaction.atomic
def idea_status_change(
    *, actor, idea_id: int, to_status: str, message: str, now: datetime | None = None
) -> StatusEvent:
    """Move an idea along the workflow with a required public explanation."""
    if not permissions.can_change_status(actor):
        raise NotAllowed(_("Only staff can change an idea's status."))
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    if to_status not in Status.values:
        raise InvalidInput(_("That is not a status an idea can have."))
    message = (message or "").strip()
    if not message:
        raise InvalidInput(_("Explain the change: the message is shown publicly on the idea."))
    if to_status == idea.status:
        raise InvalidInput(
            _("The idea is already %(status)s.") % {"status": Status(to_status).label.lower()}
        )
    if Status.DUPLICATE in (to_status, idea.status):
        raise InvalidInput(
            _(
                "Duplicates are handled by merging: merge the idea into the one it repeats, "
                "so its votes and followers move there."
            )
        )
    if to_status not in STATUS_TRANSITIONS[idea.status]:
        raise InvalidInput(
            _("An idea cannot go from %(from)s to %(to)s.")
            % {"from": Status(idea.status).label.lower(), "to": Status(to_status).label.lower()}
        )
    event = StatusEvent.objects.create(
        idea=idea,
        actor=actor,
        from_status=idea.status,
        to_status=to_status,
        message=clean_body(message, limit=COMMENT_MAX, what="message"),
        created_at=now,
    )
    # The public explanation is a human answer, so it ends the wait for one.
    Idea.objects.filter(pk=idea.pk).update(
        status=to_status,
        status_changed_at=now,
        last_activity_at=now,
        **staff_answered(idea, now=now),
    )
    audit_record(
        actor=actor,
        action=Action.STATUS_CHANGE,
        target=idea,
        now=now,
        before={"status": event.from_status},
        after={"status": to_status},
        reason=event.message,
    )
    idea_changed(idea.pk)
    events.status_changed(event)
    return event


@transaction.atomic
def follow_set(*, user, idea_id: int, following: bool) -> bool:
    if not permissions.is_member(user):
        raise NotAllowed(_("Please sign in first."))
    idea = Idea.objects.filter(pk=idea_id).first()
    if idea is None or not idea_permissions.can_view_idea(user, idea):
        raise IdeaNotFound()
    if following:
        follow(user, idea)
    else:
        Follow.objects.filter(idea=idea, user=user).delete()
    return following
