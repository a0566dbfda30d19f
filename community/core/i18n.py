"""Language helpers shared by every app."""

import functools

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import lazy

# A month's name ("März 2026") in the language of whoever reads it: figures are
# computed once and cached for every reader, so the name is formatted when shown.
month_label = lazy(date_format, str)


def _interpolate(message, values: dict) -> str:
    return str(message) % values


# `_("up to %(n)s") % {...}` at import time would fix the language then; this waits.
lazy_interpolate = lazy(_interpolate, str)


def in_site_language(function):
    """Run `function` in the site's default language, not the request's.

    For what is written once for many readers (live page fragments broadcast to
    every viewer, stored notification texts): it must not take the language of
    whoever happened to cause it.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper
