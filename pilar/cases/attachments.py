"""What a case attachment may be: a photo or a PDF, recognised by its first bytes (the
name and the browser's content type are the sender's word, not a fact), at most
`MAX_BYTES`. Files live under MEDIA_ROOT, outside the web root, and are served only
by `views.attachment_file`, which checks access first."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024

SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)


def sniff(header: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if header.startswith(signature):
            return content_type
    if header[:4] == b"RIFF" and header[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_upload(upload: Any) -> str:
    """The content type of an acceptable upload; ValidationError otherwise."""
    if upload is None or not upload.size:
        raise ValidationError(_("Choose a file."), code="empty")
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(limit)s MB is accepted.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","), "limit": MAX_BYTES // 1024 // 1024},
            code="too_large",
        )
    upload.seek(0)
    header = upload.read(16)
    upload.seek(0)
    content_type = sniff(header)
    if content_type is None:
        raise ValidationError(_("Attach a photo (JPEG, PNG or WebP) or a PDF document."), code="file_type")
    return content_type
