"""Merging a duplicate idea into the idea it repeats."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from voting.models import Vote

from community import permissions
from community.audit import Action, audit_record
from community.core.exceptions import InvalidInput, NotAllowed
from ideas import events
from ideas.events import idea_changed
from ideas.exceptions import IdeaNotFound
from ideas.models import Follow, Idea, Status, StatusEvent, Visibility
from ideas.ranking import hot_rank
from ideas.services.rules import COMMENT_MAX, clean_body, staff_answered


@dataclass(frozen=True)
class MergeResult:
    duplicate: Idea
    into: Idea
    moved_votes: int
    dropped_votes: int
    moved_followers: int


def _lock_pair(first_id: int, second_id: int) -> dict[int, Idea]:
    """Lock both ideas in id order, so two merges of the same pair cannot deadlock."""
    ideas = Idea.objects.select_for_update().filter(pk__in=[first_id, second_id]).order_by("pk")
    return {idea.pk: idea for idea in ideas}


def _count_votes(idea: Idea, idea_type: ContentType) -> dict[str, int]:
    counts = Vote.objects.filter(content_type=idea_type, object_id=str(idea.pk)).aggregate(
        promotes=Count("id", filter=Q(vote=1)), demotes=Count("id", filter=Q(vote=-1))
    )
    return {**counts, "score": counts["promotes"] - counts["demotes"]}


@transaction.atomic
def idea_merge(
    *, actor, duplicate_id: int, into_id: int, message: str = "", now: datetime | None = None
) -> MergeResult:
    """Mark `duplicate` as a duplicate of `into` and gather its support there.

    Votes move to `into`, and nobody is counted twice: a member who voted on
    both keeps the vote they cast on `into` (their view of the surviving idea)
    and their vote on the duplicate is dropped. Followers move too. The
    duplicate keeps its comments, readable on its own page, which links to
    `into`. Ideas merged earlier into the duplicate are pointed straight at
    `into`, so a chain of merges never forms. Both ideas are locked first.
    """
    if not permissions.can_merge(actor):
        raise NotAllowed(_("Only product managers and community managers can merge ideas."))
    if duplicate_id == into_id:
        raise InvalidInput(_("An idea cannot be merged into itself."))
    now = now or timezone.now()
    locked = _lock_pair(duplicate_id, into_id)
    duplicate, into = locked.get(duplicate_id), locked.get(into_id)
    if duplicate is None or into is None:
        raise IdeaNotFound(_("One of those ideas does not exist."))
    if duplicate.merged_into_id is not None:
        raise InvalidInput(
            f"“{duplicate.title}” was already merged into “{duplicate.merged_into.title}”."
        )
    if into.merged_into_id is not None:
        raise InvalidInput(
            f"“{into.title}” was itself merged into “{into.merged_into.title}”: "
            "merge into that idea instead."
        )
    if duplicate.visibility != Visibility.PUBLISHED or into.visibility != Visibility.PUBLISHED:
        raise InvalidInput(_("Only published ideas can be merged."))
    message = clean_body(
        message
        or _("This idea repeats “%(title)s”, so its votes and followers moved there.")
        % {"title": into.title},
        limit=COMMENT_MAX,
        what="message",
    )

    idea_type = ContentType.objects.get_for_model(Idea)
    duplicate_votes = Vote.objects.filter(content_type=idea_type, object_id=str(duplicate.pk))
    into_voters = Vote.objects.filter(content_type=idea_type, object_id=str(into.pk)).values(
        "user_id"
    )
    voter_ids = set(duplicate_votes.values_list("user_id", flat=True))
    before = {
        "status": duplicate.status,
        "duplicate": _count_votes(duplicate, idea_type),
        "into": _count_votes(into, idea_type),
    }
    dropped_votes, _per_model = duplicate_votes.filter(user_id__in=into_voters).delete()
    moved_votes = duplicate_votes.update(object_id=str(into.pk))

    follower_ids = set(Follow.objects.filter(idea=duplicate).values_list("user_id", flat=True))
    already = set(Follow.objects.filter(idea=into).values_list("user_id", flat=True))
    Follow.objects.bulk_create(
        [Follow(idea=into, user_id=user_id) for user_id in follower_ids - already]
    )
    Follow.objects.filter(idea=duplicate).delete()
    Idea.objects.filter(merged_into=duplicate).update(merged_into=into)

    event = StatusEvent.objects.create(
        idea=duplicate,
        actor=actor,
        from_status=duplicate.status,
        to_status=Status.DUPLICATE,
        message=message,
        created_at=now,
    )
    into_counts = _count_votes(into, idea_type)
    Idea.objects.filter(pk=into.pk).update(
        **into_counts, hot=hot_rank(into_counts["score"], into.created_at), last_activity_at=now
    )
    Idea.objects.filter(pk=duplicate.pk).update(
        status=Status.DUPLICATE,
        merged_into=into,
        promotes=0,
        demotes=0,
        score=0,
        hot=hot_rank(0, duplicate.created_at),
        status_changed_at=now,
        last_activity_at=now,
        **staff_answered(duplicate, now=now),
    )
    audit_record(
        actor=actor,
        action=Action.MERGE,
        target=duplicate,
        now=now,
        before=before,
        after={
            "status": Status.DUPLICATE,
            "merged_into": into.pk,
            "into": into_counts,
            "moved_votes": moved_votes,
            "dropped_votes": dropped_votes,
            "moved_followers": len(follower_ids - already),
        },
        reason=message,
    )
    idea_changed(duplicate.pk)
    idea_changed(into.pk)
    duplicate.refresh_from_db()
    into.refresh_from_db()
    events.idea_merged(
        event, into=into, notify_ids=voter_ids | follower_ids | {duplicate.author_id}
    )
    events.votes_changed(into)
    return MergeResult(
        duplicate=duplicate,
        into=into,
        moved_votes=moved_votes,
        dropped_votes=dropped_votes,
        moved_followers=len(follower_ids - already),
    )
