"""The numbers product teams tune in the Wagtail admin (Settings → Community settings).

`current()` is the one place the code reads them: each value is the one saved
in the admin, or, where that is empty, the deployment's setting
(`IDEA_RESPONSE_TARGET_HOURS`, `RATE_LIMITS`, ... in community/settings). The
saved row is cached and the cache is dropped when it is saved again.

Each process also keeps what it read for LOCAL_SECONDS: a loop that asks per
row (the listening figures ask for the response target for every idea) must
not make one cache round trip each — that made the report take 20 s at
100,000 ideas. Another process sees a save within LOCAL_SECONDS.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed

from community import pagecache
from community.cache import HeldHere

CACHE_KEY = "community:configuration:v1"
CACHE_SECONDS = 300
LOCAL_SECONDS = 1.0
_here = HeldHere(LOCAL_SECONDS)
RATE_KINDS = ("idea", "comment", "vote", "flag")


@dataclass(frozen=True)
class Configuration:
    response_target_hours: int
    idea_edit_window_minutes: int
    comment_edit_window_minutes: int
    # kind -> (established account, new account), per member per rolling hour
    rate_limits: dict[str, tuple[int, int]]
    near_copy_threshold: float


def _saved() -> dict:
    """The values saved in the admin (None where left empty), cached."""
    values = cache.get(CACHE_KEY)
    if values is None:
        from community.configuration.models import CommunitySettings

        row = CommunitySettings.objects.first()
        values = row.overrides() if row is not None else {}
        cache.set(CACHE_KEY, values, CACHE_SECONDS)
    return values


def current() -> Configuration:
    return _here.get(_read)


def _read() -> Configuration:
    saved = _saved()

    def value(field: str, default):
        found = saved.get(field)
        return default if found is None else found

    limits = {}
    for kind in RATE_KINDS:
        established, new = settings.RATE_LIMITS[kind]
        limits[kind] = (
            value(f"rate_limit_{kind}", established),
            value(f"rate_limit_{kind}_new", new),
        )
    return Configuration(
        response_target_hours=value("response_target_hours", settings.IDEA_RESPONSE_TARGET_HOURS),
        idea_edit_window_minutes=value(
            "idea_edit_window_minutes", settings.IDEA_EDIT_WINDOW_MINUTES
        ),
        comment_edit_window_minutes=value(
            "comment_edit_window_minutes", settings.COMMENT_EDIT_WINDOW_MINUTES
        ),
        rate_limits=limits,
        near_copy_threshold=value("near_copy_threshold", settings.NEAR_COPY_THRESHOLD),
    )


def forget() -> None:
    """Drop the cached row: the next `current()` reads what was just saved."""
    _here.forget()
    cache.delete(CACHE_KEY)
    pagecache.site_changed()  # edit windows and targets show on pages


# A test (or a deployment's override_settings) that changes a setting sees it at once.
setting_changed.connect(_here.forget, dispatch_uid="community.configuration.local")
