"""A vote storm through HTTP on PostgreSQL: 500 requests from 100 members on 10 ideas.

Promotes, demotes and withdrawals (flips included) arrive concurrently at the
live ASGI server. None may fail with a server error, and afterwards every
idea's counters equal its vote rows, each member has at most one vote per
idea, and that vote is the last one the member sent.
"""

import random
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from voting.models import Vote

from ideas.models import Idea
from ideas.services.counters import idea_counters_repair
from tests.factories import UserFactory, make_idea

MEMBERS, IDEAS, REQUESTS, THREADS = 100, 10, 500, 16
CSRF = "s" * 32  # an unmasked secret: Django accepts it as cookie and header alike
# Each member may cast far more than this storm's share; the storm tests the
# counting, not the abuse limits (tests/ideas test those).
LIMITS = {**settings.RATE_LIMITS, "vote": (10_000, 10_000)}


@pytest.mark.django_db(transaction=True)
@override_settings(RATE_LIMITS=LIMITS)
def test_vote_storm_counts_every_vote_once(live_server_url):
    ideas = [make_idea(title=f"Storm idea number {n} worth a vote") for n in range(IDEAS)]
    members = UserFactory.create_batch(MEMBERS)
    sessions = {}
    for member in members:
        client = Client()
        client.force_login(member)
        sessions[member.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    rng = random.Random(13)
    # Five requests per member, sent in order (a person clicking), members in parallel.
    plans = {
        member.pk: [(rng.choice(ideas).pk, rng.choice([1, -1, 0])) for _ in range(5)]
        for member in members
    }
    assert sum(map(len, plans.values())) == REQUESTS
    statuses: Counter = Counter()

    def storm(member_pk: int, http: httpx.Client) -> None:
        cookie = f"{settings.SESSION_COOKIE_NAME}={sessions[member_pk]}; csrftoken={CSRF}"
        for idea_pk, value in plans[member_pk]:
            response = http.post(
                f"{live_server_url}/ideas/{idea_pk}/vote/",
                data={"value": str(value)},
                headers={"Cookie": cookie, "X-CSRFToken": CSRF},
            )
            statuses[response.status_code] += 1

    started = time.monotonic()
    with (
        httpx.Client(timeout=60, follow_redirects=False) as http,
        ThreadPoolExecutor(max_workers=THREADS) as pool,
    ):
        for future in [pool.submit(storm, pk, http) for pk in plans]:
            future.result()
    seconds = time.monotonic() - started
    print(
        f"\nvote storm: {REQUESTS} requests, {MEMBERS} members, {IDEAS} ideas, "
        f"{THREADS} threads in {seconds:.1f} s; answers {dict(sorted(statuses.items()))}"
    )

    assert sum(statuses.values()) == REQUESTS
    assert not [code for code in statuses if code >= 500], statuses
    assert set(statuses) <= {302, 429}, statuses
    assert statuses[302] > REQUESTS * 0.9, "the storm was mostly refused: raise the limits"
    assert idea_counters_repair(fix=False) == []

    # Each member's last choice per idea is the one vote row there, exactly once.
    expected = {}
    for member_pk, plan in plans.items():
        for idea_pk, value in plan:
            expected[(member_pk, idea_pk)] = value
    idea_type = ContentType.objects.get_for_model(Idea)
    rows = Counter(
        (user_id, int(object_id))
        for user_id, object_id in Vote.objects.filter(content_type=idea_type)
        .exclude(user_id__in=[idea.author_id for idea in ideas])
        .values_list("user_id", "object_id")
    )
    assert max(rows.values()) == 1, "a member's vote was counted twice"
    if statuses[429] == 0:
        actual = {
            (vote.user_id, int(vote.object_id)): vote.vote
            for vote in Vote.objects.filter(content_type=idea_type, user_id__in=sessions)
        }
        assert actual == {key: value for key, value in expected.items() if value != 0}
    for idea in Idea.objects.filter(pk__in=[idea.pk for idea in ideas]):
        assert idea.score == idea.promotes - idea.demotes
