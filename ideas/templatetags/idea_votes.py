"""The vote buttons ask the same rule the vote service enforces."""

from django import template
from django.utils import timezone

from ideas.permissions import votes_closed_reason

register = template.Library()


@register.filter
def votes_closed(idea) -> str:
    """Why the idea takes no votes now (its Storm Session's voting closed), or ""."""
    return votes_closed_reason(idea, timezone.now())
