"""Listening's prompt on the idea page (which the ideas app renders).

A template tag, so the idea page asks for the prompt by name without importing
this feature: listening decides who is asked and what they see.
"""

from django import template

from ideas.listening.forms import RatingForm
from ideas.listening.selectors import rating_prompt

register = template.Library()


@register.inclusion_tag("ideas/listening/includes/_rating_prompt.html", takes_context=True)
def listening_prompt(context, idea):
    prompt = rating_prompt(idea=idea, viewer=context["request"].user)
    form = None
    if prompt is not None:
        initial = {"stage": prompt.stage}
        if prompt.rating is not None:
            initial |= {"score": prompt.rating.score, "comment": prompt.rating.comment}
        form = RatingForm(initial=initial, auto_id="rating_%s")
    return {"idea": idea, "prompt": prompt, "form": form, "csrf_token": context.get("csrf_token")}
