"""Images for news articles: a JPEG or PNG upload becomes a few widths for ``srcset``.

Every variant is re-encoded from pixels only, so EXIF (GPS position, camera, owner), XMP,
ICC profiles, JPEG comments and PNG text chunks of the upload are gone. The EXIF orientation
is applied first, so a phone photo taken upright stays upright once its EXIF is removed.
Colours are kept as numbers: a wide-gamut (Display P3) photo loses its profile and is shown as
sRGB, slightly less saturated, which is acceptable for news pictures.

Output format:

* a JPEG stays JPEG (quality 82, progressive);
* a PNG that is really transparent (some pixel not fully opaque) stays PNG;
* an opaque PNG stays PNG (drawings, charts and screenshots of documents stay sharp) unless
  it has more than :data:`PHOTO_COLOURS` distinct colours: then it is a photograph saved as
  PNG and becomes JPEG, usually five to ten times smaller.

The same bytes in give the same variants out (same Pillow build), so re-processing an upload
does not change its files.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, cast

from PIL import Image, ImageOps

WIDTHS = (480, 960, 1440)
JPEG_QUALITY = 82
PHOTO_COLOURS = 1 << 16

# Magic numbers; the type is decided from the bytes, never from a file name or Content-Type.
_SIGNATURES = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
# Phones often write MPO (a JPEG followed by more frames); the first frame is the photo.
_DECODED_AS = {"JPEG": frozenset({"JPEG", "MPO"}), "PNG": frozenset({"PNG"})}


class ImageRejected(ValueError):
    """The upload is not a usable JPEG or PNG; the message says why."""


@dataclass(frozen=True)
class Variant:
    """One re-encoded width of an image."""

    width: int
    height: int
    data: bytes
    extension: str  # "jpg" or "png"


def make_variants(
    data: bytes, widths: Sequence[int] = WIDTHS, max_pixels: int = 40_000_000
) -> list[Variant]:
    """Return one variant per width of ``widths`` that is not larger than the image, narrowest
    first; an image narrower than all of them gives one variant at its own size.

    Raises :class:`ImageRejected` (a ``ValueError``) for anything but a decodable JPEG or
    PNG, and for an image of more than ``max_pixels`` pixels (read from the header, before
    any decoding).
    """
    if any(width < 1 for width in widths):
        raise ValueError("widths must be positive")
    kind, image = _decode(data, max_pixels)
    extension, image = _output_format(kind, image)
    targets = sorted({width for width in widths if width <= image.width}) or [image.width]
    variants = []
    for width in targets:
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else _resize(image, width, height)
        variants.append(Variant(width, height, _encode(resized, extension), extension))
    return variants


def _decode(data: bytes, max_pixels: int) -> tuple[str, Image.Image]:
    """The type ("JPEG" or "PNG") and the pixels, with the EXIF orientation applied."""
    kind = next((k for magic, k in _SIGNATURES.items() if data.startswith(magic)), None)
    if kind is None:
        raise ImageRejected("not a JPEG or PNG image (only these two types are accepted)")
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            if image.format not in _DECODED_AS[kind]:
                raise ImageRejected(f"not a JPEG or PNG image (decoded as {image.format})")
            width, height = image.size
            if width * height > max_pixels:
                raise ImageRejected(
                    f"image too large: {width}x{height} pixels, the limit is {max_pixels}"
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ImageRejected:
        raise
    except Image.DecompressionBombError as error:
        raise ImageRejected(f"image too large: {error}") from error
    except Exception as error:
        # Decoders fed hostile bytes raise OSError, SyntaxError, EOFError, struct.error...:
        # whichever it is, the image cannot be used.
        reason = type(error).__name__
        raise ImageRejected(f"{kind} image could not be decoded ({reason})") from error
    if upright.width < 1 or upright.height < 1:
        raise ImageRejected("image has no pixels")
    return kind, upright


def _output_format(kind: str, image: Image.Image) -> tuple[str, Image.Image]:
    """Choose "jpg" or "png" (see the module docstring) and the matching mode."""
    if kind == "JPEG":
        return "jpg", image if image.mode in ("L", "RGB") else image.convert("RGB")
    # Palettes, 1-bit, 16-bit and tRNS transparency become plain RGB(A) pixels to resize.
    if image.mode not in ("L", "LA", "RGB", "RGBA") or "transparency" in image.info:
        image = image.convert("RGBA" if _has_alpha_channel(image) else "RGB")
    if image.mode in ("LA", "RGBA"):
        bands = cast(tuple[tuple[int, int], ...], image.getextrema())  # (min, max) per band
        if bands[-1][0] < 255:  # the lowest alpha value
            return "png", image
        image = image.convert(image.mode[:-1])
    if image.getcolors(PHOTO_COLOURS) is None:
        return "jpg", image
    return "png", image


def _has_alpha_channel(image: Image.Image) -> bool:
    return "A" in image.getbands() or "transparency" in image.info


def _resize(image: Image.Image, width: int, height: int) -> Image.Image:
    # Pillow resizes LA/RGBA through premultiplied alpha, so edges do not darken.
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(image: Image.Image, extension: str) -> bytes:
    if extension == "jpg":
        return encode_pixels(image, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    return encode_pixels(image, "PNG", optimize=True)


def encode_pixels(image: Image.Image, fmt: Literal["JPEG", "PNG"], **options: int | bool) -> bytes:
    """Encode the pixels alone, with Pillow's save ``options`` for ``fmt``.

    A fresh image carries no ``info`` (EXIF, XMP, ICC, comment, text chunks, dpi), which a
    plain save of the decoded image would partly write back. Also used for the pictures
    citizens attach (portal/lib/uploads).
    """
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    pixels.save(out, format=fmt, **options)
    return out.getvalue()
