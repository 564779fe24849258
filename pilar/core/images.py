"""Photos are kept as their pixels alone (Pillow): re-encoded without EXIF (the place
a phone took it, the phone itself, the time), comments or anything appended to the
file, turned upright first, and no larger than MAX_SIDE pixels a side. A file that
only starts like an image is not served as one: what is stored is what Pillow drew.

Used for every photo Pilar keeps: case visits and attachments, activity photos,
worker photos (a PDF attachment is kept as sent)."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Larger than any phone camera's, smaller than a decompression bomb's.
MAX_PIXELS = 50_000_000
# Enough to read a document photographed in the field; a tenth of a raw phone photo.
MAX_SIDE = 2560
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85},
}


def is_image(content_type: str) -> bool:
    return content_type in FORMATS


def pixels_only(upload: Any, content_type: str) -> ContentFile[bytes]:
    """The image in `upload` re-encoded in its own format with nothing but its pixels;
    ValidationError if it does not decode as the image it claims to be."""
    upload.seek(0)
    try:
        with Image.open(upload, formats=[FORMATS[content_type]]) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The photo is too large: take it again at a normal size."), code="too_large")
            image.load()  # decode everything now: a truncated or forged file fails here
            picture = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The photo cannot be read: take it again, or send it as a JPEG."), code="bad_image"
        ) from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    if FORMATS[content_type] == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    picture.info.clear()  # comments, ICC profiles, text chunks: nothing but pixels goes on
    encoded = io.BytesIO()
    picture.save(encoded, FORMATS[content_type], **OPTIONS[FORMATS[content_type]])
    name = getattr(upload, "name", "") or "foto"
    return ContentFile(encoded.getvalue(), name=name)


def kept(upload: Any, content_type: str) -> Any:
    """What to store for an accepted upload: an image's pixels alone, a PDF as sent."""
    return pixels_only(upload, content_type) if is_image(content_type) else upload
