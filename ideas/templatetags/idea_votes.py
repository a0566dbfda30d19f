"""The vote buttons ask the same rule the vote service enforces."""

from django import template
from django.utils import timezone

from community import pagecache
from ideas.permissions import votes_closed_reason

register = template.Library()

WIDGET = "ideas/includes/_vote_widget.html"


@register.simple_tag(takes_context=True)
def vote_widget(context, idea):
    """The idea's vote buttons as the reader sees them. In a copy drawn for the shared
    cache they are a slot: drawn also as a member who promoted or demoted it sees them,
    and a member served the copy gets theirs (`selectors.member_votes` picks)."""
    widget = context.template.engine.get_template(WIDGET)
    with context.push(idea=idea):
        html = widget.render(context)
    request = context.get("request")
    if not pagecache.drawing(request):
        return html
    own, variants = getattr(idea, "user_vote", None), {}
    try:
        for value in (1, -1):
            idea.user_vote = value
            with context.push(idea=idea):
                variants[str(value)] = widget.render(context)
    finally:
        idea.user_vote = own
    return pagecache.variant_slot(request, "vote", idea.pk, html, variants)


@register.filter
def votes_closed(idea) -> str:
    """Why the idea takes no votes now (its Storm Session's voting closed), or ""."""
    return votes_closed_reason(idea, timezone.now())
