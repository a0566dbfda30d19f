from django import forms
from django.utils.translation import gettext_lazy as _

from community.api.models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("What the token is for, e.g. “Jira sync”.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.READ)

    def __init__(self, *args, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            self.fields["scope"].choices = [c for c in Scope.choices if c[0] != Scope.STAFF]
