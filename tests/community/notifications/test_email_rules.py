"""Email rules checked in-process: preferences, unsubscribe links, what is never emailed.

Queued tasks run here through the real worker's `run_task` (fixture
`run_tasks`); mail goes to Django's test outbox. The end-to-end runs with
worker processes and an SMTP server are in test_email_worker.py.
"""

import pytest
from django.core import signing
from django.db import transaction
from django.test import Client

from community import roles
from community.models import Notification
from community.moderation import services as moderation
from community.notifications import services as notification_services
from community.notifications.models import EmailDelivery, EmailPreference, Frequency
from community.notifications.tasks import digests_send
from community.notifications.tokens import unsubscribe_token
from ideas import services
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def test_an_official_response_hidden_before_sending_is_never_emailed(run_tasks, mailoutbox):
    follower = UserFactory()
    idea = make_idea(author=follower)
    staff, moderator = staff_user(), staff_user(roles.COMMUNITY_MANAGER)
    answer = services.comment_create(
        author=staff, idea_id=idea.pk, body="Rude answer", official=True
    )
    moderation.comment_hide(actor=moderator, comment_id=answer.pk, reason="Not our tone")

    run_tasks()

    assert [m.to for m in mailoutbox] == []  # the author's moderation notice is weekly
    skipped = EmailDelivery.objects.get(user=follower, kind="official_response")
    assert (skipped.state, skipped.skip_reason) == ("skipped", "content hidden")


def test_an_idea_merged_before_its_status_email_went_out_is_not_emailed(run_tasks, mailoutbox):
    author = UserFactory()
    idea, other = make_idea(author=author), make_idea()
    manager = staff_user(roles.PRODUCT_MANAGER)
    services.idea_status_change(
        actor=manager, idea_id=idea.pk, to_status="under_review", message="Reviewing."
    )
    services.idea_merge(actor=manager, duplicate_id=idea.pk, into_id=other.pk)
    run_tasks()
    assert [m for m in mailoutbox if m.to == [author.email]] == []


def test_a_rolled_back_write_queues_no_email(run_tasks, mailoutbox):
    follower = UserFactory()
    idea = make_idea(author=follower)
    manager = staff_user(roles.PRODUCT_MANAGER)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.idea_status_change(
            actor=manager, idea_id=idea.pk, to_status="planned", message="x"
        )
        raise RuntimeError("the request failed after the change")
    run_tasks()
    assert mailoutbox == [] and not Notification.objects.exists()


def test_defaults_are_instant_for_answers_and_weekly_for_the_rest(run_tasks, mailoutbox):
    author = UserFactory()
    idea = make_idea(author=author, title="Keyboard shortcuts")
    duplicate = make_idea(author=author, title="Shortcuts, please")
    other = make_idea(title="Shortcuts again")
    merger = staff_user(roles.PRODUCT_MANAGER)
    services.idea_status_change(
        actor=merger, idea_id=idea.pk, to_status="under_review", message="Reviewing."
    )
    services.idea_merge(actor=merger, duplicate_id=duplicate.pk, into_id=other.pk)
    run_tasks()

    assert [m.extra_headers["X-Idealoop-Kind"] for m in mailoutbox if m.to == [author.email]] == [
        "status_change"
    ]
    assert Notification.objects.get(user=author, kind="merged").email == Frequency.WEEKLY


def test_a_suspended_member_gets_no_digest(run_tasks, mailoutbox):
    member = UserFactory()
    notification_services.email_preferences_set(user=member, choices={"status_change": "daily"})
    idea = make_idea(author=member)
    services.idea_status_change(
        actor=staff_user(roles.PRODUCT_MANAGER), idea_id=idea.pk, to_status="planned", message="Ok"
    )
    run_tasks()
    moderation.member_suspend(
        actor=staff_user(roles.COMMUNITY_MANAGER), member_id=member.pk, reason="Spam"
    )
    digests_send.enqueue(frequency="daily")
    run_tasks()
    assert [m for m in mailoutbox if m.to == [member.email]] == []
    digest = EmailDelivery.objects.get(kind="digest_daily")
    assert (digest.state, digest.skip_reason) == ("skipped", "suspended")


def test_nothing_is_sent_when_a_digest_has_nothing_to_say(run_tasks, mailoutbox):
    digests_send.enqueue(frequency="weekly")
    run_tasks()
    assert mailoutbox == [] and not EmailDelivery.objects.exists()


# --- the preferences page ---------------------------------------------------------------


def test_the_preferences_page_shows_the_defaults_and_saves_choices(client):
    member = UserFactory()
    client.force_login(member)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="status_change" value="instant"' in html and "checked" in html
    assert "assigned to you" not in html  # staff kinds only for staff

    partial = client.post("/notifications/preferences/", {"status_change": "daily"})
    assert partial.status_code == 400  # every kind is asked; nothing is half-saved
    assert not EmailPreference.objects.exists()
    full = {kind: "instant" for kind in ("shipped", "story", "official_response")}
    full |= {"status_change": "daily", "reply": "off", "merged": "weekly", "moderation": "weekly"}
    full["storm_session"] = "weekly"
    assert client.post("/notifications/preferences/", full).status_code == 302
    stored = dict(EmailPreference.objects.filter(user=member).values_list("kind", "frequency"))
    assert stored == {"status_change": "daily", "reply": "off"}  # defaults store no rows


def test_the_preferences_page_refuses_a_choice_that_does_not_exist(client):
    member = UserFactory()
    client.force_login(member)
    response = client.post("/notifications/preferences/", {"status_change": "hourly"})
    assert response.status_code == 400
    assert not EmailPreference.objects.exists()


def test_the_account_page_links_to_email_preferences(client):
    client.force_login(UserFactory())
    assert 'href="/notifications/preferences/"' in client.get("/account/profile/").content.decode()


# --- unsubscribe links -------------------------------------------------------------------


def test_an_unsubscribe_link_asks_first_then_turns_the_kind_off_without_signing_in():
    member = UserFactory()
    url = f"/notifications/unsubscribe/{unsubscribe_token(user_id=member.pk, kind='reply')}/"
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(url)
    assert page.status_code == 200 and b"Unsubscribe from reply to your comment?" in page.content
    assert not EmailPreference.objects.exists()  # a link scanner's GET changes nothing

    done = anonymous.post(url)
    assert done.status_code == 200 and b"You are unsubscribed" in done.content
    assert EmailPreference.objects.get(user=member, kind="reply").frequency == "off"


def test_a_digest_unsubscribe_turns_off_every_kind_sent_in_that_digest():
    member = UserFactory()
    notification_services.email_preferences_set(
        user=member, choices={"status_change": "daily", "reply": "daily"}
    )
    token = unsubscribe_token(user_id=member.pk, kind="digest_daily")
    Client().post(f"/notifications/unsubscribe/{token}/")
    stored = dict(EmailPreference.objects.filter(user=member).values_list("kind", "frequency"))
    assert stored == {"status_change": "off", "reply": "off"}


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"u": 1, "k": "reply"}, salt="someone-else"),
        unsubscribe_token(user_id=1, kind="reply")[:-3] + "abc",
    ],
)
def test_a_forged_unsubscribe_link_gets_a_clear_page_and_changes_nothing(token):
    member = UserFactory()
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/notifications/unsubscribe/{token}/")
        assert response.status_code == 400
        assert b"This unsubscribe link is not valid." in response.content
        assert b"Nothing was changed." in response.content
    assert not EmailPreference.objects.filter(user=member).exists()


def test_an_expired_unsubscribe_link_gets_a_clear_page_and_changes_nothing(settings):
    member = UserFactory()
    token = unsubscribe_token(user_id=member.pk, kind="reply")
    settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS = 0
    response = Client().post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 400 and b"has expired" in response.content
    assert not EmailPreference.objects.exists()


def test_healthz_reports_the_task_queue(client, run_tasks):
    make_idea()
    report = client.get("/healthz").json()["checks"]["tasks"]
    assert report["backend"] == "database"
    assert report["waiting"] >= 0 and report["failed"] == 0
    assert "oldest_waiting_seconds" in report
