"""The stories that tell an idea, for the idea page (which the ideas app renders).

A template tag, so the ideas app links to Ideas in Action without importing cms.
"""

from django import template

from cms.selectors import stories_about

register = template.Library()


@register.simple_tag(takes_context=True)
def idea_stories(context, idea):
    return list(stories_about(idea_id=idea.pk, viewer=context["request"].user))
