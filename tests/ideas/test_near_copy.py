"""Humans, not templates: near-copy official responses are caught before posting."""

import pytest

from community import roles
from community.models import AuditEntry
from ideas import services
from ideas.exceptions import NearCopyWarning
from ideas.models import Comment
from ideas.similarity import resemblance, shingles
from tests.factories import make_idea, staff_user

pytestmark = pytest.mark.django_db

TEMPLATE = (
    "Hi, thanks for taking the time to share this idea with us. We have passed it on to "
    "the product team, who will review it during their next planning session."
)
TEMPLATE_RENAMED = TEMPLATE.replace("Hi,", "Hi Dana,")
PERSONAL = (
    "Dana, the matte option you describe would need a new panel supplier. We tested two "
    "panels in March; glare dropped but colours washed out, so we are trying a third."
)


def respond(author, idea, body, **kwargs):
    return services.comment_create(
        author=author, idea_id=idea.pk, body=body, official=True, **kwargs
    )


def test_resemblance_of_copies_and_of_different_replies():
    assert resemblance(shingles(TEMPLATE), shingles(TEMPLATE_RENAMED)) > 0.8
    assert resemblance(shingles(TEMPLATE), shingles(PERSONAL)) < 0.1


def test_a_near_copy_of_a_colleagues_reply_is_stopped_before_posting():
    colleague, writer = staff_user(), staff_user(roles.PRODUCT_MANAGER)
    earlier = respond(colleague, make_idea(), TEMPLATE)
    idea = make_idea()

    with pytest.raises(NearCopyWarning) as caught:
        respond(writer, idea, TEMPLATE_RENAMED)

    assert caught.value.near_copy.response.pk == earlier.pk
    assert caught.value.near_copy.similarity > 0.8
    assert not idea.comments.exists()


def test_a_personal_reply_posts_without_a_warning():
    writer = staff_user()
    respond(writer, make_idea(), TEMPLATE)

    comment = respond(writer, make_idea(), PERSONAL)

    assert comment.near_copy_of is None
    assert comment.near_copy_similarity is None


def test_posting_anyway_is_recorded_on_the_response_and_in_the_audit_log():
    writer = staff_user()
    earlier = respond(writer, make_idea(), TEMPLATE)

    comment = respond(writer, make_idea(), TEMPLATE_RENAMED, near_copy_acknowledged=True)

    assert comment.near_copy_of_id == earlier.pk
    assert comment.near_copy_similarity > 0.8
    entry = AuditEntry.objects.filter(action="official_response").latest("created_at")
    assert entry.after["near_copy_of"] == earlier.pk


def test_the_warning_page_shows_the_earlier_reply_and_lets_staff_choose(client):
    writer = staff_user()
    respond(writer, make_idea(title="Brighter keyboard backlight"), TEMPLATE)
    idea = make_idea()
    client.force_login(writer)

    warned = client.post(
        f"/ideas/{idea.pk}/comments/", {"body": TEMPLATE_RENAMED, "official": "on"}
    )

    assert warned.status_code == 409
    page = warned.content.decode()
    assert "reads like an earlier one" in page
    assert "Brighter keyboard backlight" in page
    assert "Post it anyway" in page
    assert not Comment.objects.filter(idea=idea).exists()

    posted = client.post(
        f"/ideas/{idea.pk}/comments/",
        {"body": TEMPLATE_RENAMED, "official": "on", "near_copy_acknowledged": "on"},
    )
    assert posted.status_code == 302
    assert Comment.objects.get(idea=idea).near_copy_of is not None


def test_ordinary_comments_are_never_compared():
    writer = staff_user()
    respond(writer, make_idea(), TEMPLATE)
    comment = services.comment_create(author=writer, idea_id=make_idea().pk, body=TEMPLATE)
    assert comment.near_copy_of is None
