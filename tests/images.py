"""Real little images for uploads (Pilar re-encodes what it keeps, so a file that only
starts like an image is refused)."""

import io

from PIL import Image


def png(width: int = 8, height: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 110, 80)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = png()
