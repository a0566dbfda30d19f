"""What the site calls each status, and how it explains it: the product team's
words from the Wagtail admin (StatusLabel), else the built-in translated name.

Read through `label(code)` and `help_text(code)` (the `status_label` and
`status_help` template filters); the rows are cached and the cache is dropped
when one is saved.
"""

from django.core.cache import cache

from ideas.models import Status, StatusLabel

CACHE_SECONDS = 300


def _rows() -> dict[str, tuple[str, str]]:
    rows = cache.get(StatusLabel.CACHE_KEY)
    if rows is None:
        rows = {
            row.status: (row.label, row.help_text)
            for row in StatusLabel.objects.only("status", "label", "help_text")
        }
        cache.set(StatusLabel.CACHE_KEY, rows, CACHE_SECONDS)
    return rows


def label(code: str) -> str:
    edited = _rows().get(code, ("", ""))[0]
    if edited:
        return edited
    try:
        return str(Status(code).label)
    except ValueError:
        return code


def help_text(code: str) -> str:
    return _rows().get(code, ("", ""))[1]
