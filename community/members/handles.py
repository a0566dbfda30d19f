"""Public handles: the name in a member's profile address, never taken from their email."""

import secrets

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from community.core.i18n import lazy_interpolate

HANDLE_MIN, HANDLE_MAX = 3, 30
HANDLE_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
HANDLE_HELP = lazy_interpolate(
    _(
        "%(min)s–%(max)s lowercase letters, digits, hyphens or underscores. "
        "It is shown in your profile's address."
    ),
    {"min": HANDLE_MIN, "max": HANDLE_MAX},
)
# No vowels, so a generated handle never spells a word.
_ALPHABET = "bcdfghjkmnpqrstvwxz23456789"


def handle_generate() -> str:
    """A fresh, unused handle like "member-7kq2xz" for a new account."""
    users = get_user_model().objects
    while True:
        handle = "member-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))
        if not users.filter(username__iexact=handle).exists():
            return handle


def handle_reveals_email(handle: str, email: str) -> bool:
    local = (email or "").split("@")[0].lower()
    return bool(local) and handle.lower() == local
