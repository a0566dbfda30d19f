"""Webhooks against a real receiving HTTP server on 127.0.0.1 and real PostgreSQL.

Signatures are checked with the `standardwebhooks` package, as a receiver would.
"""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from community import roles
from community.moderation import services as moderation
from community.webhooks import services, tasks
from community.webhooks.delivery import _post, retry_delay
from community.webhooks.models import (
    DeliveryState,
    Format,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from community.webhooks.ssrf import UnsafeUrl, url_check
from ideas import services as idea_services
from ideas.models import Status
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def endpoint_for(url, events, **kwargs):
    endpoint = WebhookEndpoint(name="Tracker", url=url, events=events, **kwargs)
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def test_a_new_idea_is_delivered_signed_with_the_api_schema(
    receiver, django_capture_on_commit_callbacks
):
    hook = receiver()
    endpoint = endpoint_for(hook.url, ["idea.created"])
    assert endpoint.secret.startswith("whsec_")
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea(title="Dark mode for the dashboard")
    assert len(hook.requests) == 1
    request = hook.requests[0]
    payload = Webhook(endpoint.secret).verify(request["body"], request["headers"])
    assert payload["type"] == "idea.created"
    assert payload["data"]["idea"]["id"] == idea.pk
    assert payload["data"]["idea"]["title"] == "Dark mode for the dashboard"
    assert payload["data"]["idea"]["owner"] is None  # what everyone sees, not staff fields
    delivery = WebhookDelivery.objects.get()
    assert request["headers"]["webhook-id"] == delivery.message_id
    assert delivery.state == DeliveryState.SUCCEEDED
    attempt = delivery.log.get()
    assert attempt.status_code == 200
    assert attempt.response_body == "ok"
    assert attempt.response_ms is not None
    # A wrong secret does not verify.
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 43 + "=").verify(request["body"], request["headers"])


def test_only_the_events_an_endpoint_wants(receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint_for(hook.url, ["idea.shipped"])
    staff = staff_user(roles.PRODUCT_MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea()
        idea_services.idea_status_change(
            actor=staff, idea_id=idea.pk, to_status=Status.PLANNED, message="On the plan."
        )
        idea_services.idea_status_change(
            actor=staff, idea_id=idea.pk, to_status=Status.IN_PROGRESS, message="Building it."
        )
        idea_services.idea_status_change(
            actor=staff, idea_id=idea.pk, to_status=Status.SHIPPED, message="It is out."
        )
    assert [json.loads(r["body"])["type"] for r in hook.requests] == ["idea.shipped"]
    data = json.loads(hook.requests[0]["body"])["data"]
    assert data["status_event"]["to_status"] == "shipped"
    assert data["status_event"]["message"] == "It is out."


def test_a_500_is_retried_with_backoff_until_a_200(receiver, django_capture_on_commit_callbacks):
    hook = receiver([500, 200])
    endpoint = endpoint_for(hook.url, ["comment.posted"])
    idea = make_idea()
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.comment_create(author=UserFactory(), idea_id=idea.pk, body="Yes please.")
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.PENDING
    assert delivery.attempts == 1
    first = delivery.log.get()
    assert first.status_code == 500
    assert len(first.response_body) == 1024  # the first 1 KB is kept
    wait = delivery.next_attempt_at - first.attempted_at
    assert timedelta(seconds=4) < wait <= timedelta(seconds=6)
    # Not due yet: nothing is sent.
    assert tasks.deliveries_retry_due() == 0
    assert tasks.deliveries_retry_due(now=timezone.now() + timedelta(seconds=6)) == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SUCCEEDED
    assert [a.status_code for a in delivery.log.order_by("id")] == [500, 200]
    # Both attempts carry the same webhook-id, and both verify.
    ids = {r["headers"]["webhook-id"] for r in hook.requests}
    assert ids == {delivery.message_id}
    for request in hook.requests:
        Webhook(endpoint.secret).verify(request["body"], request["headers"])


def test_the_schedule_spans_about_a_day():
    total = sum(retry_delay(n).total_seconds() for n in range(1, 8))
    assert 20 * 3600 < total < 30 * 3600
    assert retry_delay(8) is None


@override_settings(WEBHOOK_RETRY_DELAYS=[0, 0])
def test_an_endpoint_failing_through_its_retries_is_switched_off_and_its_owner_told(
    receiver, django_capture_on_commit_callbacks
):
    hook = receiver([503])
    owner = UserFactory(email="owner@example.com")
    endpoint = endpoint_for(hook.url, ["idea.created"], owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        make_idea()
    tasks.deliveries_retry_due()
    tasks.deliveries_retry_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.log.count() == 3
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at is not None
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    assert "switched off" in mail.outbox[0].subject
    # Switched off: later events are not recorded for it.
    with django_capture_on_commit_callbacks(execute=True):
        make_idea()
    assert WebhookDelivery.objects.count() == 1


def test_redeliver_sends_it_again(receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint_for(hook.url, ["idea.created"])
    with django_capture_on_commit_callbacks(execute=True):
        make_idea()
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_redeliver(delivery_id=delivery.pk)
    assert len(hook.requests) == 2
    assert delivery.log.count() == 2


def test_a_rolled_back_write_sends_nothing(receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint_for(hook.url, ["idea.created"])
    author, category = UserFactory(), CategoryFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        idea_services.idea_create(
            author=author, title="Rolled back idea", body="Never sent.", category=category
        )
        raise RuntimeError("the caller's transaction fails after the service")
    assert WebhookEvent.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0
    assert tasks.deliveries_retry_due() == 0
    assert hook.requests == []


def test_content_hidden_before_sending_is_not_delivered(
    receiver, django_capture_on_commit_callbacks
):
    hook = receiver()
    endpoint_for(hook.url, ["comment.posted", "idea.created"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        idea = make_idea()
        idea_services.comment_create(author=UserFactory(), idea_id=idea.pk, body="A comment.")
    moderator = staff_user(roles.COMMUNITY_MANAGER)
    moderation.idea_hide(actor=moderator, idea_id=idea.pk, reason="Personal details")
    for callback in queued:
        callback()
    assert hook.requests == []
    states = set(WebhookDelivery.objects.values_list("state", "skipped_reason"))
    assert states == {(DeliveryState.SKIPPED, "Not sent: the idea is hidden by a moderator.")}


def test_a_hidden_comment_is_not_delivered(receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint_for(hook.url, ["comment.posted"])
    idea = make_idea()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        comment = idea_services.comment_create(
            author=UserFactory(), idea_id=idea.pk, body="Spam spam."
        )
    moderation.comment_hide(
        actor=staff_user(roles.COMMUNITY_MANAGER), comment_id=comment.pk, reason="Spam"
    )
    for callback in queued:
        callback()
    assert hook.requests == []
    assert WebhookDelivery.objects.get().state == DeliveryState.SKIPPED


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://100.100.100.200/",
        "http://0.0.0.0/",
        "http://[::ffff:10.1.2.3]/",
        "ftp://example.com/",
        "http://user:pw@127.0.0.1/",
    ],
)
def test_ssrf_urls_are_refused_at_save(url):
    with pytest.raises(ValidationError) as refused:
        endpoint_for(url, ["idea.created"])
    assert "url" in refused.value.message_dict


@override_settings(WEBHOOK_ALLOW_LOOPBACK=False)
def test_loopback_is_refused_unless_allowed():
    for url in ["http://127.0.0.1:8000/", "http://localhost/", "http://[::1]/"]:
        with pytest.raises(UnsafeUrl, match="loopback"):
            url_check(url)


def test_ssrf_is_checked_again_at_send_time(receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint_for(hook.url, ["idea.created"])
    with (
        override_settings(WEBHOOK_ALLOW_LOOPBACK=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        make_idea()
    assert hook.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.PENDING  # retried later, in case DNS changes back
    assert "loopback" in delivery.log.get().error


def test_slack_format(receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint_for(hook.url, ["idea.created"], format=Format.SLACK)
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea(title="Offline mode for the app")
    message = json.loads(hook.requests[0]["body"])
    assert set(message) == {"text"}
    assert "Offline mode for the app" in message["text"]
    assert idea.get_absolute_url() in message["text"]


def test_vote_milestone_is_sent_once(receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint_for(hook.url, ["vote.milestone"])
    idea = make_idea()  # its author's promote is the first
    voters = [UserFactory() for _ in range(9)]
    with django_capture_on_commit_callbacks(execute=True):
        for voter in voters:
            idea_services.vote_cast(voter=voter, idea_id=idea.pk, value=1)
        idea_services.vote_cast(voter=voters[0], idea_id=idea.pk, value=0)
        idea_services.vote_cast(voter=voters[0], idea_id=idea.pk, value=1)
    bodies = [json.loads(r["body"]) for r in hook.requests]
    assert [(b["type"], b["data"]["milestone"]) for b in bodies] == [("vote.milestone", 10)]


@override_settings(WEBHOOK_ALLOW_LOOPBACK=False)
def test_a_dns_answer_that_changes_after_the_check_cannot_reach_inside(receiver, monkeypatch):
    """DNS rebinding: public when checked, loopback a moment later when connecting."""
    import socket

    hook = receiver()
    port = hook.server.server_port
    endpoint = WebhookEndpoint.objects.create(
        name="Tracker", url=f"http://hooks.example.test:{port}/hook", events=["idea.created"]
    )
    answers = iter(["8.8.8.8"])  # the first answer: a public address (never contacted)

    def rebinding(host, port, *args, **kwargs):
        address = next(answers, "127.0.0.1")  # every later answer: this machine
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url_check(endpoint.url)  # what the save and the send-time check see

    result = _post(endpoint.url, body="{}", headers={})

    assert hook.requests == []
    assert "127.0.0.1, a loopback address" in result["error"]


def test_teams_format_for_a_merge(receiver, django_capture_on_commit_callbacks):
    """A fix: the merge's headline was a lazy translation, which JSON cannot write,
    so every merge sent to a Teams endpoint failed."""
    hook = receiver()
    endpoint_for(hook.url, ["idea.merged"], format=Format.TEAMS)
    into, duplicate = make_idea(title="Offline mode for the app"), make_idea(title="Work offline")
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.idea_merge(
            actor=staff_user(roles.PRODUCT_MANAGER), duplicate_id=duplicate.pk, into_id=into.pk
        )
    [request] = hook.requests
    card = json.loads(request["body"])["attachments"][0]["content"]
    headline, detail = (block["text"] for block in card["body"])
    assert headline == "Idea merged"
    assert detail.startswith("Merged into “Offline mode for the app”.")
    assert card["actions"][0]["url"].endswith(into.get_absolute_url())
    assert WebhookDelivery.objects.get().state == DeliveryState.SUCCEEDED
