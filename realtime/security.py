"""Who may open a socket: pages of this site only.

Channels' AllowedHostsOriginValidator compares the Origin's host name with
ALLOWED_HOSTS and ignores the scheme and port, so a page served on any other
port of an allowed host (another app on the same machine) could open sockets
with the visitor's cookies. A browser's Origin must name exactly the address
the socket was opened to (the Host header, with the scheme's default port), or
one of CSRF_TRUSTED_ORIGINS.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import validate_host

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _origin(scheme: str, host: str, port: int | None) -> tuple[str, str, int]:
    web_scheme = {"ws": "http", "wss": "https"}.get(scheme, scheme)
    return web_scheme, host.lower(), port or DEFAULT_PORTS.get(scheme, 0)


def _parse(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        if not parts.scheme or not parts.hostname:
            return None
        return _origin(parts.scheme, parts.hostname, parts.port)
    except ValueError:  # a malformed port
        return None


def origin_allowed(origin: str, *, host: str, secure: bool) -> bool:
    given = _parse(origin)
    if given is None:
        return False
    trusted = {_parse(url) for url in settings.CSRF_TRUSTED_ORIGINS}
    if given in trusted:
        return True
    own = _parse(f"{'https' if secure else 'http'}://{host}")
    return (
        own is not None
        and given == own
        and validate_host(given[1], settings.ALLOWED_HOSTS or ["localhost", "127.0.0.1"])
    )


class SameOriginValidator:
    """ASGI middleware: refuse the handshake unless the Origin is this site."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers") or [])
        origin = headers.get(b"origin", b"").decode("latin-1")
        host = headers.get(b"host", b"").decode("latin-1")
        secure = scope.get("scheme") in ("wss", "https") or (
            headers.get(b"x-forwarded-proto", b"") == b"https"
            and settings.SECURE_PROXY_SSL_HEADER is not None
        )
        if origin_allowed(origin, host=host, secure=secure):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
