"""Writes to the ideas domain. Each runs in one transaction and checks its rules.

Counters move with F() in the same transaction as the rows they count. Where a
rule must hold at write time, the idea row is locked with select_for_update()
first, which also serialises concurrent votes and comments on one idea.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from voting.models import Vote

from ideas import events, permissions
from ideas.exceptions import IdeaClosed, IdeaNotFound, InvalidInput, NotAllowed
from ideas.markdown import render_markdown
from ideas.models import Category, Comment, Follow, Idea, IdeaRevision, Status, StatusEvent
from ideas.ranking import hot_rank
from search.api import idea_changed

TITLE_MIN, TITLE_MAX = 10, 140
BODY_MAX = 10_000
COMMENT_MAX = 5_000
TAGS_MAX = 5
VOTE_VALUES = (1, 0, -1)

# Where an idea may go from each status. Staff may also reopen a decision.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {
        Status.UNDER_REVIEW, Status.PLANNED, Status.NOT_PLANNED, Status.DUPLICATE, Status.ARCHIVED,
    },
    Status.UNDER_REVIEW: {
        Status.PLANNED, Status.NOT_PLANNED, Status.DUPLICATE, Status.ARCHIVED, Status.NEW,
    },
    Status.PLANNED: {Status.IN_PROGRESS, Status.UNDER_REVIEW, Status.NOT_PLANNED, Status.ARCHIVED},
    Status.IN_PROGRESS: {
        Status.SHIPPED, Status.PARTIALLY_SHIPPED, Status.PLANNED, Status.NOT_PLANNED,
    },
    Status.PARTIALLY_SHIPPED: {Status.IN_PROGRESS, Status.SHIPPED, Status.ARCHIVED},
    Status.SHIPPED: {Status.ARCHIVED, Status.IN_PROGRESS},
    Status.NOT_PLANNED: {Status.UNDER_REVIEW, Status.ARCHIVED},
    Status.DUPLICATE: {Status.UNDER_REVIEW},
    Status.ARCHIVED: {Status.UNDER_REVIEW},
}  # fmt: skip


def _require_participant(user) -> None:
    if not permissions.is_member(user):
        raise NotAllowed("Please sign in first.")
    if not user.has_verified_email:
        raise NotAllowed("Please confirm your email address first; we sent you a link.")


RESUBMIT_WINDOW = timedelta(minutes=10)


def _lock_member(user) -> None:
    """Serialise one member's posts, so a second copy in flight sees the first."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))


def _lock_idea(idea_id: int) -> Idea:
    idea = Idea.objects.select_for_update().filter(pk=idea_id).first()
    if idea is None:
        raise IdeaNotFound()
    return idea


def _require_open(idea: Idea) -> None:
    if idea.visibility != "published":
        raise IdeaClosed("This idea is no longer available, so it cannot take part.")
    if idea.status == Status.DUPLICATE:
        raise IdeaClosed("This idea was merged into another one; please take part there.")


def _require_session_votes(idea: Idea, now: datetime) -> None:
    if idea.storm_session_id is None:
        return
    if not idea.storm_session.takes_votes(now):
        raise IdeaClosed(
            f"Voting in the Storm Session “{idea.storm_session.title}” ended with the session."
        )


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise InvalidInput(f"The title must be {TITLE_MIN} to {TITLE_MAX} characters long.")
    return title


def _clean_body(body: str, *, limit: int, what: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidInput(f"The {what} cannot be empty.")
    if len(body) > limit:
        raise InvalidInput(f"The {what} can be at most {limit:,} characters long.")
    return body


def _clean_tags(tags: list[str]) -> list[str]:
    cleaned = sorted({t.strip().lower() for t in tags if t.strip()})
    if len(cleaned) > TAGS_MAX:
        raise InvalidInput(f"Use at most {TAGS_MAX} tags.")
    if any(len(t) > 30 for t in cleaned):
        raise InvalidInput("Each tag can be at most 30 characters long.")
    return cleaned


def _follow(user, idea: Idea) -> None:
    Follow.objects.get_or_create(idea=idea, user=user)


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
    _require_participant(author)
    now = now or timezone.now()
    if storm_session is not None and not storm_session.is_open(now):
        raise InvalidInput(
            f"The Storm Session “{storm_session.title}” is not open for ideas right now."
        )
    title, body = _clean_title(title), _clean_body(body, limit=BODY_MAX, what="description")
    _lock_member(author)
    resubmitted = Idea.objects.filter(
        author=author, title=title, body=body, created_at__gte=now - RESUBMIT_WINDOW
    ).first()
    if resubmitted is not None:
        return resubmitted
    idea = Idea(
        storm_session=storm_session,
        title=title,
        body=body,
        author=author,
        category=category,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
    )
    idea.slug = idea.make_slug()
    idea.body_html = render_markdown(idea.body)
    idea.hot = hot_rank(0, now)
    idea.save()
    idea.tags.set(_clean_tags(tags or []))
    _follow(author, idea)
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
    idea = _lock_idea(idea_id)
    if not permissions.can_edit_idea(editor, idea, now):
        raise NotAllowed(
            "You can edit your idea only for a short while after posting, "
            "and not after staff have answered it."
        )
    title, body = _clean_title(title), _clean_body(body, limit=BODY_MAX, what="description")
    tags = _clean_tags(tags or [])
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
    idea = _lock_idea(idea_id)
    if not permissions.can_withdraw_idea(author, idea):
        raise NotAllowed("Only the author can withdraw a published idea.")
    idea.visibility = "withdrawn"
    idea.updated_at = now or timezone.now()
    idea.save(update_fields=["visibility", "updated_at"])
    idea_changed(idea.pk)
    events.idea_withdrawn(idea)
    return idea


@dataclass(frozen=True)
class VoteResult:
    idea: Idea
    value: int
    changed: bool


@transaction.atomic
def vote_cast(*, voter, idea_id: int, value: int, now: datetime | None = None) -> VoteResult:
    """Promote (+1), demote (−1) or withdraw (0) the voter's one vote on an idea.

    The idea row is locked first, so concurrent votes on one idea run one after
    another and each sees the others' rows: nothing is lost or counted twice.
    Casting the vote one already has changes nothing (a double submission).
    """
    if value not in VOTE_VALUES:
        raise InvalidInput("A vote is +1 (promote), -1 (demote) or 0 (withdraw).")
    _require_participant(voter)
    idea = _lock_idea(idea_id)
    _require_open(idea)
    _require_session_votes(idea, now or timezone.now())

    vote_filter = {
        "user": voter,
        "content_type": ContentType.objects.get_for_model(Idea),
        "object_id": str(idea.pk),
    }
    existing = Vote.objects.filter(**vote_filter).first()
    previous = existing.vote if existing else 0
    if value == previous:
        return VoteResult(idea=idea, value=value, changed=False)

    if value == 0:
        existing.delete()
    elif existing:
        existing.vote = value
        existing.save(update_fields=["vote"])
    else:
        Vote.objects.create(**vote_filter, vote=value, time_stamp=now or timezone.now())

    promotes_delta = (value == 1) - (previous == 1)
    demotes_delta = (value == -1) - (previous == -1)
    new_score = idea.score + value - previous
    Idea.objects.filter(pk=idea.pk).update(
        promotes=F("promotes") + promotes_delta,
        demotes=F("demotes") + demotes_delta,
        score=F("score") + (value - previous),
        hot=hot_rank(new_score, idea.created_at),
    )
    if value != 0:
        _follow(voter, idea)
    idea_changed(idea.pk)
    idea.refresh_from_db()
    events.votes_changed(idea)
    return VoteResult(idea=idea, value=value, changed=True)


@transaction.atomic
def comment_create(
    *,
    author,
    idea_id: int,
    body: str,
    parent_id: int | None = None,
    official: bool = False,
    now: datetime | None = None,
) -> Comment:
    """Comment on an idea, reply to a comment, or (staff) post an official response.

    Replies are one level deep: a reply to a reply joins its top-level thread.
    """
    _require_participant(author)
    now = now or timezone.now()
    idea = _lock_idea(idea_id)
    _require_open(idea)
    if official and not permissions.can_respond_officially(author):
        raise NotAllowed("Only staff can post an official response.")

    parent = None
    if parent_id is not None:
        if official:
            raise InvalidInput("An official response starts its own thread.")
        parent = Comment.objects.filter(pk=parent_id, idea=idea).first()
        if parent is None or parent.is_removed:
            raise InvalidInput("The comment you replied to no longer exists.")
        parent = parent.parent or parent

    body = _clean_body(body, limit=COMMENT_MAX, what="comment")
    # The idea is locked, so a double submission waits here and finds the first.
    resubmitted = Comment.objects.filter(
        idea=idea, author=author, parent=parent, body=body, is_official=official,
        deleted_at__isnull=True, created_at__gte=now - RESUBMIT_WINDOW,
    ).first()  # fmt: skip
    if resubmitted is not None:
        return resubmitted
    comment = Comment.objects.create(
        idea=idea,
        author=author,
        parent=parent,
        body=body,
        body_html=render_markdown(body),
        is_official=official,
        author_role=author.role if official else "",
        created_at=now,
    )
    changes = {"comment_count": F("comment_count") + 1, "last_activity_at": now}
    if official and idea.first_staff_response_at is None:
        changes["first_staff_response_at"] = now
    Idea.objects.filter(pk=idea.pk).update(**changes)
    _follow(author, idea)
    idea_changed(idea.pk)
    events.comment_posted(comment, comment_count=idea.comment_count + 1)
    return comment


def _lock_comment(comment_id: int) -> Comment:
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None or comment.is_removed:
        raise InvalidInput("That comment does not exist or was removed.")
    return comment


@transaction.atomic
def comment_update(*, editor, comment_id: int, body: str, now: datetime | None = None) -> Comment:
    now = now or timezone.now()
    comment = _lock_comment(comment_id)
    if not permissions.can_edit_comment(editor, comment, now):
        raise NotAllowed("You can edit your comment only for a short while after posting.")
    comment.body = _clean_body(body, limit=COMMENT_MAX, what="comment")
    comment.body_html = render_markdown(comment.body)
    comment.edited_at = now
    comment.save(update_fields=["body", "body_html", "edited_at"])
    if comment.is_official:
        idea_changed(comment.idea_id)  # the document carries the latest response
    events.comment_edited(comment)
    return comment


@transaction.atomic
def comment_delete(*, actor, comment_id: int, now: datetime | None = None) -> Comment:
    """Soft-delete: the thread keeps a "comment removed" placeholder."""
    comment = _lock_comment(comment_id)
    if not permissions.can_delete_comment(actor, comment):
        raise NotAllowed("You can only remove your own comments.")
    idea = _lock_idea(comment.idea_id)
    comment.deleted_at = now or timezone.now()
    comment.save(update_fields=["deleted_at"])
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") - 1)
    idea_changed(idea.pk)
    events.comment_removed(comment, comment_count=idea.comment_count - 1)
    return comment


@transaction.atomic
def idea_status_change(
    *, actor, idea_id: int, to_status: str, message: str, now: datetime | None = None
) -> StatusEvent:
    """Move an idea along the workflow with a required public explanation."""
    if not permissions.can_change_status(actor):
        raise NotAllowed("Only staff can change an idea's status.")
    now = now or timezone.now()
    idea = _lock_idea(idea_id)
    if to_status not in Status.values:
        raise InvalidInput("That is not a status an idea can have.")
    message = (message or "").strip()
    if not message:
        raise InvalidInput("Explain the change: the message is shown publicly on the idea.")
    if to_status == idea.status:
        raise InvalidInput(f"The idea is already {Status(to_status).label.lower()}.")
    if to_status not in STATUS_TRANSITIONS[idea.status]:
        raise InvalidInput(
            f"An idea cannot go from {Status(idea.status).label.lower()} "
            f"to {Status(to_status).label.lower()}."
        )
    event = StatusEvent.objects.create(
        idea=idea,
        actor=actor,
        from_status=idea.status,
        to_status=to_status,
        message=_clean_body(message, limit=COMMENT_MAX, what="message"),
        created_at=now,
    )
    Idea.objects.filter(pk=idea.pk).update(
        status=to_status, status_changed_at=now, last_activity_at=now
    )
    idea_changed(idea.pk)
    events.status_changed(event)
    return event


@transaction.atomic
def follow_set(*, user, idea_id: int, following: bool) -> bool:
    if not permissions.is_member(user):
        raise NotAllowed("Please sign in first.")
    idea = Idea.objects.filter(pk=idea_id).first()
    if idea is None or not permissions.can_view_idea(user, idea):
        raise IdeaNotFound()
    if following:
        _follow(user, idea)
    else:
        Follow.objects.filter(idea=idea, user=user).delete()
    return following


@dataclass(frozen=True)
class CounterDrift:
    idea_id: int
    stored: dict[str, int]
    actual: dict[str, int]


def idea_counters_repair(*, fix: bool, batch_size: int = 2000) -> list[CounterDrift]:
    """Compare each idea's counters with its vote and comment rows; optionally repair.

    Each batch is checked and fixed under a lock of its ideas, so a vote cast
    meanwhile is neither lost nor overwritten with a stale count.
    """
    from django.db.models import Count, Q

    idea_type = ContentType.objects.get_for_model(Idea)
    drifts: list[CounterDrift] = []
    last_id = 0
    while True:
        with transaction.atomic():
            ideas = list(
                Idea.objects.select_for_update()
                .filter(pk__gt=last_id)
                .order_by("pk")
                .only("pk", "promotes", "demotes", "score", "comment_count", "created_at")[
                    :batch_size
                ]
            )
            if not ideas:
                return drifts
            last_id = ideas[-1].pk
            ids = [str(idea.pk) for idea in ideas]
            votes = {
                row["object_id"]: row
                for row in Vote.objects.filter(content_type=idea_type, object_id__in=ids)
                .values("object_id")
                .annotate(
                    promotes=Count("id", filter=Q(vote=1)), demotes=Count("id", filter=Q(vote=-1))
                )
            }
            comments = dict(
                Comment.objects.filter(idea_id__in=[i.pk for i in ideas], deleted_at__isnull=True)
                .values("idea_id")
                .annotate(n=Count("id"))
                .values_list("idea_id", "n")
            )
            for idea in ideas:
                row = votes.get(str(idea.pk), {"promotes": 0, "demotes": 0})
                actual = {
                    "promotes": row["promotes"],
                    "demotes": row["demotes"],
                    "score": row["promotes"] - row["demotes"],
                    "comment_count": comments.get(idea.pk, 0),
                }
                stored = {name: getattr(idea, name) for name in actual}
                if stored == actual:
                    continue
                drifts.append(CounterDrift(idea_id=idea.pk, stored=stored, actual=actual))
                if fix:
                    Idea.objects.filter(pk=idea.pk).update(
                        **actual, hot=hot_rank(actual["score"], idea.created_at)
                    )
