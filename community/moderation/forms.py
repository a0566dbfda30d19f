"""Forms for flagging and moderating. They parse input; the rules live in community.moderation."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from community.audit import Action
from community.core.ids import ModelIdChoiceField, PageField
from community.models import AuditEntry
from community.moderation.models import Flag
from community.moderation.services.rules import FLAG_TEXT_MAX, REASON_MAX
from ideas import services


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you are flagging this.")},
    )
    text = forms.CharField(
        label=_("Anything a moderator should know? (optional)"),
        required=False,
        max_length=FLAG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    """A moderator's reason: kept in the audit log, and shown to the author when hiding."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason: it is kept in the audit log.")},
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IdeaEditForm(ReasonForm):
    title = forms.CharField(
        label=_("Title"), min_length=services.TITLE_MIN, max_length=services.TITLE_MAX
    )
    body = forms.CharField(
        label=_("Description"),
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    field_order = ["title", "body", "reason"]


class CommentEditForm(ReasonForm):
    body = forms.CharField(
        label=_("Comment"),
        max_length=services.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    field_order = ["body", "reason"]


class SuspendForm(ReasonForm):
    LENGTHS = [("days", _("For a number of days")), ("good", _("For good"))]

    length = forms.ChoiceField(
        label=_("How long"),
        choices=LENGTHS,
        initial="days",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how long the suspension lasts.")},
    )
    days = forms.IntegerField(
        label=_("Days"), min_value=1, max_value=3650, required=False, initial=7
    )
    field_order = ["length", "days", "reason"]

    def clean(self):
        data = super().clean()
        if data.get("length") == "days" and not data.get("days"):
            self.add_error("days", _("Say for how many days, or choose “For good”."))
        return data


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("", _("All actions")), *Action.choices], required=False, label=_("Action")
    )
    actor = ModelIdChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Anyone"),
        label=_("Who"),
    )
    page = PageField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actors = AuditEntry.objects.values("actor_id")
        self.fields["actor"].queryset = (
            get_user_model().objects.filter(pk__in=actors).order_by("display_name", "username")
        )


class RingReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("clear", _("Clear: genuine supporters")),
            ("confirm", _("Confirm: a voting ring")),
        ],
        error_messages={
            "required": _("Choose whether to clear or to confirm the ring."),
            "invalid_choice": _("Choose whether to clear or to confirm the ring."),
        },
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=300)
