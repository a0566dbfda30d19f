"""The moderation pages: flag form, queue, member page, audit log, and who may open them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import roles
from community.audit import Action
from community.models import AuditEntry, Suspension
from community.moderation import services as moderation
from community.moderation.models import Flag
from tests.community.moderation.helpers import comment_on, entries, signed_in
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


# --- Pages ---------------------------------------------------------------------------------------


def test_the_flag_form_refuses_bad_input_and_double_flags():
    idea = make_idea()
    reporter = signed_in(UserFactory())
    url = f"/ideas/{idea.pk}/flag/"

    form = reporter.get(url)
    assert form.status_code == 200 and "Spam or advertising" in form.content.decode()
    missing = reporter.post(url, {"text": "No reason"})
    assert (
        missing.status_code == 400
        and "Choose why you are flagging this." in missing.content.decode()
    )
    assert not Flag.objects.exists()

    sent = reporter.post(url, {"reason": "spam", "text": "An advert"}, follow=True)
    assert "Thank you. A moderator will look at it." in sent.content.decode()
    again = reporter.post(url, {"reason": "spam"})
    assert again.status_code == 400 and "You already flagged this idea" in again.content.decode()
    assert Flag.objects.count() == 1

    assert reporter.get("/ideas/999999/flag/").status_code == 404
    assert reporter.get("/ideas/comments/999999/flag/").status_code == 404
    assert signed_in(idea.author).get(url).status_code == 403


def test_flag_links_show_for_participants_on_others_content():
    idea = make_idea()
    comment = comment_on(idea)

    html = signed_in(UserFactory()).get(idea.get_absolute_url()).content.decode()
    assert f'href="/ideas/{idea.pk}/flag/"' in html
    assert f'href="/ideas/comments/{comment.pk}/flag/"' in html
    own = signed_in(idea.author).get(idea.get_absolute_url()).content.decode()
    assert f'href="/ideas/{idea.pk}/flag/"' not in own
    assert f"/ideas/{idea.pk}/flag/" not in Client().get(idea.get_absolute_url()).content.decode()


def test_the_queue_groups_flags_most_flagged_then_oldest_first(moderator):
    now = timezone.now()
    lonely, popular = make_idea(title="Flagged once, long ago"), make_idea(title="Flagged twice")
    comment = comment_on(lonely, body="A comment flagged once, recently")
    moderation.flag_create(
        reporter=UserFactory(), idea_id=lonely.pk, reason="spam", now=now - timedelta(hours=5)
    )
    for reason in ("spam", "abuse"):
        moderation.flag_create(reporter=UserFactory(), idea_id=popular.pk, reason=reason, now=now)
    moderation.flag_create(
        reporter=UserFactory(),
        idea_id=lonely.pk,
        comment_id=comment.pk,
        reason="personal",
        text="It has my address",
    )

    response = signed_in(moderator).get("/staff/moderation/")

    assert response.status_code == 200
    items = response.context["items"]
    assert [(i.idea.pk, i.comment and i.comment.pk, i.count) for i in items] == [
        (popular.pk, None, 2), (lonely.pk, None, 1), (lonely.pk, comment.pk, 1),
    ]  # fmt: skip
    assert sorted(items[0].reasons) == [("Abusive or hateful", 1), ("Spam or advertising", 1)]
    html = response.content.decode()
    assert "It has my address" in html and "A comment flagged once, recently" in html


def test_hiding_from_the_queue_needs_a_reason_and_then_goes_back_to_the_queue(moderator):
    idea = make_idea()
    moderation.flag_create(reporter=UserFactory(), idea_id=idea.pk, reason="spam")
    browser = signed_in(moderator)
    url = f"/staff/moderation/ideas/{idea.pk}/hide/"

    missing = browser.post(url, {"reason": "", "next": "/staff/moderation/"})
    assert missing.status_code == 400 and "Give a reason" in missing.content.decode()
    idea.refresh_from_db()
    assert idea.visibility == "published" and not AuditEntry.objects.exists()

    done = browser.post(url, {"reason": "Advertising", "next": "/staff/moderation/"})
    assert done.status_code == 302 and done["Location"] == "/staff/moderation/"
    idea.refresh_from_db()
    assert idea.visibility == "hidden"
    assert browser.get("/staff/moderation/").context["items"] == []
    # Hiding twice is a clear error, not a second entry.
    again = browser.post(url, {"reason": "Advertising"})
    assert again.status_code == 400 and "already hidden" in again.content.decode()
    assert len(entries(Action.IDEA_HIDE)) == 1
    assert browser.post("/staff/moderation/ideas/999999/hide/", {"reason": "x"}).status_code == 404


def staff_urls(idea, comment, member) -> list[tuple[str, dict]]:
    return [
        ("/staff/moderation/", {}),
        (f"/staff/moderation/ideas/{idea.pk}/hide/", {"reason": "Spam"}),
        (f"/staff/moderation/ideas/{idea.pk}/restore/", {"reason": "OK"}),
        (f"/staff/moderation/ideas/{idea.pk}/edit/", {"title": "T", "body": "B", "reason": "R"}),
        (f"/staff/moderation/ideas/{idea.pk}/lock/", {"reason": "Heated"}),
        (f"/staff/moderation/ideas/{idea.pk}/unlock/", {"reason": "OK"}),
        (f"/staff/moderation/ideas/{idea.pk}/dismiss/", {"reason": "Fine"}),
        (f"/staff/moderation/comments/{comment.pk}/hide/", {"reason": "Rude"}),
        (f"/staff/moderation/comments/{comment.pk}/restore/", {"reason": "OK"}),
        (f"/staff/moderation/comments/{comment.pk}/edit/", {"body": "Edited", "reason": "R"}),
        (f"/staff/moderation/comments/{comment.pk}/dismiss/", {"reason": "Fine"}),
        (f"/staff/moderation/members/{member.pk}/", {}),
        (f"/staff/moderation/members/{member.pk}/suspend/", {"length": "good", "reason": "Spam"}),
        (f"/staff/moderation/members/{member.pk}/lift/", {"reason": "OK"}),
        (f"/staff/moderation/members/{member.pk}/hide-content/", {"reason": "Spam"}),
        ("/staff/audit/", {}),
    ]  # fmt: skip


@pytest.mark.parametrize("role", [None, roles.STAFF_RESPONDER, roles.PRODUCT_MANAGER])
def test_members_and_other_staff_get_403_on_every_moderation_url_and_nothing_changes(role):
    idea = make_idea()
    comment = comment_on(idea)
    moderation.flag_create(reporter=UserFactory(), idea_id=idea.pk, reason="spam")
    caller = signed_in(staff_user(role) if role else UserFactory())

    for url, data in staff_urls(idea, comment, idea.author):
        response = caller.post(url, data) if data else caller.get(url)
        assert response.status_code == 403, url
        assert "Only" in response.content.decode(), url

    idea.refresh_from_db()
    comment.refresh_from_db()
    assert (idea.visibility, idea.title, idea.is_locked) == ("published", idea.title, False)
    assert not comment.is_hidden and not Suspension.objects.exists()
    assert Flag.objects.filter(resolved_at=None).count() == 1
    assert not AuditEntry.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    idea = make_idea()
    for url, data in staff_urls(idea, comment_on(idea), idea.author):
        response = client.post(url, data) if data else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.get(f"/ideas/{idea.pk}/flag/").status_code == 302
    assert idea.comments.get().hidden_at is None


def test_community_managers_moderate_but_only_administrators_read_the_audit_log(moderator, admin):
    idea = make_idea()
    moderation.idea_hide(actor=moderator, idea_id=idea.pk, reason="Spam")
    moderation.thread_lock(actor=admin, idea_id=idea.pk, reason="Heated")

    assert signed_in(moderator).get("/staff/moderation/").status_code == 200
    denied = signed_in(moderator).get("/staff/audit/")
    assert denied.status_code == 403
    assert "Only administrators can read the audit log." in denied.content.decode()

    log = signed_in(admin).get("/staff/audit/")
    assert log.status_code == 200
    assert [e.action for e in log.context["entries"]] == ["thread_lock", "idea_hide"]
    html = log.content.decode()
    assert "Hid an idea" in html and "Maria Gomez" in html and "Heated" in html
    filtered = signed_in(admin).get("/staff/audit/", {"action": "idea_hide"})
    assert [e.actor for e in filtered.context["entries"]] == [moderator]
    by_actor = signed_in(admin).get("/staff/audit/", {"actor": admin.pk})
    assert [e.action for e in by_actor.context["entries"]] == ["thread_lock"]
    assert signed_in(admin).get("/staff/audit/", {"action": "nonsense"}).status_code == 400
    assert signed_in(admin).get("/staff/audit/", {"page": 9}).status_code == 404


def test_the_member_page_suspends_for_days_or_for_good_and_lifts(moderator):
    member = UserFactory(display_name="Sam Spammer")
    browser = signed_in(moderator)
    page = f"/staff/moderation/members/{member.pk}/"

    assert "Sam Spammer" in browser.get(page).content.decode()
    missing = browser.post(f"{page}suspend/", {"length": "days", "days": "", "reason": "Spam"})
    assert missing.status_code == 400 and "for how many days" in missing.content.decode()
    browser.post(f"{page}suspend/", {"length": "days", "days": "3", "reason": "Spam"})
    suspension = Suspension.objects.get(member=member)
    assert (
        timedelta(days=2, hours=23)
        < suspension.ends_at - suspension.created_at
        <= timedelta(days=3)
    )
    assert "Suspended until" in browser.get(page).content.decode()

    browser.post(f"{page}lift/", {"reason": "Appeal accepted"})
    browser.post(f"{page}suspend/", {"length": "good", "reason": "Back at it"})
    assert Suspension.objects.filter(member=member, ends_at=None, lifted_at=None).exists()
    assert "Suspended for good" in browser.get(page).content.decode()
    assert browser.get("/staff/moderation/members/999999/").status_code == 404


def test_the_queue_and_the_audit_log_do_not_query_per_item(
    moderator, admin, django_assert_max_num_queries
):
    def flag_some(n: int) -> None:
        for _ in range(n):
            idea = make_idea()
            comment = comment_on(idea)
            moderation.flag_create(reporter=UserFactory(), idea_id=idea.pk, reason="spam")
            moderation.flag_create(
                reporter=UserFactory(), idea_id=idea.pk, comment_id=comment.pk, reason="abuse"
            )
            moderation.thread_lock(actor=admin, idea_id=idea.pk, reason="Heated")

    flag_some(2)
    queue, log = signed_in(moderator), signed_in(admin)
    with CaptureQueriesContext(connection) as few_queue:
        assert queue.get("/staff/moderation/").status_code == 200
    with CaptureQueriesContext(connection) as few_log:
        assert log.get("/staff/audit/").status_code == 200
    flag_some(6)

    with django_assert_max_num_queries(len(few_queue)):
        assert len(queue.get("/staff/moderation/").context["items"]) == 16
    with django_assert_max_num_queries(len(few_log)):
        assert len(log.get("/staff/audit/").context["entries"]) == 8
