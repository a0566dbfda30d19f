"""A small HTTP client that behaves like a browser towards Django: cookies and CSRF.

Cookies are per host, not per port (as in browsers), so a session made through
one worker's port goes with every request to the other worker and the balancer.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    @property
    def served_by(self) -> str:
        return self.headers.get("x-served-by", "")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # hand 3xx back to the caller, who asserts on it


class WebClient:
    def __init__(self, base_url: str, jar: http.cookiejar.CookieJar | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # loopback never goes through a proxy
            urllib.request.HTTPCookieProcessor(self.jar),
            _NoRedirects(),
        )

    def through(self, base_url: str) -> WebClient:
        """The same browser (same cookies) talking to another address."""
        return WebClient(base_url, self.jar)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None
    ) -> Response:
        body = None
        headers = {"Referer": self.base_url + "/", **(headers or {})}
        if data is not None:
            if (token := self.cookie(settings.CSRF_COOKIE_NAME)) is None:
                self.request("GET", "/accounts/login/")  # any form page sets the cookie
                token = self.cookie(settings.CSRF_COOKIE_NAME)
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=headers
        )
        try:
            response = self._opener.open(request, timeout=15)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            response = error
        with response:
            text = response.read().decode(errors="replace")
            headers = {key.lower(): value for key, value in response.headers.items()}
            return Response(status=response.status, headers=headers, text=text)

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, data)

    def login(self, email: str, password: str) -> Response:
        return self.post("/accounts/login/", {"login": email, "password": password})


def form_error(page: str) -> str:
    """The first error message on a page (for assertion messages)."""
    found = re.search(r'class="[^"]*(?:errorlist|notice|error)[^"]*"[^>]*>(.*?)</', page, re.S)
    return found.group(1).strip() if found else ""
