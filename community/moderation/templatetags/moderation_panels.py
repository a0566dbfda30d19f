"""Moderation's panel on pages other features own (the idea page).

A template tag, so the ideas app shows the panel without importing moderation:
the page asks for it by name, and moderation decides what it holds and who sees it.
"""

from django import template

from community import permissions
from community.moderation.selectors import idea_moderation

register = template.Library()


@register.inclusion_tag("community/moderation/includes/_idea_panel.html", takes_context=True)
def idea_moderation_panel(context, idea):
    viewer = context["request"].user
    return {
        "idea": idea,
        "user": viewer,
        "moderation": idea_moderation(idea=idea, viewer=viewer),
        "can_moderate": permissions.can_moderate(viewer),
        "can_suspend": permissions.can_suspend(viewer),
    }
