"""What a stored notification says to the reader (`presenters.notification_text`).

A template tag, so the notifications package needs no import of the ideas app.
"""

from django import template

from ideas.presenters import notification_text as text_for

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_text(context, notification) -> str:
    return text_for(context["request"].user, notification)
