"""The shared page cache as visitors, members and operators meet it (community/pagecache.py).

Anonymous visitors get the idea lists, idea pages, Wagtail pages, the roadmap and
the listening report from one rendered copy in Redis: the second request makes
no query. A committed change shows on the next request; members who see what a
visitor sees get the same copy with only their own parts filled in, and nobody
gets another person's CSRF token.
"""

import copy
import re
import socket

import pytest
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cms.models import StandardPage
from community import pagecache, roles
from community.moderation import services as moderation
from ideas import services
from tests.factories import CategoryFactory, UserFactory, make_idea, publish, staff_user

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANY_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")  # a masked CSRF token, each visitor's own


def a_moderator():
    return staff_user(roles.COMMUNITY_MANAGER)


def state(response) -> str | None:
    return response.headers.get(pagecache.HEADER)


@pytest.fixture
def site(home, story_index, make_session):
    """A small community: ideas, a shipped one with an official answer, a Storm Session."""
    idea = make_idea(title="Backlit keys for night owls", tags=["keyboard"])
    shipped = make_idea(title="Swap batteries in the field")
    staff = staff_user()
    services.comment_create(author=staff, idea_id=shipped.pk, body="We built it.", official=True)
    for status in ("planned", "in_progress", "shipped"):
        services.idea_status_change(actor=staff, idea_id=shipped.pk, to_status=status, message="On")
    make_session(title="Battery life week")
    return {"idea": idea, "shipped": shipped, "staff": staff}


CACHED_PAGES = [
    "/",
    "/ideas/",
    "/ideas/?sort=top",
    "/ideas/?sort=new&page=1",
    "/ideas/?sort=top&period=month",
    "/ideas/?tag=keyboard",
    "/ideas/shipped/",
    "/roadmap/",
    "/listening/",
    "/storm-sessions/",
]


@pytest.mark.parametrize("path", CACHED_PAGES)
def test_a_second_visitor_is_served_without_touching_the_database(
    site, path, django_assert_num_queries
):
    first = Client().get(path)
    with django_assert_num_queries(0):
        second = Client().get(path)

    assert first.status_code == second.status_code == 200
    assert (state(first), state(second)) == ("miss", "hit")
    assert ANY_TOKEN.sub("", first.content.decode()) == ANY_TOKEN.sub("", second.content.decode())


def test_the_idea_page_is_served_without_touching_the_database(site, django_assert_num_queries):
    path = site["shipped"].get_absolute_url()
    Client().get(path)
    with django_assert_num_queries(0):
        second = Client().get(path)

    assert state(second) == "hit"
    assert "We built it." in second.content.decode()


def test_query_parameters_in_another_order_share_one_copy(site):
    assert state(Client().get("/ideas/?sort=top&period=week")) == "miss"
    assert state(Client().get("/ideas/?period=week&sort=top")) == "hit"
    assert state(Client().get("/ideas/?period=month&sort=top")) == "miss"


def test_each_language_has_its_own_copy(site):
    english = Client().get("/ideas/")
    german = Client(HTTP_ACCEPT_LANGUAGE="de").get("/ideas/")
    german_again = Client(HTTP_ACCEPT_LANGUAGE="de").get("/ideas/")

    assert (state(english), state(german), state(german_again)) == ("miss", "miss", "hit")
    assert '<html lang="de"' in german_again.content.decode()
    assert german_again.headers["Content-Language"] == "de"


# --- Members and other people's HTML -----------------------------------------------


def test_a_member_first_on_an_idea_page_draws_the_visitors_copy_with_nothing_of_theirs(site):
    member = UserFactory(display_name="Mira Member")
    path = site["idea"].get_absolute_url()

    mine = signed_in(member).get(path)
    visitor = Client().get(path)

    assert (state(mine), state(visitor)) == ("miss", "hit")
    assert "Sign out" in mine.content.decode() and "Mira Member" in mine.content.decode()
    assert "Sign out" not in visitor.content.decode()
    assert "Mira Member" not in visitor.content.decode()
    assert "Follow" in mine.content.decode() and "Follow" not in visitor.content.decode()


def test_a_visitor_with_a_session_or_waiting_messages_gets_their_own_page(site):
    Client().get("/ideas/")
    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "someone-elses-session"
    with_messages = Client()
    with_messages.cookies["messages"] = "a message for this visitor"

    assert state(with_session.get("/ideas/")) is None
    assert state(with_messages.get("/ideas/")) is None
    assert state(Client().get("/ideas/", headers={"HX-Request": "true"})) is None


def test_errors_and_missing_pages_are_not_kept(site):
    assert Client().get("/ideas/?sort=loudest").status_code == 400
    assert state(Client().get("/ideas/?sort=loudest")) == "miss"
    assert Client().get("/ideas/99999999/").status_code == 404
    assert Client().get("/no-such-page/").status_code == 404
    assert state(Client().get("/no-such-page/")) is None  # a 404 raised: never a copy


# --- CSRF -------------------------------------------------------------------------


def test_visitors_served_from_the_cache_each_get_their_own_working_token(site):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get("/ideas/")
    second_page = second.get("/ideas/")

    assert (state(first_page), state(second_page)) == ("miss", "hit")
    first_token = TOKEN.search(first_page.content.decode()).group(1)
    second_token = TOKEN.search(second_page.content.decode()).group(1)
    assert pagecache.CSRF_PLACEHOLDER not in second_page.content.decode()
    assert first_token != second_token
    # Each token belongs to its own visitor's CSRF cookie, set on the cached answer too.
    for browser, token in [(first, first_token), (second, second_token)]:
        secret = browser.cookies[settings.CSRF_COOKIE_NAME].value
        assert _unmask_cipher_token(token) == secret
    assert _unmask_cipher_token(first_token) != _unmask_cipher_token(second_token)
    # The htmx header carries the same visitor's token.
    assert f'"X-CSRFToken": "{second_token}"' in second_page.content.decode()

    # The footer's language switcher works from the cached page, with its token.
    switched = second.post(
        "/i18n/setlang/",
        {"csrfmiddlewaretoken": second_token, "language": "de", "next": "/ideas/"},
    )
    assert switched.status_code == 302
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert '<html lang="de"' in second.get("/ideas/").content.decode()
    # Someone else's token does not pass.
    refused = second.post(
        "/i18n/setlang/", {"csrfmiddlewaretoken": "x" * 64, "language": "en", "next": "/"}
    )
    assert refused.status_code == 403


def test_a_visitor_who_already_has_a_csrf_cookie_keeps_it(site):
    Client().get("/ideas/")
    browser = Client(enforce_csrf_checks=True)
    browser.get("/roadmap/")
    secret = browser.cookies[settings.CSRF_COOKIE_NAME].value

    page = browser.get("/ideas/")

    assert state(page) == "hit"
    assert _unmask_cipher_token(TOKEN.search(page.content.decode()).group(1)) == secret


# --- Changes show on the next request ---------------------------------------------


def html(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def committed(django_capture_on_commit_callbacks, change):
    """Run a change as a request would: its after-commit work runs when it commits."""
    with django_capture_on_commit_callbacks(execute=True):
        return change()


def test_a_vote_shows_on_the_lists_and_the_idea_page(site, django_capture_on_commit_callbacks):
    idea = site["idea"]
    page = idea.get_absolute_url()
    assert "data-idea-score>1<" in html(page)
    html("/ideas/?sort=top")
    voter = UserFactory()

    committed(
        django_capture_on_commit_callbacks,
        lambda: services.vote_cast(voter=voter, idea_id=idea.pk, value=1),
    )

    assert "data-idea-score>2<" in html(page)
    card = rf'id="vote-{idea.pk}".*?data-idea-score>2<'
    assert re.search(card, html("/ideas/?sort=top"), re.S)


def test_a_page_drawn_while_a_vote_commits_is_not_served_after_it(
    site, monkeypatch, django_capture_on_commit_callbacks
):
    """The copy drawn from the data before the vote is stored, but stamped with the
    generations read before drawing: the next visitor gets the page with the vote."""
    from ideas.views import detail

    idea = site["idea"]
    voter = UserFactory()
    read_detail = detail.selectors.idea_detail

    def read_then_vote(**kwargs):
        found = read_detail(**kwargs)  # the count as it was
        committed(
            django_capture_on_commit_callbacks,
            lambda: services.vote_cast(voter=voter, idea_id=idea.pk, value=1),
        )
        return found

    monkeypatch.setattr(detail.selectors, "idea_detail", read_then_vote)
    assert "data-idea-score>1<" in html(idea.get_absolute_url())
    monkeypatch.setattr(detail.selectors, "idea_detail", read_detail)

    after = Client().get(idea.get_absolute_url())
    assert state(after) == "miss"
    assert "data-idea-score>2<" in after.content.decode()


def test_a_comment_shows_on_the_idea_page(site, django_capture_on_commit_callbacks):
    idea = site["idea"]
    assert "Night mode would be lovely" not in html(idea.get_absolute_url())

    committed(
        django_capture_on_commit_callbacks,
        lambda: services.comment_create(
            author=UserFactory(), idea_id=idea.pk, body="Night mode would be lovely"
        ),
    )

    assert "Night mode would be lovely" in html(idea.get_absolute_url())


def test_an_edited_comment_shows_its_new_text(site, django_capture_on_commit_callbacks):
    idea, author = site["idea"], UserFactory()
    comment = committed(
        django_capture_on_commit_callbacks,
        lambda: services.comment_create(author=author, idea_id=idea.pk, body="First thought"),
    )
    assert "First thought" in html(idea.get_absolute_url())

    committed(
        django_capture_on_commit_callbacks,
        lambda: services.comment_update(editor=author, comment_id=comment.pk, body="Better one"),
    )

    page = html(idea.get_absolute_url())
    assert "Better one" in page and "First thought" not in page


def test_a_status_change_shows_everywhere(site, django_capture_on_commit_callbacks):
    idea = site["idea"]
    for path in (idea.get_absolute_url(), "/ideas/", "/roadmap/"):
        html(path)
    assert "Backlit keys for night owls" not in html("/ideas/?status=planned")

    for status in ("under_review", "planned"):
        committed(
            django_capture_on_commit_callbacks,
            lambda status=status: services.idea_status_change(
                actor=site["staff"], idea_id=idea.pk, to_status=status, message="Coming soon."
            ),
        )

    assert "Coming soon." in html(idea.get_absolute_url())
    assert "Backlit keys for night owls" in html("/ideas/?status=planned")
    board = html("/roadmap/").split('id="column-planned"', 1)[1]
    assert "Backlit keys for night owls" in board.split('id="column-', 1)[0]


def test_a_new_idea_shows_on_the_lists_and_the_home_page(site, django_capture_on_commit_callbacks):
    for path in ("/", "/ideas/?sort=new"):
        html(path)

    committed(
        django_capture_on_commit_callbacks,
        lambda: make_idea(title="A keyboard that glows in the dark"),
    )

    assert "A keyboard that glows in the dark" in html("/ideas/?sort=new")
    assert "A keyboard that glows in the dark" in html("/")


def test_an_idea_hidden_by_a_moderator_leaves_every_page(site, django_capture_on_commit_callbacks):
    idea = site["idea"]
    assert Client().get(idea.get_absolute_url()).status_code == 200
    assert idea.title in html("/ideas/")
    moderator = staff_user(roles.COMMUNITY_MANAGER)

    committed(
        django_capture_on_commit_callbacks,
        lambda: moderation.idea_hide(actor=moderator, idea_id=idea.pk, reason="Spam"),
    )

    assert Client().get(idea.get_absolute_url()).status_code == 404
    assert idea.title not in html("/ideas/")
    assert idea.title not in html("/")


def test_a_locked_discussion_shows_at_once(site, django_capture_on_commit_callbacks):
    idea = site["idea"]
    html(idea.get_absolute_url())
    moderator = staff_user(roles.COMMUNITY_MANAGER)

    committed(
        django_capture_on_commit_callbacks,
        lambda: moderation.thread_lock(actor=moderator, idea_id=idea.pk, reason="Heated"),
    )

    assert "A moderator locked this discussion" in html(idea.get_absolute_url())


def test_a_published_wagtail_page_shows_in_every_menu(
    site, home, django_capture_on_commit_callbacks
):
    for path in ("/", "/ideas/", site["idea"].get_absolute_url()):
        html(path)

    committed(
        django_capture_on_commit_callbacks,
        lambda: publish(home, StandardPage(title="Community guidelines", show_in_menus=True)),
    )

    for path in ("/", "/ideas/", site["idea"].get_absolute_url()):
        assert "Community guidelines" in html(path), path


def test_a_renamed_product_area_shows_on_every_page(site, django_capture_on_commit_callbacks):
    idea = site["idea"]
    html(idea.get_absolute_url())
    html("/ideas/")
    editor = Client()
    editor.force_login(staff_user(roles.PRODUCT_MANAGER))
    category = idea.category

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("wagtailsnippets_ideas_category:edit", args=[category.pk]),
            {"name": "Keyboards and mice", "slug": category.slug, "position": 0},
        )
    assert response.status_code == 302, response.content.decode()[:2000]

    assert "Keyboards and mice" in html(idea.get_absolute_url())
    assert "<span>Keyboards and mice</span>" in html("/ideas/")  # on the idea's card


def test_a_renamed_tag_shows_on_the_cards(site, django_capture_on_commit_callbacks):
    from ideas.services.tags import tag_rename

    idea = site["idea"]
    assert ">keyboard</a>" in html("/ideas/")
    tag = idea.tags.get()

    committed(
        django_capture_on_commit_callbacks,
        lambda: tag_rename(actor=staff_user(roles.PRODUCT_MANAGER), tag_id=tag.pk, name="keys"),
    )

    page = html("/ideas/")
    assert ">keys</a>" in page and ">keyboard</a>" not in page


def test_a_members_new_name_shows_beside_their_comments(site, django_capture_on_commit_callbacks):
    from community.members.services import member_profile_update

    idea, author = site["idea"], UserFactory(display_name="Old Name")
    committed(
        django_capture_on_commit_callbacks,
        lambda: services.comment_create(author=author, idea_id=idea.pk, body="Count me in"),
    )
    assert "Old Name" in html(idea.get_absolute_url())

    committed(
        django_capture_on_commit_callbacks,
        lambda: member_profile_update(member=author, display_name="New Name", bio=""),
    )

    page = html(idea.get_absolute_url())
    assert "New Name" in page and "Old Name" not in page


def test_a_change_that_rolls_back_drops_nothing(site, django_capture_on_commit_callbacks):
    from django.db import transaction

    html("/ideas/")
    voter = UserFactory()

    class RolledBack(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RolledBack),
        transaction.atomic(),
    ):
        services.vote_cast(voter=voter, idea_id=site["idea"].pk, value=1)
        raise RolledBack

    assert state(Client().get("/ideas/")) == "hit"


# --- The clock and outages ---------------------------------------------------------


def test_a_copy_lasts_no_longer_than_the_next_storm_session_change(site, make_session):
    now = timezone.now()
    assert pagecache._seconds_to_keep(now) == settings.PAGE_CACHE_SECONDS
    # Publishing the session starts a new site generation, which reads the clock again.
    make_session(title="Closing soon", starts_in_days=-1, lasts_days=1 + 20 / 86400)
    pagecache.generations_next([pagecache.SITE])

    assert 0 < pagecache._seconds_to_keep(now) <= 21


def test_pages_render_when_redis_is_unreachable(site):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["LOCATION"] = f"redis://127.0.0.1:{port}/0"
    with override_settings(CACHES=caches):
        first, second = Client().get("/ideas/"), Client().get("/ideas/")

    assert first.status_code == second.status_code == 200
    assert (state(first), state(second)) == ("miss", "miss")
    assert pagecache.CSRF_PLACEHOLDER not in second.content.decode()


def test_the_page_cache_can_be_switched_off(site):
    with override_settings(PAGE_CACHE_SECONDS=0):
        assert state(Client().get("/ideas/")) is None
        assert state(Client().get("/ideas/")) is None


def test_an_idea_moved_to_another_area_shows_there(site, django_capture_on_commit_callbacks):
    from ideas.triage.services import idea_assign

    idea, mice = site["idea"], CategoryFactory(name="Mice", slug="mice")
    assert idea.title not in html("/ideas/?category=mice")
    manager = staff_user(roles.PRODUCT_MANAGER)

    committed(
        django_capture_on_commit_callbacks,
        lambda: idea_assign(actor=manager, idea_id=idea.pk, category_id=mice.pk),
    )

    assert idea.title in html("/ideas/?category=mice")


def test_far_future_sessions_do_not_shorten_copies(site, make_session):
    make_session(title="Next year", starts_in_days=300)
    pagecache.generations_next([pagecache.SITE])

    assert pagecache._seconds_to_keep(timezone.now()) == settings.PAGE_CACHE_SECONDS


# --- Members served the visitors' copy of a list -----------------------------------


def signed_in(user, **kwargs) -> Client:
    browser = Client(**kwargs)
    browser.force_login(user)
    return browser


def pressed(page: str, idea_pk: int, direction: str) -> str:
    """aria-pressed of the idea's up or down button on the page."""
    button = re.search(rf'<button[^>]*id="vote-{idea_pk}-{direction}"[^>]*>', page, re.S)
    return re.search(r'aria-pressed="(\w+)"', button.group(0)).group(1)


def test_a_member_gets_the_visitors_list_with_their_own_votes_and_bell(site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from community.models import Notification

    idea, shipped = site["idea"], site["shipped"]
    mira = UserFactory(display_name="Mira Member")
    services.vote_cast(voter=mira, idea_id=idea.pk, value=1)
    services.vote_cast(voter=mira, idea_id=shipped.pk, value=-1)
    Notification.objects.create(
        user=mira, kind="reply", text="A reply", url="/", created_at=timezone.now()
    )
    visitor = Client().get("/ideas/")
    browser = signed_in(mira)
    browser.get("/ideas/shipped/")  # their own page (no copy yet): the cold cache warmed

    with CaptureQueriesContext(connection) as queries:
        page = browser.get("/ideas/")

    assert (state(visitor), state(page)) == ("miss", "hit")
    html = page.content.decode()
    assert (pressed(html, idea.pk, "up"), pressed(html, idea.pk, "down")) == ("true", "false")
    assert (pressed(html, shipped.pk, "up"), pressed(html, shipped.pk, "down")) == ("false", "true")
    assert "Sign out" in html and "Sign in" not in html
    assert 'title="Mira Member"' in html
    assert "Notifications, 1 unread" in html
    # Who is asking (the session; the member with their groups and bell), their votes:
    # no idea is read.
    assert len(queries) <= 3, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    assert not any('"ideas_idea"' in q["sql"] for q in queries.captured_queries)
    # The visitors' copy itself is untouched.
    again = Client().get("/ideas/").content.decode()
    assert pressed(again, idea.pk, "up") == "false" and "Mira Member" not in again


def test_each_member_sees_only_their_own_votes(site):
    idea = site["idea"]
    mira, noor = UserFactory(display_name="Mira"), UserFactory(display_name="Noor")
    services.vote_cast(voter=mira, idea_id=idea.pk, value=1)
    Client().get("/ideas/")

    for_mira = signed_in(mira).get("/ideas/").content.decode()
    for_noor = signed_in(noor).get("/ideas/")

    assert state(for_noor) == "hit"
    assert pressed(for_mira, idea.pk, "up") == "true"
    assert pressed(for_noor.content.decode(), idea.pk, "up") == "false"
    assert 'title="Noor"' in for_noor.content.decode()
    assert "Mira" not in for_noor.content.decode()


def test_a_members_vote_posts_from_the_shared_copy(site, django_capture_on_commit_callbacks):
    idea, member = site["idea"], UserFactory()
    Client().get("/ideas/")
    browser = signed_in(member, enforce_csrf_checks=True)
    page = browser.get("/ideas/")
    token = TOKEN.search(page.content.decode()).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        voted = browser.post(
            f"/ideas/{idea.pk}/vote/", {"value": "1", "csrfmiddlewaretoken": token}
        )

    assert state(page) == "hit"
    assert voted.status_code in (200, 302)
    after = browser.get("/ideas/").content.decode()
    assert pressed(after, idea.pk, "up") == "true"


def test_staff_and_members_of_a_limited_group_get_their_own_lists(site, make_session):
    from django.contrib.auth.models import Group

    Client().get("/ideas/")
    beta = Group.objects.create(name="Beta testers")
    make_session(title="Beta week", restricted_to=beta)
    tester, other = UserFactory(), UserFactory()
    tester.groups.add(beta)
    other.groups.add(Group.objects.create(name="Newsletter readers"))

    assert state(signed_in(staff_user()).get("/ideas/")) is None
    assert state(signed_in(tester).get("/ideas/")) is None
    assert state(signed_in(other).get("/ideas/")) == "hit"


def test_a_member_with_a_message_waiting_gets_their_own_page(site):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    Client().get("/ideas/")
    browser = signed_in(UserFactory())
    storage = CookieStorage(RequestFactory().get("/"))
    message = Message(constants.SUCCESS, "Your rating is saved.")
    browser.cookies[CookieStorage.cookie_name] = storage._encode([message])

    page = browser.get("/ideas/")

    assert state(page) is None
    assert "Your rating is saved." in page.content.decode()


def test_a_list_only_members_read_gets_its_shared_copy_too(site):
    member, other = UserFactory(display_name="First Reader"), UserFactory(display_name="Next")

    first = signed_in(member).get("/ideas/")
    second = signed_in(other).get("/ideas/")
    visitor = Client().get("/ideas/")

    assert (state(first), state(second), state(visitor)) == ("miss", "hit", "hit")
    assert 'title="First Reader"' in first.content.decode()
    assert "First Reader" not in second.content.decode() + visitor.content.decode()


def test_a_member_who_may_see_what_visitors_may_not_gets_their_own_page(
    site, django_capture_on_commit_callbacks
):
    idea = site["idea"]
    with django_capture_on_commit_callbacks(execute=True):
        moderation.idea_hide(actor=a_moderator(), idea_id=idea.pk, reason="Off topic.")

    page = signed_in(idea.author).get(idea.get_absolute_url())

    assert page.status_code == 200 and state(page) == "miss"
    assert "A moderator hid this idea." in page.content.decode()
    assert Client().get(idea.get_absolute_url()).status_code == 404


# --- Members served the visitors' copy of an idea page -----------------------------


@pytest.fixture
def discussed(site):
    """An idea with a discussion: a comment with a reply, and a comment a moderator hid."""
    idea = site["idea"]
    first = services.comment_create(author=UserFactory(), idea_id=idea.pk, body="Yes, please.")
    services.comment_create(
        author=UserFactory(), idea_id=idea.pk, body="Amber light, too.", parent_id=first.pk
    )
    rude = services.comment_create(author=UserFactory(), idea_id=idea.pk, body="Rubbish.")
    moderation.comment_hide(actor=a_moderator(), comment_id=rude.pk, reason="Rude.")
    return idea


def as_drawn_for_them(browser, path: str) -> str:
    """The member's page rendered for them alone, with no shared copy."""
    with override_settings(PAGE_CACHE_SECONDS=0):
        return browser.get(path).content.decode()


RELATIVE_TIME = re.compile(r"(<time[^>]*>)[^<]*(</time>)")


def without_tokens(page: str) -> str:
    """The page less each reader's CSRF token and the "5 seconds ago" texts (a copy keeps
    the moment it was drawn, and the test's renders are moments apart)."""
    return RELATIVE_TIME.sub(r"\1\2", ANY_TOKEN.sub("", page))


def suspended(member):
    from community.models import Suspension

    Suspension.objects.create(
        member=member, actor=UserFactory(), reason="Abuse.", created_at=timezone.now()
    )
    return member


READERS = {
    "a member": lambda idea: UserFactory(),
    "a follower who promoted it": lambda idea: _follower_who_voted(idea),
    "a member who has not confirmed their email": lambda idea: UserFactory(verified=False),
    "a suspended member": lambda idea: suspended(UserFactory()),
}


def _follower_who_voted(idea):
    member = UserFactory()
    services.follow_set(user=member, idea_id=idea.pk, following=True)
    services.vote_cast(voter=member, idea_id=idea.pk, value=1)
    return member


@pytest.mark.parametrize("reader", READERS)
def test_a_member_gets_the_visitors_idea_page_exactly_as_their_own_render(discussed, reader):
    path = discussed.get_absolute_url()
    member = READERS[reader](discussed)
    visitor = Client().get(path)
    browser = signed_in(member)

    page = browser.get(path)

    assert (state(visitor), state(page)) == ("miss", "hit")
    assert without_tokens(page.content.decode()) == without_tokens(as_drawn_for_them(browser, path))
    # The visitors' copy itself is untouched.
    again = Client().get(path).content.decode()
    assert "to comment and vote." in again and "Follow" not in again and "Sign out" not in again


def test_what_a_member_may_do_on_the_shared_idea_page(
    discussed, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = discussed.get_absolute_url()
    Client().get(path)
    browser = signed_in(UserFactory(), enforce_csrf_checks=True)

    with CaptureQueriesContext(connection) as queries:
        page = browser.get(path)

    html = page.content.decode()
    assert state(page) == "hit"
    assert 'id="comment-form"' in html and "Post reply" in html
    assert html.count(">Flag</a>") == 3  # the idea, the comment and the reply; not the hidden one
    assert 'value="1"><button class="btn btn--secondary" type="submit">Follow' in html
    # Who is asking, the bell, their vote, and what they may do: the thread is not read.
    assert len(queries) <= 6, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any("JOIN" in one and '"ideas_comment"' in one for one in sql)

    token = TOKEN.search(html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        followed = browser.post(
            f"/ideas/{discussed.pk}/follow/", {"following": "1", "csrfmiddlewaretoken": token}
        )
    assert followed.status_code in (200, 302)
    shown = browser.get(path)  # their own page: it shows the message the follow left
    assert state(shown) is None and "Unfollow" in shown.content.decode()
    # A browser drops the spent message cookie (deleted with Max-Age=0); the test client keeps it.
    del browser.cookies["messages"]
    after = browser.get(path)
    assert state(after) == "hit" and "Unfollow" in after.content.decode()


def test_the_author_and_members_who_commented_get_their_own_idea_page(discussed):
    path = discussed.get_absolute_url()
    Client().get(path)
    commenter = discussed.comments.filter(hidden_at=None).first().author

    for_author = signed_in(discussed.author).get(path)
    for_commenter = signed_in(commenter).get(path)

    assert (state(for_author), state(for_commenter)) == ("miss", "miss")
    assert ">Withdraw</button>" in for_author.content.decode()
    assert ">Remove</button>" in for_commenter.content.decode()  # their own comment


def test_a_voter_asked_to_rate_a_decided_idea_gets_their_own_page(site):
    shipped = site["shipped"]
    path = shipped.get_absolute_url()
    voter = UserFactory()
    services.vote_cast(voter=voter, idea_id=shipped.pk, value=1)
    Client().get(path)

    page = signed_in(voter).get(path)

    assert state(page) == "miss"
    assert 'name="score"' in page.content.decode()


# --- Members on Wagtail's pages ------------------------------------------------------


def a_story(story_index, shipped, title="Field-swappable batteries are here"):
    from cms.models import StoryIdea, StoryPage

    return publish(
        story_index,
        StoryPage(
            title=title,
            summary="Swap a battery without a screwdriver.",
            body=[("paragraph", "<p>How we built it.</p>")],
            story_ideas=[StoryIdea(idea=shipped)],
        ),
    )


def wagtail_pages(site, home, story_index) -> dict[str, str]:
    from cms.models import StormSessionPage

    story = a_story(story_index, site["shipped"])
    guidelines = publish(home, StandardPage(title="Community guidelines"))
    return {
        "home": "/",
        "a story": story.url,
        "the stories": story_index.url,
        "a Storm Session": StormSessionPage.objects.get().url,
        "the Storm Sessions": "/storm-sessions/",
        "a standard page": guidelines.url,
    }


@pytest.mark.parametrize(
    "name",
    ["home", "a story", "the stories", "a Storm Session", "the Storm Sessions", "a standard page"],
)
def test_a_member_gets_wagtails_pages_from_the_shared_copy_as_their_own_render(
    site, home, story_index, name
):
    path = wagtail_pages(site, home, story_index)[name]
    mira = UserFactory(display_name="Mira Member")
    services.vote_cast(voter=mira, idea_id=site["idea"].pk, value=1)
    visitor = Client().get(path)
    browser = signed_in(mira)

    page = browser.get(path)

    assert (visitor.status_code, state(visitor), state(page)) == (200, "miss", "hit")
    mine = page.content.decode()
    assert without_tokens(mine) == without_tokens(as_drawn_for_them(browser, path))
    assert "Sign out" in mine and 'title="Mira Member"' in mine
    again = Client().get(path).content.decode()
    assert "Mira Member" not in again and "Sign out" not in again


def test_the_home_page_welcomes_the_member_from_the_shared_copy(site, home):
    Client().get("/")
    page = signed_in(UserFactory(display_name="Mira Member")).get("/")

    text = page.content.decode()
    assert state(page) == "hit"
    assert "Welcome back, Mira Member." in text and "Join and share an idea" not in text
    assert "Join and share an idea" in Client().get("/").content.decode()


def test_a_page_behind_a_login_is_each_members_own(site, story_index):
    from wagtail.models import PageViewRestriction

    story = a_story(story_index, site["shipped"])
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)

    page = signed_in(UserFactory()).get(story.url)

    assert (page.status_code, state(page)) == (200, "miss")
    assert "How we built it." in page.content.decode()
    assert Client().get(story.url).status_code == 302  # visitors are sent to sign in


def test_a_password_a_member_typed_opens_the_page_for_them_alone(site, story_index):
    from wagtail.models import PageViewRestriction

    story = a_story(story_index, site["shipped"])
    restriction = PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="hunter22"
    )
    knows = signed_in(UserFactory())
    typed = knows.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{story.pk}/",
        {"password": "hunter22", "return_url": story.url},
    )
    assert typed.status_code == 302

    theirs = knows.get(story.url).content.decode()  # first: it draws the visitors' copy
    visitors = Client().get(story.url).content.decode()
    another_member = signed_in(UserFactory()).get(story.url).content.decode()

    assert "How we built it." in theirs
    for page in (visitors, another_member):
        assert "How we built it." not in page and 'name="password"' in page


def test_a_page_made_private_leaves_the_visitors_copies_at_once(
    site, home, story_index, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    story = a_story(story_index, site["shipped"], title="An early launch story")
    assert "An early launch story" in html("/") and "How we built it." in html(story.url)

    committed(
        django_capture_on_commit_callbacks,
        lambda: PageViewRestriction.objects.create(
            page=story, restriction_type=PageViewRestriction.LOGIN
        ),
    )

    assert Client().get(story.url).status_code == 302
    assert "An early launch story" not in html("/")
