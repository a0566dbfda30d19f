"""Avatars are re-drawn, never stored as uploaded.

An upload is only ever read by Pillow and written back out as a fresh PNG of
at most AVATAR_SIZE pixels under a random name: none of the uploaded bytes or
of its name survive, so a file that is both a GIF and an HTML page (a
polyglot) or an SVG with a script can never be served from our origin.
"""

import io
import secrets

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_SIZE = 512
# Raster formats Pillow decodes; SVG can carry scripts, and Pillow cannot read it anyway.
AVATAR_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
# Decompression bombs: refuse pictures larger than this many pixels before decoding.
AVATAR_MAX_PIXELS = 40_000_000


UNREADABLE = _("Upload a valid image: that file is not a picture we can read.")


class AvatarRefused(ValueError):
    """The upload is not a picture we will draw; the message says why."""


def avatar_redraw(upload) -> ContentFile:
    """A new PNG drawn from the uploaded picture, under a random name."""
    if upload.size > AVATAR_MAX_BYTES:
        raise AvatarRefused(_("The picture can be at most 2 MB."))
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except Exception as exc:
        raise AvatarRefused(
            "Upload a valid image: that file is not a picture we can read."
        ) from exc
    if image_format not in AVATAR_FORMATS:
        raise AvatarRefused(_("Use a PNG, JPEG, GIF or WebP picture."))
    if width * height > AVATAR_MAX_PIXELS:
        raise AvatarRefused(_("That picture is too large; use one under 40 megapixels."))
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.seek(0)  # the first frame of an animation
            picture = ImageOps.exif_transpose(image).convert("RGBA")
    except Exception as exc:
        raise AvatarRefused(
            "Upload a valid image: that file is not a picture we can read."
        ) from exc
    picture.thumbnail((AVATAR_SIZE, AVATAR_SIZE))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}.png")
