"""The stories that tell an idea, for the idea page (which the ideas app renders).

A template tag, so the ideas app links to Ideas in Action without importing cms.
"""

from django import template

from cms.selectors import live_story_count, stories_about
from community import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def idea_stories(context, idea):
    request = context["request"]
    stories = list(stories_about(idea_id=idea.pk, viewer=request.user))
    if pagecache.drawing(request) and live_story_count(idea_id=idea.pk) > len(stories):
        # A story visitors may not read may be some members' to read: theirs is drawn apart.
        pagecache.members_draw_their_own(request)
    return stories
