"""Photos and scans of paper from assisted sharing (a signed consent form, a story written on a paper form).

Checked by their content, not their name: a JPEG, PNG or WebP picture of a sensible size. What is kept is a new JPEG
drawn from the pixels, turned upright, so nothing of the original file travels on: no camera metadata, no location,
no hidden extra data. Pictures are opened by Pillow only after their dimensions are checked, so a picture "bomb" is
refused before it is decoded. The person who uploads these is a signed-in peer worker or staff member.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SCAN_BYTES = 20 * 1024 * 1024
# A phone photo of an A4 page is about 12 million pixels; a 48-megapixel camera's full picture still fits, and the
# cap stays under Pillow's own warning limit (about 89 million).
MAX_SCAN_PIXELS = 50_000_000
FORMATS = {"JPEG", "PNG", "WEBP"}
TOO_LARGE = "This picture has too many pixels to keep. Take a smaller photo."


class ScanRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def checked_scan(upload) -> ContentFile:
    """The picture as a clean JPEG to store, or ScanRejected with a sentence saying why not."""
    if upload.size > MAX_SCAN_BYTES:
        raise ScanRejected(f"This file is larger than {MAX_SCAN_BYTES // (1024 * 1024)} MB. Take a smaller photo.")
    try:
        with Image.open(upload, formats=sorted(FORMATS)) as picture:
            if picture.width * picture.height > MAX_SCAN_PIXELS:
                raise ScanRejected(TOO_LARGE)
            upright = ImageOps.exif_transpose(picture).convert("RGB")
    except Image.DecompressionBombError:  # Pillow's own limit, met when the header is read
        raise ScanRejected(TOO_LARGE) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ScanRejected("This is not a photo we can read. Take a photo (JPEG, PNG or WebP) of the form.") from None
    clean = io.BytesIO()
    upright.save(clean, "JPEG", quality=85)
    return ContentFile(clean.getvalue(), name="scan.jpg")
