"""Rendered pages shared by anonymous visitors, dropped by generations when what they show changes.

Most traffic is visitors who are not signed in, and they all see the same
page. `cached_for_visitors` serves them one rendered copy from the shared
cache, keyed on the URL, the language and the current generation of every
family the page names (`community.cache.generation`). A change to what a page
shows starts new generations of its families once it commits
(`pages_changed`, called by the domain's events), so the old copies are never
read again; the cache's short lifetime (`PAGE_CACHE_SECONDS`) is only a safety
net. A hit asks Redis once (the generations and the page together: a copy
records the generations it was drawn at, and one drawn before a change no longer
matches) and never the database.

Who gets a shared copy: a GET or HEAD with no session cookie (so nobody signed
in, and no session data), no messages waiting, and not an htmx request. What
is stored: a 200 with no cookie set, no Vary the key does not cover, nothing
private in Cache-Control, and no session or message written while rendering.

CSRF: a copy is rendered with a placeholder in place of the CSRF token (the
`csrf_placeholder` context processor) and every answer swaps in the
visitor's own token (`get_token`, which also has CsrfViewMiddleware set the
cookie), so no two visitors share one.

Pages that change by the clock alone (a Storm Session opening or closing)
are kept only until the next such moment: the apps above register when that
is (`clock_register`).

Members: a view that says which members see what a visitor sees (`members=`,
e.g. no staff role and no limited audience) serves them the same copy with
only what is theirs filled in. While a copy is drawn, templates mark those
parts as slots: `template_slot` (drawn again for the member from their own
context: the header's account links and bell) and `variant_slot` (drawn in
each variant up front, and the member's chosen by one query for the whole
page: their vote on each idea, what they may do on an idea page). A member
whose page no drawn variant shows (their own comments on it) gets their own
render (`DrawFresh`), as do all members on a copy marked with
`members_draw_their_own`. A member's own render is never stored.
"""

import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from contextlib import contextmanager, nullcontext
from datetime import datetime
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone
from django.utils.cache import cc_delim_re
from django.utils.safestring import mark_safe

from community.cache import generations, generations_next, generations_with

logger = logging.getLogger(__name__)

# Every cached page names this family: what the whole site shows (Wagtail pages and
# menus, product areas, status labels, community settings, members' names).
SITE = "pages.site"

# Rendered in place of the CSRF token in a stored copy; swapped for the visitor's own.
CSRF_PLACEHOLDER = "pagecache-csrf-token-b6e1f0"
_PLACEHOLDER = CSRF_PLACEHOLDER.encode()

# Response headers a stored copy keeps (the middleware adds the rest on every answer).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")
# Vary headers the key covers (the language is part of it).
KEYED_VARY = {"accept-language"}
# Longer query strings are not worth a copy (and would let anyone fill the cache).
MAX_QUERY_LENGTH = 512
HEADER = "X-Page-Cache"


def _family_seconds() -> int:
    """How long a generation is remembered: far longer than any copy lives, so a
    forgotten generation (read as "0" again) can no longer match a stored copy."""
    return max(24 * 3600, 10 * settings.PAGE_CACHE_SECONDS)


def pages_changed(*families: str) -> None:
    """Start new generations of these families once the current transaction commits
    (at once outside one): the cached pages that name them are not read again."""
    names = sorted(set(families))
    if names:
        transaction.on_commit(lambda: generations_next(names, seconds=_family_seconds()))


def site_changed(**_signal) -> None:
    """Something every page shows changed (also a signal receiver: Wagtail's publish)."""
    pages_changed(SITE)


# --- Pages that change by the clock -------------------------------------------------

_clock: list[Callable[[datetime], datetime | None]] = []


def clock_register(next_change: Callable[[datetime], datetime | None]):
    """Register `next_change(now)`: the next moment after `now` at which some cached page
    changes without any write (None: none planned). Apps call it from `ready()`."""
    if next_change not in _clock:
        _clock.append(next_change)
    return next_change


def _seconds_to_keep(now: datetime) -> float:
    """The copy's lifetime: PAGE_CACHE_SECONDS, or less if the clock changes a page sooner.

    The next moment is read once per site generation (a publish can move it) and
    kept until it passes.
    """
    seconds = float(settings.PAGE_CACHE_SECONDS)
    if not _clock:
        return seconds
    key = f"pagecache:clock:{generations([SITE])[0]}"
    moment = cache.get(key)
    if moment is None:
        found = [when for when in (next_change(now) for next_change in _clock) if when]
        moment = min(found).timestamp() if found else 0.0
        keep = (moment - now.timestamp()) if moment else 3600
        if keep > 0:
            cache.set(key, moment, keep)
    if moment:
        seconds = min(seconds, moment - now.timestamp())
    return seconds


# --- Serving -------------------------------------------------------------------------


def drawing(request) -> bool:
    """Whether this request is drawing a copy for the shared cache."""
    return getattr(request, "_page_cache_render", False)


def csrf_placeholder(request) -> dict:
    """Context processor: while a page is rendered for the cache, `{% csrf_token %}`
    writes the placeholder (it runs after Django's own, so it wins)."""
    if drawing(request):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


# --- Slots: what is personal in a shared copy ---------------------------------------

_SLOT = re.compile(rb"<!--pc (\S+) (\S+)-->(.*?)<!--/pc-->", re.S)
TEMPLATE = "template"
_choosers: dict[str, Callable] = {}
_member_context: list[Callable] = []


class DrawFresh(Exception):
    """Raised by a slot chooser: no variant drawn shows this member's page (their own
    comments on it, say), so they get their own render."""


def slot_chooser(kind: str):
    """Register `choose(request, keys) -> {key: variant}` for `variant_slot(kind, ...)`:
    which variant each slot shows this member (one query for the page); a key left
    out shows the visitor's. It raises DrawFresh when no drawn variant fits."""

    def register(choose):
        _choosers[kind] = choose
        return choose

    return register


def member_context_register(provide: Callable) -> Callable:
    """Register `provide(request) -> dict`: the context `template_slot`s are drawn with
    for a member (their user, the bell's count); the CSRF token is added."""
    if provide not in _member_context:
        _member_context.append(provide)
    return provide


def _slot(request, kind: str, key, html: str, variants: dict[str, str]) -> str:
    if not drawing(request):
        return html
    key = str(key)
    if " " in kind or " " in key or "-->" in key:
        raise ValueError(f"A slot's kind and key are single words: {kind!r} {key!r}")
    request._page_cache_slots[f"{kind} {key}"] = variants
    return mark_safe(f"<!--pc {kind} {key}-->{html}<!--/pc-->")  # noqa: S308 (our own HTML)


def template_slot(request, template_name: str, html: str) -> str:
    """`html` (the template as the visitor sees it) is drawn again from `template_name`
    for a member served the shared copy."""
    return _slot(request, TEMPLATE, template_name, html, {})


def variant_slot(request, kind: str, key, html: str, variants: dict[str, str]) -> str:
    """`html` is what a visitor sees; a member sees the variant `slot_chooser(kind)` picks."""
    if drawing(request) and kind not in _choosers:
        raise LookupError(f"No slot_chooser registered for {kind!r}")
    return _slot(request, kind, key, html, {name: str(v) for name, v in variants.items()})


# A copy whose members all get their own render: it leaves out for visitors something
# some members may see, and no slot can say whom (a story behind a login or a group).
_OWN = ("own", "page", b"", {})


def members_draw_their_own(request) -> None:
    """While a copy is drawn: members are not served it, each gets their own page."""
    if drawing(request):
        request._page_cache_own = True


def _split(content: bytes, slots: dict) -> list:
    """A drawn page as its static bytes with its slots between them, each slot as
    (kind, key, the visitor's HTML, its variants): joined again on every hit with no
    search through the page."""
    parts, at = [], 0
    for match in _SLOT.finditer(content):
        kind, key = match.group(1).decode(), match.group(2).decode()
        variants = slots.get(f"{kind} {key}")
        if variants is None:
            continue  # not a slot this copy recorded: left in the static bytes as it is
        parts += [content[at : match.start()], (kind, key, match.group(3), variants)]
        at = match.end()
    parts.append(content[at:])
    return parts


def _joined(request, parts: list, *, member: bool) -> bytes:
    """The page as the visitor sees it, or with its slots filled in for this member."""
    if not member:
        return b"".join(part if isinstance(part, bytes) else part[2] for part in parts)
    if parts[0] == _OWN:
        raise DrawFresh
    keys: dict[str, list[str]] = {}
    for part in parts:
        if not isinstance(part, bytes) and part[0] != TEMPLATE:
            keys.setdefault(part[0], []).append(part[1])
    chosen = {kind: _choosers[kind](request, found) for kind, found in keys.items()}
    context = None

    def fill(part) -> bytes:
        nonlocal context
        if isinstance(part, bytes):
            return part
        kind, key, html, variants = part
        if kind == TEMPLATE:
            if context is None:
                context = {"request": request, "csrf_token": get_token(request)}
                for provide in _member_context:
                    context.update(provide(request))
            return get_template(key).render(context).encode()
        variant = chosen[kind].get(key)
        return variants[variant].encode() if variant in variants else html

    return b"".join(fill(part) for part in parts)


# --- Who gets a copy -----------------------------------------------------------------

VISITOR, MEMBER = "visitor", "member"


def _reader(request, members: Callable | None) -> str | None:
    """VISITOR, MEMBER (a member who may have a visitor's copy), or None (their own page)."""
    if request.method not in ("GET", "HEAD"):
        return None
    if request.headers.get("HX-Request") == "true":
        return None
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return None
    if CookieStorage.cookie_name in request.COOKIES:
        return None  # messages waiting to be shown
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # No session cookie: nobody signed in, no session data, and no query to know it.
        return None if request.user.is_authenticated else VISITOR
    if members is None or not request.user.is_authenticated:
        return None  # a visitor with session data (a password page passed, say)
    if len(get_messages(request)) or not members(request.user):
        return None
    return MEMBER


def _key(request, names: list[str]) -> str:
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        repr(query),
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        *names,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:v3:{digest}"


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if vary - KEYED_VARY:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a real token was written into the page, not the placeholder
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return len(get_messages(request)) == 0


def _with_token(request, content: bytes) -> bytes:
    if _PLACEHOLDER in content:
        content = content.replace(_PLACEHOLDER, get_token(request).encode())
    return content


def _answer(request, entry: tuple, *, member: bool) -> HttpResponse:
    _gens, status, parts, headers = entry
    response = HttpResponse(
        _with_token(request, _joined(request, parts, member=member)), status=status
    )
    for name, value in headers:
        response[name] = value
    response[HEADER] = "hit"
    return response


@contextmanager
def _as_visitor(request):
    """A member's request as a visitor's while the visitors' copy is drawn from it: no
    user and an empty session (a password the member typed is not the visitors')."""
    user, session = request.user, getattr(request, "session", None)
    request.user = AnonymousUser()
    if session is not None:
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    try:
        yield
    finally:
        request.user = user
        if session is not None:
            request.session = session


def _draw(request, view, args, kwargs, key: str, gens: list, seconds: int | None):
    """Draw the visitors' copy and store it if it may be shared: (the entry or None, the
    visitor's answer). A member's request draws it as a visitor would (a page only
    members read still gets its copy); then the answer is None, and so is the entry if
    a visitor would not get this page (a 404 a member's rights would lift)."""
    member = request.user.is_authenticated
    request._page_cache_render, request._page_cache_slots = True, {}
    request._page_cache_own = False
    try:
        with _as_visitor(request) if member else nullcontext():
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response.render()  # a TemplateResponse (Wagtail's pages)
            # Judged on the visitor's session: the member's may be written meanwhile.
            storable = not response.streaming and _storable(request, response)
    except Http404:
        if not member:
            raise
        return None, None
    finally:
        request._page_cache_render = False
    if response.streaming:  # no view here streams; it could not be swapped
        return None, response
    parts = _split(response.content, request._page_cache_slots)
    if request._page_cache_own:
        parts.insert(0, _OWN)
    entry = None
    if storable:
        keep = _seconds_to_keep(timezone.now())
        if seconds is not None:
            keep = min(keep, seconds)
        if keep >= 1:
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            # Stamped with the generations read before drawing: a change that committed
            # meanwhile makes it a miss at once.
            entry = (gens, response.status_code, parts, headers)
            cache.set(key, entry, int(keep))
    if member:
        return entry, None
    # Stored or not, it was rendered with the placeholder: this visitor's own token.
    response.content = _with_token(request, _joined(request, parts, member=False))
    response[HEADER] = "miss"
    return entry, response


def cached_for_visitors(
    *,
    families: Callable[..., Iterable[str]],
    seconds: int | None = None,
    members: Callable | None = None,
) -> Callable:
    """Serve the view's page to anonymous visitors from the shared cache.

    `families(request, *args, **kwargs)` names what the page shows (SITE is
    added); `seconds` caps the copy's lifetime below PAGE_CACHE_SECONDS.
    `members(user)` says which signed-in members see exactly what a visitor
    sees apart from the page's slots: they get the copy with the slots filled
    in for them. With no copy yet, their request draws the visitors' (as a
    visitor) and is answered from it; their own render is never stored.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            reader = _reader(request, members) if settings.PAGE_CACHE_SECONDS > 0 else None
            if reader is None:
                return view(request, *args, **kwargs)
            names = [SITE, *families(request, *args, **kwargs)]
            key = _key(request, names)
            gens, entry = generations_with(names, key)
            drawn = entry is None or entry[0] != gens
            if drawn:
                entry, response = _draw(request, view, args, kwargs, key, gens, seconds)
                if reader == VISITOR:
                    return response
            if entry is not None:
                try:
                    answer = _answer(request, entry, member=reader == MEMBER)
                    answer[HEADER] = "miss" if drawn else "hit"
                    return answer
                except DrawFresh:
                    pass
            response = view(request, *args, **kwargs)  # the member's own page
            response[HEADER] = "miss"
            return response

        return wrapper

    return decorate
