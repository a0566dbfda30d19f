"""Voting rings: new accounts that vote the same way on the same ideas within minutes.

A coordinated minority (one person's sock puppets, a brigade from elsewhere)
looks like this: accounts younger than NEW_ACCOUNT_DAYS, signed up within
RING_SIGNUP_HOURS of each other, at least RING_MIN_ACCOUNTS of them voting the
same way on one idea within RING_WINDOW_MINUTES. Groups that share accounts are
one ring. Their votes still count on the idea page (nothing is taken from
anyone without a person looking), but `Idea.ring_discount` leaves them out of
triage merit and the "top" sort until a moderator reviews the ring: cleared,
they count again; confirmed, they stay discounted.

Detection runs after each vote by a new account (the `vote_rings_detect_task`
task, queued after commit by `vote_cast`) and from the `detect_vote_rings`
command; it is idempotent, and an account is in one ring at most.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from voting.models import Vote

from community import permissions
from community.audit import Action, audit_record
from community.core.exceptions import InvalidInput, NotAllowed
from ideas.events import idea_changed
from ideas.models import DISCOUNTED_RING_STATES, Idea, VoteRing, VoteRingMember

EVIDENCE_IDEAS = 10


@dataclass(frozen=True)
class _Vote:
    user_id: int
    joined: datetime
    at: datetime


def _idea_votes():
    return Vote.objects.filter(content_type=ContentType.objects.get_for_model(Idea))


def _densest(votes: list[_Vote], *, key, width: timedelta) -> list[_Vote]:
    """The largest run of `votes` whose `key` lies within `width` (votes sorted by key)."""
    best: list[_Vote] = []
    start = 0
    for end in range(len(votes)):
        while key(votes[end]) - key(votes[start]) > width:
            start += 1
        if end - start + 1 > len(best):
            best = votes[start : end + 1]
    return best


def _candidates(*, now: datetime, idea_ids: list[int] | None) -> list[tuple[int, int, list[_Vote]]]:
    """(idea, sign, votes) groups dense enough in vote time and sign-up time."""
    new_days = timedelta(days=settings.NEW_ACCOUNT_DAYS)
    votes = _idea_votes().filter(
        time_stamp__gte=now - new_days,
        time_stamp__lte=now,
        user__date_joined__gte=now - 2 * new_days,
        user__vote_ring_membership__isnull=True,
    )
    if idea_ids is not None:
        votes = votes.filter(object_id__in=[str(pk) for pk in idea_ids])
    groups: dict[tuple[int, int], list[_Vote]] = {}
    for object_id, sign, user_id, joined, at in votes.values_list(
        "object_id", "vote", "user_id", "user__date_joined", "time_stamp"
    ):
        if at - joined < new_days:  # the account was new when it voted
            groups.setdefault((int(object_id), sign), []).append(_Vote(user_id, joined, at))
    found = []
    window = timedelta(minutes=settings.RING_WINDOW_MINUTES)
    signup = timedelta(hours=settings.RING_SIGNUP_HOURS)
    for (idea_id, sign), group in groups.items():
        if len(group) < settings.RING_MIN_ACCOUNTS:
            continue
        burst = _densest(sorted(group, key=lambda v: v.at), key=lambda v: v.at, width=window)
        cohort = _densest(
            sorted(burst, key=lambda v: v.joined), key=lambda v: v.joined, width=signup
        )
        if len(cohort) >= settings.RING_MIN_ACCOUNTS:
            found.append((idea_id, sign, cohort))
    return found


def _evidence(user_ids: set[int], groups: list[tuple[int, int, list[_Vote]]]) -> dict:
    votes = [vote for _idea, _direction, cohort in groups for vote in cohort]
    # What else these accounts voted on together: the "same sequence of ideas".
    shared = (
        _idea_votes()
        .filter(user_id__in=user_ids)
        .values("object_id")
        .annotate(accounts=Count("user_id", distinct=True), net=Sum("vote"))
        .order_by("-accounts", "object_id")[:EVIDENCE_IDEAS]
    )
    titles = dict(
        Idea.objects.filter(pk__in=[int(row["object_id"]) for row in shared]).values_list(
            "pk", "title"
        )
    )
    bursts = {idea_id: sorted(v.at for v in cohort) for idea_id, _direction, cohort in groups}

    def when(idea_id: int, index: int) -> str | None:
        return bursts[idea_id][index].isoformat() if idea_id in bursts else None

    return {
        "accounts": len(user_ids),
        "signed_up_from": min(v.joined for v in votes).isoformat(),
        "signed_up_to": max(v.joined for v in votes).isoformat(),
        "window_minutes": settings.RING_WINDOW_MINUTES,
        "ideas": [
            {
                "id": int(row["object_id"]),
                "title": titles.get(int(row["object_id"]), ""),
                "accounts": row["accounts"],
                "net_votes": row["net"],
                "first_vote": when(int(row["object_id"]), 0),
                "last_vote": when(int(row["object_id"]), -1),
            }
            for row in shared
        ],
    }


@transaction.atomic
def vote_rings_detect(
    *, idea_ids: list[int] | None = None, now: datetime | None = None
) -> list[VoteRing]:
    """Record new suspected rings (on the given ideas, or on all) and discount their votes."""
    now = now or timezone.now()
    groups = _candidates(now=now, idea_ids=idea_ids)
    # Groups sharing an account are one ring (union of overlapping sets).
    rings: list[tuple[set[int], list]] = []
    for group in groups:
        members = {vote.user_id for vote in group[2]}
        overlapping = [ring for ring in rings if ring[0] & members]
        for ring in overlapping:
            rings.remove(ring)
            members |= ring[0]
        rings.append((members, [group, *(g for ring in overlapping for g in ring[1])]))
    created = []
    for members, ring_groups in rings:
        # Another detection in flight may have taken some of these accounts.
        taken = set(
            VoteRingMember.objects.filter(user_id__in=members).values_list("user_id", flat=True)
        )
        members -= taken
        if len(members) < settings.RING_MIN_ACCOUNTS:
            continue
        ring = VoteRing.objects.create(detected_at=now, evidence=_evidence(members, ring_groups))
        VoteRingMember.objects.bulk_create(
            [VoteRingMember(ring=ring, user_id=user_id) for user_id in members],
            ignore_conflicts=True,
        )
        created.append(ring)
    affected = set(idea_ids or [])
    for ring in created:
        affected |= ring_idea_ids(ring)
    ring_discounts_refresh(idea_ids=affected)
    return created


@task()
def vote_rings_detect_task(idea_id: int) -> int:
    """Look for a ring among the new accounts that voted on one idea (idempotent)."""
    return len(vote_rings_detect(idea_ids=[idea_id]))


def ring_idea_ids(ring: VoteRing) -> set[int]:
    return {
        int(object_id)
        for object_id in _idea_votes()
        .filter(user__vote_ring_membership__ring=ring)
        .values_list("object_id", flat=True)
        .distinct()
    }


def ring_discounts_refresh(*, idea_ids) -> None:
    """Set each idea's `ring_discount` to the net votes of accounts in discounted rings."""
    idea_ids = sorted(set(idea_ids))
    if not idea_ids:
        return
    discounts = dict(
        _idea_votes()
        .filter(
            object_id__in=[str(pk) for pk in idea_ids],
            user__vote_ring_membership__ring__state__in=DISCOUNTED_RING_STATES,
        )
        .values("object_id")
        .annotate(net=Sum("vote"))
        .values_list("object_id", "net")
    )
    for pk in idea_ids:
        changed = (
            Idea.objects.filter(pk=pk)
            .exclude(ring_discount=discounts.get(str(pk), 0))
            .update(ring_discount=discounts.get(str(pk), 0))
        )
        if changed:
            idea_changed(pk, listed=False)  # search's "top" sort ranks by the discounted score


REVIEW_DECISIONS = {"clear": VoteRing.State.CLEARED, "confirm": VoteRing.State.CONFIRMED}


@transaction.atomic
def vote_ring_review(
    *, actor, ring_id: int, decision: str, note: str = "", now: datetime | None = None
) -> VoteRing:
    """A moderator's verdict: "clear" (the votes count again) or "confirm" (they stay out).

    The ring row is locked, so two moderators' verdicts apply one after the other.
    """
    if not permissions.can_moderate(actor):
        raise NotAllowed(_("Only community managers can review voting rings."))
    if decision not in REVIEW_DECISIONS:
        raise InvalidInput(_("Choose whether to clear or to confirm the ring."))
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise InvalidInput(_("The note can be at most 300 characters long."))
    now = now or timezone.now()
    ring = VoteRing.objects.select_for_update().filter(pk=ring_id).first()
    if ring is None:
        raise InvalidInput(_("That voting ring does not exist."))
    before = {"state": ring.state}
    ring.state = REVIEW_DECISIONS[decision]
    ring.reviewed_by, ring.reviewed_at, ring.review_note = actor, now, note
    ring.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    audit_record(
        actor=actor,
        action=Action.VOTE_RING_REVIEW,
        target=ring,
        now=now,
        before=before,
        after={"state": ring.state, "accounts": ring.memberships.count()},
        reason=note,
    )
    ring_discounts_refresh(idea_ids=ring_idea_ids(ring))
    return ring
