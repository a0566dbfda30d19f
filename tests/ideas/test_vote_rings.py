"""Merit over noise: a brigade of fresh accounts does not outrank real support."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import roles
from community.models import AuditEntry
from ideas import selectors, services
from ideas.models import Idea, VoteRing
from ideas.services.rings import vote_ring_review, vote_rings_detect
from ideas.triage import selectors as triage
from search.models import PendingIndexUpdate
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    """Ring checks run in-process right after each vote commits, as `make run` runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def established(n, *, days=60):
    members = [UserFactory() for _ in range(n)]
    ids = [member.pk for member in members]
    UserFactory._meta.model.objects.filter(pk__in=ids).update(
        date_joined=timezone.now() - timedelta(days=days)
    )
    return list(UserFactory._meta.model.objects.filter(pk__in=ids))


def vote_all(members, idea, *, start, step=timedelta(seconds=20), value=1):
    for i, member in enumerate(members):
        services.vote_cast(voter=member, idea_id=idea.pk, value=value, now=start + i * step)


@pytest.fixture
def two_ideas():
    now = timezone.now()
    author = established(1)[0]
    posted = now - timedelta(hours=2)
    brigaded = make_idea(author=author, title="Make the logo bigger everywhere", now=posted)
    genuine = make_idea(author=author, title="Keep the battery healthy overnight", now=posted)
    return brigaded, genuine


def test_a_brigade_of_fifty_fresh_accounts_does_not_beat_thirty_real_supporters(
    client, two_ideas, django_capture_on_commit_callbacks
):
    brigaded, genuine = two_ideas
    now = timezone.now()
    supporters = established(30)
    for i, member in enumerate(supporters):  # over the past days, independently
        services.vote_cast(
            voter=member, idea_id=genuine.pk, value=1, now=now - timedelta(hours=60 - 2 * i)
        )
    brigade = [UserFactory() for _ in range(50)]  # signed up just now

    with django_capture_on_commit_callbacks(execute=True):
        vote_all(brigade, brigaded, start=now - timedelta(minutes=20))

    brigaded.refresh_from_db()
    genuine.refresh_from_db()
    assert brigaded.score == 51 and genuine.score == 31  # the idea page counts every vote
    assert brigaded.ring_discount == 50
    inbox = list(triage.inbox(now=timezone.now()))
    assert inbox.index(genuine) < inbox.index(brigaded)
    top = list(selectors.idea_list(viewer=supporters[0], sort="top", now=timezone.now()))
    assert top.index(genuine) < top.index(brigaded)

    ring = VoteRing.objects.get()
    assert ring.state == VoteRing.State.SUSPECTED and ring.memberships.count() == 50
    assert ring.evidence["ideas"][0]["id"] == brigaded.pk

    moderator = staff_user(roles.COMMUNITY_MANAGER)
    client.force_login(moderator)
    queue = client.get(reverse("staff:moderation")).content.decode()
    assert f"Ring #{ring.pk}: 50 new accounts" in queue
    assert "Make the logo bigger everywhere" in queue

    concentration = triage.support_concentration(brigaded, now=timezone.now())
    assert (concentration.supporters, concentration.new_accounts) == (51, 50)
    assert concentration.in_rings == 50


def test_clearing_a_ring_lets_its_votes_count_and_is_audited(two_ideas):
    brigaded, _ = two_ideas
    vote_all(
        [UserFactory() for _ in range(6)], brigaded, start=timezone.now() - timedelta(minutes=5)
    )
    (ring,) = vote_rings_detect()
    assert Idea.objects.get(pk=brigaded.pk).ring_discount == 6
    moderator = staff_user(roles.COMMUNITY_MANAGER)
    PendingIndexUpdate.objects.all().delete()

    vote_ring_review(actor=moderator, ring_id=ring.pk, decision="clear", note="A launch event.")

    assert Idea.objects.get(pk=brigaded.pk).ring_discount == 0
    # Search ranks by merit too, so its document is queued for rewriting.
    assert PendingIndexUpdate.objects.filter(idea_id=brigaded.pk).exists()
    assert AuditEntry.objects.filter(action="vote_ring_review").count() == 1
    assert vote_rings_detect() == []  # reviewed accounts are not flagged again


def test_customers_cannot_review_rings(client, two_ideas):
    brigaded, _ = two_ideas
    vote_all(
        [UserFactory() for _ in range(6)], brigaded, start=timezone.now() - timedelta(minutes=5)
    )
    (ring,) = vote_rings_detect()
    client.force_login(UserFactory())
    url = reverse("staff:moderation_ring_review", args=[ring.pk])
    assert client.post(url, {"decision": "clear"}).status_code == 403
    client.force_login(staff_user(roles.COMMUNITY_MANAGER))
    assert client.post(url, {"decision": "maybe"}).status_code == 400
    assert VoteRing.objects.get().state == VoteRing.State.SUSPECTED


def test_established_accounts_voting_together_are_no_ring(two_ideas):
    brigaded, _ = two_ideas
    vote_all(established(30), brigaded, start=timezone.now() - timedelta(minutes=10))
    assert vote_rings_detect() == []


def test_new_accounts_voting_days_apart_are_no_ring(two_ideas):
    brigaded, _ = two_ideas
    now = timezone.now()
    members = [UserFactory() for _ in range(10)]
    for i, member in enumerate(members):
        at = now - timedelta(hours=12 * i)
        UserFactory._meta.model.objects.filter(pk=member.pk).update(
            date_joined=at - timedelta(hours=1)
        )
        member.refresh_from_db()
        services.vote_cast(voter=member, idea_id=brigaded.pk, value=1, now=at)
    assert vote_rings_detect() == []


def test_too_few_accounts_are_no_ring(two_ideas, settings):
    settings.RING_MIN_ACCOUNTS = 5
    brigaded, _ = two_ideas
    vote_all(
        [UserFactory() for _ in range(4)], brigaded, start=timezone.now() - timedelta(minutes=5)
    )
    assert vote_rings_detect() == []
    assert Idea.objects.get(pk=brigaded.pk).ring_discount == 0
