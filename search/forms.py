from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from community.core.ids import ModelIdField
from ideas.models import Status
from search.results import SearchRequest


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search ideas"), strip=True)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, required=False)
    category = forms.SlugField(label=_("Product area"), required=False)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)
    session = ModelIdField(model=Page, required=False, label=_("Storm Session"))
    created_from = forms.DateField(required=False, label=_("From"))
    created_to = forms.DateField(required=False, label=_("To"))
    sort = forms.ChoiceField(
        label=_("Sort"),
        choices=[("relevance", _("Relevance")), ("score", _("Score")), ("newest", _("Newest"))],
        required=False,
    )
    page = forms.IntegerField(min_value=1, max_value=500, required=False)
    hidden = forms.BooleanField(required=False, label=_("Include hidden and withdrawn ideas"))

    def clean_q(self) -> str:
        # Very long text is cut, not refused: a pasted paragraph still searches.
        return " ".join(self.cleaned_data["q"].split())[: settings.SEARCH_QUERY_MAX_LENGTH]

    def to_request(self, *, staff: bool, audience: frozenset[int] | None) -> SearchRequest:
        data = self.cleaned_data
        return SearchRequest(
            query=data["q"],
            status=data["status"] or None,
            category=data["category"] or None,
            tag=data["tag"] or None,
            storm_session=data["session"],
            created_from=data["created_from"],
            created_to=data["created_to"],
            sort=data["sort"] or "relevance",
            page=data["page"] or 1,
            include_hidden=staff and data["hidden"],
            audience=audience,
        )
