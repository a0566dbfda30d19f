"""Promotes and demotes: one vote per member per idea."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from voting.models import Vote

from community.abuse import is_new_account
from community.core.exceptions import InvalidInput
from community.permissions import require_participant
from ideas import events
from ideas.events import idea_changed
from ideas.models import Idea, VoteChange
from ideas.ranking import hot_rank
from ideas.services import limits, rings
from ideas.services.rules import (
    VOTE_VALUES,
    follow,
    lock_idea,
    require_audience,
    require_open,
    require_session_votes,
)


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
    Every change is logged (VoteChange), so promoting and withdrawing over and
    over meets the hourly limit too.
    Casting the vote one already has changes nothing (a double submission).
    """
    if value not in VOTE_VALUES:
        raise InvalidInput(_("A vote is +1 (promote), -1 (demote) or 0 (withdraw)."))
    require_participant(voter)
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    require_audience(voter, idea)
    require_open(idea)
    require_session_votes(idea, now)

    vote_filter = {
        "user": voter,
        "content_type": ContentType.objects.get_for_model(Idea),
        "object_id": str(idea.pk),
    }
    existing = Vote.objects.filter(**vote_filter).first()
    previous = existing.vote if existing else 0
    if value == previous:
        return VoteResult(idea=idea, value=value, changed=False)
    if value != 0:  # withdrawing a vote is always allowed (but counts as a change)
        limits.vote_check(voter, idea=idea, now=now)
    VoteChange.objects.create(user=voter, idea=idea, value=value, created_at=now)

    if value == 0:
        existing.delete()
    elif existing:
        existing.vote = value
        existing.save(update_fields=["vote"])
    else:
        Vote.objects.create(**vote_filter, vote=value, time_stamp=now)

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
        follow(voter, idea)
    if is_new_account(voter, now or timezone.now()):
        # A new account's vote may complete a voting ring (ideas.services.rings).
        idea_pk = idea.pk
        transaction.on_commit(lambda: rings.vote_rings_detect_task.enqueue(idea_id=idea_pk))
    idea_changed(idea.pk, listed=False)
    idea.refresh_from_db()
    events.votes_changed(idea)
    return VoteResult(idea=idea, value=value, changed=True)
