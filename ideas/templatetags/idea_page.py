"""The parts of an idea page that are the reader's own: what they may do on it.

Each renders its template from the page's context. In a copy drawn for the shared
cache (`community.pagecache`) each part is also a slot, drawn in every state a
member who reads it as a visitor may see; `presenters.idea_page_variants` picks a
served member's by the same rules the page applies.
"""

from django import template

from community import pagecache
from ideas import presenters

register = template.Library()


def _part(context, template_name: str, key: str, values: dict, variants: dict[str, dict]):
    part = context.template.engine.get_template(template_name)
    with context.push(**values):
        html = part.render(context)
    request = context.get("request")
    if not pagecache.drawing(request):
        return html
    drawn = {}
    for name, overrides in variants.items():
        with context.push(**{**values, **overrides}):
            drawn[name] = part.render(context)
    return pagecache.variant_slot(request, presenters.READER, key, html, drawn)


@register.simple_tag(takes_context=True)
def idea_actions(context):
    """Follow, edit, withdraw and flag."""
    idea, user = context["idea"], context["user"]
    values = {
        "signed_in": user.is_authenticated,
        "following": context["detail"].is_following,
        "can_edit": context.get("can_edit", False),
        "can_withdraw": context.get("can_withdraw", False),
        "can_flag_idea": context.get("can_flag_idea", False),
    }
    variants = {
        presenters.actions_variant(following=following, can_flag=can_flag): {
            "signed_in": True,
            "following": following,
            "can_edit": False,
            "can_withdraw": False,
            "can_flag_idea": can_flag,
        }
        for following in (True, False)
        for can_flag in (True, False)
    }
    key = f"{idea.pk}.actions"
    return _part(context, "ideas/includes/_idea_actions.html", key, values, variants)


def _comment_part(context, comment, part: str, variant: str, shown: dict) -> str:
    """A comment's `part`: NONE for a reader who may do nothing with it, `variant` for
    one with the actions `shown`."""
    values = {"comment": comment, "actions": getattr(comment, "actions", None)}
    variants = {
        presenters.NONE: {"actions": presenters.reader_actions()},
        variant: {"actions": presenters.reader_actions(**shown)},
    }
    key = f"{comment.idea_id}.{part}.{comment.pk}"
    return _part(context, f"ideas/includes/_comment_{part}.html", key, values, variants)


@register.simple_tag(takes_context=True)
def comment_links(context, comment):
    """Edit, remove, flag and the moderators' links under a comment."""
    return _comment_part(context, comment, "links", presenters.FLAG, {"can_flag": True})


@register.simple_tag(takes_context=True)
def comment_reply(context, comment):
    """The reply form under a comment."""
    return _comment_part(context, comment, "reply", presenters.REPLY, {"can_reply": True})


@register.simple_tag(takes_context=True)
def join_discussion(context):
    """The comment form, or why the reader cannot comment."""
    idea, user = context["idea"], context["user"]
    values = {"signed_in": user.is_authenticated}
    signed_in = {"signed_in": True, "can_participate": False, "is_suspended": False}
    variants = {
        presenters.PARTICIPANT: {**signed_in, "can_participate": True},
        presenters.SUSPENDED: {**signed_in, "is_suspended": True},
        presenters.UNCONFIRMED: signed_in,
    }
    key = f"{idea.pk}.join"
    return _part(context, "ideas/includes/_join_discussion.html", key, values, variants)
