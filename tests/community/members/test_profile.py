import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.members.avatars import AVATAR_MAX_BYTES
from ideas import services
from tests.factories import UserFactory, make_idea

pytestmark = pytest.mark.django_db


def png(size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#3730a3").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def member_client(client):
    member = UserFactory(username="alex", display_name="Alex")
    client.force_login(member)
    client.member = member
    return client


def test_profile_edit_saves_name_bio_and_a_raster_avatar(member_client):
    response = member_client.post(
        "/account/profile/",
        {
            "handle": "alex",
            "display_name": "  Alex   Rivera ",
            "bio": "Laptop tinkerer.",
            "avatar": SimpleUploadedFile("me.png", png(), content_type="image/png"),
        },
    )

    member = member_client.member
    member.refresh_from_db()
    assert response.status_code == 302
    assert member.display_name == "Alex Rivera" and member.bio == "Laptop tinkerer."
    assert member.avatar.name.startswith("avatars/")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile(
                "evil.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                content_type="image/svg+xml",
            ),
            "Upload a valid image",
        ),
        (SimpleUploadedFile("big.png", b"0" * (AVATAR_MAX_BYTES + 1)), "at most 2 MB"),
        (SimpleUploadedFile("fake.png", b"not a picture at all"), "Upload a valid image"),
    ],
)
def test_bad_avatars_are_refused_and_change_nothing(member_client, upload, message):
    response = member_client.post(
        "/account/profile/",
        {"handle": "alex", "display_name": "Changed", "bio": "", "avatar": upload},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    member_client.member.refresh_from_db()
    assert member_client.member.display_name == "Alex" and not member_client.member.avatar


def test_public_profile_lists_ideas_comments_and_points(client):
    member = UserFactory(username="sam", display_name="Sam")
    idea = make_idea(author=member, title="Sam's idea on the profile")
    services.vote_cast(voter=UserFactory(), idea_id=idea.pk, value=1)
    services.comment_create(author=member, idea_id=idea.pk, body="Sam's own comment")

    page = client.get("/members/sam/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Sam&#x27;s idea on the profile" in html and "Sam&#x27;s own comment" in html
    assert page.context["points"] == 2
    assert client.get("/members/nobody/").status_code == 404
