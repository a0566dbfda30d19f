"""Named reads for the search page: short lists that change a few times a year.

Every search showed product area names on its facets and Storm Sessions in
its filter, at a database round trip each. A copy up to a minute old, shared
through the cache, shows the same and spares each search both trips.
"""

from django.core.cache import cache

from cms.models import StormSessionPage
from community.permissions import admits
from ideas.models import Category

TTL = 60  # seconds


def category_labels() -> dict[str, str]:
    """Product area names by slug."""
    return cache.get_or_set(
        "search:category-labels", lambda: dict(Category.objects.values_list("slug", "name")), TTL
    )


STORM_SESSIONS_KEY = "search:storm-sessions:v2"


def storm_session_choices(*, audience: frozenset[int] | None) -> list[dict]:
    """Live Storm Sessions for the search filter that a reader with these
    `audience_groups` may see, the latest first.

    The cached copy holds every session with the group it is limited to, and
    each reader's list is cut from it; `storm_session_choices_forget` drops it
    when a session is published, so a new audience holds at once.
    """
    sessions = cache.get_or_set(
        STORM_SESSIONS_KEY,
        lambda: list(
            StormSessionPage.objects.live()
            .order_by("-starts_at")
            .values("pk", "title", "restricted_to_id")
        ),
        TTL,
    )
    return [
        {"pk": session["pk"], "title": session["title"]}
        for session in sessions
        if admits(audience, session["restricted_to_id"])
    ]


def storm_session_choices_forget() -> None:
    cache.delete(STORM_SESSIONS_KEY)
