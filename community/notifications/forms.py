from django import forms

from community.notifications import kinds
from community.notifications.models import Frequency


class EmailPreferencesForm(forms.Form):
    """One choice per kind of notification the member can get."""

    def __init__(self, *args, user, chosen: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds.kinds_for(user):
            self.fields[kind] = forms.ChoiceField(
                label=kinds.DESCRIPTIONS[kind],
                choices=Frequency.choices,
                initial=chosen.get(kind, kinds.default_frequency(kind)),
                widget=forms.RadioSelect,
            )
