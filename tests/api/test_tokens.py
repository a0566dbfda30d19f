"""Personal API tokens: shown once, stored hashed, scoped, revocable; sessions need CSRF."""

import hashlib

import pytest
from django.test import Client

from community.api.models import ApiToken
from community.api.services import token_create
from tests.api.conftest import bearer
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def test_the_member_creates_a_token_on_their_page_and_sees_it_once(client):
    member = UserFactory()
    client.force_login(member)
    profile = client.get(f"/members/{member.username}/")
    assert b"/account/api-tokens/" in profile.content
    response = client.post("/account/api-tokens/", {"name": "Jira sync", "scope": "write"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=member)
    secret = response.context["new_token"].secret
    assert secret.encode() in response.content
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().first())
    assert secret.encode() not in client.get("/account/api-tokens/").content  # shown once


def test_customers_cannot_make_staff_tokens(client):
    member = UserFactory()
    client.force_login(member)
    response = client.post("/account/api-tokens/", {"name": "Sneaky", "scope": "staff"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working_at_once(client, api):
    member = UserFactory()
    new = token_create(user=member, name="CI", scope="read")
    headers = {"Authorization": f"Bearer {new.secret}"}
    assert api.call("get", "/me", headers=headers).status_code == 200
    new.token.refresh_from_db()
    assert new.token.last_used_at is not None
    client.force_login(member)
    assert client.post(f"/account/api-tokens/{new.token.pk}/revoke/").status_code == 302
    response = api.call("get", "/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_another_members_token_cannot_be_revoked(client):
    token = token_create(user=UserFactory(), name="Theirs", scope="read").token
    client.force_login(UserFactory())
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_wrong_token_is_401_not_anonymous(api):
    response = api.call("get", "/ideas", headers={"Authorization": "Bearer il_not-a-real-token"})
    assert response.status_code == 401


def test_scopes_narrow_what_a_token_may_ask(api):
    idea = make_idea(title="An idea to test token scopes on")
    member = UserFactory()
    read = bearer(member, "read")
    assert api.call("get", f"/ideas/{idea.pk}", headers=read).status_code == 200
    refused = api.call("put", f"/ideas/{idea.pk}/vote", {"value": 1}, headers=read)
    assert refused.status_code == 403
    assert "scope" in refused.json()["error"]["message"]
    assert api.call("put", f"/ideas/{idea.pk}/vote", {"value": 1},
                    headers=bearer(member, "write")).status_code == 200  # fmt: skip

    responder = staff_user()
    write = bearer(responder, "write")
    body = {"status": "under_review", "message": "We are looking at it."}
    assert api.call("post", f"/ideas/{idea.pk}/status", body, headers=write).status_code == 403
    staff = bearer(responder, "staff")
    assert api.call("post", f"/ideas/{idea.pk}/status", body, headers=staff).status_code == 200


def test_a_deactivated_member_token_stops_working(api):
    member = UserFactory()
    headers = bearer(member, "read")
    member.is_active = False
    member.save()
    assert api.call("get", "/me", headers=headers).status_code == 401


def test_the_session_works_for_the_sites_javascript_with_csrf():
    idea = make_idea(title="An idea voted on from the page")
    member = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    assert browser.get("/api/v1/me").json()["scope"] == "session"
    refused = browser.put(
        f"/api/v1/ideas/{idea.pk}/vote", {"value": 1}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]
    browser.get(f"/ideas/{idea.pk}-{idea.slug}/")  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.put(
        f"/api/v1/ideas/{idea.pk}/vote", {"value": 1},
        content_type="application/json", headers={"X-CSRFToken": csrf},
    )  # fmt: skip
    assert accepted.status_code == 200, accepted.content


def test_per_token_rate_limits_are_stricter_for_writes(api, settings):
    settings.API_RATE_LIMITS = {"read": (5, 60), "write": (2, 60)}
    idea = make_idea(title="An idea hammered through the API")
    headers = bearer(UserFactory())
    for value in (1, -1):
        assert api.call("put", f"/ideas/{idea.pk}/vote", {"value": value},
                        headers=headers).status_code == 200  # fmt: skip
    limited = api.call("put", f"/ideas/{idea.pk}/vote", {"value": 1}, headers=headers)
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited["Retry-After"]) >= 1
    # Reads have their own allowance; another token has its own.
    assert api.call("get", "/ideas", headers=headers).status_code == 200
    assert api.call("put", f"/ideas/{idea.pk}/vote", {"value": 1},
                    headers=bearer(UserFactory())).status_code == 200  # fmt: skip
