"""Input for a listening rating: the stage, a 0–10 score and an optional sentence."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ideas.listening.models import ListeningRating
from ideas.listening.services import COMMENT_MAX

SCORE_CHOICES = [(value, str(value)) for value in range(11)]


class RatingForm(forms.Form):
    stage = forms.ChoiceField(
        choices=ListeningRating.Stage.choices,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That is not a stage of an idea you can rate.")},
    )
    score = forms.TypedChoiceField(
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        label=_("How well did we listen to you on this idea?"),
        error_messages={
            "required": _("Choose a rating from 0 (not at all) to 10 (very well)."),
            "invalid_choice": _("Choose a rating from 0 (not at all) to 10 (very well)."),
        },
    )
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX,
        label=_("Anything you would like to add? (optional)"),
        widget=forms.TextInput(attrs={"maxlength": COMMENT_MAX}),
        error_messages={
            # Django fills in %(limit_value)s when it raises the error, in the reader's language.
            "max_length": _("The sentence can be at most %(limit_value)s characters long.")
        },
    )
