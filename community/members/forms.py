from django import forms
from PIL import Image

AVATAR_MAX_BYTES = 2 * 1024 * 1024
# Raster formats only: SVG can carry scripts, and Pillow cannot read it anyway.
AVATAR_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


class ProfileForm(forms.Form):
    """A member's public profile. Saving is `members.services.member_profile_update`."""

    display_name = forms.CharField(
        max_length=60, required=False, help_text="The name shown next to your ideas and comments."
    )
    bio = forms.CharField(
        max_length=280,
        required=False,
        help_text="A line about you.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A plain file field: Django's ImageField would hand the upload to Pillow
    # before our size check could refuse it.
    avatar = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
        help_text="PNG, JPEG, GIF or WebP, up to 2 MB.",
    )

    def __init__(self, *args, member, **kwargs):
        initial = {"display_name": member.display_name, "bio": member.bio, "avatar": member.avatar}
        super().__init__(*args, initial=initial, **kwargs)

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar is False:
            return False  # cleared
        if not avatar or not hasattr(avatar, "content_type"):
            return None  # unchanged
        # Size first, before Pillow reads a byte of it.
        if avatar.size > AVATAR_MAX_BYTES:
            raise forms.ValidationError("The picture can be at most 2 MB.")
        avatar.seek(0)
        try:
            with Image.open(avatar) as image:
                image_format = image.format
                image.verify()
        except Exception as exc:
            raise forms.ValidationError(
                "Upload a valid image: that file is not a picture we can read."
            ) from exc
        if image_format not in AVATAR_FORMATS:
            raise forms.ValidationError("Use a PNG, JPEG, GIF or WebP picture.")
        avatar.seek(0)
        return avatar

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())


class AccountDeleteForm(forms.Form):
    """Confirmation for deleting one's own account. Saving is
    `members.services.member_account_delete`."""

    content = forms.ChoiceField(
        label="What happens to your ideas and comments?",
        choices=[
            ("keep", "Keep them readable, shown as “Former member”"),
            ("remove", "Remove them: ideas are withdrawn and comments removed"),
        ],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label="I understand this cannot be undone.",
        error_messages={"required": "Tick the box to confirm you want to delete your account."},
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        if member.is_staff_member:
            self.fields["staff_confirmed"] = forms.BooleanField(
                label="I understand my staff role ends and my official responses stay.",
                error_messages={"required": "Confirm that your staff role ends with this account."},
            )
