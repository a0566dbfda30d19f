"""Sessions, rate limits and the cache are shared state: two workers see one of each."""

import json
import re
import time

import pytest
from django.conf import settings

from community.api import services as api_tokens
from ideas.models import Idea, StatusLabel
from tests.factories import CategoryFactory, UserFactory, make_idea

pytestmark = pytest.mark.cluster

PASSWORD = "pass-word-123"


def test_a_session_made_through_worker_a_works_through_worker_b(cluster):
    member = UserFactory()
    on_a = cluster.client("web-a")
    assert on_a.login(member.email, PASSWORD).status == 302
    on_b = on_a.through(cluster.workers["web-b"])

    page = on_b.get("/ideas/new/")

    assert page.status == 200, page.location  # not sent to the login page
    assert page.served_by == ""  # straight to the worker, not through the balancer
    assert member.display_name in page.text


def test_the_hourly_idea_limit_is_not_doubled_by_two_workers(cluster):
    member = UserFactory()  # a new account: the stricter limit
    limit = settings.RATE_LIMITS["idea"][1]
    category = CategoryFactory()
    on_a = cluster.client("web-a")
    assert on_a.login(member.email, PASSWORD).status == 302
    clients = [on_a, on_a.through(cluster.workers["web-b"])]

    statuses = []
    for n in range(limit + 2):
        data = {"title": f"Cluster idea number {n} for the limit", "body": "Because.", "tags": ""}
        response = clients[n % 2].post("/ideas/new/", data | {"category": category.pk})
        statuses.append(response.status)

    assert statuses == [302] * limit + [429, 429]
    assert Idea.objects.filter(author=member).count() == limit


def test_an_api_token_s_read_limit_is_not_doubled_by_two_workers(cluster):
    # The cluster sets API_RATE_LIMIT_READ low, for this process and the workers alike.
    limit, period = settings.API_RATE_LIMITS["read"]
    member = UserFactory()
    secret = api_tokens.token_create(user=member, name="cluster", scope="read").secret
    bearer = {"Authorization": f"Bearer {secret}"}
    clients = [cluster.client("web-a"), cluster.client("web-b")]
    if period - time.time() % period < 10:  # the count starts again with each window
        time.sleep(period - time.time() % period)

    statuses = [clients[n % 2].get("/api/v1/ideas", bearer).status for n in range(limit + 2)]

    assert statuses == [200] * limit + [429, 429]
    refused = clients[0].get("/api/v1/ideas", bearer)
    assert json.loads(refused.text)["error"]["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) >= 1
    other = api_tokens.token_create(user=member, name="another", scope="read").secret
    assert clients[1].get("/api/v1/ideas", {"Authorization": f"Bearer {other}"}).status == 200


def test_failed_logins_are_counted_in_the_shared_cache(cluster):
    """allauth counts failed logins per address in the cache: five, across both workers."""
    member = UserFactory()
    clients = [cluster.client("web-a"), cluster.client("web-b")]

    for n in range(5):
        assert clients[n % 2].login(member.email, "wrong password").status == 200

    refused = clients[1].login(member.email, PASSWORD)  # right password, sixth try

    assert refused.status == 200
    assert "Too many failed login attempts" in refused.text
    assert clients[0].login(UserFactory().email, PASSWORD).status == 302  # others may


def status_shown(client, idea) -> str:
    page = client.get(idea.get_absolute_url())
    assert page.status == 200
    (label,) = re.findall(r'id="idea-status"><span class="badge[^"]*"[^>]*>([^<]*)<', page.text)
    return label


def test_a_renamed_status_shows_at_once_on_both_workers(cluster):
    """The labels are cached in Redis, and a save drops that one copy: no worker keeps its own."""
    idea = make_idea()
    clients = [cluster.client("web-a"), cluster.client("web-b")]
    assert [status_shown(client, idea) for client in clients] == ["New", "New"]  # now cached
    label, _ = StatusLabel.objects.get_or_create(status="new")
    before = label.label
    try:
        label.label = "Just arrived"
        label.save()  # as the product team's edit in the admin does, from any process

        assert [status_shown(client, idea) for client in clients] == ["Just arrived"] * 2
    finally:
        label.label = before
        label.save()
