"""What a stored notification may still say about its idea.

A notification keeps the idea's title from when it was sent; once the idea is
hidden, withdrawn or otherwise out of the reader's sight, the list shows a
neutral line instead (the same rule as the idea page: `can_view_idea`).
A template tag, so the notifications package needs no import of the ideas app.
"""

from django import template
from django.utils.translation import gettext_lazy as _

from ideas.permissions import can_view_idea

register = template.Library()

UNAVAILABLE = _("An idea you were told about is no longer available.")


@register.simple_tag(takes_context=True)
def notification_text(context, notification) -> str:
    if notification.idea_id is None or can_view_idea(context["request"].user, notification.idea):
        return notification.text
    return UNAVAILABLE
