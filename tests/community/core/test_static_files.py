"""Static files are served under ASGI and WSGI, and under ASGI every request stays
async until its view (one thread hop, not three: `community.core.static_files`)."""

import pytest
from channels.testing import HttpCommunicator
from django.conf import settings
from django.test import Client
from django.utils.module_loading import import_string

from community.asgi import application

SCRIPT = "/static/community/js/site.js"


def test_every_middleware_can_run_async():
    """One that cannot puts two more thread hops on every request under ASGI."""
    middleware = {path: import_string(path) for path in settings.MIDDLEWARE}
    sync_only = [path for path, cls in middleware.items() if not getattr(cls, "async_capable", 0)]
    assert sync_only == []


async def asgi_get(path: str) -> tuple[int, dict, bytes]:
    """A GET through the site's ASGI application: status, headers, the whole body."""
    communicator = HttpCommunicator(application, "GET", path, headers=[(b"host", b"127.0.0.1")])
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(timeout=10)
    body, more = b"", True
    while more:
        message = await communicator.receive_output(timeout=10)
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return start["status"], {name.lower(): value for name, value in start["headers"]}, body


@pytest.mark.asyncio
async def test_a_static_file_is_served_under_asgi():
    status, headers, body = await asgi_get(SCRIPT)

    assert status == 200
    assert headers[b"content-type"].startswith(b"text/javascript")
    with open(settings.BASE_DIR / "community/static/community/js/site.js", "rb") as source:
        assert body == source.read()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_pages_are_served_under_asgi_past_the_static_files():
    status, _headers, body = await asgi_get("/ideas/")

    assert status == 200
    assert b"<html" in body


def test_a_static_file_is_served_under_wsgi(client: Client):
    response = client.get(SCRIPT)

    assert response.status_code == 200
    assert b"".join(response.streaming_content)
