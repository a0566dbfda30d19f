from django import forms
from PIL import Image

from community.models import User

AVATAR_MAX_BYTES = 2 * 1024 * 1024
# Raster formats only: SVG can carry scripts, and Pillow cannot read it anyway.
AVATAR_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


class ProfileForm(forms.ModelForm):
    # A plain file field: Django's ImageField would hand the upload to Pillow
    # before our size check could refuse it.
    avatar = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
        help_text="PNG, JPEG, GIF or WebP, up to 2 MB.",
    )

    class Meta:
        model = User
        fields = ["display_name", "bio", "avatar"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if not avatar or not hasattr(avatar, "content_type"):
            return avatar  # unchanged or cleared
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
