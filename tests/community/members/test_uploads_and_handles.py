"""Uploads never run in our origin, and public handles never reveal an email (#13: 1, 4)."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><body><script>alert(document.domain)</script></body></html>"


def gif_html_polyglot() -> bytes:
    """A real GIF whose bytes also carry an HTML page, as an attacker would send."""
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, format="GIF", comment=SCRIPT)
    return buffer.getvalue() + SCRIPT


@pytest.fixture
def member_client(client):
    member = UserFactory(username="alex", email="alex.private@example.com")
    client.force_login(member)
    client.member = member
    return client


@pytest.mark.parametrize("name", ["avatar.html", "avatar.svg", "avatar.gif"])
def test_an_uploaded_avatar_is_redrawn_as_a_png_under_a_new_name(member_client, name):
    upload = SimpleUploadedFile(name, gif_html_polyglot(), content_type="text/html")

    response = member_client.post(
        "/account/profile/", {"handle": "alex", "display_name": "", "bio": "", "avatar": upload}
    )

    assert response.status_code == 302
    member = User.objects.get(pk=member_client.member.pk)
    assert member.avatar.name.endswith(".png")
    assert "avatar" not in member.avatar.name.split("/")[-1]
    stored = member.avatar.read()
    assert stored.startswith(b"\x89PNG") and b"<script" not in stored
    served = member_client.get(member.avatar.url)
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_media_that_is_not_a_picture_is_only_ever_a_download(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "avatars").mkdir()
    (tmp_path / "avatars" / "old.html").write_bytes(SCRIPT)

    response = client.get("/media/avatars/old.html")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_new_member_gets_a_handle_that_does_not_spell_their_email(client):
    client.post(
        "/accounts/signup/",
        {
            "email": "jane.private.person@example.com",
            "password1": "a-long-pass-phrase-2026",
            "password2": "a-long-pass-phrase-2026",
        },
    )

    member = User.objects.get(email="jane.private.person@example.com")
    assert member.username.startswith("member-")
    assert "jane" not in member.username and "jane" not in member.public_name


def test_a_member_picks_a_handle_and_the_profile_moves_there(member_client):
    response = member_client.post(
        "/account/profile/", {"handle": "Laptop-Fan", "display_name": "", "bio": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == "/members/laptop-fan/"
    assert member_client.get("/members/laptop-fan/").status_code == 200
    assert member_client.get("/members/alex/").status_code == 404


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("alex.private", "lowercase letters"),  # dots are not allowed
        ("alex-private", None),
        ("taken-one", "is taken"),
        ("ab", "at least 3"),
    ],
)
def test_a_handle_must_be_free_well_formed_and_not_the_email(member_client, handle, message):
    UserFactory(username="taken-one")

    response = member_client.post(
        "/account/profile/", {"handle": handle, "display_name": "", "bio": ""}
    )

    member = User.objects.get(pk=member_client.member.pk)
    if message is None:
        assert response.status_code == 302 and member.username == handle
        return
    assert response.status_code == 400
    assert message in response.content.decode()
    assert member.username == "alex"


def test_choosing_the_emails_own_name_is_refused(client):
    member = UserFactory(username="someone", email="sam.secret@example.com")
    client.force_login(member)

    response = client.post("/account/profile/", {"handle": "sam-secret", "display_name": ""})
    assert response.status_code == 302  # a look-alike is the member's choice
    User.objects.filter(pk=member.pk).update(email="samsecret@example.com")

    response = client.post("/account/profile/", {"handle": "samsecret", "display_name": ""})

    assert response.status_code == 400
    assert "first part of your email address" in response.content.decode()
    assert User.objects.get(pk=member.pk).username == "sam-secret"


def test_the_migration_renames_handles_that_spell_the_email():
    revealing = UserFactory(username="jane.private.person", email="Jane.Private.Person@ex.com")
    chosen = UserFactory(username="laptop-fan", email="someone@example.com")
    migration = importlib.import_module("community.migrations.0010_public_handles_not_from_email")

    migration.rename_revealing_handles(apps, None)

    revealing.refresh_from_db()
    chosen.refresh_from_db()
    assert revealing.username.startswith("member-")
    assert chosen.username == "laptop-fan"
