"""Forms of the staff area. Unknown values are clear errors, never a 500."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from community import roles
from community.core.ids import ModelIdChoiceField, ModelIdField, parse_id
from ideas.models import Category, Idea, Status
from ideas.services import COMMENT_MAX
from ideas.triage.services import UNCHANGED

# Duplicates are made by merging, never by picking the status.
SETTABLE_STATUSES = [(v, label) for v, label in Status.choices if v != Status.DUPLICATE]
UNASSIGNED = "none"
MINE = "me"


def staff_members():
    """Everyone who can work the inbox: the people ideas can be assigned to."""
    User = get_user_model()
    holders = User.objects.filter(is_active=True).filter(
        groups__permissions__codename=roles.TRIAGE.split(".")[1]
    )
    return (
        (holders | User.objects.filter(is_active=True, is_superuser=True))
        .distinct()
        .order_by("display_name", "username")
    )


def _owner_choices(*extra):
    return [*extra, *((str(u.pk), u.public_name) for u in staff_members())]


class InboxFilterForm(forms.Form):
    category = ModelIdChoiceField(
        Category.objects.all(), required=False, empty_label=_("All product areas"),
        label=_("Product area"),
    )  # fmt: skip
    status = forms.ChoiceField(required=False, label=_("Status"))
    owner = forms.ChoiceField(required=False, label=_("Owner"))
    session = ModelIdField(
        model=Page, required=False, widget=forms.Select, label=_("Storm Session")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *Status.choices]
        self.fields["owner"].choices = _owner_choices(
            ("", _("Anyone")), (UNASSIGNED, _("Unassigned")), (MINE, _("Assigned to me"))
        )
        from cms.models import StormSessionPage

        self.sessions = {s.pk: s for s in StormSessionPage.objects.live().order_by("-pk")}
        self.fields["session"].widget.choices = [
            ("", _("Any Storm Session")), *((pk, s.title) for pk, s in self.sessions.items())
        ]  # fmt: skip

    def clean_session(self):
        session_id = self.cleaned_data["session"]
        if session_id is None:
            return None
        if session_id not in self.sessions:
            raise forms.ValidationError(_("That Storm Session does not exist."))
        return self.sessions[session_id]


class AssignForm(forms.Form):
    owner = forms.ChoiceField(required=False, label=_("Owner"))
    category = ModelIdChoiceField(
        Category.objects.all(),
        required=False,
        label=_("Product area"),
        empty_label=_("Keep as it is"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _owner_choices(
            ("", _("Keep as it is")), (UNASSIGNED, _("Nobody"))
        )

    def changes(self) -> dict:
        """The service's keyword arguments for what the form changes."""
        owner = self.cleaned_data["owner"]
        category = self.cleaned_data["category"]
        return {
            "owner_id": UNCHANGED if owner == "" else None if owner == UNASSIGNED else int(owner),
            "category_id": category.pk if category else UNCHANGED,
        }


class BulkForm(AssignForm):
    status = forms.ChoiceField(required=False, label=_("Status"))
    message = forms.CharField(
        required=False, max_length=COMMENT_MAX, label=_("Public explanation"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for a status change: shown on each idea and sent to its followers."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Keep as it is")), *SETTABLE_STATUSES]

    def clean(self):
        data = super().clean()
        selected = self.data.getlist("ideas") if self.is_bound else []
        if not selected:
            raise forms.ValidationError(_("Select at least one idea."))
        ids = [parse_id(value, model=Idea) for value in selected]
        if None in ids:
            raise forms.ValidationError(_("The selection holds something that is not an idea."))
        data["ideas"] = ids
        if data.get("status") and not (data.get("message") or "").strip():
            raise forms.ValidationError(
                "Write the public explanation: every status change needs one."
            )
        return data


IDEA_REFERENCE = re.compile(r"(?:^|/ideas/)#?(\d+)(?:[-/]|$)")


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into"), max_length=300,
        help_text=_("The number of the idea this one repeats, or its address."),
    )  # fmt: skip
    message = forms.CharField(
        required=False, max_length=COMMENT_MAX, label=_("Public explanation"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on this idea; a standard explanation is used if left empty."),
    )  # fmt: skip

    def clean_into(self) -> int:
        match = IDEA_REFERENCE.search(self.cleaned_data["into"].strip())
        if match is None:
            raise forms.ValidationError(_("Give the idea's number (like 42) or its address."))
        idea_id = parse_id(match.group(1), model=Idea)
        if idea_id is None:
            raise forms.ValidationError(_("No idea has that number."))
        return idea_id
