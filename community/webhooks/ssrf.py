"""Refuse webhook URLs that point inside the network (SSRF).

Every address the host resolves to must be public: loopback, private,
link-local (cloud metadata at 169.254.169.254), shared, reserved, multicast and
unspecified addresses are refused. `WEBHOOK_ALLOW_LOOPBACK` lets tests and the
demo deliver to 127.0.0.1. Checked when an endpoint is saved, and again when
each request connects: `PinnedBackend` resolves the host once, checks every
address and connects to one of those, so a DNS answer that changes between the
check and the connection (rebinding) cannot slip a private address in.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import httpcore
from django.conf import settings
from django.utils.translation import gettext as _


class UnsafeUrl(ValueError):
    pass


def _refusal(ip) -> str | None:
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if settings.WEBHOOK_ALLOW_LOOPBACK else "a loopback address"
    if ip.is_link_local:
        return "a link-local or cloud metadata address"
    if ip.is_private:
        return "a private network address"
    if not ip.is_global or ip.is_multicast:
        return "an address that is not on the public internet"
    return None


def url_check(url: str) -> None:
    """Raise UnsafeUrl with a reason a person can act on; return when it is safe."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl(_("Use an http or https URL."))
    host = parts.hostname
    if not host:
        raise UnsafeUrl(_("The URL has no host."))
    if parts.username or parts.password:
        raise UnsafeUrl(_("Put no user name or password in the URL."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeUrl(_("The URL's port is not a number from 0 to 65535.")) from error
    safe_addresses(host, port)


def safe_addresses(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, once they are all known to be public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeUrl(_("The host %(host)s could not be resolved.") % {"host": host}) from error
    addresses = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        reason = _refusal(ip)
        if reason:
            raise UnsafeUrl(
                _("The host %(host)s resolves to %(ip)s, %(reason)s: it cannot be used.")
                % {"host": host, "ip": ip, "reason": reason}
            )
        addresses.append(str(ip))
    return list(dict.fromkeys(addresses))


class PinnedBackend(httpcore.SyncBackend):
    """Connects only to an address it has just checked (TLS still names the host)."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        refused = None
        for address in safe_addresses(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as error:
                refused = error
        raise refused or httpcore.ConnectError(f"No address to connect to for {host}.")
