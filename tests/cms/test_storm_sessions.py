from datetime import timedelta

import pytest
from django.utils import timezone

from community.core.exceptions import InvalidInput
from ideas import services
from ideas.exceptions import IdeaClosed
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def test_a_session_is_open_only_between_its_start_and_end(make_session):
    session = make_session(starts_in_days=1, lasts_days=7)
    start, end = session.starts_at, session.ends_at

    assert not session.is_open(start - timedelta(seconds=1))
    assert session.is_open(start)
    assert session.is_open(end - timedelta(seconds=1))
    assert not session.is_open(end)


def test_ideas_go_into_an_open_session_only(make_session):
    session = make_session(starts_in_days=-1, lasts_days=7)

    idea = make_idea(storm_session=session, category=session.product_area)
    assert idea.storm_session == session

    with pytest.raises(InvalidInput, match="not open for ideas"):
        make_idea(storm_session=session, now=session.ends_at + timedelta(minutes=1))
    with pytest.raises(InvalidInput, match="not open for ideas"):
        make_idea(storm_session=session, now=session.starts_at - timedelta(minutes=1))


def test_voting_after_the_session_follows_its_policy(make_session):
    closes = make_session(voting_policy="closes", title="Closes")
    continues = make_session(voting_policy="continues", title="Continues")
    in_closing = make_idea(storm_session=closes)
    in_continuing = make_idea(storm_session=continues)
    after = closes.ends_at + timedelta(hours=1)

    with pytest.raises(IdeaClosed, match="Voting in the Storm Session “Closes” ended"):
        services.vote_cast(voter=UserFactory(), idea_id=in_closing.pk, value=1, now=after)
    result = services.vote_cast(voter=UserFactory(), idea_id=in_continuing.pk, value=1, now=after)
    assert result.idea.score == 2


def test_session_page_lists_its_ideas_and_offers_to_share_while_open(client, make_session):
    session = make_session()
    mine = make_idea(storm_session=session, title="An idea inside the session")
    make_idea(title="An idea outside the session")

    page = client.get(session.url)

    assert [i.title for i in page.context["ideas"]] == [mine.title]
    assert f"/ideas/new/?session={session.pk}" in page.content.decode()
    assert "outcomes" not in page.context


def test_closed_session_shows_outcomes(client, make_session):
    session = make_session(starts_in_days=-10, lasts_days=5)
    # Ideas filed while it was open (the clock is the session's).
    during = session.starts_at + timedelta(days=1)
    answered = make_idea(storm_session=session, now=during)
    make_idea(storm_session=session, now=during)
    services.comment_create(
        author=staff_user(),
        idea_id=answered.pk,
        body="Thanks!",
        official=True,
    )

    page = client.get(session.url)
    html = page.content.decode()

    assert page.context["outcomes"]["total"] == 2 and page.context["outcomes"]["answered"] == 1
    assert "Closed" in html and "Share an idea in this session" not in html


def test_sharing_into_a_closed_session_through_the_form_is_refused(client, make_session):
    session = make_session(starts_in_days=-10, lasts_days=5)
    member = UserFactory()
    client.force_login(member)

    response = client.post(
        "/ideas/new/",
        {
            "title": "Too late for the session",
            "body": "x",
            "category": session.product_area.pk,
            "session": session.pk,
        },
    )

    assert response.status_code == 400
    assert "is not open for ideas right now" in response.content.decode()
    assert not member.ideas.exists()


def test_sharing_into_an_open_session_through_the_form(client, make_session):
    session = make_session()
    client.force_login(UserFactory())

    form = client.get(f"/ideas/new/?session={session.pk}").content.decode()
    response = client.post(
        "/ideas/new/",
        {
            "title": "Charge limit schedules",
            "body": "x",
            "category": session.product_area.pk,
            "session": session.pk,
        },
    )

    assert "You are sharing into the Storm Session" in form
    assert response.status_code == 302
    assert session.ideas.get().title == "Charge limit schedules"


def test_the_session_clock_is_the_server_clock(make_session):
    session = make_session(starts_in_days=-1)
    assert session.is_open() and session.is_open(timezone.now())


def test_the_new_idea_form_for_a_closed_session_is_refused_before_anyone_writes(
    client, make_session
):
    session = make_session(starts_in_days=-10, lasts_days=5, title="Quiet laptops")
    client.force_login(UserFactory())

    response = client.get(f"/ideas/new/?session={session.pk}")

    assert response.status_code == 400
    text = response.content.decode()
    assert "“Quiet laptops” is not open for ideas right now" in text
    assert 'name="title"' not in text  # no form to fill in for nothing


def test_vote_buttons_of_a_closed_sessions_ideas_are_disabled_with_the_reason(client, make_session):
    closes = make_session(starts_in_days=-10, lasts_days=5, voting_policy="closes", title="Over")
    idea = make_idea(storm_session=closes, now=closes.starts_at + timedelta(days=1))
    open_idea = make_idea(title="An idea outside any session")
    client.force_login(UserFactory())

    page = client.get(idea.get_absolute_url(), follow=True).content.decode()
    vote = page[page.index(f'id="vote-{idea.pk}"') :][:2000]
    assert vote.count(" disabled") == 2
    assert "Voting in the Storm Session “Over” ended with the session." in vote

    listing = client.get("/ideas/").content.decode()
    other = listing[listing.index(f'id="vote-{open_idea.pk}"') :][:1500]
    assert " disabled" not in other.split("</form>")[0]
