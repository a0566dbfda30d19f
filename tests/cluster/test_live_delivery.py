"""Live delivery across processes: Redis carries each event to every worker."""

import asyncio
import json

import pytest
import websockets

from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.cluster

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's


def ws_url(base: str, idea_id: int) -> str:
    return base.replace("http://", "ws://") + f"/ws/ideas/{idea_id}/"


async def next_event(socket, timeout: float = 10.0) -> dict:
    """The next stored event (counts updates carry no sequence number)."""
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout))
        if message.get("seq") is not None:
            return message


def signed_in(cluster, user, through: str):
    client = cluster.client(through)
    response = client.login(user.email, PASSWORD)
    assert response.status == 302, response.text[:500]
    return client


def post_comment(client, idea_id: int, body: str, *, official: bool = False) -> None:
    data = {"body": body} | ({"official": "on"} if official else {})
    response = client.post(f"/ideas/{idea_id}/comments/", data)
    assert response.status == 302, response.text[:500]


def test_a_socket_on_worker_a_gets_the_official_response_posted_through_worker_b(cluster):
    idea = make_idea()
    staff = signed_in(cluster, staff_user(), through="web-b")

    async def scenario():
        a = cluster.workers["web-a"]
        b = cluster.workers["web-b"]
        async with (
            websockets.connect(ws_url(a, idea.pk), origin=a) as on_a,
            websockets.connect(ws_url(b, idea.pk), origin=b) as on_b,
        ):
            text = "Thanks: we are building exactly this for the spring release."
            await asyncio.to_thread(post_comment, staff, idea.pk, text, official=True)
            return await next_event(on_a), await next_event(on_b)

    on_a, on_b = asyncio.run(scenario())

    assert on_a["kind"] == on_b["kind"] == "official"
    assert on_a["seq"] == on_b["seq"] == 1
    assert "spring release" in on_a["html"]


def test_a_client_whose_worker_dies_reconnects_through_the_balancer_and_misses_nothing(cluster):
    idea = make_idea()
    member = signed_in(cluster, UserFactory(), through="balancer")
    staff = signed_in(cluster, staff_user(), through="balancer")

    async def scenario() -> list[int]:
        a = cluster.workers["web-a"]
        seen: list[int] = []
        async with websockets.connect(ws_url(a, idea.pk), origin=a) as socket:
            await asyncio.to_thread(post_comment, member, idea.pk, "Before the crash, a comment.")
            seen.append((await next_event(socket))["seq"])
            # gunicorn's master and its worker, together, as a crash takes a machine's.
            await asyncio.to_thread(cluster.kill, "web-a")
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(socket.recv(), 10)
            assert closed.value.rcvd is None  # no close frame: it died, it did not say bye
        # HAProxy may lend a request an idle connection to the dead worker until its
        # health check (about 1 s) takes it out; a POST is not retried, so wait.
        await asyncio.to_thread(cluster.wait_down, "web-a")
        # Offline: these go through the balancer to whichever worker is left.
        await asyncio.to_thread(post_comment, member, idea.pk, "While it was down, a second.")
        await asyncio.to_thread(
            post_comment, staff, idea.pk, "While it was down, an official answer.", official=True
        )
        # As the page does: reconnect, then ask what was missed since the last seq.
        balancer = cluster.balancer
        async with websockets.connect(ws_url(balancer, idea.pk), origin=balancer) as socket:
            missed = await asyncio.to_thread(
                member.get, f"/ideas/{idea.pk}/events/?after={seen[-1]}"
            )
            assert missed.status == 200
            seen += [event["seq"] for event in json.loads(missed.text)["events"]]
            await asyncio.to_thread(post_comment, member, idea.pk, "After the reconnect, live.")
            seen.append((await next_event(socket))["seq"])
        return seen

    seen = asyncio.run(scenario())

    assert seen == [1, 2, 3, 4]
    assert cluster.states()["web-b"] == "UP"
