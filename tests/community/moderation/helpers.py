"""Helpers the moderation tests share."""

from django.test import Client

from community.models import AuditEntry, User
from ideas import services
from tests.factories import UserFactory


def fresh(user) -> User:
    """The member as a new request would load them (cached properties empty)."""
    return User.objects.get(pk=user.pk)


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def comment_on(idea, *, author=None, body="I would use this every day."):
    return services.comment_create(author=author or UserFactory(), idea_id=idea.pk, body=body)
