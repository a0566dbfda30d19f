from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from community.members.avatars import AvatarRefused, avatar_redraw
from community.members.handles import HANDLE_HELP, HANDLE_MAX, HANDLE_MIN, HANDLE_PATTERN


class HandleField(forms.CharField):
    """Handles are compared and stored in lowercase, so "Alex" and "alex" are one."""

    def to_python(self, value):
        return super().to_python(value).lower()


class ProfileForm(forms.Form):
    """A member's public profile. Saving is `members.services.member_profile_update`."""

    handle = HandleField(
        label=_("Public handle"),
        min_length=HANDLE_MIN,
        max_length=HANDLE_MAX,
        help_text=HANDLE_HELP,
        validators=[RegexValidator(HANDLE_PATTERN, HANDLE_HELP)],
    )

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        required=False,
        help_text=_("The name shown next to your ideas and comments."),
    )
    bio = forms.CharField(
        label=_("About you"),
        max_length=280,
        required=False,
        help_text=_("A line about you."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A plain file field: Django's ImageField would hand the upload to Pillow
    # before our size check could refuse it.
    avatar = forms.FileField(
        label=_("Picture"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
        help_text=_("PNG, JPEG, GIF or WebP, up to 2 MB."),
    )

    def __init__(self, *args, member, **kwargs):
        initial = {
            "handle": member.username,
            "display_name": member.display_name,
            "bio": member.bio,
            "avatar": member.avatar,
        }
        super().__init__(*args, initial=initial, **kwargs)

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar is False:
            return False  # cleared
        if not avatar or not hasattr(avatar, "content_type"):
            return None  # unchanged
        try:
            return avatar_redraw(avatar)
        except AvatarRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())


class AccountDeleteForm(forms.Form):
    """Confirmation for deleting one's own account. Saving is
    `members.services.member_account_delete`."""

    content = forms.ChoiceField(
        label=_("What happens to your ideas and comments?"),
        choices=[
            ("keep", _("Keep them readable, shown as “Former member”")),
            ("remove", _("Remove them: ideas are withdrawn and comments removed")),
        ],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("I understand this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm you want to delete your account.")},
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        if member.is_staff_member:
            self.fields["staff_confirmed"] = forms.BooleanField(
                label=_("I understand my staff role ends and my official responses stay."),
                error_messages={
                    "required": _("Confirm that your staff role ends with this account.")
                },
            )
