"""Creating, revoking and checking personal API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import abuse
from community.api.models import ApiToken, Scope
from community.core.exceptions import InvalidInput, NotAllowed, NotFound
from community.permissions import is_member, is_staff

TOKEN_PREFIX = "il_"
TOKENS_MAX = 20
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the member once; only its hash is stored


@transaction.atomic
def token_create(*, user, name: str, scope: str, now: datetime | None = None) -> NewToken:
    """A new token for the member. The secret is returned once and never stored."""
    if not is_member(user):
        raise NotAllowed(_("Please sign in first."))
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_("Give the token a name, so you know what it is for."))
    if len(name) > 80:
        raise InvalidInput(_("The name can be at most 80 characters long."))
    if scope not in Scope.values:
        raise InvalidInput(_("Choose a scope: read, write or staff."))
    if scope == Scope.STAFF and not is_staff(user):
        raise NotAllowed(_("Only staff can create a token with the staff scope."))
    # The member's row is locked so two requests cannot pass the limit together.
    abuse.member_lock(user)
    if ApiToken.objects.filter(user=user, revoked_at=None).count() >= TOKENS_MAX:
        raise InvalidInput(
            _("You can have at most %(TOKENS_MAX)s tokens; revoke one first.")
            % {"TOKENS_MAX": TOKENS_MAX}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        secret_hash=hash_secret(secret),
        scope=scope,
        created_at=now or timezone.now(),
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, user, token_id: int, now: datetime | None = None) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("That token does not exist."))
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(secret: str, *, now: datetime | None = None) -> ApiToken | None:
    """The active token with this secret, its user loaded; None for anything else.

    A token stops working at once when revoked or when its member is deactivated.
    """
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=hash_secret(secret), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user):
    return ApiToken.objects.filter(user=user)
