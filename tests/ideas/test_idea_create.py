import pytest

from community.core.exceptions import InvalidInput, NotAllowed
from ideas import services
from ideas.models import Follow, Idea
from tests.factories import CategoryFactory, UserFactory, make_idea

pytestmark = pytest.mark.django_db


def test_new_idea_starts_with_its_authors_promote_and_follow():
    author = UserFactory()

    idea = make_idea(author=author, title="Let the fan curve follow the power profile")

    assert (idea.promotes, idea.demotes, idea.score, idea.supporters) == (1, 0, 1, 1)
    assert Follow.objects.filter(idea=idea, user=author).exists()
    assert idea.slug == "let-the-fan-curve-follow-the-power-profile"
    assert idea.get_absolute_url() == f"/ideas/{idea.pk}-{idea.slug}/"


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Too short", "The title must be 10 to 140 characters long."),
        ("x" * 141, "The title must be 10 to 140 characters long."),
        ("   ", "The title must be 10 to 140 characters long."),
    ],
)
def test_title_length_is_enforced(title, message):
    with pytest.raises(InvalidInput, match=message):
        make_idea(title=title)
    assert not Idea.objects.exists()


def test_empty_and_oversized_bodies_are_refused():
    with pytest.raises(InvalidInput, match="cannot be empty"):
        make_idea(body="  \n ")
    with pytest.raises(InvalidInput, match="at most 10,000 characters"):
        make_idea(body="a" * 10_001)
    assert not Idea.objects.exists()


def test_unverified_member_cannot_post():
    with pytest.raises(NotAllowed, match="confirm your email"):
        make_idea(author=UserFactory(verified=False))
    assert not Idea.objects.exists()


def test_markdown_is_rendered_and_sanitised():
    idea = make_idea(
        body=(
            "**Bold** and <script>alert(1)</script>\n\n"
            "[docs](https://example.com/docs) [bad](javascript:alert(1))\n\n"
            '<img src=x onerror="alert(1)">'
        )
    )

    html = idea.body_html
    assert "<strong>Bold</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="https://example.com/docs"' in html
    assert 'rel="nofollow ugc noopener"' in html
    assert 'href="javascript:' not in html  # left as plain text, never a link
    assert "<img" not in html


def test_tags_are_normalised_and_limited():
    idea = make_idea(tags=["Battery", " battery", "usb-c"])
    assert sorted(idea.tags.names()) == ["battery", "usb-c"]

    with pytest.raises(InvalidInput, match="at most 5 tags"):
        make_idea(tags=["a", "b", "c", "d", "e", "f"])


def test_title_edit_keeps_a_revision_and_changes_the_slug(django_capture_on_commit_callbacks):
    idea = make_idea(title="Original title for the idea")

    updated = services.idea_update(
        editor=idea.author,
        idea_id=idea.pk,
        title="A clearer title for the idea",
        body="New body",
        category=idea.category,
    )

    assert updated.slug == "a-clearer-title-for-the-idea"
    revision = updated.revisions.get()
    assert (revision.title, revision.body) == (
        "Original title for the idea",
        "Because it would help.",
    )


def test_another_member_cannot_edit_or_withdraw():
    idea = make_idea()
    intruder = UserFactory()

    with pytest.raises(NotAllowed):
        services.idea_update(
            editor=intruder,
            idea_id=idea.pk,
            title="Hijacked title here",
            body="x",
            category=idea.category,
        )
    with pytest.raises(NotAllowed):
        services.idea_withdraw(author=intruder, idea_id=idea.pk)
    idea.refresh_from_db()
    assert idea.visibility == "published" and idea.title.startswith("An idea worth")


def test_author_cannot_edit_after_the_window_or_a_staff_answer(settings):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import staff_user

    idea = make_idea()
    late = timezone.now() + timedelta(minutes=settings.IDEA_EDIT_WINDOW_MINUTES + 1)
    with pytest.raises(NotAllowed, match="short while"):
        services.idea_update(
            editor=idea.author,
            idea_id=idea.pk,
            title="Edited too late, sadly",
            body="x",
            category=idea.category,
            now=late,
        )

    services.comment_create(author=staff_user(), idea_id=idea.pk, body="Thanks!", official=True)
    with pytest.raises(NotAllowed, match="not after staff have answered"):
        services.idea_update(
            editor=idea.author,
            idea_id=idea.pk,
            title="Edited after answer",
            body="x",
            category=idea.category,
        )


def test_category_is_required_by_the_form():
    from ideas.forms import IdeaForm

    CategoryFactory()
    form = IdeaForm(data={"title": "A perfectly fine title", "body": "Body", "category": ""})

    assert not form.is_valid()
    assert "category" in form.errors


def test_sending_the_same_idea_twice_creates_it_once():
    author = UserFactory()
    first = make_idea(author=author, title="Double clicked idea title", body="Same body")

    second = make_idea(author=author, title="Double clicked idea title", body="Same body")

    assert second.pk == first.pk
    assert Idea.objects.count() == 1
    assert second.score == 1  # the author's promote, counted once


@pytest.mark.django_db(transaction=True)
def test_two_copies_in_flight_create_one_idea():
    import threading

    from django.db import connection

    author, category = UserFactory(), CategoryFactory()
    start, results = threading.Barrier(2), []

    def submit():
        try:
            start.wait()
            results.append(
                services.idea_create(
                    author=author, title="Idea sent twice at once", body="b", category=category
                ).pk
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 2 and results[0] == results[1]
    assert Idea.objects.count() == 1
