"""Notification emails end to end: real worker processes, real PostgreSQL, a real SMTP server."""

import sys
import time
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from community import roles
from community.models import Notification
from community.moderation import services as moderation
from community.notifications import delivery
from community.notifications import services as notification_services
from community.notifications.models import EmailDelivery, Frequency, NotificationEvent
from community.notifications.tasks import digests_send, notification_fan_out, outbox_sweep
from ideas import services
from tests.factories import UserFactory, make_idea, staff_user

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
import testenv  # noqa: E402

pytestmark = pytest.mark.worker


def settle(mailbox, expected: int, timeout: float = 120.0) -> list:
    """Wait for `expected` messages, then a little longer, so a duplicate would show."""
    mailbox.wait_for(expected, timeout=timeout)
    time.sleep(1.5)
    return mailbox.messages()


def unsubscribe_header(message) -> str:
    # A long header is folded onto a second line; unfolded, it starts with a space.
    return str(message["List-Unsubscribe"]).strip()


def wait_until(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def all_email_work_done() -> bool:
    return not (
        Notification.objects.filter(email="").exists()
        or EmailDelivery.objects.filter(state="pending").exists()
    )


def an_idea_with_audience(title="Dark mode for the dashboard"):
    author, voter, follower = UserFactory(), UserFactory(), UserFactory()
    idea = make_idea(author=author, title=title)
    services.vote_cast(voter=voter, idea_id=idea.pk, value=1)
    services.follow_set(user=follower, idea_id=idea.pk, following=True)
    return idea, author, voter, follower


def test_a_status_change_reaches_author_voter_and_follower_once_each(worker, mailbox):
    idea, author, voter, follower = an_idea_with_audience()
    manager = staff_user(roles.PRODUCT_MANAGER, display_name="Priya Shah")

    services.idea_status_change(
        actor=manager, idea_id=idea.pk, to_status="planned", message="Building it this quarter."
    )

    got = settle(mailbox, 3)
    assert sorted(m["To"] for m in got) == sorted([author.email, voter.email, follower.email])
    for message in got:
        assert message["Subject"] == "[Idealoop] Dark mode for the dashboard"
        assert message["In-Reply-To"] == f"<idea-{idea.pk}@testserver>"
        assert message["References"] == f"<idea-{idea.pk}@testserver>"
        assert message["Message-ID"].startswith("<delivery-")
        assert unsubscribe_header(message).startswith(
            "<http://testserver/notifications/unsubscribe/"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "is now planned: Building it this quarter." in text
        assert "Priya Shah, Product manager" in text and "Priya Shah, Product manager" in html
        assert f"http://testserver{idea.get_absolute_url()}" in html
        assert unsubscribe_header(message)[1:-1] in text  # the same link in the body
    assert len({m["Message-ID"] for m in got}) == 3
    assert EmailDelivery.objects.filter(state="sent").count() == 3


def test_preferences_and_one_click_unsubscribe_change_what_arrives(worker, mailbox):
    idea, author, voter, follower = an_idea_with_audience()
    manager = staff_user(roles.PRODUCT_MANAGER)
    notification_services.email_preferences_set(user=voter, choices={"status_change": "off"})

    services.idea_status_change(
        actor=manager, idea_id=idea.pk, to_status="under_review", message="Looking at it."
    )
    got = settle(mailbox, 2)
    assert sorted(m["To"] for m in got) == sorted([author.email, follower.email])

    # The follower's mail client uses the RFC 8058 one-click POST, with no session or CSRF token.
    (to_follower,) = [m for m in got if m["To"] == follower.email]
    url = unsubscribe_header(to_follower)[1:-1].removeprefix("http://testserver")
    response = Client(enforce_csrf_checks=True).post(
        url, {"List-Unsubscribe": "One-Click"}, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and b"You are unsubscribed" in response.content
    mailbox.clear()

    services.idea_status_change(
        actor=manager, idea_id=idea.pk, to_status="planned", message="It is planned."
    )
    assert [m["To"] for m in settle(mailbox, 1)] == [author.email]


def test_a_digest_holds_the_right_items_decisions_first_and_nothing_twice(worker, mailbox):
    reader, replier = UserFactory(), UserFactory()
    daily = {kind: Frequency.DAILY for kind in ("status_change", "shipped", "official_response")}
    notification_services.email_preferences_set(user=reader, choices=daily)  # replies: instant
    idea = make_idea(title="Offline mode")
    hidden_later = make_idea(title="Spammy idea")
    for each in (idea, hidden_later):
        services.follow_set(user=reader, idea_id=each.pk, following=True)
    staff, manager = staff_user(display_name="Sam Lee"), staff_user(roles.PRODUCT_MANAGER)
    moderator = staff_user(roles.COMMUNITY_MANAGER)
    services.comment_create(author=staff, idea_id=idea.pk, body="We hear you.", official=True)
    services.idea_status_change(
        actor=manager, idea_id=hidden_later.pk, to_status="planned", message="Maybe."
    )
    services.idea_status_change(
        actor=manager, idea_id=idea.pk, to_status="planned", message="Soon."
    )
    services.idea_status_change(
        actor=manager, idea_id=idea.pk, to_status="in_progress", message="On it."
    )
    services.idea_status_change(actor=manager, idea_id=idea.pk, to_status="shipped", message="Out!")
    question = services.comment_create(author=reader, idea_id=idea.pk, body="Does it sync?")
    services.comment_create(author=replier, idea_id=idea.pk, body="Yes", parent_id=question.pk)
    moderation.idea_hide(actor=moderator, idea_id=hidden_later.pk, reason="Spam")

    wait_until(all_email_work_done)
    instant = settle(mailbox, 1)
    assert [m["X-Idealoop-Kind"] for m in instant if m["To"] == reader.email] == ["reply"]
    mailbox.clear()

    digests_send.enqueue(frequency="daily")
    digests_send.enqueue(frequency="daily")  # a second run makes nothing twice
    got = [m for m in settle(mailbox, 1) if m["To"] == reader.email]
    assert len(got) == 1
    text = got[0].get_body(("plain",)).get_content()
    assert got[0]["Subject"] == "[Idealoop] Your daily digest: 4 updates today"
    order = [
        text.index("is now shipped: Out!"),
        text.index("is now planned: Soon."),
        text.index("is now in progress: On it."),
        text.index("answered “Offline mode”"),
    ]
    assert order == sorted(order)  # shipping first, then decisions, then answers
    assert text.count("Offline mode") == 4
    assert "Spammy idea" not in text and "replied" not in text
    assert got[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_smtp_down_the_task_retries_and_every_email_arrives_once(worker, mailbox):
    idea, author, voter, follower = an_idea_with_audience()
    manager = staff_user(roles.PRODUCT_MANAGER)
    testenv.stop_service("smtp")
    try:
        services.idea_status_change(
            actor=manager, idea_id=idea.pk, to_status="planned", message="Planned while down."
        )
        # The batch stops at the first refusal; that delivery records each attempt.
        wait_until(lambda: EmailDelivery.objects.filter(attempts__gte=2).exists())
        assert not EmailDelivery.objects.filter(state="sent").exists()
        assert (
            "Connection refused" in EmailDelivery.objects.exclude(last_error="").first().last_error
        )
    finally:
        testenv.start_service("smtp")
    got = settle(mailbox, 3)
    assert sorted(m["To"] for m in got) == sorted([author.email, voter.email, follower.email])
    assert EmailDelivery.objects.filter(state="sent").count() == 3
    # Two refused attempts at least (retried with backoff), then the one that went out.
    assert max(d.attempts for d in EmailDelivery.objects.all()) >= 3


def test_a_worker_killed_mid_batch_is_restarted_and_every_email_arrives_once(
    worker, mailbox, settings
):
    idea = make_idea(title="Bulk export")
    followers = [UserFactory() for _ in range(24)]
    for member in followers:
        services.follow_set(user=member, idea_id=idea.pk, following=True)
    manager = staff_user(roles.PRODUCT_MANAGER)
    audience = sorted([idea.author, *followers], key=lambda user: user.pk)
    held = audience[10]
    mailbox.hold(held.email)  # the server keeps the worker waiting on the 11th message

    services.idea_status_change(
        actor=manager, idea_id=idea.pk, to_status="planned", message="Planned for all of you."
    )
    assert len(mailbox.wait_for(10, timeout=120)) == 10
    time.sleep(0.5)
    assert len(mailbox.messages()) == 10  # stuck mid-batch, inside the 11th message
    worker.kill()
    mailbox.release()
    with transaction.atomic():  # PostgreSQL ends the dead worker's transaction and its locks
        list(EmailDelivery.objects.select_for_update().filter(state="pending"))

    # The killed worker's task stays "running" for good; the sweep queues what is still owed.
    settings.OUTBOX_STALE_SECONDS = 0
    assert outbox_sweep()["deliveries"] == len(audience) - 10
    worker.start(2)
    got = settle(mailbox, len(audience))
    assert sorted(m["To"] for m in got) == sorted(user.email for user in audience)
    assert EmailDelivery.objects.filter(state="sent").count() == len(audience)
    assert delivery.email_work_stale() == ([], [])


def test_the_fan_out_run_twice_or_three_times_sends_each_email_once(worker, mailbox):
    idea = make_idea(title="Offline mode")
    followers = UserFactory.create_batch(45)  # a batch big enough to be sent over 2 connections
    for member in followers:
        services.follow_set(user=member, idea_id=idea.pk, following=True)
    audience = {idea.author.email, *(member.email for member in followers)}

    services.idea_status_change(
        actor=staff_user(roles.PRODUCT_MANAGER), idea_id=idea.pk, to_status="planned",
        message="Next release.",
    )  # fmt: skip
    event = NotificationEvent.objects.get(idea=idea)
    # The queued task runs in the worker; two more runs race it from here, and a
    # third runs as if a lost run had left the event looking unfinished.
    notification_fan_out.call(event_id=event.pk)
    notification_fan_out.call(event_id=event.pk)
    NotificationEvent.objects.filter(pk=event.pk).update(fanned_out_at=None)
    notification_fan_out.call(event_id=event.pk)

    got = settle(mailbox, len(audience))
    assert sorted(m["To"] for m in got) == sorted(audience)
    assert Notification.objects.filter(idea=idea).count() == len(audience)
    wait_until(all_email_work_done)
    assert EmailDelivery.objects.filter(state="sent").count() == len(audience)
