"""Personal API tokens: shown once, stored as a SHA-256 of the secret, with a scope."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Read: everything you can see")
    WRITE = "write", _("Write: post, vote and comment as you")
    STAFF = "staff", _("Staff: also your staff actions")


# Each scope includes the ones before it.
SCOPE_ORDER = [Scope.READ, Scope.WRITE, Scope.STAFF]


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_api_tokens"
    )
    name = models.CharField(max_length=80, help_text=_("What the token is for."))
    # The first characters of the secret, to tell tokens apart; not enough to use one.
    prefix = models.CharField(max_length=12)
    secret_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return SCOPE_ORDER.index(self.scope) >= SCOPE_ORDER.index(scope)
