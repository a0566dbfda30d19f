"""Who may subscribe to each stream, and what each receives, over the Redis layer."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from community.asgi import application
from ideas import services
from ideas.models import Idea
from realtime.consumers import CLOSE_FORBIDDEN, CLOSE_GONE
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def socket(path: str, user=None) -> WebsocketCommunicator:
    """A websocket from the site's own origin, as `user` (the auth middleware's job,
    already done: the session cookie path is covered by the browser tests)."""
    communicator = WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    )
    communicator.scope["user"] = user or AnonymousUser()
    return communicator


async def refused(path: str, user=None) -> bool:
    connected, code = await socket(path, user).connect()
    return not connected and code == CLOSE_FORBIDDEN


async def messages_until(communicator, kind: str) -> dict:
    while True:
        message = await communicator.receive_json_from(timeout=5)
        if message["kind"] == kind:
            return message


make = database_sync_to_async


async def test_anyone_may_watch_a_published_idea_but_only_staff_a_hidden_one():
    idea = await make(make_idea)()
    hidden = await make(make_idea)()
    await make(Idea.objects.filter(pk=hidden.pk).update)(visibility="hidden")
    customer, staff = await make(UserFactory)(), await make(staff_user)()

    for user in (None, customer):
        watcher = socket(f"/ws/ideas/{idea.pk}/", user)
        assert (await watcher.connect())[0]
        await watcher.disconnect()
        assert await refused(f"/ws/ideas/{hidden.pk}/", user)
    assert await refused("/ws/ideas/999999/", customer)
    staff_watcher = socket(f"/ws/ideas/{hidden.pk}/", staff)
    assert (await staff_watcher.connect())[0]
    await staff_watcher.disconnect()


async def test_idea_watchers_get_comments_official_responses_status_and_counts_in_order():
    idea = await make(make_idea)()
    responder = await make(staff_user)(display_name="Sam Patel")
    watcher = socket(f"/ws/ideas/{idea.pk}/")
    await watcher.connect()

    await make(services.vote_cast)(voter=await make(UserFactory)(), idea_id=idea.pk, value=1)
    counts = await messages_until(watcher, "counts")
    assert counts["data"] == {"score": 2, "promotes": 2, "demotes": 0, "supporters": 2}

    await make(services.comment_create)(
        author=await make(UserFactory)(), idea_id=idea.pk, body="+1"
    )
    comment = await messages_until(watcher, "comment")
    await make(services.comment_create)(
        author=responder, idea_id=idea.pk, body="We are **on it**", official=True
    )
    official = await messages_until(watcher, "official")
    await make(services.idea_status_change)(
        actor=responder, idea_id=idea.pk, to_status="planned", message="Planned for spring"
    )
    status = await messages_until(watcher, "status")

    assert [comment["seq"], official["seq"], status["seq"]] == [1, 2, 3]
    assert comment["data"]["comment_count"] == 1 and "+1" in comment["html"]
    assert "<strong>on it</strong>" in official["data"]["pinned_html"]
    assert "Sam Patel" in official["data"]["pinned_html"]
    assert status["data"]["status"] == "planned" and "Planned for spring" in status["html"]
    # Fragments are rendered for nobody in particular: no edit or remove controls.
    assert "Remove" not in comment["html"] and "csrfmiddlewaretoken" not in comment["html"]
    await watcher.disconnect()


async def test_customers_are_disconnected_when_an_idea_is_withdrawn():
    author = await make(UserFactory)()
    idea = await make(make_idea)(author=author)
    customer_watcher = socket(f"/ws/ideas/{idea.pk}/")
    staff_watcher = socket(f"/ws/ideas/{idea.pk}/", await make(staff_user)())
    await customer_watcher.connect()
    await staff_watcher.connect()

    await make(services.idea_withdraw)(author=author, idea_id=idea.pk)

    assert (await messages_until(customer_watcher, "withdrawn"))["kind"] == "withdrawn"
    assert await customer_watcher.receive_output(timeout=5) == {
        "type": "websocket.close", "code": CLOSE_GONE,
    }  # fmt: skip
    assert (await messages_until(staff_watcher, "withdrawn"))["kind"] == "withdrawn"
    assert await staff_watcher.receive_nothing(timeout=0.5)
    await staff_watcher.disconnect()


async def test_member_stream_carries_only_that_members_notifications(run_tasks):
    follower, stranger = await make(UserFactory)(), await make(UserFactory)()
    idea = await make(make_idea)()
    await make(services.follow_set)(user=follower, idea_id=idea.pk, following=True)
    assert await refused("/ws/me/")
    mine, theirs = socket("/ws/me/", follower), socket("/ws/me/", stranger)
    await mine.connect()
    await theirs.connect()

    await make(services.comment_create)(
        author=await make(staff_user)(), idea_id=idea.pk, body="Answered", official=True
    )
    await make(run_tasks)()  # the worker stores the notifications and pushes them

    note = await messages_until(mine, "notification")
    assert note["data"]["unread_delta"] == 1 and "answered" in note["data"]["text"]
    assert await theirs.receive_nothing(timeout=0.5)
    await mine.disconnect()
    await theirs.disconnect()


async def test_staff_stream_is_for_staff_only_and_announces_new_ideas():
    assert await refused("/ws/staff/")
    assert await refused("/ws/staff/", await make(UserFactory)())
    triage = socket("/ws/staff/", await make(staff_user)())
    await triage.connect()

    idea = await make(make_idea)(title="A brand new idea for triage")

    message = await messages_until(triage, "idea_created")
    assert message["data"]["id"] == idea.pk and message["data"]["title"] == idea.title
    await triage.disconnect()


async def test_a_failing_consumer_closes_only_its_own_socket(caplog):
    idea = await make(make_idea)()
    other = await make(make_idea)()
    broken, healthy = socket(f"/ws/ideas/{idea.pk}/"), socket(f"/ws/ideas/{other.pk}/")
    await broken.connect()
    await healthy.connect()
    from channels.layers import get_channel_layer

    # A malformed message makes the consumer raise.
    await get_channel_layer().group_send(f"idea.{idea.pk}", {"type": "stream.message"})

    assert await broken.receive_output(timeout=5) == {"type": "websocket.close", "code": 1011}
    assert "Websocket consumer failed" in caplog.text
    await make(services.comment_create)(
        author=await make(UserFactory)(), idea_id=other.pk, body="ok"
    )
    assert (await messages_until(healthy, "comment"))["data"]["comment_count"] == 1
    await healthy.disconnect()


async def test_a_push_from_a_worker_of_the_previous_release_still_reaches_the_page():
    """During a rolling deploy, old workers publish the message itself, not its JSON text."""
    from channels.layers import get_channel_layer

    idea = await make(make_idea)()
    watcher = socket(f"/ws/ideas/{idea.pk}/")
    await watcher.connect()
    message = {"seq": 7, "kind": "comment", "html": "<p>hi</p>", "data": {"comment_id": 1}}

    await get_channel_layer().group_send(
        f"idea.{idea.pk}", {"type": "stream.message", "message": message}
    )

    assert await watcher.receive_json_from(timeout=5) == message
    await watcher.disconnect()


@pytest.mark.parametrize("path", ["/ws/ideas/{idea}/", "/ws/me/", "/ws/staff/"])
async def test_every_stream_is_read_only(path):
    from realtime.consumers import CLOSE_READ_ONLY

    idea = await make(make_idea)()
    communicator = socket(path.format(idea=idea.pk), await make(staff_user)())
    assert (await communicator.connect())[0]

    await communicator.send_to(text_data='{"kind": "comment", "body": "sneaky write"}')

    assert await communicator.receive_output(timeout=5) == {
        "type": "websocket.close", "code": CLOSE_READ_ONLY,
    }  # fmt: skip


async def test_a_socket_closes_when_its_reader_loses_the_right_to_watch_it():
    """Rights are checked at the handshake and again when they change: a staff member
    whose role is taken away stops getting the triage stream and the hidden idea's;
    a colleague's stay open."""
    hidden = await make(make_idea)()
    await make(Idea.objects.filter(pk=hidden.pk).update)(visibility="hidden")
    demoted, colleague = await make(staff_user)(), await make(staff_user)()
    triage = socket("/ws/staff/", demoted)
    hidden_watcher = socket(f"/ws/ideas/{hidden.pk}/", demoted)
    colleague_triage = socket("/ws/staff/", colleague)
    for watcher in (triage, hidden_watcher, colleague_triage):
        assert (await watcher.connect())[0]

    await make(demoted.groups.clear)()  # as the admin's user form does

    forbidden = {"type": "websocket.close", "code": CLOSE_FORBIDDEN}
    assert await triage.receive_output(timeout=5) == forbidden
    assert await hidden_watcher.receive_output(timeout=5) == forbidden
    assert await colleague_triage.receive_nothing(timeout=0.5)
    await colleague_triage.disconnect()


async def test_a_deleted_accounts_sockets_close_but_a_saved_profile_keeps_them_open():
    from community.members.services import member_account_delete

    member = await make(UserFactory)()
    idea = await make(make_idea)()
    bell, watcher = socket("/ws/me/", member), socket(f"/ws/ideas/{idea.pk}/", member)
    assert (await bell.connect())[0] and (await watcher.connect())[0]

    member.bio = "Still here"
    await make(member.save)()
    assert await bell.receive_nothing(timeout=0.5)

    await make(member_account_delete)(member=member, remove_content=False)

    closed = await bell.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}
    # A public idea anyone may watch: the socket stays, as a visitor's would.
    assert await watcher.receive_nothing(timeout=0.5)
    await watcher.disconnect()
