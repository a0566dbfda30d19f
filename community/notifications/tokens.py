"""Signed unsubscribe links: they work without signing in and cannot be forged."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

SALT = "idealoop.notifications.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: str  # a notification kind, or "digest_daily" / "digest_weekly"


class BadLink(Exception):
    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.expired = expired


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT)


def unsubscribe_read(token: str) -> Unsubscribe:
    max_age = settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS * 86400
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise BadLink(_("This unsubscribe link has expired."), expired=True) from exc
    except signing.BadSignature as exc:
        raise BadLink(_("This unsubscribe link is not valid.")) from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or "k" not in data:
        raise BadLink(_("This unsubscribe link is not valid."))
    return Unsubscribe(user_id=data["u"], kind=str(data["k"]))
