"""A notification's words, kept so that each reader reads them in their own language.

A notification is stored as parts: `[msgid, params]` pairs, the msgid marked
with `gettext_noop` where the news is written (so `make messages` finds it)
and the params the names, titles and reasons it quotes. They are put together
when shown: in the reader's language on the site and in the API, in the
member's language in their email. A param may itself need translating when
shown (`label`: a status or kind name) or formatting (`day`: a date).

The stored `text` is the same words in the site's language: what rows from
before this carried, and what the admin and live pushes show.
"""

from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

Parts = list[list]


def part(msgid: str, **params) -> list:
    return [msgid, params]


def label(msgid: str) -> dict:
    """A param translated when shown (its msgid must be in the catalogue already)."""
    return {"label": msgid}


def day(value: date) -> dict:
    """A param shown as a day and month ("3 March", "3. März")."""
    return {"day": value.isoformat()}


def _value(value):
    if isinstance(value, dict):
        if "label" in value:
            return gettext(value["label"])
        if "day" in value:
            return date_format(date.fromisoformat(value["day"]), "j F")
    return value


def _one(msgid: str, params: dict) -> str:
    values = {name: _value(value) for name, value in params.items()}
    try:
        return gettext(msgid) % values
    except (KeyError, TypeError, ValueError):  # a translation naming another placeholder
        return msgid % values


def render(parts: Parts) -> str:
    """The parts in the active language."""
    return " ".join(_one(msgid, params) for msgid, params in parts)


def render_in_site_language(parts: Parts) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render(parts)


def shown(notification) -> str:
    """What a stored notification says, in the active language."""
    return render(notification.message) if notification.message else notification.text


def language_of(member) -> str:
    """The language to write to this member in: theirs if the site speaks it."""
    offered = {code for code, _name in settings.LANGUAGES}
    return member.language if member.language in offered else settings.LANGUAGE_CODE
