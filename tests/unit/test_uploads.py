"""Attachment checks and cleaning (docs/security.md G1-G7): every fixture is built in code."""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from portal.lib import uploads
from portal.lib.uploads import (
    CONTENT_TYPES,
    CleanFile,
    UploadLimits,
    UploadRejected,
    check_count,
    inspect_and_clean,
    safe_download_name,
    store,
    stored_path,
)

DOCX_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rejected(data: bytes, limits: UploadLimits | None = None) -> str:
    """The rejection code for ``data`` (fails the test if the file is accepted)."""
    with pytest.raises(UploadRejected) as info:
        inspect_and_clean(data, limits or UploadLimits())
    return info.value.code


# --- Fixture builders -----------------------------------------------------------------------


def jpeg_with_metadata(size: tuple[int, int] = (64, 48), orientation: int = 6) -> bytes:
    """A camera-like JPEG: Make/Model/Artist, GPS position, orientation, XMP, COM, ICC."""
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS 5D Mark IV"  # Model
    exif[0x013B] = "Nguyen Van A"  # Artist
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 0.0)}  # GPSInfo
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(
        out,
        format="JPEG",
        exif=exif,
        comment=b"Nguyen Van A, 12 Hang Bai",
        xmp=b"<x:xmpmeta><dc:creator>Nguyen Van A</dc:creator></x:xmpmeta>",
        icc_profile=icc,
    )
    return out.getvalue()


def png_with_text(mode: str = "RGB") -> bytes:
    info = PngInfo()
    info.add_text("Author", "Nguyen Van A")
    info.add_itxt("Comment", "Nguyễn Văn A, số 12 Hàng Bài")
    info.add_text("Software", "Scanner 1.0", zip=True)
    out = io.BytesIO()
    Image.new(mode, (40, 30), 120).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that only declares its size: enough for a decompression-bomb check."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def pdf(customise: Callable[[PdfWriter], None] | None = None) -> bytes:
    """A one-page PDF with /Info and XMP metadata naming the citizen."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "Nguyen Van A", "/Title": "Don to cao"})
    writer.xmp_metadata = None
    if customise is not None:
        customise(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind: str, **entries: object) -> DictionaryObject:
    result = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        result[NameObject(f"/{key}")] = value  # type: ignore[assignment]
    return result


def add_link(writer: PdfWriter, link_action: DictionaryObject) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 100, 30)]),
            NameObject("/A"): link_action,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>'
    "</Types>"
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Đơn khiếu nại</w:t></w:r></w:p></w:body></w:document>"
)


def docx(
    extra: dict[str, bytes | str] | None = None,
    main: str = DOCX_MAIN,
    content_types: bytes | None = None,
) -> bytes:
    """A minimal Word document, written with zipfile as Word lays it out."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", content_types or CONTENT_TYPES_XML.format(main=main)
        )
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        for name, body in (extra or {}).items():
            archive.writestr(name, body)
    return out.getvalue()


def settings_rels(target: str, rel_type: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"<Relationship Id='rId1' Type='http://schemas.openxmlformats.org/officeDocument/2006/"
        f"relationships/{rel_type}' Target='{target}' TargetMode='External'/>"
        "</Relationships>"
    )


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "Số hồ sơ"
    sheet["B1"] = 42
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def plain_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


OLE_FREE = 0xFFFFFFFF
OLE_END = 0xFFFFFFFE
OLE_FATSECT = 0xFFFFFFFD


def ole(entries: list[tuple[str, int, int, int, int]], trailing: bytes = b"") -> bytes:
    """A version-3 compound file (512-byte sectors) with the given directory.

    ``entries`` are (name, type, left sibling, right sibling, child); entry 0 must be the
    root (type 5), streams are type 2 and storages type 1. Streams are empty: only the
    directory matters to the check. ``trailing`` lands after the directory, unreferenced.
    """
    n_dir_sectors = max(1, -(-len(entries) // 4))
    fat = [OLE_FATSECT] + [s + 1 for s in range(1, n_dir_sectors)] + [OLE_END]
    fat += [OLE_FREE] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<III", header, 60, OLE_END, 0, OLE_END)  # no mini FAT, no extra DIFAT
    struct.pack_into("<I", header, 72, 0)
    struct.pack_into("<109I", header, 76, 0, *([OLE_FREE] * 108))
    directory = bytearray(128 * 4 * n_dir_sectors)
    for index, (name, kind, left, right, child) in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        at = index * 128
        directory[at : at + len(raw)] = raw
        struct.pack_into("<HBB", directory, at + 64, len(raw), kind, 1)
        struct.pack_into("<III", directory, at + 68, left, right, child)
        struct.pack_into("<II", directory, at + 116, OLE_END, 0)
    return bytes(header) + struct.pack("<128I", *fat) + bytes(directory) + trailing


NONE = 0xFFFFFFFF


def ole_root(*names: str) -> bytes:
    """A compound file whose root holds the given streams (chained as right siblings)."""
    entries = [("Root Entry", 5, NONE, NONE, 1 if names else NONE)]
    for position, name in enumerate(names, start=1):
        right = position + 1 if position < len(names) else NONE
        entries.append((name, 2, NONE, right, NONE))
    return ole(entries)


# --- Limits, count and the error type -----------------------------------------------------


def test_empty_file_is_refused() -> None:
    assert rejected(b"") == "empty"


def test_size_limit_is_checked_before_any_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a parser ran on an oversized file")

    monkeypatch.setattr(uploads.filetype, "guess", explode)
    monkeypatch.setattr(uploads.image.Image, "open", explode)
    monkeypatch.setattr(uploads.pdf, "PdfReader", explode)
    monkeypatch.setattr(uploads.office.zipfile, "ZipFile", explode)
    monkeypatch.setattr(uploads.office, "_ole_root_names", explode)
    limits = UploadLimits(max_bytes=1000)
    for magic in (b"\xff\xd8\xff", b"%PDF-1.7", b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1")):
        assert rejected(magic.ljust(1001, b"\x00"), limits) == "too_large"
    assert rejected(b"\x00" * (10 * 1024 * 1024 + 1)) == "too_large"


def test_file_of_exactly_the_limit_is_parsed() -> None:
    data = jpeg_with_metadata()
    assert inspect_and_clean(data, UploadLimits(max_bytes=len(data))).extension == "jpg"
    assert rejected(data, UploadLimits(max_bytes=len(data) - 1)) == "too_large"


def test_check_count() -> None:
    check_count(0, UploadLimits())
    check_count(5, UploadLimits())
    with pytest.raises(UploadRejected) as info:
        check_count(6, UploadLimits())
    assert info.value.code == "too_many"
    check_count(6, UploadLimits(max_files=6))
    with pytest.raises(ValueError):
        check_count(-1, UploadLimits())


def test_rejection_is_a_value_error_with_a_known_code() -> None:
    error = UploadRejected("corrupt", "detail")
    assert isinstance(error, ValueError)
    assert error.code == "corrupt"
    with pytest.raises(ValueError):
        UploadRejected("nope")  # type: ignore[arg-type]


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError):
        UploadLimits(max_bytes=0)
    with pytest.raises(ValueError):
        UploadLimits(max_image_pixels=-1)


# --- Images ---------------------------------------------------------------------------------


def test_jpeg_loses_exif_gps_xmp_comment_and_icc_and_is_turned_upright() -> None:
    data = jpeg_with_metadata(size=(64, 48), orientation=6)
    with Image.open(io.BytesIO(data)) as before:
        assert before.getexif().get_ifd(0x8825)  # the fixture really has GPS data
        assert {"exif", "xmp", "comment", "icc_profile"} <= before.info.keys()

    clean = inspect_and_clean(data)

    assert (clean.extension, clean.content_type) == ("jpg", "image/jpeg")
    with Image.open(io.BytesIO(clean.data)) as after:
        after.load()
        assert after.format == "JPEG"
        assert after.size == (48, 64)  # orientation 6 (rotate 90) applied to the pixels
        exif = after.getexif()
        assert len(exif) == 0
        assert not exif.get_ifd(0x8825)
        assert not {"exif", "xmp", "comment", "icc_profile"} & after.info.keys()
        red, green, blue = after.getpixel((10, 10))  # type: ignore[misc]
        assert red > 150 and green < 80 and blue < 80
    for leak in (b"Canon", b"EOS", b"Nguyen", b"Exif", b"xmpmeta", b"ICC_PROFILE"):
        assert leak not in clean.data


def test_jpeg_quality_is_85() -> None:
    """Re-encoding at quality 85 keeps a photo readable: a noisy image does not shrink to
    a blur (quality 10) nor balloon (quality 100)."""
    noise = Image.effect_noise((256, 256), 60).convert("RGB")
    encoded = {}
    for quality in (10, 85, 100):
        out = io.BytesIO()
        noise.save(out, format="JPEG", quality=quality)
        encoded[quality] = out.getvalue()
    clean = inspect_and_clean(encoded[100])
    assert len(encoded[10]) < clean.size < len(encoded[100])
    out = io.BytesIO()
    with Image.open(io.BytesIO(encoded[100])) as image:
        Image.frombytes(image.mode, image.size, image.tobytes()).save(out, "JPEG", quality=85)
    assert clean.data == out.getvalue()


def test_png_loses_text_chunks_and_still_opens() -> None:
    data = png_with_text()
    with Image.open(io.BytesIO(data)) as before:
        assert before.text  # type: ignore[attr-defined]

    clean = inspect_and_clean(data)

    assert (clean.extension, clean.content_type) == ("png", "image/png")
    with Image.open(io.BytesIO(clean.data)) as after:
        after.load()
        assert after.format == "PNG"
        assert after.size == (40, 30)
        assert after.text == {}  # type: ignore[attr-defined]
        assert len(after.getexif()) == 0
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"Nguyen"):
        assert chunk not in clean.data


def test_png_keeps_transparency() -> None:
    out = io.BytesIO()
    image = Image.new("P", (8, 8), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    image.putpixel((1, 1), 1)
    image.save(out, format="PNG", transparency=0)

    clean = inspect_and_clean(out.getvalue())

    with Image.open(io.BytesIO(clean.data)) as after:
        rgba = after.convert("RGBA")
        assert rgba.getpixel((0, 0))[3] == 0  # type: ignore[index]
        assert rgba.getpixel((1, 1)) == (0, 0, 255, 255)


def test_png_named_jpg_is_a_png() -> None:
    """The name does not exist here at all: the bytes decide."""
    assert inspect_and_clean(png_with_text("L")).extension == "png"


def test_data_appended_to_an_image_is_dropped() -> None:
    polyglot = jpeg_with_metadata() + b"<script>alert(1)</script><?php system($_GET[1]); ?>"
    clean = inspect_and_clean(polyglot)
    assert b"script" not in clean.data and b"php" not in clean.data


def test_corrupt_jpeg_is_refused() -> None:
    assert rejected(b"\xff\xd8\xff" + b"garbage " * 100) == "corrupt"
    assert rejected(b"\xff\xd8\xff\xe0" + bytes(300)) == "corrupt"
    whole = jpeg_with_metadata(size=(300, 300))
    assert rejected(whole[: len(whole) // 2]) == "corrupt"


def test_corrupt_png_is_refused() -> None:
    data = bytearray(png_with_text())
    data[40:60] = b"\xff" * 20  # breaks a chunk and its CRC
    assert rejected(bytes(data)) == "corrupt"


def test_decompression_bomb_is_refused_from_the_header() -> None:
    assert rejected(png_header_only(50_000, 50_000)) == "image_too_large"


def test_image_above_max_image_pixels_is_refused() -> None:
    data = jpeg_with_metadata(size=(64, 48))
    assert rejected(data, UploadLimits(max_image_pixels=64 * 48 - 1)) == "image_too_large"
    assert inspect_and_clean(data, UploadLimits(max_image_pixels=64 * 48)).extension == "jpg"
    assert rejected(png_header_only(8000, 6000)) == "image_too_large"  # 48 MP > 40 MP


def test_max_image_pixels_global_is_left_alone() -> None:
    before = Image.MAX_IMAGE_PIXELS
    inspect_and_clean(jpeg_with_metadata(), UploadLimits(max_image_pixels=10_000))
    assert before == Image.MAX_IMAGE_PIXELS


# --- PDF --------------------------------------------------------------------------------------


def test_plain_pdf_is_rewritten_without_info() -> None:
    data = pdf()
    assert PdfReader(io.BytesIO(data)).metadata is not None

    clean = inspect_and_clean(data)

    assert (clean.extension, clean.content_type) == ("pdf", "application/pdf")
    reader = PdfReader(io.BytesIO(clean.data))
    assert len(reader.pages) == 1
    assert reader.metadata is None
    assert "/Info" not in reader.trailer
    assert "/Metadata" not in reader.trailer["/Root"]
    assert b"Nguyen" not in clean.data


def test_pdf_page_xmp_is_dropped() -> None:
    def page_xmp(writer: PdfWriter) -> None:
        from pypdf.generic import StreamObject

        stream = StreamObject()
        stream.set_data(b"<x:xmpmeta>Nguyen Van A</x:xmpmeta>")
        writer.pages[0][NameObject("/Metadata")] = writer._add_object(stream)

    clean = inspect_and_clean(pdf(page_xmp))
    assert "/Metadata" not in PdfReader(io.BytesIO(clean.data)).pages[0]
    assert b"Nguyen" not in clean.data


def test_pdf_with_a_web_link_is_accepted() -> None:
    link = action("/URI", URI=TextStringObject("https://example.gov.vn/"))
    clean = inspect_and_clean(pdf(lambda writer: add_link(writer, link)))
    assert "/Annots" in PdfReader(io.BytesIO(clean.data)).pages[0]


def _open_action(kind: str, **entries: object) -> Callable[[PdfWriter], None]:
    def customise(writer: PdfWriter) -> None:
        writer.root_object[NameObject("/OpenAction")] = action(kind, **entries)

    return customise


def _page_aa(writer: PdfWriter) -> None:
    open_action = action("/URI", URI=TextStringObject("https://tracker.example/"))
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): open_action})


def _annotation_js(writer: PdfWriter) -> None:
    add_link(writer, action("/JavaScript", JS=TextStringObject("app.alert(1)")))


def _rich_media(writer: PdfWriter) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/RichMedia"),
            NameObject("/Rect"): ArrayObject([FloatObject(0)] * 4),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


@pytest.mark.parametrize(
    "customise",
    [
        pytest.param(
            lambda writer: writer.add_open_action(JavaScript("app.alert(1)")), id="names-tree-js"
        ),
        pytest.param(
            _open_action("/JavaScript", JS=TextStringObject("app.alert(1)")), id="open-js"
        ),
        pytest.param(_open_action("/Launch", F=TextStringObject("cmd.exe")), id="open-launch"),
        pytest.param(_page_aa, id="page-additional-actions"),
        pytest.param(_annotation_js, id="annotation-js"),
        pytest.param(lambda writer: writer.add_attachment("a.exe", b"MZ"), id="embedded-file"),
        pytest.param(_rich_media, id="rich-media"),
    ],
)
def test_pdf_with_active_content_is_refused(customise: Callable[[PdfWriter], None]) -> None:
    assert rejected(pdf(customise)) == "pdf_active_content"


def test_pdf_javascript_hidden_behind_name_escapes_is_refused() -> None:
    data = pdf(_open_action("/JavaScript", JS=TextStringObject("app.alert(1)")))
    disguised = data.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in disguised
    assert rejected(disguised) == "pdf_active_content"


@pytest.mark.parametrize("user_password", ["secret", ""])
def test_encrypted_pdf_is_refused(user_password: str) -> None:
    def encrypt(writer: PdfWriter) -> None:
        writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")

    assert rejected(pdf(encrypt)) == "corrupt"


def test_unparseable_pdf_is_refused() -> None:
    assert rejected(b"%PDF-1.7\n" + b"\x00garbage" * 50) == "corrupt"
    assert rejected(pdf()[:60]) == "corrupt"


# --- DOCX / XLSX ------------------------------------------------------------------------------


def test_docx_is_accepted_unchanged() -> None:
    data = docx()
    clean = inspect_and_clean(data)
    assert (clean.extension, clean.content_type, clean.data) == ("docx", DOCX_CT, data)


def test_xlsx_from_openpyxl_is_accepted_unchanged() -> None:
    data = xlsx()
    clean = inspect_and_clean(data)
    assert (clean.extension, clean.content_type, clean.data) == ("xlsx", XLSX_CT, data)


def test_docx_with_a_web_hyperlink_is_accepted() -> None:
    rels = settings_rels("https://example.gov.vn/", "hyperlink")
    assert inspect_and_clean(docx({"word/_rels/document.xml.rels": rels})).extension == "docx"


def test_macro_enabled_documents_are_refused() -> None:
    assert rejected(docx({"word/vbaProject.bin": b"\xcc\x61" * 50})) == "type_not_allowed"
    assert rejected(docx(main=DOCM_MAIN)) == "type_not_allowed"
    assert inspect_and_clean(docx({"word/payload.bin": b"x"})).extension == "docx"
    assert rejected(docx({"xl/macrosheets/sheet1.xml": "<xm/>"})) == "type_not_allowed"


@pytest.mark.parametrize(
    ("target", "rel_type"),
    [
        ("http://attacker.example/t.dotm", "attachedTemplate"),
        ("\\\\attacker.example\\share\\t.dotm", "attachedTemplate"),  # UNC: NTLM leak
        ("file://attacker.example/share/t.dotm", "attachedTemplate"),
        ("https://tracker.example/pixel.png", "image"),
        ("http://attacker.example/x?a>b", "oleObject"),  # '>' inside a quoted value
    ],
)
def test_documents_that_fetch_remote_content_on_open_are_refused(
    target: str, rel_type: str
) -> None:
    rels = settings_rels(target, rel_type)
    assert rejected(docx({"word/_rels/settings.xml.rels": rels})) == "type_not_allowed"


def test_a_local_template_path_is_accepted() -> None:
    """Documents made from a template keep its local path; Word only looks for it locally."""
    rels = settings_rels("file:///C:\\Users\\Lan\\Templates\\Don.dotx", "attachedTemplate")
    assert inspect_and_clean(docx({"word/_rels/settings.xml.rels": rels})).extension == "docx"


def test_xml_escapes_and_utf16_do_not_hide_macros_or_remote_templates() -> None:
    rels = settings_rels("&#104;ttp://attacker.example/t.dotm", "attachedTemplate").replace(
        "TargetMode='External'", "TargetMode='&#69;xternal'"
    )
    assert rejected(docx({"word/_rels/settings.xml.rels": rels})) == "type_not_allowed"
    utf16 = CONTENT_TYPES_XML.format(main=DOCM_MAIN).replace('"UTF-8"', '"UTF-16"')
    data = docx(content_types=utf16.encode("utf-16"))
    assert b"macroEnabled" not in zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    assert rejected(data) == "type_not_allowed"
    escaped = CONTENT_TYPES_XML.format(main=DOCM_MAIN.replace("E", "&#69;"))
    assert rejected(docx(content_types=escaped.encode())) == "type_not_allowed"


def test_office_parts_with_a_dtd_are_refused() -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Relationships>&b;</Relationships>'
    )
    assert rejected(docx({"word/_rels/document.xml.rels": laughs})) == "corrupt"


def test_zip_that_is_not_office_is_refused() -> None:
    assert rejected(plain_zip({"evil.exe": b"MZ" + bytes(100)})) == "type_not_allowed"
    assert rejected(plain_zip({"[Content_Types].xml": b"<Types/>"})) == "type_not_allowed"
    both = docx({"xl/workbook.xml": "<workbook/>"})
    assert rejected(both) == "type_not_allowed"


def test_zip_entries_that_escape_or_are_links_are_refused() -> None:
    assert rejected(docx({"../../static/x.html": "<script>"})) == "corrupt"
    assert rejected(docx({"/etc/cron.d/x": "x"})) == "corrupt"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in (
            ("[Content_Types].xml", CONTENT_TYPES_XML.format(main=DOCX_MAIN)),
            ("word/document.xml", DOCUMENT_XML),
        ):
            archive.writestr(name, body)
        link = zipfile.ZipInfo("word/media/image1.png")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    assert rejected(out.getvalue()) == "corrupt"


def test_zip_bomb_is_refused_from_the_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = docx({"word/media/zeros.bin": bytes(200_000)})
    assert len(bomb) < 5_000
    opened: list[str] = []
    original_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        opened.append(getattr(name, "filename", str(name)))
        return original_open(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    limits = UploadLimits(max_uncompressed_bytes=100_000)
    assert rejected(bomb, limits) == "too_large"
    assert opened == []  # nothing was decompressed
    many = docx({f"word/media/{n}.xml": "x" for n in range(20)})
    assert rejected(many, UploadLimits(max_archive_entries=10)) == "too_large"


def test_damaged_zip_is_refused() -> None:
    data = docx()
    assert rejected(data[: len(data) - 30]) == "corrupt"
    assert rejected(b"PK\x03\x04" + b"\x00" * 200) == "corrupt"


# --- DOC / XLS (OLE2) ---------------------------------------------------------------------


def test_word_97_document_is_accepted() -> None:
    data = ole_root("WordDocument", "1Table", "\x05SummaryInformation")
    clean = inspect_and_clean(data)
    assert (clean.extension, clean.content_type, clean.data) == ("doc", "application/msword", data)


@pytest.mark.parametrize("stream", ["Workbook", "Book"])
def test_excel_97_workbook_is_accepted(stream: str) -> None:
    clean = inspect_and_clean(ole_root(stream, "\x05DocumentSummaryInformation"))
    assert (clean.extension, clean.content_type) == ("xls", "application/vnd.ms-excel")


def test_ole_type_comes_from_the_root_not_from_embedded_objects() -> None:
    """A Word file with an embedded Excel sheet (ObjectPool/_1234/Workbook) is a .doc."""
    entries = [
        ("Root Entry", 5, NONE, NONE, 1),
        ("WordDocument", 2, NONE, 2, NONE),
        ("ObjectPool", 1, NONE, NONE, 3),
        ("_1234", 1, NONE, NONE, 4),
        ("Workbook", 2, NONE, NONE, NONE),
    ]
    assert inspect_and_clean(ole(entries)).extension == "doc"


def test_ole_with_the_name_only_in_its_data_is_refused() -> None:
    """An MSI installer (also OLE2) mentioning "WordDocument" somewhere is not a .doc."""
    data = ole(
        [("Root Entry", 5, NONE, NONE, 1), ("\u4840\u3b3f\u4577", 2, NONE, NONE, NONE)],
        trailing="WordDocument".encode("utf-16-le") * 10,
    )
    assert rejected(data) == "type_not_allowed"


def test_ole_with_vba_macros_is_refused() -> None:
    word = [
        ("Root Entry", 5, NONE, NONE, 1),
        ("WordDocument", 2, NONE, 2, NONE),
        ("Macros", 1, NONE, NONE, NONE),
    ]
    assert rejected(ole(word)) == "type_not_allowed"
    assert rejected(ole_root("Workbook", "_VBA_PROJECT_CUR")) == "type_not_allowed"


def test_damaged_ole_is_refused() -> None:
    data = ole_root("WordDocument")
    assert rejected(data[:300]) == "corrupt"
    assert rejected(data[:600]) == "corrupt"  # the directory sector is missing
    looping = [("Root Entry", 5, NONE, NONE, 1), ("WordDocument", 2, 1, NONE, NONE)]
    assert rejected(ole(looping)) == "corrupt"


# --- Everything else --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"MZ" + b"\x90\x00" * 30 + b"PE\x00\x00" + bytes(400), id="windows-exe"),
        pytest.param(b"\x7fELF\x02\x01\x01" + bytes(400), id="elf"),
        pytest.param(b"<!DOCTYPE html><html><script>alert(1)</script></html>", id="html"),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', id="svg"
        ),
        pytest.param(
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
            id="svg-xml",
        ),
        pytest.param(b"<?php system($_GET['c']); ?>", id="php"),
        pytest.param("Đơn khiếu nại\nNội dung...".encode(), id="plain-text"),
        pytest.param(b"GIF89a" + bytes(100), id="gif"),
        pytest.param(b"{\\rtf1\\ansi hello}", id="rtf"),
        pytest.param(b"\x1f\x8b\x08" + bytes(50), id="gzip"),
        pytest.param(b" %PDF-1.7\n", id="pdf-header-not-at-start"),
    ],
)
def test_other_types_are_refused(data: bytes) -> None:
    assert rejected(data) == "type_not_allowed"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    magic=st.sampled_from(
        [
            b"",
            b"\xff\xd8\xff",
            b"\x89PNG\r\n\x1a\n",
            b"%PDF-1.4\n",
            b"PK\x03\x04",
            bytes.fromhex("D0CF11E0A1B11AE1"),
        ]
    ),
    tail=st.binary(max_size=2048),
)
def test_hostile_bytes_only_ever_raise_upload_rejected(magic: bytes, tail: bytes) -> None:
    try:
        clean = inspect_and_clean(magic + tail)
    except UploadRejected:
        return
    assert clean.extension in CONTENT_TYPES


# --- Storage ----------------------------------------------------------------------------------


@pytest.fixture
def clean_pdf() -> CleanFile:
    return inspect_and_clean(pdf())


def test_store_writes_a_private_file_under_a_random_name(
    tmp_path: Path, clean_pdf: CleanFile
) -> None:
    folder = tmp_path / "attachments" / "2026"

    name = store(clean_pdf, folder)

    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", name)
    path = folder / name
    assert path.read_bytes() == clean_pdf.data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    assert stored_path(folder, name) == path
    second = store(clean_pdf, folder)
    assert second != name
    assert sorted(os.listdir(folder)) == sorted([name, second])  # no temporary files left


def test_store_uses_the_token_and_the_validated_extension(tmp_path: Path) -> None:
    clean = inspect_and_clean(png_with_text())
    assert store(clean, tmp_path, lambda: "ab" * 16) == "ab" * 16 + ".png"


def test_store_refuses_to_overwrite(tmp_path: Path, clean_pdf: CleanFile) -> None:
    token = "0" * 32
    name = store(clean_pdf, tmp_path, lambda: token)
    other = inspect_and_clean(pdf(lambda writer: writer.add_blank_page(100, 100)))
    with pytest.raises(FileExistsError):
        store(
            CleanFile(other.data, other.content_type, "pdf", other.sha256, other.size),
            tmp_path,
            lambda: token,
        )
    assert (tmp_path / name).read_bytes() == clean_pdf.data


def test_store_does_not_follow_a_planted_symlink(tmp_path: Path, clean_pdf: CleanFile) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / ("1" * 32 + ".pdf")).symlink_to(victim)
    with pytest.raises(FileExistsError):
        store(clean_pdf, folder, lambda: "1" * 32)
    assert victim.read_bytes() == b"keep"


@pytest.mark.parametrize("token", ["../../x", "A" * 32, "0" * 31, "0" * 32 + "\n", ""])
def test_store_refuses_tokens_that_are_not_32_hex_digits(
    tmp_path: Path, clean_pdf: CleanFile, token: str
) -> None:
    with pytest.raises(ValueError):
        store(clean_pdf, tmp_path / "s", lambda: token)
    assert not (tmp_path / "s").exists()


def test_store_refuses_an_extension_outside_the_allowlist(
    tmp_path: Path, clean_pdf: CleanFile
) -> None:
    forged = CleanFile(clean_pdf.data, "text/html", "html", clean_pdf.sha256, clean_pdf.size)
    with pytest.raises(ValueError):
        store(forged, tmp_path)


def test_clean_file_hash_and_size_describe_the_stored_bytes(clean_pdf: CleanFile) -> None:
    import hashlib

    assert clean_pdf.sha256 == hashlib.sha256(clean_pdf.data).hexdigest()
    assert clean_pdf.size == len(clean_pdf.data)


@pytest.mark.parametrize(
    "name",
    [
        "../etc/passwd",
        "/etc/passwd",
        "../" + "a" * 32 + ".pdf",
        "a" * 32 + ".exe",
        "a" * 32 + ".html",
        "a" * 32 + ".pdf.exe",
        "a" * 32 + ".PDF",
        "A" * 32 + ".pdf",
        "a" * 31 + ".pdf",
        "a" * 32 + ".pdf\n",
        "a" * 32 + ".jpeg",
        "",
    ],
)
def test_stored_path_rejects_anything_store_does_not_make(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        stored_path(tmp_path, name)


@pytest.mark.parametrize("extension", sorted(CONTENT_TYPES))
def test_stored_path_accepts_every_allowed_extension(tmp_path: Path, extension: str) -> None:
    name = "0123456789abcdef" * 2 + "." + extension
    assert stored_path(tmp_path, name) == tmp_path / name


# --- Download names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "extension", "expected"),
    [
        ("Đơn khiếu nại (bản chụp).pdf", "pdf", "Don-khieu-nai-ban-chup.pdf"),
        ("Đơn tố cáo - Nguyễn Văn A.pdf", "pdf", "Don-to-cao-Nguyen-Van-A.pdf"),
        ("ảnh hiện trường.JPG", "jpg", "anh-hien-truong.jpg"),
        ("ảnh.jpeg", "jpg", "anh.jpg"),
        ("scan.pdf", "png", "scan.png"),  # the content decides the extension
        ("bảng kê", "xlsx", "bang-ke.xlsx"),
        ('Đơn tố cáo "x";.pdf', "pdf", "Don-to-cao-x.pdf"),
        ("a\r\nSet-Cookie: x=y.pdf", "pdf", "a-Set-Cookie-x-y.pdf"),
        ("../../static/x.html", "pdf", "x.html.pdf"),
        ("C:\\Users\\Lan\\Desktop\\hồ sơ.docx", "docx", "ho-so.docx"),
        (".htaccess", "doc", "htaccess.doc"),
        ("báo_cáo.v2.docx", "docx", "bao_cao.v2.docx"),
        ("报告.pdf", "pdf", "tep.pdf"),
        ("", "pdf", "tep.pdf"),
        (None, ".pdf", "tep.pdf"),
    ],
)
def test_safe_download_name(original: str | None, extension: str, expected: str) -> None:
    assert safe_download_name(original, extension, "tep") == expected


def test_safe_download_name_fallback_is_folded_too() -> None:
    assert safe_download_name(None, "pdf", "Tệp đính kèm 3") == "Tep-dinh-kem-3.pdf"
    assert safe_download_name("///", "pdf", "...") == "tep.pdf"


def test_safe_download_name_is_at_most_80_characters() -> None:
    name = safe_download_name("Đơn " * 60 + ".docx", "docx", "tep")
    assert len(name) <= 80
    assert name.endswith(".docx")
    assert not name[:-5].endswith(("-", ".", "_"))


def test_safe_download_name_refuses_an_extension_outside_the_allowlist() -> None:
    with pytest.raises(ValueError):
        safe_download_name("x.html", "html", "tep")


@given(original=st.one_of(st.none(), st.text(max_size=300)))
def test_safe_download_name_is_always_safe(original: str | None) -> None:
    name = safe_download_name(original, "pdf", "tep")
    assert re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,75}\.pdf", name)


# --- Hostile files: DTDs in any Office part, XLM macro sheets, script links in PDFs -------

XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def _with_dtd(xml: str, dtd: str) -> str:
    declaration, rest = xml.split("?>", 1)
    return f"{declaration}?>{dtd}{rest}"


@pytest.mark.parametrize(
    ("part", "body"),
    [
        pytest.param("word/document.xml", _with_dtd(DOCUMENT_XML, XXE), id="main-part-xxe"),
        pytest.param(
            "word/document.xml",
            _with_dtd(DOCUMENT_XML, BILLION_LAUGHS).replace("Đơn", "&lol9;"),
            id="main-part-billion-laughs",
        ),
        pytest.param(
            "docProps/core.xml",
            '<?xml version="1.0"?><!doctype cp [<!ENTITY t SYSTEM "http://x/">]><cp/>',
            id="lower-case-doctype",
        ),
        pytest.param(
            "word/styles.xml",
            ('<?xml version="1.0" encoding="UTF-16"?>' + XXE + "<w:styles/>").encode("utf-16"),
            id="utf-16-part",
        ),
        pytest.param(
            "customXml/item1.bin",
            '<?xml version="1.0"?>' + XXE + "<root/>",
            id="xml-content-under-another-name",
        ),
        pytest.param(
            "word/header1.xml",
            '<?xml version="1.0"?><!-- ' + "x" * 100_000 + " -->" + XXE + "<w:hdr/>",
            id="dtd-after-a-long-comment",
        ),
    ],
)
def test_a_dtd_in_any_office_part_is_refused(part: str, body: str | bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(docx())) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[part] = body.encode() if isinstance(body, str) else body
    assert rejected(plain_zip(parts)) == "corrupt"
    del parts[part]
    if part != "word/document.xml":
        assert inspect_and_clean(plain_zip(parts)).extension == "docx"


def test_binary_parts_are_not_read_as_xml() -> None:
    png = png_with_text()
    assert inspect_and_clean(docx({"word/media/image1.png": png})).extension == "docx"


def biff(record: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", record, len(body)) + body


def boundsheet(name: str, sheet_type: int, hidden: int = 0) -> bytes:
    return biff(0x0085, struct.pack("<IBBBB", 0, hidden, sheet_type, len(name), 0) + name.encode())


def workbook_stream(*records: bytes) -> bytes:
    """A BIFF8 workbook-globals substream with the given records, padded past the 4096-byte
    mini-stream cutoff (as Excel does) so it lives in ordinary sectors."""
    globals_bof = biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    body = globals_bof + b"".join(records) + biff(0x000A)
    filler = 4200 - len(body) - 4
    return body + biff(0x00E1, bytes(max(filler, 0)))  # INTERFACEHDR-like padding record


def xls(stream: bytes) -> bytes:
    """A version-3 compound file whose root holds one "Workbook" stream with ``stream``."""
    n_sectors = -(-len(stream) // 512)
    fat = [OLE_FATSECT, OLE_END, *range(3, 2 + n_sectors), OLE_END]
    fat += [OLE_FREE] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)
    struct.pack_into("<I", header, 48, 1)
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<III", header, 60, OLE_END, 0, OLE_END)
    struct.pack_into("<I", header, 72, 0)
    struct.pack_into("<109I", header, 76, 0, *([OLE_FREE] * 108))
    directory = bytearray(512)
    for index, (name, kind, child, start, size) in enumerate(
        [("Root Entry", 5, 1, OLE_END, 0), ("Workbook", 2, NONE, 2, len(stream))]
    ):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        at = index * 128
        directory[at : at + len(raw)] = raw
        struct.pack_into("<HBB", directory, at + 64, len(raw), kind, 1)
        struct.pack_into("<III", directory, at + 68, NONE, NONE, child)
        struct.pack_into("<IQ", directory, at + 116, start, size)
    for index in (2, 3):  # unused directory entries
        struct.pack_into("<III", directory, index * 128 + 68, NONE, NONE, NONE)
    data = stream.ljust(n_sectors * 512, b"\x00")
    return bytes(header) + struct.pack("<128I", *fat) + bytes(directory) + data


def test_xls_with_only_worksheets_is_accepted() -> None:
    data = xls(workbook_stream(boundsheet("Sheet1", 0x00), boundsheet("Chart1", 0x02)))
    clean = inspect_and_clean(data)
    assert (clean.extension, clean.data) == ("xls", data)


@pytest.mark.parametrize(
    "records",
    [
        pytest.param([boundsheet("Sheet1", 0), boundsheet("Macro1", 0x01)], id="xlm-macro-sheet"),
        pytest.param([boundsheet("Auto_Open", 0x01, hidden=2)], id="very-hidden-xlm-sheet"),
        pytest.param([boundsheet("Module1", 0x06)], id="vba-module-sheet"),
        pytest.param(
            [biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0040, 0, 0, 0, 0))],
            id="macro-sheet-substream",
        ),
        pytest.param([biff(0x002F, bytes(54))], id="encrypted-workbook"),
    ],
)
def test_xls_with_excel_4_macros_is_refused(records: list[bytes]) -> None:
    assert rejected(xls(workbook_stream(*records))) == "type_not_allowed"


def test_xls_whose_workbook_stream_is_damaged_is_refused() -> None:
    data = bytearray(xls(workbook_stream(boundsheet("Sheet1", 0))))
    struct.pack_into("<I", data, 512 + 4 * 2, 0x00FFFFF0)  # a chain out of the file
    assert rejected(bytes(data)) == "corrupt"


def _links(data: bytes) -> list[DictionaryObject]:
    page = PdfReader(io.BytesIO(data)).pages[0]
    return [a.get_object() for a in page.get("/Annots", [])]


@pytest.mark.parametrize(
    "uri",
    [
        TextStringObject("javascript:app.alert(1)"),
        TextStringObject(" JaVa\tScRiPt:app.alert(1)"),
        ByteStringObject(b"javascript:this.exportDataObject()"),
        TextStringObject("vbscript:msgbox(1)"),
        TextStringObject("data:text/html,<script>alert(1)</script>"),
        TextStringObject("file://attacker/share/x.exe"),
    ],
)
def test_pdf_links_to_scripts_are_removed(uri: object) -> None:
    data = pdf(lambda writer: add_link(writer, action("/URI", URI=uri)))
    clean = inspect_and_clean(data)
    links = _links(clean.data)
    assert len(links) == 1 and "/A" not in links[0]  # the link stays, inert
    assert b"script:" not in clean.data.lower() and b"attacker" not in clean.data


def test_pdf_script_link_chained_after_a_web_link_is_removed() -> None:
    chained = action(
        "/URI",
        URI=TextStringObject("https://example.gov.vn/"),
        Next=action("/URI", URI=TextStringObject("javascript:app.alert(1)")),
    )
    clean = inspect_and_clean(pdf(lambda writer: add_link(writer, chained)))
    (link,) = _links(clean.data)
    assert link["/A"]["/URI"] == "https://example.gov.vn/" and "/Next" not in link["/A"]


def test_pdf_web_links_survive_cleaning() -> None:
    link = action("/URI", URI=TextStringObject("https://dichvucong.gov.vn/"))
    (kept,) = _links(inspect_and_clean(pdf(lambda writer: add_link(writer, link))).data)
    assert kept["/A"]["/URI"] == "https://dichvucong.gov.vn/"


@pytest.mark.parametrize(
    "link_action",
    [
        action("/Launch", F=TextStringObject("cmd.exe")),
        action("/JavaScript", JS=TextStringObject("app.alert(1)")),
    ],
    ids=["annotation-launch", "annotation-javascript"],
)
def test_pdf_link_annotations_that_launch_or_run_scripts_are_refused(
    link_action: DictionaryObject,
) -> None:
    assert rejected(pdf(lambda writer: add_link(writer, link_action))) == "pdf_active_content"
