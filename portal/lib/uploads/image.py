"""JPEG and PNG attachments: decoded, turned upright and re-encoded from pixels only, so EXIF
(GPS, camera), XMP, ICC profiles, comments, text chunks and appended bytes are gone."""

from __future__ import annotations

import io
from typing import Final

from PIL import Image, ImageOps

from portal.lib.images import encode_pixels
from portal.lib.uploads.common import UploadLimits, UploadRejected

_IMAGE_FORMATS: Final[dict[str, frozenset[str]]] = {
    # Phones often write MPO (a JPEG followed by extra frames); the first frame is the photo.
    "JPEG": frozenset({"JPEG", "MPO"}),
    "PNG": frozenset({"PNG"}),
}
_PNG_MODES: Final[frozenset[str]] = frozenset({"1", "L", "LA", "I", "I;16", "RGB", "RGBA"})


def _check_pixels(image: Image.Image, limits: UploadLimits) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise UploadRejected("corrupt", "image without pixels")
    if width * height > limits.max_image_pixels:
        raise UploadRejected("image_too_large", f"{width}x{height} pixels")


def _savable_mode(image: Image.Image, fmt: str) -> Image.Image:
    """``image`` in a mode ``fmt`` can store, its transparency kept as an alpha channel."""
    if fmt == "JPEG":
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
    elif image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif "transparency" in image.info or image.mode not in _PNG_MODES:
        image = image.convert("RGBA")
    return image


def clean_image(data: bytes, fmt: str, limits: UploadLimits) -> bytes:
    """Decode fully, apply the EXIF orientation, re-encode from pixels without metadata
    (:func:`portal.lib.images.encode_pixels`).

    The pixel limit is checked from the header, before decoding. ``Image.MAX_IMAGE_PIXELS`` is
    a process-wide setting, so it is not changed here; Pillow's own bomb check (above twice its
    default, about 179 MP) still applies and is reported as ``image_too_large`` too.
    """
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
            _check_pixels(probe, limits)
            probe.verify()
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            if image.format not in _IMAGE_FORMATS[fmt]:
                raise UploadRejected("corrupt", f"decoded as {image.format}")
            _check_pixels(image, limits)
            image.load()
            upright = _savable_mode(ImageOps.exif_transpose(image), fmt)
            if fmt == "JPEG":
                return encode_pixels(upright, "JPEG", quality=85)
            return encode_pixels(upright, "PNG", optimize=True)
    except UploadRejected:
        raise
    except Image.DecompressionBombError as exc:
        raise UploadRejected("image_too_large", "decompression bomb") from exc
    except Exception as exc:
        # Decoders fed hostile bytes raise OSError, SyntaxError, ValueError, EOFError,
        # struct.error, IndexError...: whichever it is, the image cannot be used.
        raise UploadRejected("corrupt", f"{fmt} does not decode: {type(exc).__name__}") from exc
