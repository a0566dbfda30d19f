"""The staff area's webhook pages speak German too: the list, an endpoint with its
delivery log, the forms, the secret shown once, the delete question, and the
messages after each action. Event type codes (`idea.created`) and what the
receivers answered are data, not the site's words, and are left out."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community import roles
from community.webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tests.factories import staff_user
from tests.i18n.test_translations import english_left, main_text

pytestmark = pytest.mark.django_db

CODE = re.compile(r"<(code|pre)\b[^>]*>.*?</\1>", re.S)


def german_text(response) -> str:
    response.content = CODE.sub(" ", response.content.decode()).encode()
    return main_text(response)


@pytest.fixture
def german_admin(german_site):
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(staff_user(roles.ADMINISTRATOR, display_name="Katrin Brandt"))
    endpoint = WebhookEndpoint.objects.create(
        name="Jira-Brücke",
        url="https://93.184.215.14/haken",
        events=["idea.created", "idea.shipped"],
        last_success_at=timezone.now() - timedelta(minutes=3),
    )
    WebhookEndpoint.objects.create(
        name="Slack-Kanal",
        url="https://93.184.215.14/slack",
        events=["idea.shipped"],
        format="slack",
        is_active=False,
        disabled_at=timezone.now(),
    )
    event = WebhookEvent.objects.create(
        type="idea.created", idea=german_site["idea"], created_at=timezone.now()
    )
    now = timezone.now()
    for state, answers in [
        (DeliveryState.SUCCEEDED, [(500, ""), (200, "ok")]),
        (DeliveryState.PENDING, [(None, "")]),
    ]:
        delivery = WebhookDelivery.objects.create(
            event=event, endpoint=endpoint, state=state, attempts=len(answers),
            next_attempt_at=now + timedelta(minutes=5), created_at=now,
        )  # fmt: skip
        for status, body in answers:
            WebhookAttempt.objects.create(
                delivery=delivery, attempted_at=now, status_code=status, response_ms=12,
                response_body=body, error="" if status else "Zeitüberschreitung.",
            )  # fmt: skip
    return client, endpoint


PAGES = {
    "list": lambda e: reverse("staff:webhooks"),
    "endpoint with its log": lambda e: reverse("staff:webhook", args=[e.pk]),
    "log filtered, empty": lambda e: reverse("staff:webhook", args=[e.pk]) + "?state=failed",
    "new endpoint form": lambda e: reverse("staff:webhook_create"),
    "edit form": lambda e: reverse("staff:webhook_edit", args=[e.pk]),
    "delete question": lambda e: reverse("staff:webhook_delete", args=[e.pk]),
}


@pytest.mark.parametrize("name", PAGES)
def test_webhook_pages_in_german_have_no_english_left(german_admin, name):
    client, endpoint = german_admin
    response = client.get(PAGES[name](endpoint))
    assert response.status_code == 200
    text = german_text(response)
    assert english_left(text) == [], f"{name} in German still says: {text[:3000]}"


def test_the_secret_page_and_the_messages_in_german(german_admin, settings):
    """What the log stores (why an endpoint was switched off, why a delivery was not
    sent) is written in the site's language: here German, so it reads German too."""
    settings.LANGUAGE_CODE = "de"
    client, endpoint = german_admin
    data = {"name": "Neuer Empfänger", "url": "https://93.184.215.14/neu",
            "events": ["idea.created"], "format": "standard"}  # fmt: skip
    created = client.post(reverse("staff:webhook_create"), data)
    assert "ist angelegt" in german_text(created)
    assert english_left(german_text(created)) == []
    rotated = client.post(reverse("staff:webhook_secret", args=[endpoint.pk]))
    assert english_left(german_text(rotated)) == []

    refused = client.post(reverse("staff:webhook_create"), data | {"events": []})
    assert refused.status_code == 400
    assert "Bitte korrigieren Sie das markierte Feld." in german_text(refused)
    assert english_left(german_text(refused)) == []

    for url, form, said in [
        (reverse("staff:webhook_edit", args=[endpoint.pk]), data, "ist gespeichert"),
        (reverse("staff:webhook_switch", args=[endpoint.pk]), {"on": "0"}, "Ausgeschaltet von"),
        (reverse("staff:webhook_switch", args=[endpoint.pk]), {"on": "1"}, "ist eingeschaltet"),
    ]:
        page = client.post(url, form, follow=True)
        assert said in german_text(page)
        assert english_left(german_text(page)) == [], german_text(page)[:2000]
    page = client.post(reverse("staff:webhook_delete", args=[endpoint.pk]), follow=True)
    assert "mit seinem Zustellprotokoll" in german_text(page)
    assert english_left(german_text(page)) == []

    others = Client(HTTP_ACCEPT_LANGUAGE="de")
    others.force_login(staff_user(roles.COMMUNITY_MANAGER))
    refused = others.get(reverse("staff:webhooks"))
    assert refused.status_code == 403
    assert "Nur Administratoren verwalten Webhook-Endpunkte." in refused.content.decode()


def test_the_owner_is_told_in_their_language_when_an_endpoint_is_switched_off(mailoutbox):
    from community.webhooks.delivery import endpoint_disable
    from tests.factories import UserFactory

    owner = UserFactory(email="besitzerin@example.com", language="de")
    endpoint = WebhookEndpoint.objects.create(
        name="Jira-Brücke", url="https://93.184.215.14/haken", events=["idea.created"],
        owner=owner,
    )  # fmt: skip
    endpoint_disable(endpoint, now=timezone.now(), reason="8 fehlgeschlagene Versuche")
    [mail] = mailoutbox
    assert mail.to == ["besitzerin@example.com"]
    assert mail.subject == "Webhook-Endpunkt „Jira-Brücke“ wurde ausgeschaltet"
    assert "8 fehlgeschlagene Versuche" in mail.body and "Zustellprotokoll" in mail.body
