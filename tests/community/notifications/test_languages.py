"""Each member reads their news in their own language: on the site, in the API, by email.

A notification is stored once per member as translatable parts; the language
is chosen when it is shown (the reader's) or emailed (the member's, kept on
the account by the language switcher or taken from the browser at sign-in).
"""

import time

import pytest
from django.test import Client

from community import roles
from community.models import Notification, User
from ideas import services
from tests.factories import UserFactory, make_idea, staff_user

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


def status_news(run_tasks):
    """A planned idea: its author, a German reader, and their one notification."""
    author = UserFactory()
    idea = make_idea(author=author, title="Dark mode for the dashboard")
    manager = staff_user(roles.PRODUCT_MANAGER, display_name="Priya Shah")
    services.idea_status_change(
        actor=manager, idea_id=idea.pk, to_status="planned", message="Building it this quarter."
    )
    run_tasks()
    return idea, author, Notification.objects.get(user=author, idea=idea)


@pytest.mark.django_db
def test_one_stored_notification_reads_in_each_readers_language(run_tasks):
    idea, author, note = status_news(run_tasks)
    assert note.text.startswith("“Dark mode for the dashboard” is now planned")  # site language

    client = Client()
    client.force_login(author)
    english = client.get("/notifications/").content.decode()
    german = client.get("/notifications/", **GERMAN).content.decode()

    assert "“Dark mode for the dashboard” is now planned: Building it this quarter." in english
    assert "„Dark mode for the dashboard“ ist jetzt geplant: Building it this quarter." in german
    assert "is now planned" not in german


@pytest.mark.django_db
def test_the_language_switcher_keeps_a_members_choice_for_their_emails():
    member = UserFactory()
    client = Client()
    client.force_login(member)

    response = client.post("/i18n/setlang/", {"language": "de", "next": "/"})

    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).language == "de"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})  # not a language we speak
    assert User.objects.get(pk=member.pk).language == "de"
    assert Client().post("/i18n/setlang/", {"language": "de"}).status_code == 302  # signed out


@pytest.mark.django_db
def test_signing_in_keeps_the_browsers_language_until_the_member_chooses():
    member = UserFactory()
    client = Client()
    client.post(
        "/accounts/login/",
        {"login": member.email, "password": "pass-word-123"},
        HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9",
    )
    assert client.session.get("_auth_user_id") == str(member.pk)
    assert User.objects.get(pk=member.pk).language == "de"

    User.objects.filter(pk=member.pk).update(language="en")
    Client().post(
        "/accounts/login/",
        {"login": member.email, "password": "pass-word-123"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert User.objects.get(pk=member.pk).language == "en"  # their choice stands


@pytest.mark.worker
def test_each_member_is_emailed_in_their_own_language(worker, mailbox):
    author, reader = UserFactory(language="de"), UserFactory()
    idea = make_idea(author=author, title="Dark mode for the dashboard")
    services.follow_set(user=reader, idea_id=idea.pk, following=True)
    manager = staff_user(roles.PRODUCT_MANAGER, display_name="Priya Shah")

    services.idea_status_change(
        actor=manager, idea_id=idea.pk, to_status="planned", message="Building it this quarter."
    )

    mailbox.wait_for(2, timeout=120)
    time.sleep(1)
    by_address = {m["To"]: m.get_body(("plain",)).get_content() for m in mailbox.messages()}
    german, english = by_address[author.email], by_address[reader.email]
    assert "„Dark mode for the dashboard“ ist jetzt geplant: Building it this quarter." in german
    assert "Statusänderung" in german and "abbestellen" in german
    assert "is now planned: Building it this quarter." in english
    assert "Statusänderung" not in english


@pytest.mark.django_db
def test_news_written_before_parts_existed_still_shows_its_stored_text():
    member, idea = UserFactory(), make_idea(title="An older idea")
    Notification.objects.create(
        user=member, kind="reply", idea=idea, text="Someone replied long ago.",
        url=idea.get_absolute_url(), created_at=idea.created_at,
    )  # fmt: skip
    client = Client()
    client.force_login(member)
    assert "Someone replied long ago." in client.get("/notifications/", **GERMAN).content.decode()
