"""A Storm Session limited to a group (issue #17): only the group and staff see it
and its ideas; to everyone else neither exists, in every output.

Each test asks one family of outputs as four readers: a visitor, a member
outside the group, a member of the group and a staff responder.
"""

import re
from dataclasses import dataclass

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import ProtectedError
from django.test import Client

from cms.models import StormSessionNotice
from cms.services import storm_session_notices_send
from community import permissions, roles
from community.asgi import application
from community.models import Notification
from ideas import services
from ideas.models import Follow, Idea
from realtime.consumers import CLOSE_FORBIDDEN
from search import api as search
from search import fallback, indexing
from search.client import get_client
from search.models import PendingIndexUpdate
from search.results import SearchRequest
from tests.api.conftest import bearer
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db

TITLE = "Codename Falcon battery swap"
SESSION = "Secret beta session"
# Who sees the session and its idea.
READERS = {"visitor": False, "outsider": False, "member": True, "staff": True}


@dataclass
class Beta:
    group: Group
    session: object
    idea: Idea
    member: object
    outsider: object
    staff: object

    def user(self, reader: str):
        return None if reader == "visitor" else getattr(self, reader)

    def client(self, reader: str) -> Client:
        client = Client()
        if reader != "visitor":
            client.force_login(self.user(reader))
        return client


def ship(idea, staff) -> None:
    for status in ["under_review", "planned", "in_progress", "shipped"]:
        services.idea_status_change(actor=staff, idea_id=idea.pk, to_status=status, message="Go")


@pytest.fixture
def beta(make_session):
    group = Group.objects.create(name="Beta testers")
    member = UserFactory(display_name="Ina Insider")
    member.groups.add(group)
    session = make_session(title=SESSION, restricted_to=group)
    idea = make_idea(
        author=member, storm_session=session, category=session.product_area, title=TITLE,
        body="Swap the battery without tools.", tags=["falcon"],
    )  # fmt: skip
    staff = staff_user(roles.PRODUCT_MANAGER)
    ship(idea, staff)  # so it is on the roadmap, the shipped list and the listening report
    return Beta(group, session, idea, member, UserFactory(), staff)


@pytest.fixture
def search_index(db):
    """A fresh live index; call it (rebuild) after adding ideas."""
    yield indexing.rebuild
    get_client().indices.delete(index=f"{indexing.alias_name()}_*", ignore_unavailable=True)


def shows(response, text: str = TITLE) -> bool:
    assert response.status_code == 200, response.status_code
    return text in response.content.decode()


# --- The rule ---------------------------------------------------------------------------


def test_one_rule_for_one_reader_and_for_a_list_of_people():
    group = Group.objects.create(name="Beta testers")
    people = {
        "member of the group": UserFactory(),
        "member elsewhere": UserFactory(),
        "inactive member of the group": UserFactory(is_active=False),
        "superuser": UserFactory(is_superuser=True),
        **{role: staff_user(role) for role in roles.STAFF_ROLES},
    }
    people["member of the group"].groups.add(group)
    people["inactive member of the group"].groups.add(group)
    # A member holding the permission without a staff role is no staff (`has`).
    from django.contrib.auth.models import Permission

    odd = UserFactory()
    odd.user_permissions.add(Permission.objects.get(codename="view_hidden_idea"))
    people["permission without a role"] = odd

    admitted = permissions.audience_members([u.pk for u in people.values()], group.pk)

    for name, user in people.items():
        fresh = type(user).objects.get(pk=user.pk)
        assert permissions.in_audience(fresh, group.pk) is (user.pk in admitted), name
    refused = {"member elsewhere", "permission without a role", "inactive member of the group"}
    assert admitted == {user.pk for name, user in people.items() if name not in refused}
    assert not permissions.in_audience(AnonymousUser(), group.pk)
    assert permissions.in_audience(AnonymousUser(), None)


def test_an_editor_limits_a_session_in_the_wagtail_admin(beta):
    editor = Client()
    editor.force_login(UserFactory(is_superuser=True))

    page = editor.get(f"/admin/pages/{beta.session.pk}/edit/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Who can see it" in html and 'name="restricted_to"' in html
    assert f'<option value="{beta.group.pk}" selected>' in html


@pytest.mark.parametrize("deleted", ["session", "index"])
def test_a_session_holding_its_groups_ideas_cannot_be_deleted_so_they_stay_private(
    beta, deleted, session_index
):
    """Deleting it would leave its ideas in no session, shown to everyone."""
    page = beta.session if deleted == "session" else session_index
    editor = Client()
    editor.force_login(UserFactory(is_superuser=True))

    for answer in (
        editor.get(f"/admin/pages/{page.pk}/delete/", follow=True),
        editor.post(f"/admin/pages/{page.pk}/delete/", follow=True),
    ):
        assert answer.status_code == 200
        assert "1 idea in a Storm Session limited to a group would become visible" in (
            answer.content.decode()
        )
    with pytest.raises(ProtectedError):
        page.delete()  # nor from code, a shell or a bulk action

    assert type(page).objects.filter(pk=page.pk).exists()
    assert Client().get(beta.idea.get_absolute_url()).status_code == 404
    assert beta.client("member").get(beta.idea.get_absolute_url()).status_code == 200


def test_an_open_session_or_an_empty_limited_one_can_be_deleted(beta, make_session):
    """Its ideas stay, in no session: they were everyone's to see already."""
    open_session = make_session(title="Open week", product_area=beta.session.product_area)
    idea = make_idea(title="An open idea", storm_session=open_session)
    empty = make_session(title="Empty beta", restricted_to=beta.group)
    editor = Client()
    editor.force_login(UserFactory(is_superuser=True))

    for session in (open_session, empty):
        editor.post(f"/admin/pages/{session.pk}/delete/")
        assert not type(session).objects.filter(pk=session.pk).exists()
    idea.refresh_from_db()
    assert idea.storm_session_id is None
    assert Client().get(idea.get_absolute_url()).status_code == 200


# --- Pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_pages_and_lists(beta, reader, home, session_index):
    client, sees = beta.client(reader), READERS[reader]
    idea = beta.idea

    assert client.get(beta.session.url).status_code == (200 if sees else 404)
    assert client.get(idea.get_absolute_url()).status_code == (200 if sees else 404)
    assert client.get(f"/ideas/{idea.pk}/events/").status_code == (200 if sees else 404)
    assert shows(client.get(home.url), SESSION) is sees  # open sessions
    assert shows(client.get(session_index.url), SESSION) is sees
    for path in [
        home.url,  # trending
        "/ideas/",
        "/ideas/?sort=new",
        f"/ideas/?category={idea.category.slug}",
        "/ideas/?tag=falcon",
        "/ideas/shipped/",
        f"/members/{beta.member.username}/",
        "/roadmap/",
        "/listening/",
    ]:
        assert shows(client.get(path)) is sees, path
    # Sharing an idea into the session: it does not exist for outsiders.
    if reader != "visitor":
        new = client.get(f"/ideas/new/?session={beta.session.pk}")
        assert new.status_code == (200 if sees else 400)
        assert ("That Storm Session does not exist." in new.content.decode()) is not sees


def test_the_list_count_is_cached_per_audience(beta):
    """The count of a list is shared through the cache: never across audiences."""
    make_idea(title="An idea everyone may see")
    assert ideas_counted(beta.client("member").get("/ideas/")) == 2
    # The outsider's request draws the visitors' copy; the visitor is served it.
    assert ideas_counted(beta.client("outsider").get("/ideas/")) == 1
    assert ideas_counted(beta.client("visitor").get("/ideas/")) == 1


def ideas_counted(response) -> int:
    """The list's "N ideas" line, as the reader sees it."""
    return int(re.search(r'<p class="muted">(\d+) ideas?', response.content.decode()).group(1))


def test_taking_part_from_outside_is_a_404_that_changes_nothing(beta):
    outsider = beta.client("outsider")
    idea = beta.idea
    before = Idea.objects.get(pk=idea.pk)

    assert outsider.post(f"/ideas/{idea.pk}/vote/", {"value": "1"}).status_code == 404
    assert outsider.post(f"/ideas/{idea.pk}/comments/", {"body": "Me too!"}).status_code == 404
    assert outsider.post(f"/ideas/{idea.pk}/follow/", {"following": "1"}).status_code == 404

    after = Idea.objects.get(pk=idea.pk)
    assert (after.score, after.comment_count) == (before.score, before.comment_count)
    assert not Follow.objects.filter(idea=idea, user=beta.outsider).exists()
    # Once in the group, they take part as anywhere else.
    beta.group.user_set.add(beta.outsider)
    assert outsider.post(f"/ideas/{idea.pk}/comments/", {"body": "Me too!"}).status_code == 302
    assert Idea.objects.get(pk=idea.pk).comment_count == before.comment_count + 1


def test_feeds_and_the_sitemap_are_for_anyone_so_they_leave_it_out(beta, client):
    for path in ["/feeds/ideas/rss/", "/feeds/ideas/atom/", "/roadmap/feed/rss/"]:
        assert not shows(client.get(path)), path
    sitemap = client.get("/sitemap.xml").content.decode()
    assert beta.idea.get_absolute_url() not in sitemap
    assert beta.session.url not in sitemap
    assert make_idea(title="An idea everyone may see").get_absolute_url() in (
        client.get("/sitemap.xml").content.decode()
    )


def test_the_public_figures_count_it_but_name_it_only_to_its_audience(beta):
    """A judgement call (docs/architecture.md): counts name no idea, titles do."""
    for reader in READERS:
        page = beta.client(reader).get("/listening/")
        assert page.context["report"].total.shipped == 1
        assert (TITLE in page.content.decode()) is READERS[reader], reader
    assert beta.client("visitor").get("/api/v1/figures").json()["shipped"] == 1


# --- Search ------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_search_and_suggestions(beta, reader, search_index):
    open_idea = make_idea(title="Falcon battery swap for every laptop", tags=["falcon"])
    search_index()
    client, sees = beta.client(reader), READERS[reader]

    results = client.get("/search/", {"q": "falcon battery"})
    assert results.context["results"].backend == "elasticsearch"
    # The words searched for are marked in the titles: look for one that was not.
    assert shows(results, "Codename") is sees
    assert (
        shows(client.get("/search/", {"q": "falcon", "session": beta.session.pk}), "Codename")
        is sees
    )
    # The session filter names it only to its audience.
    assert shows(client.get("/search/"), SESSION) is sees
    # Similar ideas while typing a new idea's title, and related ideas on an idea's page.
    similar = client.get("/search/similar/", {"title": "Falcon battery swap please"})
    assert shows(similar, "Codename") is sees
    assert (TITLE in [hit.title for hit in client.get(open_idea.get_absolute_url()).context[
        "related"]]) is sees  # fmt: skip
    # The database answers the same when Elasticsearch cannot.
    audience = permissions.audience_groups(beta.user(reader) or AnonymousUser())
    found = fallback.search_ideas(SearchRequest(query="falcon", audience=audience))
    assert (TITLE in [hit.title for hit in found.hits]) is sees
    alike = fallback.similar_ideas("Falcon battery swap", audience=audience)
    assert (TITLE in [hit.title for hit in alike]) is sees


def test_the_database_search_page_leaves_it_out_too(beta, client, settings):
    settings.ELASTICSEARCH_URL = ""  # the embedded default: search answers from the database
    results = client.get("/search/", {"q": "falcon"})
    assert results.context["results"].backend == "database"
    assert not shows(results, "Codename")
    assert shows(beta.client("member").get("/search/", {"q": "falcon"}), "Codename")


def refresh() -> None:
    get_client().indices.refresh(index=indexing.alias_name())


def test_limiting_a_session_later_requeues_its_ideas_and_drops_stale_copies(
    make_session, search_index, run_tasks, django_capture_on_commit_callbacks
):
    group = Group.objects.create(name="Beta testers")
    session = make_session(title="Heron week")
    idea = make_idea(title="Codename Heron dock", storm_session=session)
    search_index()
    visitor = Client()
    assert shows(visitor.get("/search/", {"q": "heron"}), "Codename")
    assert shows(visitor.get("/search/"), "Heron week")  # the cached session filter
    assert visitor.get("/ideas/").context["page_obj"].paginator.count == 1  # a cached count

    PendingIndexUpdate.objects.all().delete()
    session.restricted_to = group
    with django_capture_on_commit_callbacks(execute=True):
        session.save_revision().publish()  # as the editor does in the Wagtail admin

    assert PendingIndexUpdate.objects.filter(idea_id=idea.pk).exists()
    run_tasks()
    refresh()
    assert not shows(visitor.get("/search/", {"q": "heron"}), "Codename")
    assert not shows(visitor.get("/search/"), "Heron week")
    assert visitor.get("/ideas/").context["page_obj"].paginator.count == 0
    assert visitor.get(idea.get_absolute_url()).status_code == 404
    assert search.search_ideas(SearchRequest(query="heron", audience=frozenset({group.pk}))).total


def test_a_member_who_leaves_the_group_loses_it_at_once(beta, search_index):
    search_index()
    member = beta.client("member")
    assert member.get(beta.idea.get_absolute_url()).status_code == 200
    assert member.get("/ideas/").context["page_obj"].paginator.count == 1
    services.vote_cast(voter=beta.member, idea_id=beta.idea.pk, value=-1)

    beta.group.user_set.remove(beta.member)

    assert member.get(beta.idea.get_absolute_url()).status_code == 404
    assert member.get("/ideas/").context["page_obj"].paginator.count == 0
    assert not shows(member.get("/search/", {"q": "falcon"}), "Codename")
    assert not shows(member.get("/account/activity/"))  # even their own idea and vote


# --- API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_api(beta, reader, search_index):
    search_index()
    sees = READERS[reader]
    user = beta.user(reader)
    read = bearer(user, "read") if user else {}
    idea = beta.idea
    api = Client()

    def call(method, path, data=None, headers=None):
        json = {"data": data, "content_type": "application/json"} if data is not None else {}
        return getattr(api, method)(f"/api/v1{path}", headers=headers or read, **json)

    def titles(path):
        response = call("get", path)
        assert response.status_code == 200, response.content
        return [item["title"] for item in response.json()["items"]]

    assert (TITLE in titles("/ideas")) is sees
    assert (TITLE in titles("/ideas?q=falcon")) is sees
    profile = call("get", f"/members/{beta.member.username}").json()
    assert (TITLE in [i["title"] for i in profile["ideas"]]) is sees
    assert call("get", f"/ideas/{idea.pk}").status_code == (200 if sees else 404)
    comments = call("get", f"/ideas/{idea.pk}/comments")
    assert comments.status_code == (200 if sees else 404)
    sessions = [s["title"] for s in call("get", "/storm-sessions").json()]
    assert (SESSION in sessions) is sees
    tags = [t["slug"] for t in call("get", "/tags").json()]
    assert ("falcon" in tags) is sees
    by_session = call("get", f"/ideas?storm_session={beta.session.pk}")
    assert by_session.status_code == (200 if sees else 400)
    if user is not None and not sees:
        write = bearer(user, "write")
        assert call("put", f"/ideas/{idea.pk}/vote", {"value": 1}, write).status_code == 404
        assert call("post", f"/ideas/{idea.pk}/comments", {"body": "Me"}, write).status_code == 404
        assert Idea.objects.get(pk=idea.pk).comment_count == 0


# --- Notifications and email ---------------------------------------------------------------


def test_only_its_audience_hears_about_its_idea(beta, run_tasks, mailoutbox):
    # The outsider followed it while they were in the group.
    Follow.objects.create(idea=beta.idea, user=beta.outsider)
    follower = UserFactory()
    beta.group.user_set.add(follower)
    Follow.objects.create(idea=beta.idea, user=follower)
    run_tasks()
    mailoutbox.clear()

    services.comment_create(
        author=beta.staff, idea_id=beta.idea.pk, body="Thank you, testers.", official=True
    )
    run_tasks()

    told = set(
        Notification.objects.filter(kind="official_response").values_list("user_id", flat=True)
    )
    assert told == {beta.member.pk, follower.pk}
    emailed = {address for message in mailoutbox for address in message.to}
    assert beta.outsider.email not in emailed
    assert {beta.member.email, follower.email} <= emailed


def test_session_notices_go_only_to_its_audience(make_session, run_tasks):
    group = Group.objects.create(name="Beta testers")
    session = make_session(starts_in_days=-3, lasts_days=2, restricted_to=group)  # closed
    insider, leaver = UserFactory(), UserFactory()
    group.user_set.add(insider, leaver)
    idea = make_idea(author=insider, category=session.product_area)
    Idea.objects.filter(pk=idea.pk).update(storm_session=session)  # posted while it was open
    services.vote_cast(voter=leaver, idea_id=idea.pk, value=1)
    group.user_set.remove(leaver)
    run_tasks()

    assert storm_session_notices_send() == [(session.pk, StormSessionNotice.Phase.CLOSED)]
    run_tasks()

    told = Notification.objects.filter(kind="storm_session").values_list("user_id", flat=True)
    assert set(told) == {insider.pk}


# --- Websockets ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_only_its_audience_may_watch_its_idea(beta):
    for user in (None, beta.outsider):
        assert await idea_socket(beta.idea, user).connect() == (False, CLOSE_FORBIDDEN)
    for user in (beta.member, beta.staff):
        watcher = idea_socket(beta.idea, user)
        assert (await watcher.connect())[0]
        await watcher.disconnect()


def idea_socket(idea, user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application,
        f"/ws/ideas/{idea.pk}/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    communicator.scope["user"] = user or AnonymousUser()
    return communicator


FORBIDDEN_CLOSE = {"type": "websocket.close", "code": CLOSE_FORBIDDEN}


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize(
    "leave",
    [
        pytest.param(lambda beta: beta.group.user_set.remove(beta.member), id="removed"),
        pytest.param(lambda beta: beta.member.groups.set([]), id="groups-edited"),
        pytest.param(lambda beta: beta.group.user_set.clear(), id="group-emptied"),
    ],
)
async def test_a_member_who_leaves_the_group_stops_watching_its_idea_at_once(beta, leave):
    """The right to watch was checked at the handshake: taking it away (in Django's
    or Wagtail's admin) closes the socket, and the page cannot reopen it."""
    member_watcher = idea_socket(beta.idea, beta.member)
    staff_watcher = idea_socket(beta.idea, beta.staff)
    assert (await member_watcher.connect())[0] and (await staff_watcher.connect())[0]

    await database_sync_to_async(leave)(beta)

    assert await member_watcher.receive_output(timeout=5) == FORBIDDEN_CLOSE
    as_now = await database_sync_to_async(type(beta.member).objects.get)(pk=beta.member.pk)
    assert await idea_socket(beta.idea, as_now).connect() == (False, CLOSE_FORBIDDEN)
    await database_sync_to_async(services.comment_create)(
        author=beta.staff, idea_id=beta.idea.pk, body="Thanks, testers", official=True
    )
    assert (await staff_watcher.receive_json_from(timeout=5))["kind"] == "official"
    await staff_watcher.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_limiting_a_session_later_closes_the_sockets_of_everyone_left_out(make_session):
    def setting_up():
        group = Group.objects.create(name="Beta testers")
        insider = UserFactory()
        insider.groups.add(group)
        session = make_session(title="Heron week")
        idea = make_idea(title="Codename Heron dock", storm_session=session)
        return group, insider, UserFactory(), session, idea

    group, insider, outsider, session, idea = await database_sync_to_async(setting_up)()
    visitor, outsider = idea_socket(idea, None), idea_socket(idea, outsider)
    insider_watcher = idea_socket(idea, insider)
    for watcher in (visitor, outsider, insider_watcher):
        assert (await watcher.connect())[0]

    def limit():
        session.restricted_to = group
        session.save_revision().publish()  # as the editor does in the Wagtail admin

    await database_sync_to_async(limit)()

    assert await visitor.receive_output(timeout=5) == FORBIDDEN_CLOSE
    assert await outsider.receive_output(timeout=5) == FORBIDDEN_CLOSE
    assert await insider_watcher.receive_nothing(timeout=0.5)
    await insider_watcher.disconnect()
