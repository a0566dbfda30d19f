"""Named reads for the search page: short lists that change a few times a year.

Every search showed product area names on its facets and Storm Sessions in
its filter, at a database round trip each. A copy up to a minute old, shared
through the cache, shows the same and spares each search both trips.
"""

from django.core.cache import cache

from cms.models import StormSessionPage
from ideas.models import Category

TTL = 60  # seconds


def category_labels() -> dict[str, str]:
    """Product area names by slug."""
    return cache.get_or_set(
        "search:category-labels", lambda: dict(Category.objects.values_list("slug", "name")), TTL
    )


def storm_session_choices() -> list[dict]:
    """Live Storm Sessions for the search filter, the latest first."""
    return cache.get_or_set(
        "search:storm-sessions",
        lambda: list(StormSessionPage.objects.live().order_by("-starts_at").values("pk", "title")),
        TTL,
    )
