"""Administrators' changes to webhook endpoints are in the audit log, from the staff
area and from the Django admin: who, what changed, before and after; never a secret,
and a URL only by its host and a fingerprint (an incoming-webhook URL is a key)."""

import json

import pytest
from django.urls import reverse

from community import roles
from community.audit import Action
from community.models import AuditEntry
from community.webhooks.models import WebhookDelivery, WebhookEndpoint
from community.webhooks.services import url_for_audit
from tests.factories import make_idea, staff_user

pytestmark = pytest.mark.django_db

URL = "https://93.184.215.14/services/T000/B000/KeepThisPrivate"


@pytest.fixture
def administrator():
    return staff_user(roles.ADMINISTRATOR, display_name="Ada Admin")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def no_secrets_in_the_log(*secrets):
    logged = json.dumps(
        [[e.before, e.after, e.target_label, e.reason] for e in AuditEntry.objects.all()]
    )
    assert "whsec_" not in logged
    assert "KeepThisPrivate" not in logged
    for secret in secrets:
        assert secret not in logged


def test_the_staff_area_records_every_change(admin_client, administrator):
    data = {"name": "Jira bridge", "url": URL, "events": ["idea.created"], "format": "standard"}
    admin_client.post(reverse("staff:webhook_create"), data)
    endpoint = WebhookEndpoint.objects.get()
    first_secret = endpoint.secret

    [created] = entries(Action.WEBHOOK_CREATE)
    assert created.actor == administrator and created.target_id == endpoint.pk
    assert created.target_label == "Jira bridge"
    assert created.after == {
        "name": "Jira bridge",
        "url": url_for_audit(URL),
        "events": ["idea.created"],
        "format": "standard",
        "owner": "Ada Admin",
        "active": True,
    }
    assert url_for_audit(URL).startswith("https://93.184.215.14/… (")

    admin_client.post(
        reverse("staff:webhook_edit", args=[endpoint.pk]),
        data | {"name": "Jira", "events": ["idea.created", "idea.shipped"]},
    )
    [edited] = entries(Action.WEBHOOK_EDIT)
    assert edited.before == {"name": "Jira bridge", "events": ["idea.created"]}
    assert edited.after == {"name": "Jira", "events": ["idea.created", "idea.shipped"]}
    admin_client.post(reverse("staff:webhook_edit", args=[endpoint.pk]), data | {"name": "Jira"})
    edits = entries(Action.WEBHOOK_EDIT)
    assert [e.after for e in edits[1:]] == [{"events": ["idea.created"]}]
    admin_client.post(reverse("staff:webhook_edit", args=[endpoint.pk]), data | {"name": "Jira"})
    assert len(entries(Action.WEBHOOK_EDIT)) == 2  # nothing changed, nothing recorded

    admin_client.post(reverse("staff:webhook_switch", args=[endpoint.pk]), {"on": "0"})
    admin_client.post(reverse("staff:webhook_switch", args=[endpoint.pk]), {"on": "1"})
    [off] = entries(Action.WEBHOOK_SWITCH_OFF)
    [on] = entries(Action.WEBHOOK_SWITCH_ON)
    assert (off.before, off.after) == ({"active": True}, {"active": False})
    assert on.after == {"active": True}
    assert on.before == {"active": False, "switched_off": "Switched off by Ada Admin"}

    admin_client.post(reverse("staff:webhook_secret", args=[endpoint.pk]))
    [rotated] = entries(Action.WEBHOOK_SECRET_ROTATE)
    assert rotated.actor == administrator and rotated.target_id == endpoint.pk
    endpoint.refresh_from_db()
    assert endpoint.secret != first_secret

    make_idea()
    delivery = WebhookDelivery.objects.get()
    admin_client.post(reverse("staff:webhook_redeliver", args=[endpoint.pk, delivery.pk]))
    [redelivered] = entries(Action.WEBHOOK_REDELIVER)
    assert redelivered.target_id == delivery.pk
    assert redelivered.before == {"state": "pending", "attempts": 0}
    assert redelivered.after == {
        "endpoint": "Jira",
        "event": "idea.created",
        "webhook_id": delivery.message_id,
    }

    page = admin_client.get(reverse("staff:webhook_delete", args=[endpoint.pk]))
    assert page.status_code == 200 and "its delivery log" in page.content.decode()
    assert WebhookEndpoint.objects.exists()  # asking deletes nothing
    response = admin_client.post(reverse("staff:webhook_delete", args=[endpoint.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("staff:webhooks")
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()
    [deleted] = entries(Action.WEBHOOK_DELETE)
    assert deleted.target_label == "Jira"
    assert deleted.before["url"] == url_for_audit(URL) and deleted.before["deliveries"] == 1

    no_secrets_in_the_log(first_secret, endpoint.secret)
    log = admin_client.get(reverse("staff:audit")).content.decode()
    for label in [
        "Added a webhook endpoint",
        "Edited a webhook endpoint",
        "Switched a webhook endpoint off",
        "Switched a webhook endpoint on",
        "Gave a webhook endpoint a new secret",
        "Redelivered a webhook",
        "Deleted a webhook endpoint",
    ]:
        assert label in log


def test_others_cannot_delete_an_endpoint(client):
    endpoint = WebhookEndpoint.objects.create(name="Tracker", url=URL, events=["idea.created"])
    client.force_login(staff_user(roles.COMMUNITY_MANAGER))
    assert client.post(reverse("staff:webhook_delete", args=[endpoint.pk])).status_code == 403
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert not AuditEntry.objects.exists()


def test_the_django_admin_records_its_changes_too(admin_client, administrator):
    administrator.is_staff = True  # the Django admin's own condition for signing in
    administrator.save()
    form = {
        "name": "Slack #ideas",
        "url": URL,
        "events": ["idea.shipped"],
        "format": "slack",
        "is_active": "on",
        "owner": "",
    }
    response = admin_client.post(reverse("admin:webhooks_webhookendpoint_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.owner == administrator  # told if it is switched off
    [created] = entries(Action.WEBHOOK_CREATE)
    assert created.after["format"] == "slack" and created.after["active"] is True

    change = reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk])
    form |= {"owner": str(administrator.pk), "events": ["idea.shipped", "idea.merged"]}
    del form["is_active"]  # switched off
    assert admin_client.post(change, form).status_code == 302
    [edited] = entries(Action.WEBHOOK_EDIT)
    assert edited.after == {"events": ["idea.shipped", "idea.merged"]}
    assert len(entries(Action.WEBHOOK_SWITCH_OFF)) == 1
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_reason == "Switched off by Ada Admin"

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=True, events=["idea.created"])
    make_idea()  # a delivery to redeliver
    delivery = WebhookDelivery.objects.get()
    admin_client.post(
        reverse("admin:webhooks_webhookdelivery_changelist"),
        {"action": "redeliver", "_selected_action": [delivery.pk]},
    )
    assert len(entries(Action.WEBHOOK_REDELIVER)) == 1

    delete = reverse("admin:webhooks_webhookendpoint_delete", args=[endpoint.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert len(entries(Action.WEBHOOK_DELETE)) == 1
    no_secrets_in_the_log()
