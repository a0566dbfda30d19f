from django import forms

from ideas.models import Category


class RoadmapFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All product areas",
        label="Product area",
        error_messages={"invalid_choice": "There is no product area with that name."},
    )
