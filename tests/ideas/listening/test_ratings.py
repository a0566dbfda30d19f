"""Ratings of how well we listened: who may rate, when, changing it, and privacy."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from community import roles
from community.core.exceptions import InvalidInput, NotAllowed
from community.models import Notification
from ideas import services
from ideas.listening import selectors
from ideas.listening import services as listening
from ideas.listening.models import ListeningRating
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
ANSWERED, DECIDED = ListeningRating.Stage.ANSWERED, ListeningRating.Stage.DECIDED


@pytest.fixture
def responder():
    return staff_user(roles.PRODUCT_MANAGER)


@pytest.fixture
def idea():
    return make_idea(title="Let the keyboard backlight stay on", now=T0)


def answer(idea, responder, *, at=T0 + timedelta(hours=5)):
    services.comment_create(
        author=responder,
        idea_id=idea.pk,
        body=f"We are looking at the firmware for idea {idea.pk}; thank you for the detail.",
        official=True,
        now=at,
    )


def decide(idea, responder, to_status="planned", *, at=T0 + timedelta(days=3)):
    services.idea_status_change(
        actor=responder, idea_id=idea.pk, to_status=to_status, message="On the plan.", now=at
    )


def test_the_author_may_rate_once_answered_and_not_before(idea, responder):
    with pytest.raises(NotAllowed):
        listening.rating_set(rater=idea.author, idea_id=idea.pk, stage=ANSWERED, score=8)
    answer(idea, responder)

    rating = listening.rating_set(
        rater=idea.author, idea_id=idea.pk, stage=ANSWERED, score=8, comment="  Quick,  thanks "
    )

    assert (rating.score, rating.comment, rating.stage) == (8, "Quick, thanks", ANSWERED)


def test_a_voter_may_rate_only_the_decision(idea, responder):
    voter = UserFactory()
    services.vote_cast(voter=voter, idea_id=idea.pk, value=1)
    answer(idea, responder)
    with pytest.raises(NotAllowed):
        listening.rating_set(rater=voter, idea_id=idea.pk, stage=ANSWERED, score=5)
    with pytest.raises(NotAllowed):
        listening.rating_set(rater=voter, idea_id=idea.pk, stage=DECIDED, score=5)

    decide(idea, responder, "not_planned")

    assert listening.rating_set(rater=voter, idea_id=idea.pk, stage=DECIDED, score=5).score == 5


def test_someone_who_did_not_vote_may_not_rate(idea, responder):
    answer(idea, responder)
    decide(idea, responder)
    bystander = UserFactory()
    with pytest.raises(NotAllowed):
        listening.rating_set(rater=bystander, idea_id=idea.pk, stage=DECIDED, score=9)
    assert selectors.rating_prompt(idea=idea, viewer=bystander) is None


def test_a_rating_changes_and_stays_one_per_person_and_stage(idea, responder):
    answer(idea, responder)
    decide(idea, responder)
    author = idea.author
    listening.rating_set(rater=author, idea_id=idea.pk, stage=ANSWERED, score=3, now=T0)
    listening.rating_set(rater=author, idea_id=idea.pk, stage=DECIDED, score=6, now=T0)
    later = T0 + timedelta(days=1)

    changed = listening.rating_set(
        rater=author, idea_id=idea.pk, stage=ANSWERED, score=10, comment="Better", now=later
    )

    rows = ListeningRating.objects.filter(idea=idea, rater=author).order_by("stage")
    assert [(r.stage, r.score) for r in rows] == [(ANSWERED, 10), (DECIDED, 6)]
    assert changed.rated_at == later and changed.created_at == T0


@pytest.mark.parametrize(
    "score, stage, comment",
    [(11, ANSWERED, ""), (-1, ANSWERED, ""), ("7", ANSWERED, ""), (7, "later", ""),
     (7, ANSWERED, "x" * 301)],
)  # fmt: skip
def test_bad_ratings_are_refused_with_a_message(idea, responder, score, stage, comment):
    answer(idea, responder)
    with pytest.raises(InvalidInput):
        listening.rating_set(
            rater=idea.author, idea_id=idea.pk, stage=stage, score=score, comment=comment
        )
    assert not ListeningRating.objects.exists()


def test_a_suspended_or_unverified_member_may_not_rate(idea, responder):
    answer(idea, responder)
    idea.author.emailaddress_set.update(verified=False)
    with pytest.raises(NotAllowed):
        listening.rating_set(rater=idea.author, idea_id=idea.pk, stage=ANSWERED, score=9)


def test_the_first_answer_asks_the_author_to_rate_in_the_notification(idea, responder, run_tasks):
    follower = UserFactory()
    services.follow_set(user=follower, idea_id=idea.pk, following=True)

    answer(idea, responder)
    run_tasks()  # the worker tells the followers

    asked = Notification.objects.get(user=idea.author)
    told = Notification.objects.get(user=follower)
    assert "How well did we listen to you?" in asked.text
    assert asked.url.endswith("#listening")
    assert "How well did we listen" not in told.text


def test_a_decision_asks_the_voters_too(idea, responder, run_tasks):
    voter = UserFactory()
    services.vote_cast(voter=voter, idea_id=idea.pk, value=1)
    answer(idea, responder)
    run_tasks()
    Notification.objects.all().delete()

    decide(idea, responder, "planned")
    run_tasks()

    texts = dict(Notification.objects.values_list("user_id", "text"))
    assert "How well did we listen" in texts[voter.pk]
    assert "How well did we listen" in texts[idea.author_id]


def test_the_prompt_shows_on_the_idea_page_and_a_rating_posts(client, idea, responder):
    answer(idea, responder)
    client.force_login(idea.author)
    page = client.get(idea.get_absolute_url())
    assert "How well did we listen to you on this idea?" in page.content.decode()

    response = client.post(
        reverse("listening:rate", args=[idea.pk]),
        {"stage": ANSWERED, "score": "9", "comment": "Heard."},
    )

    assert response.status_code == 302 and response["Location"].endswith("#listening")
    assert "You rated us 9 out of 10" in client.get(idea.get_absolute_url()).content.decode()


def test_bad_input_on_the_page_is_a_400_with_the_message(client, idea, responder):
    answer(idea, responder)
    client.force_login(idea.author)
    response = client.post(
        reverse("listening:rate", args=[idea.pk]), {"stage": ANSWERED, "score": "12"}
    )
    assert response.status_code == 400
    assert "Choose a rating from 0" in response.content.decode()
    other = UserFactory()
    client.force_login(other)
    response = client.post(
        reverse("listening:rate", args=[idea.pk]), {"stage": ANSWERED, "score": "5"}
    )
    assert response.status_code == 403


def test_ratings_are_never_shown_with_names_in_public(client, idea, responder, settings):
    settings.LISTENING_SCORE_MIN_RATINGS = 1
    answer(idea, responder)
    idea.author.display_name = "Ingrid Quietname"
    idea.author.save()
    listening.rating_set(
        rater=idea.author, idea_id=idea.pk, stage=ANSWERED, score=2, comment="Secret sentence"
    )
    anonymous_pages = [idea.get_absolute_url(), reverse("listening:report")]
    for url in anonymous_pages:
        body = client.get(url).content.decode()
        assert "Secret sentence" not in body
    report = client.get(reverse("listening:report")).content.decode()
    assert "Ingrid Quietname" not in report

    client.force_login(responder)
    triage = client.get(reverse("staff:idea", args=[idea.pk])).content.decode()
    assert "Secret sentence" in triage and "2/10" in triage
