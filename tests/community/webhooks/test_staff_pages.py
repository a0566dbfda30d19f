"""The staff area's webhook pages: Administrators only; a URL inside the network
is refused with the SSRF check's message; Redeliver makes a real attempt."""

import pytest
from django.urls import reverse
from standardwebhooks.webhooks import Webhook

from community import roles
from community.webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db

EVENTS = ["idea.created", "comment.posted"]


def endpoint_data(url, **overrides):
    return {"name": "Jira bridge", "url": url, "events": EVENTS, "format": "standard"} | overrides


@pytest.fixture
def admin_client(client):
    client.force_login(staff_user(roles.ADMINISTRATOR))
    return client


@pytest.fixture
def endpoint():
    made = WebhookEndpoint(name="Tracker", url="https://93.184.215.14/hook", events=EVENTS)
    made.save()
    return made


def pages(endpoint):
    gets = [
        reverse("staff:webhooks"),
        reverse("staff:webhook_create"),
        reverse("staff:webhook", args=[endpoint.pk]),
        reverse("staff:webhook_edit", args=[endpoint.pk]),
    ]
    posts = [
        reverse("staff:webhook_switch", args=[endpoint.pk]),
        reverse("staff:webhook_secret", args=[endpoint.pk]),
        reverse("staff:webhook_create"),
    ]
    return gets, posts


@pytest.mark.parametrize(
    "role", [None, roles.STAFF_RESPONDER, roles.PRODUCT_MANAGER, roles.COMMUNITY_MANAGER]
)
def test_only_administrators_reach_the_webhook_pages(client, endpoint, role):
    client.force_login(UserFactory() if role is None else staff_user(role))
    gets, posts = pages(endpoint)
    for url in gets:
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Only administrators manage webhook endpoints." in response.content
    secret = endpoint.secret
    for url in posts:
        assert client.post(url, endpoint_data("https://93.184.215.14/x")).status_code == 403
    endpoint.refresh_from_db()
    assert endpoint.secret == secret and endpoint.is_active
    assert WebhookEndpoint.objects.count() == 1


def test_a_visitor_is_sent_to_sign_in(client, endpoint):
    response = client.get(reverse("staff:webhooks"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("superuser", [False, True])
def test_administrators_see_the_endpoints_and_the_menu_link(client, endpoint, superuser):
    user = UserFactory(is_superuser=True) if superuser else staff_user(roles.ADMINISTRATOR)
    client.force_login(user)
    response = client.get(reverse("staff:webhooks"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tracker" in html and "https://93.184.215.14/hook" in html
    assert 'href="/staff/webhooks/" aria-current="page"' in html
    assert endpoint.secret not in html  # shown once, at creation, never on a list


def test_the_staff_menu_offers_webhooks_only_to_administrators(client):
    client.force_login(staff_user(roles.COMMUNITY_MANAGER))
    assert b"/staff/webhooks/" not in client.get(reverse("staff:inbox")).content


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://10.1.2.3/hook", "10.1.2.3, a private network address"),
        ("http://169.254.169.254/latest/meta-data/", "a link-local or cloud metadata address"),
        ("http://[::ffff:192.168.0.7]/hook", "a private network address"),
        ("ftp://example.com/hook", "Use an http or https URL."),
    ],
)
def test_a_url_inside_the_network_is_refused_and_nothing_saved(admin_client, url, reason):
    response = admin_client.post(reverse("staff:webhook_create"), endpoint_data(url))
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_creating_shows_the_secret_once(admin_client, receiver):
    hook = receiver()
    response = admin_client.post(reverse("staff:webhook_create"), endpoint_data(hook.url))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == EVENTS and endpoint.is_active
    assert endpoint.owner.role == roles.ADMINISTRATOR  # told if it is switched off
    assert endpoint.secret in response.content.decode()
    assert (
        endpoint.secret
        not in admin_client.get(reverse("staff:webhook", args=[endpoint.pk])).content.decode()
    )


def test_no_event_chosen_is_a_clear_400(admin_client, receiver):
    response = admin_client.post(
        reverse("staff:webhook_create"), endpoint_data(receiver().url, events=[])
    )
    assert response.status_code == 400
    assert "Choose at least one event." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_editing_checks_the_url_again(admin_client, endpoint):
    url = reverse("staff:webhook_edit", args=[endpoint.pk])
    response = admin_client.post(url, endpoint_data("http://192.168.1.10/hook"))
    assert response.status_code == 400
    assert "a private network address" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://93.184.215.14/hook"
    response = admin_client.post(url, endpoint_data("https://93.184.215.15/new", name="Renamed"))
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.url) == ("Renamed", "https://93.184.215.15/new")


def test_switching_off_and_on(admin_client, endpoint):
    url = reverse("staff:webhook_switch", args=[endpoint.pk])
    assert admin_client.post(url, {"on": "0"}).status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert "Switched off by" in endpoint.disabled_reason
    assert admin_client.post(url, {"on": "1"}).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.disabled_at is None and endpoint.disabled_reason == ""


def test_rotating_the_secret_shows_the_new_one_once(admin_client, endpoint):
    old = endpoint.secret
    response = admin_client.post(reverse("staff:webhook_secret", args=[endpoint.pk]))
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_unknown_endpoint_is_a_404(admin_client):
    assert admin_client.get(reverse("staff:webhook", args=[99999])).status_code == 404
    assert admin_client.post(reverse("staff:webhook_switch", args=[99999])).status_code == 404


def test_redeliver_makes_a_new_signed_attempt(
    admin_client, receiver, django_capture_on_commit_callbacks
):
    hook = receiver([500])
    admin_client.post(reverse("staff:webhook_create"), endpoint_data(hook.url))
    endpoint = WebhookEndpoint.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        make_idea(title="Export to spreadsheet")
    delivery = WebhookDelivery.objects.get()
    assert delivery.log.count() == 1 and delivery.state == DeliveryState.PENDING  # retry later
    page = admin_client.get(reverse("staff:webhook", args=[endpoint.pk])).content.decode()
    assert delivery.message_id in page and "500" in page and "Redeliver" in page

    hook.statuses = [200]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("staff:webhook_redeliver", args=[endpoint.pk, delivery.pk])
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SUCCEEDED
    assert list(delivery.log.values_list("status_code", flat=True)) == [200, 500]
    assert len(hook.requests) == 2
    again = hook.requests[1]
    assert again["headers"]["webhook-id"] == delivery.message_id  # the same message
    assert (
        Webhook(endpoint.secret).verify(again["body"], again["headers"])["type"] == "idea.created"
    )
    page = admin_client.get(reverse("staff:webhook", args=[endpoint.pk])).content.decode()
    assert "Delivered" in page


def test_redeliver_of_another_endpoints_delivery_is_a_404(admin_client, receiver, endpoint):
    hook = receiver()
    admin_client.post(reverse("staff:webhook_create"), endpoint_data(hook.url, name="Other"))
    other = WebhookEndpoint.objects.get(name="Other")
    make_idea()
    delivery = WebhookDelivery.objects.get(endpoint=other)
    response = admin_client.post(
        reverse("staff:webhook_redeliver", args=[endpoint.pk, delivery.pk])
    )
    assert response.status_code == 404


def test_bad_input_is_a_clear_answer_never_a_500(admin_client, endpoint):
    huge = str(2**70)
    base = reverse("staff:webhook", args=[endpoint.pk])
    for query in ({"page": "abc"}, {"page": huge}, {"state": "nonsense"}, {"state": "x" * 5000}):
        assert admin_client.get(base, query).status_code == 200, query
    assert admin_client.get(f"/staff/webhooks/{huge}/").status_code == 404
    assert (
        admin_client.post(f"/staff/webhooks/{endpoint.pk}/deliveries/{huge}/redeliver/").status_code
        == 404
    )
    response = admin_client.post(
        reverse("staff:webhook_create"),
        {"name": "x" * 500, "url": "not a url", "events": ["no.such"], "format": "fax"},
    )
    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exclude(pk=endpoint.pk).exists()
    assert admin_client.get(reverse("staff:webhook_switch", args=[endpoint.pk])).status_code == 405
