"""Serving uploaded media in development and tests (production serves it elsewhere).

Only pictures are served inline, always with `nosniff`, so a browser never
guesses HTML out of an upload; anything else is sent as a download.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.views.static import serve

INLINE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def media(request, path: str):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    if PurePosixPath(path).suffix.lower() not in INLINE_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    return response
