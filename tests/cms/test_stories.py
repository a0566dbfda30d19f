import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import StoryIdea, StoryPage
from cms.services import story_followers_notify
from community.models import Notification
from ideas import services
from tests.factories import UserFactory, make_idea, publish, staff_user

pytestmark = pytest.mark.django_db


def shipped_idea(**kwargs):
    idea = make_idea(**kwargs)
    staff = staff_user()
    for status in ["under_review", "planned", "in_progress", "shipped"]:
        services.idea_status_change(actor=staff, idea_id=idea.pk, to_status=status, message="Go")
    idea.refresh_from_db()
    return idea


def story(story_index, *ideas, title="Quieter fans, at last"):
    return publish(
        story_index,
        StoryPage(
            title=title,
            summary="The fans are quieter now.",
            body=[("paragraph", "<p>It started here.</p>"), ("idea", {"idea": ideas[0]})],
            story_ideas=[StoryIdea(idea=idea) for idea in ideas],
        ),
    )


def test_a_published_story_shows_its_ideas_and_the_idea_links_back(client, story_index):
    idea = shipped_idea(title="Quieter fans under load please")
    page = story(story_index, idea)

    story_html = client.get(page.url).content.decode()
    idea_html = client.get(idea.get_absolute_url()).content.decode()
    index_html = client.get(story_index.url).content.decode()

    assert "Quieter fans, at last" in story_html and idea.title in story_html
    assert "The idea behind it" in story_html  # the idea-card block
    assert "Read the story: Quieter fans, at last" in idea_html
    assert "The fans are quieter now." in index_html


@pytest.mark.parametrize("status", ["new", "planned", "in_progress", "not_planned"])
def test_only_shipped_ideas_can_be_linked(status):
    idea = make_idea(title="An idea that has not shipped")
    if status != "new":
        idea.status = status
        idea.save(update_fields=["status"])

    with pytest.raises(ValidationError, match="can only link shipped or partially shipped"):
        StoryIdea(idea=idea).clean()


def test_the_editor_refuses_an_unshipped_idea_with_a_clear_message(client, story_index):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    idea = make_idea(title="Still only an idea, not shipped")

    response = client.post(
        f"/admin/pages/add/cms/storypage/{story_index.pk}/",
        nested_form_data(
            {
                "title": "A story about nothing shipped",
                "slug": "nothing-shipped",
                "summary": "Nope.",
                "body": streamfield([("paragraph", rich_text("<p>Body</p>"))]),
                "story_ideas": inline_formset([{"idea": idea.pk}]),
                "action-publish": "publish",
            }
        ),
    )

    assert response.status_code == 200  # the form again, not a redirect
    assert "can only link shipped or partially shipped ideas" in response.content.decode()
    assert not StoryPage.objects.filter(slug="nothing-shipped").exists()


def test_followers_hear_once_when_a_story_is_first_published(story_index, run_tasks):
    follower = UserFactory()
    idea = shipped_idea(author=follower)
    services.follow_set(user=UserFactory(), idea_id=idea.pk, following=True)

    page = story(story_index, idea)
    run_tasks()
    page.save_revision().publish()  # a later edit
    run_tasks()

    notes = Notification.objects.filter(kind="story")
    assert notes.count() == 2
    assert {n.url for n in notes} == {page.url}
    assert story_followers_notify(story_id=page.pk) == 0


def test_a_story_stops_showing_an_idea_withdrawn_after_it_was_linked(client, story_index):
    author = UserFactory()
    idea = shipped_idea(author=author, title="Shipped then withdrawn idea")
    page = story(story_index, idea)

    services.idea_withdraw(author=author, idea_id=idea.pk)

    html = client.get(page.url).content.decode()
    assert "Shipped then withdrawn idea" not in html
    assert client.get(page.url).status_code == 200


def _partly_shipped(author):
    idea = make_idea(author=author)
    staff = staff_user()
    for status in ["under_review", "planned", "in_progress", "partially_shipped"]:
        services.idea_status_change(actor=staff, idea_id=idea.pk, to_status=status, message="Go")
    return idea, staff


def test_the_shipped_email_names_the_ideas_public_story(story_index, run_tasks, mailoutbox):
    author = UserFactory()
    idea, staff = _partly_shipped(author)
    page = story(story_index, idea, title="Quiet fans for everyone")
    run_tasks()
    mailoutbox.clear()

    services.idea_status_change(actor=staff, idea_id=idea.pk, to_status="shipped", message="Done")
    run_tasks()

    [mail] = [m for m in mailoutbox if m.to == [author.email]]
    link = f"http://testserver{page.url}"
    assert "Quiet fans for everyone" in mail.body and link in mail.body
    html = mail.alternatives[0][0]
    assert f'href="{link}"' in html and "Quiet fans for everyone" in html


def test_the_shipped_email_leaves_out_a_story_not_everyone_may_read(
    story_index, run_tasks, mailoutbox
):
    from wagtail.models import PageViewRestriction

    author = UserFactory()
    idea, staff = _partly_shipped(author)
    page = story(story_index, idea, title="Members-only story")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    run_tasks()
    mailoutbox.clear()

    services.idea_status_change(actor=staff, idea_id=idea.pk, to_status="shipped", message="Done")
    run_tasks()

    [mail] = [m for m in mailoutbox if m.to == [author.email]]
    assert "Members-only story" not in mail.body and "story of what shipped" not in mail.body
