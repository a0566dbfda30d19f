"""A strict Content-Security-Policy everywhere; staff sign in through one limiter (#13: 2, 3)."""

import re
from pathlib import Path

import pytest
from django.test import Client

from community import roles
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def script_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directive = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    return directive.split()[1:]


def test_the_site_forbids_inline_scripts_on_every_page_type(client):
    idea = make_idea()
    for url in ["/", "/ideas/", idea.get_absolute_url(), "/search/?q=fan", "/accounts/login/"]:
        response = client.get(url, follow=True)
        assert script_src(response) == ["'self'"], url
        assert "object-src 'none'" in response["Content-Security-Policy"]


def test_staff_pages_are_as_strict(client):
    client.force_login(staff_user(roles.ADMINISTRATOR))
    for url in ["/staff/", "/staff/moderation/", "/staff/figures/"]:
        assert script_src(client.get(url)) == ["'self'"], url


def test_only_wagtails_admin_may_run_its_own_inline_scripts(client):
    client.force_login(staff_user(roles.ADMINISTRATOR, is_superuser=True))

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "'unsafe-inline'" in script_src(response)


def test_no_template_carries_an_inline_script_or_event_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if inline_script.search(path.read_text()) or handler.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/admin/login/", "/accounts/login/?next=%2Fadmin%2F"),
        ("/admin/login/?next=/admin/pages/", "/accounts/login/?next=%2Fadmin%2Fpages%2F"),
        ("/admin/login/?next=https://evil.example/", "/accounts/login/?next=%2Fadmin%2F"),
        ("/django-admin/login/?next=/django-admin/", "/accounts/login/?next=%2Fdjango-admin%2F"),
        ("/admin/password_reset/", "/accounts/password/reset/"),
    ],
)
def test_the_admin_sign_in_pages_lead_to_the_one_rate_limited_sign_in(client, url, target):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == target


def test_the_admin_login_form_takes_no_password_any_more(client):
    staff = staff_user(roles.ADMINISTRATOR)
    staff.set_password("the-right-password-2026")
    staff.save()

    for url in ["/admin/login/", "/django-admin/login/"]:
        response = client.post(url, {"username": staff.username, "password": "x"})
        assert response.status_code == 405


def test_wrong_passwords_lock_staff_sign_in_even_for_the_right_one():
    staff = staff_user(roles.ADMINISTRATOR, email="admin.person@example.com")
    staff.set_password("the-right-password-2026")
    staff.save()
    client = Client()

    for _ in range(12):
        client.post(
            "/accounts/login/", {"login": "admin.person@example.com", "password": "wrong-one"}
        )
    client.post(
        "/accounts/login/",
        {"login": "admin.person@example.com", "password": "the-right-password-2026"},
    )

    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in_when_not_locked():
    member = UserFactory(email="fine.person@example.com")
    member.set_password("the-right-password-2026")
    member.save()
    client = Client()

    client.post(
        "/accounts/login/",
        {"login": "fine.person@example.com", "password": "the-right-password-2026"},
    )

    assert client.session.get("_auth_user_id") == str(member.pk)


def test_a_signed_in_member_without_admin_access_is_told_not_sent_round(client):
    client.force_login(UserFactory())

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert "cannot use this part of the site" in response.content.decode()
    assert len(response.redirect_chain) <= 2
