import threading

import pytest
from django.db import connection

from community import roles
from community.core.exceptions import InvalidInput, NotAllowed
from ideas import services
from ideas.exceptions import IdeaClosed, IdeaNotFound
from ideas.models import Follow, Idea
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def counters(idea: Idea) -> tuple[int, int, int]:
    idea.refresh_from_db()
    return idea.promotes, idea.demotes, idea.score


def test_promote_change_and_withdraw_move_the_counters():
    idea = make_idea()
    voter = UserFactory()

    services.vote_cast(voter=voter, idea_id=idea.pk, value=1)
    assert counters(idea) == (2, 0, 2)

    services.vote_cast(voter=voter, idea_id=idea.pk, value=-1)
    assert counters(idea) == (1, 1, 0)

    services.vote_cast(voter=voter, idea_id=idea.pk, value=0)
    assert counters(idea) == (1, 0, 1)


def test_the_same_vote_twice_counts_once():
    idea = make_idea()
    voter = UserFactory()

    first = services.vote_cast(voter=voter, idea_id=idea.pk, value=1)
    second = services.vote_cast(voter=voter, idea_id=idea.pk, value=1)

    assert (first.changed, second.changed) == (True, False)
    assert counters(idea) == (2, 0, 2)


def test_voting_follows_the_idea():
    idea = make_idea()
    voter = UserFactory()

    services.vote_cast(voter=voter, idea_id=idea.pk, value=-1)

    assert Follow.objects.filter(idea=idea, user=voter).exists()


def test_promotes_raise_the_hot_rank():
    idea = make_idea()
    before = idea.hot

    for _ in range(9):
        services.vote_cast(voter=UserFactory(), idea_id=idea.pk, value=1)

    idea.refresh_from_db()
    assert idea.hot == pytest.approx(before + 1)  # ten net votes: one decade


@pytest.mark.parametrize("value", [2, -2, 5, None])
def test_only_plus_one_zero_minus_one_are_votes(value):
    idea = make_idea()

    with pytest.raises(InvalidInput, match="A vote is"):
        services.vote_cast(voter=UserFactory(), idea_id=idea.pk, value=value)
    assert counters(idea) == (1, 0, 1)


@pytest.mark.parametrize("visibility", ["hidden", "withdrawn"])
def test_votes_on_closed_ideas_are_refused(visibility):
    idea = make_idea()
    Idea.objects.filter(pk=idea.pk).update(visibility=visibility)

    with pytest.raises(IdeaClosed, match="no longer available"):
        services.vote_cast(voter=UserFactory(), idea_id=idea.pk, value=1)
    assert counters(idea) == (1, 0, 1)


def test_votes_on_merged_ideas_are_refused():
    idea = make_idea()
    services.idea_merge(
        actor=staff_user(roles.PRODUCT_MANAGER), duplicate_id=idea.pk, into_id=make_idea().pk
    )

    with pytest.raises(IdeaClosed, match="merged"):
        services.vote_cast(voter=UserFactory(), idea_id=idea.pk, value=1)


def test_votes_on_missing_ideas_and_by_unverified_members_are_refused():
    with pytest.raises(IdeaNotFound):
        services.vote_cast(voter=UserFactory(), idea_id=999_999, value=1)
    idea = make_idea()
    with pytest.raises(NotAllowed):
        services.vote_cast(voter=UserFactory(verified=False), idea_id=idea.pk, value=1)
    assert counters(idea) == (1, 0, 1)


@pytest.mark.django_db(transaction=True)
def test_parallel_votes_are_never_lost_or_counted_twice():
    """Many members vote at once, and each sends their vote several times."""
    idea = make_idea()
    voters = [UserFactory() for _ in range(12)]
    plan = [(voter, 1 if n % 3 else -1) for n, voter in enumerate(voters)] * 3
    errors = []
    start = threading.Barrier(len(plan))

    def cast(voter, value):
        try:
            start.wait()
            services.vote_cast(voter=voter, idea_id=idea.pk, value=value)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=args) for args in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    promotes = 1 + sum(1 for n in range(12) if n % 3)
    demotes = sum(1 for n in range(12) if not n % 3)
    assert counters(idea) == (promotes, demotes, promotes - demotes)
    assert services.idea_counters_repair(fix=False) == []
