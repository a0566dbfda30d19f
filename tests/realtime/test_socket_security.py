"""Only this site's pages open sockets, and unknown socket paths are refused cleanly (#13.10)."""

import pytest
from channels.testing import WebsocketCommunicator

from community.asgi import application

# A refused handshake still runs the session and auth middleware's lookups.
pytestmark = pytest.mark.django_db(transaction=True)


def health_socket(*, origin: bytes, host: bytes, path: str = "/ws/healthz/"):
    return WebsocketCommunicator(application, path, headers=[(b"origin", origin), (b"host", host)])


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        (b"http://127.0.0.1:8000", b"127.0.0.1:8000", True),
        (b"http://localhost", b"localhost", True),
        (b"http://localhost:80", b"localhost", True),  # the scheme's own port
        # Another port of an allowed host is another site: its pages must not
        # open sockets with our visitors' cookies.
        (b"http://127.0.0.1:9999", b"127.0.0.1:8000", False),
        (b"http://localhost:8001", b"localhost", False),
        (b"https://127.0.0.1:8000", b"127.0.0.1:8000", False),  # another scheme
        (b"http://evil.example:8000", b"evil.example:8000", False),  # not an allowed host
        (b"null", b"127.0.0.1", False),
        (b"", b"127.0.0.1", False),
        (b"http://127.0.0.1:99999999", b"127.0.0.1", False),  # a malformed port
    ],
)
async def test_a_socket_opens_only_from_this_sites_own_origin(origin, host, allowed):
    communicator = health_socket(origin=origin, host=host)
    connected, _ = await communicator.connect()

    assert connected is allowed
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_a_trusted_origin_may_open_sockets(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://ideas.example.com"]
    settings.ALLOWED_HOSTS = ["ideas.example.com", "127.0.0.1"]
    communicator = health_socket(origin=b"https://ideas.example.com", host=b"127.0.0.1:8000")

    connected, _ = await communicator.connect()

    assert connected
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/ws/nowhere/", "/ws/ideas/abc/", "/ideas/1/", "/"])
async def test_an_unknown_socket_path_is_refused_not_an_error(path):
    communicator = health_socket(origin=b"http://127.0.0.1", host=b"127.0.0.1", path=path)

    connected, _ = await communicator.connect()  # raised "No route found" before

    assert not connected
