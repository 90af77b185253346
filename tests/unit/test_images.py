"""News image variants (portal.lib.images)."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

from portal.lib.images import JPEG_QUALITY, WIDTHS, ImageRejected, Variant, make_variants

MARK = "ZZMARK"


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def photo(width: int, height: int, seed: int = 1) -> Image.Image:
    """A noisy RGB picture: tens of thousands of colours, like a photograph."""
    noise = random.Random(seed).randbytes(width * height * 3)
    return Image.frombytes("RGB", (width, height), noise)


def opened(variant: Variant) -> Image.Image:
    image = Image.open(io.BytesIO(variant.data))
    image.load()
    return image


def png_text() -> PngInfo:
    info = PngInfo()
    info.add_text("Author", f"{MARK} Nguyễn Văn A")
    info.add_itxt("Comment", f"{MARK} tọa độ 10.24, 106.37")
    return info


def png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR declaring ``width`` x ``height``, followed by a broken IDAT:
    reading the header works, decoding the pixels would fail."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"\x00" * 16)


def jpeg_with_metadata(width: int, height: int, orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = f"{MARK} Camera"
    exif[ExifTags.Base.Artist] = f"{MARK} Nguyễn Văn A"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (10.0, 14.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (106.0, 22.0, 30.0)
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{MARK}</x:xmpmeta>'.encode()
    return encode(
        photo(width, height), "JPEG", exif=exif, comment=MARK.encode(), xmp=xmp, quality=95
    )


def test_jpeg_metadata_is_removed_and_widths_are_right() -> None:
    data = jpeg_with_metadata(2000, 1500)
    source = Image.open(io.BytesIO(data))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the fixture really has GPS
    assert MARK.encode() in data

    variants = make_variants(data)

    assert [(v.width, v.height) for v in variants] == [(480, 360), (960, 720), (1440, 1080)]
    for variant in variants:
        assert variant.extension == "jpg"
        image = opened(variant)
        assert image.format == "JPEG"
        assert image.size == (variant.width, variant.height)
        assert not image.getexif()
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)
        assert MARK.encode() not in variant.data
        assert b"Exif" not in variant.data
        assert image.info.get("progressive") or image.info.get("progression")


def test_jpeg_quality_is_the_documented_one() -> None:
    assert JPEG_QUALITY == 82
    variant = make_variants(encode(photo(480, 320), "JPEG"))[0]
    # Pillow estimates the quality from the quantisation tables it reads back.
    quantization = opened(variant).quantization
    reference = Image.open(io.BytesIO(encode(photo(16, 16), "JPEG", quality=82))).quantization
    assert quantization == reference


def test_exif_orientation_is_applied() -> None:
    # Stored 600x300: left half red, right half blue. Orientation 6 means "rotate 90° clockwise
    # to display": shown upright, it is 300x600 with red on top and blue below.
    stored = Image.new("RGB", (600, 300), (255, 0, 0))
    stored.paste((0, 0, 255), (300, 0, 600, 300))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    data = encode(stored, "JPEG", exif=exif, quality=95)

    (variant,) = make_variants(data)

    assert (variant.width, variant.height) == (300, 600)
    image = opened(variant).convert("RGB")
    top, bottom = image.getpixel((150, 100)), image.getpixel((150, 500))
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom
    assert ExifTags.Base.Orientation not in image.getexif()


def test_rotated_photo_widths_follow_the_displayed_orientation() -> None:
    variants = make_variants(jpeg_with_metadata(1600, 1000, orientation=8))
    assert [(v.width, v.height) for v in variants] == [(480, 768), (960, 1536)]


def test_png_with_alpha_stays_png() -> None:
    logo = Image.new("RGBA", (1000, 500), (0, 0, 0, 0))
    logo.paste((200, 20, 20, 255), (100, 100, 900, 400))
    data = encode(logo, "PNG", pnginfo=png_text())

    variants = make_variants(data)

    assert [(v.width, v.height, v.extension) for v in variants] == [
        (480, 240, "png"),
        (960, 480, "png"),
    ]
    for variant in variants:
        image = opened(variant)
        assert image.format == "PNG"
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0
        assert image.getpixel((variant.width // 2, variant.height // 2)) == (200, 20, 20, 255)
        assert MARK.encode() not in variant.data
        assert not {"Author", "exif", "icc_profile"} & set(image.info)


def test_palette_png_with_transparency_stays_png() -> None:
    icon = Image.new("P", (64, 64), 0)
    icon.putpalette([255, 255, 255, 0, 128, 0])
    icon.paste(1, (16, 16, 48, 48))
    (variant,) = make_variants(encode(icon, "PNG", transparency=0))
    image = opened(variant).convert("RGBA")
    assert variant.extension == "png"
    assert image.getpixel((0, 0))[3] == 0
    assert image.getpixel((32, 32)) == (0, 128, 0, 255)


def test_opaque_png_drawing_stays_png() -> None:
    chart = Image.new("RGB", (1200, 800), "white")
    chart.paste((30, 90, 200), (100, 400, 300, 800))
    chart.paste((200, 60, 30), (400, 200, 600, 800))
    # RGBA with every pixel opaque counts as opaque.
    variants = make_variants(encode(chart.convert("RGBA"), "PNG"))
    assert [(v.width, v.extension) for v in variants] == [(480, "png"), (960, "png")]
    assert opened(variants[0]).mode == "RGB"


def test_opaque_png_photo_becomes_jpeg() -> None:
    variants = make_variants(encode(photo(1000, 700), "PNG", pnginfo=png_text()))
    assert [(v.width, v.height, v.extension) for v in variants] == [
        (480, 336, "jpg"),
        (960, 672, "jpg"),
    ]
    assert all(opened(v).format == "JPEG" for v in variants)
    assert all(MARK.encode() not in v.data for v in variants)


def test_small_image_gives_one_variant_at_its_own_size() -> None:
    (variant,) = make_variants(encode(photo(300, 200), "JPEG"))
    assert (variant.width, variant.height, variant.extension) == (300, 200, "jpg")
    assert opened(variant).size == (300, 200)


def test_exact_width_is_kept_and_custom_widths_are_sorted() -> None:
    variants = make_variants(encode(photo(960, 480), "JPEG"), widths=(960, 200, 480, 480))
    assert [(v.width, v.height) for v in variants] == [(200, 100), (480, 240), (960, 480)]


def test_output_is_deterministic() -> None:
    data = jpeg_with_metadata(1500, 1000)
    assert make_variants(data) == make_variants(data)
    png = encode(Image.new("RGBA", (700, 700), (10, 20, 30, 128)), "PNG")
    assert make_variants(png) == make_variants(png)


def test_mpo_from_a_phone_is_accepted_as_jpeg() -> None:
    first, second = photo(500, 400, seed=1), photo(500, 400, seed=2)
    data = encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    (variant,) = make_variants(data)
    assert (variant.width, variant.extension) == (480, "jpg")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (encode(Image.new("P", (40, 40)), "GIF"), "JPEG or PNG"),
        (encode(Image.new("RGB", (40, 40)), "WEBP"), "JPEG or PNG"),
        (encode(Image.new("RGB", (40, 40)), "BMP"), "JPEG or PNG"),
        (encode(Image.new("RGB", (40, 40)), "TIFF"), "JPEG or PNG"),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b'<rect width="10" height="10"/></svg>',
            "JPEG or PNG",
        ),
        (b"<html><script>alert(1)</script></html>", "JPEG or PNG"),
        (b"%PDF-1.7\n", "JPEG or PNG"),
        (b"", "JPEG or PNG"),
        (bytes(range(256)) * 4, "JPEG or PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "could not be decoded"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "could not be decoded"),
        (encode(photo(200, 200), "JPEG")[:600], "could not be decoded"),
        (encode(photo(200, 200), "PNG")[:400], "could not be decoded"),
    ],
    ids=[
        "gif",
        "webp",
        "bmp",
        "tiff",
        "svg",
        "html",
        "pdf",
        "empty",
        "garbage",
        "jpeg-magic-only",
        "png-magic-only",
        "truncated-jpeg",
        "truncated-png",
    ],
)
def test_other_content_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImageRejected, match=message):
        make_variants(data)


def test_type_is_decided_from_content_not_from_a_name() -> None:
    # GIF bytes stay a GIF whatever the upload was called; there is no name to consult.
    with pytest.raises(ValueError, match="JPEG or PNG"):
        make_variants(b"GIF89a" + encode(photo(8, 8), "JPEG"))


@pytest.mark.parametrize(("width", "height"), [(10_000, 5_000), (50_000, 50_000)])
def test_huge_declared_size_is_refused_without_decoding(width: int, height: int) -> None:
    # The pixel data of this file is broken, so "too large" (and not "could not be decoded")
    # proves the refusal came from the header alone.
    with pytest.raises(ValueError, match="too large"):
        make_variants(png_header(width, height))


def test_max_pixels_is_configurable() -> None:
    data = encode(photo(200, 200), "PNG")
    with pytest.raises(ValueError, match="too large"):
        make_variants(data, max_pixels=200 * 200 - 1)
    assert make_variants(data, max_pixels=200 * 200)[0].width == 200


def test_widths_must_be_positive() -> None:
    with pytest.raises(ValueError, match="widths"):
        make_variants(encode(photo(10, 10), "PNG"), widths=(0, 480))


def test_default_widths() -> None:
    assert WIDTHS == (480, 960, 1440)
