"""Forms parse and validate input; the rules themselves live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.core.i18n import lazy_interpolate
from community.core.ids import ModelIdChoiceField, ModelIdField, PageField
from community.core.redirects import safe_next
from ideas import services
from ideas.models import Category, Comment, Status
from ideas.querysets import PERIODS, SORTS


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        min_length=services.TITLE_MIN,
        max_length=services.TITLE_MAX,
        help_text=_("One clear sentence: what should change?"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Description"),
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What problem does it solve, and for whom? Markdown works."),
    )
    category = ModelIdChoiceField(
        queryset=Category.objects.all(),
        empty_label=_("Choose a product area"),
        label=_("Product area"),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=200,
        help_text=lazy_interpolate(
            _("Optional, comma-separated, up to %(TAGS_MAX)s."), {"TAGS_MAX": services.TAGS_MAX}
        ),
    )

    def clean_tags(self) -> list[str]:
        return [tag for tag in self.cleaned_data["tags"].split(",") if tag.strip()]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=services.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    parent = ModelIdField(model=Comment, required=False, widget=forms.HiddenInput)
    official = forms.BooleanField(required=False)
    # Set by "Post anyway" after the near-copy warning on an official response.
    near_copy_acknowledged = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Where to go afterwards (the staff triage page), a path on this site.
    next = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)

    def clean_next(self) -> str:
        return safe_next(self.cleaned_data["next"])


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=services.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(
        choices=[(v, v) for v in services.VOTE_VALUES],
        coerce=int,
        error_messages={"invalid_choice": "A vote is +1 (promote), -1 (demote) or 0 (withdraw)."},
    )


class FollowForm(forms.Form):
    following = forms.TypedChoiceField(
        choices=[("1", "follow"), ("0", "unfollow")], coerce=lambda v: v == "1"
    )


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(
        # Duplicates are made by merging (staff area), never by picking the status.
        choices=[(v, label) for v, label in Status.choices if v != Status.DUPLICATE],
        label=_("New status"),
    )
    message = forms.CharField(
        label=_("Public explanation"),
        max_length=services.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the idea and sent to everyone who follows it."),
    )


class IdeaListForm(forms.Form):
    """Query parameters of the idea list; anything unknown is a clear 400."""

    sort = forms.ChoiceField(choices=[(s, s) for s in SORTS], required=False)
    period = forms.ChoiceField(choices=[(p, p) for p in PERIODS], required=False)
    category = forms.SlugField(required=False)
    status = forms.ChoiceField(choices=Status.choices, required=False)
    tag = forms.SlugField(required=False, allow_unicode=True)
    page = PageField()

    def clean_category(self):
        slug = self.cleaned_data["category"]
        if not slug:
            return None
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            raise forms.ValidationError(
                _("There is no product area called “%(slug)s”.") % {"slug": slug}
            )
        return category
