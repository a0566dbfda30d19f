from django import forms
from django.utils.translation import gettext_lazy as _

from ideas.models import Category


class RoadmapFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All product areas"),
        label=_("Product area"),
        error_messages={"invalid_choice": _("There is no product area with that name.")},
    )
