"""Checks, cleans and stores the files citizens attach to complaints, denunciations and petitions.

Accepted: JPG, PNG, PDF, DOC, DOCX, XLS, XLSX. The type is decided from the bytes alone; the
citizen's file name and the browser's ``Content-Type`` are never consulted (security.md G2).

What "clean" means per type (security.md §3, G7):

* JPEG/PNG are decoded and re-encoded from pixels only, so EXIF (GPS, camera), XMP, ICC
  profiles, JPEG comments, PNG text chunks and anything appended to the file are gone.
* PDFs with active content are refused; the others are rewritten page by page with pypdf,
  without the document information dictionary (/Info) and the XMP metadata.
* DOC/DOCX/XLS/XLSX are checked structurally (and macro-enabled ones refused) but are passed
  through unchanged: their metadata (author, company, tracked-change authors) is NOT removed.

Nothing here imports Flask: the app passes bytes, paths and limits.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import stat
import struct
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, get_args
from xml.parsers import expat

import filetype
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from portal.domain.text import strip_accents
from portal.lib.images import encode_pixels

RejectionCode = Literal[
    "empty",
    "too_large",
    "too_many",
    "type_not_allowed",
    "pdf_active_content",
    "corrupt",
    "image_too_large",
]
REJECTION_CODES: Final[frozenset[str]] = frozenset(get_args(RejectionCode))

CONTENT_TYPES: Final[dict[str, str]] = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""Extension -> the ``Content-Type`` to serve it with (never taken from the request)."""

_STORED_NAME: Final[re.Pattern[str]] = re.compile(
    r"[0-9a-f]{32}\.(?:jpg|png|pdf|doc|docx|xls|xlsx)"
)


@dataclass(frozen=True)
class UploadLimits:
    """Per-file and per-submission limits.

    ``max_archive_entries`` and ``max_uncompressed_bytes`` bound what a DOCX/XLSX (a ZIP) may
    expand to; they are checked from the ZIP directory before anything is decompressed (G3).
    """

    max_bytes: int = 10 * 1024 * 1024
    max_files: int = 5
    max_image_pixels: int = 40_000_000
    max_archive_entries: int = 1000
    max_uncompressed_bytes: int = 100 * 1024 * 1024

    def __post_init__(self) -> None:
        for name in (
            "max_bytes",
            "max_files",
            "max_image_pixels",
            "max_archive_entries",
            "max_uncompressed_bytes",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")


DEFAULT_LIMITS: Final[UploadLimits] = UploadLimits()


class UploadRejected(ValueError):
    """A file (or a set of files) the portal refuses; ``code`` says why.

    The message never contains the file's content or name, so it is safe to log.
    """

    code: RejectionCode

    def __init__(self, code: RejectionCode, detail: str = "") -> None:
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class CleanFile:
    """A file that passed the checks; ``data`` is what must be stored and served.

    ``sha256`` and ``size`` describe ``data`` (the cleaned derivative), not the upload.
    """

    data: bytes
    content_type: str
    extension: str
    sha256: str
    size: int


def check_count(n_files: int, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    """Refuse a submission carrying more than ``limits.max_files`` files."""
    if n_files < 0:
        raise ValueError("n_files must not be negative")
    if n_files > limits.max_files:
        raise UploadRejected("too_many", f"{n_files} files, at most {limits.max_files}")


def inspect_and_clean(data: bytes, limits: UploadLimits = DEFAULT_LIMITS) -> CleanFile:
    """Decide the type of ``data`` from its content, check it and return the cleaned file.

    Raises :class:`UploadRejected`. The size is checked before any parser sees the bytes.
    """
    if not data:
        raise UploadRejected("empty")
    if len(data) > limits.max_bytes:
        raise UploadRejected("too_large", f"{len(data)} bytes, at most {limits.max_bytes}")

    if data.startswith(_OLE_SIGNATURE):
        extension, cleaned = _check_ole(data), data
    elif data.startswith(b"PK\x03\x04"):
        extension, cleaned = _check_ooxml(data, limits), data
    else:
        kind = filetype.guess(data)
        mime = kind.mime if kind is not None else None
        if mime == "image/jpeg":
            extension, cleaned = "jpg", _clean_image(data, "JPEG", limits)
        elif mime in ("image/png", "image/apng"):
            extension, cleaned = "png", _clean_image(data, "PNG", limits)
        elif mime == "application/pdf":
            extension, cleaned = "pdf", _clean_pdf(data)
        else:
            raise UploadRejected("type_not_allowed", f"sniffed as {mime or 'unknown'}")

    return CleanFile(
        data=cleaned,
        content_type=CONTENT_TYPES[extension],
        extension=extension,
        sha256=hashlib.sha256(cleaned).hexdigest(),
        size=len(cleaned),
    )


# --- Images -------------------------------------------------------------------------------

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


def _clean_image(data: bytes, fmt: str, limits: UploadLimits) -> bytes:
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


# --- PDF ----------------------------------------------------------------------------------

_PDF_ACTIVE_KEYS: Final[frozenset[str]] = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/Launch",
        "/EmbeddedFiles",
        "/EmbeddedFile",
        "/EF",
        "/RichMedia",
        "/RichMediaContent",
    }
)
"""Dictionary keys that mean scripts, launch actions, attached files or rich media."""

_PDF_ACTIVE_NAMES: Final[frozenset[str]] = frozenset(
    {"/JavaScript", "/Launch", "/EmbeddedFile", "/RichMedia"}
)
"""Name values that mean the same: ``/S /JavaScript`` or ``/S /Launch`` actions (e.g. in
/OpenAction or an annotation's /A), ``/Type /EmbeddedFile``, ``/Subtype /RichMedia``."""

_PDF_PAGE_DROPPED_KEYS: Final[tuple[str, ...]] = ("/Metadata", "/PieceInfo")
"""Per-page XMP and application private data, not needed to show the page."""


def _pdf_active_content(start: PdfObject) -> str | None:
    """The first active-content marker reachable from ``start``, or None.

    Walks every dictionary and array (following indirect references once each) without
    decoding streams; pypdf has already undone ``#xx`` escapes in names.
    """
    stack: list[PdfObject] = [start]
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            resolved = obj.get_object()
            if resolved is None:
                continue
            obj = resolved
        if isinstance(obj, DictionaryObject):
            for key, value in dict.items(obj):
                if key in _PDF_ACTIVE_KEYS:
                    return str(key)
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
        elif isinstance(obj, NameObject) and obj in _PDF_ACTIVE_NAMES:
            return str(obj)
    return None


def _clean_pdf(data: bytes) -> bytes:
    """Refuse encrypted, unparseable or active PDFs; rewrite the others page by page.

    Only the pages (and what they reference) are copied, so the catalogue's outlines, forms,
    name trees, XMP metadata and /Info do not reach the output.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRejected("corrupt", "encrypted PDF")
        marker = _pdf_active_content(reader.trailer)
        if marker is not None:
            raise UploadRejected("pdf_active_content", marker)
        if len(reader.pages) == 0:
            raise UploadRejected("corrupt", "PDF without pages")
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page, excluded_keys=_PDF_PAGE_DROPPED_KEYS)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except UploadRejected:
        raise
    except Exception as exc:
        # pypdf raises PdfReadError and also plain KeyError/TypeError/ValueError/RecursionError
        # on malformed input: any of them means the file cannot be trusted as a PDF.
        raise UploadRejected("corrupt", f"PDF does not parse: {type(exc).__name__}") from exc
    return out.getvalue()


# --- DOCX / XLSX (ZIP) --------------------------------------------------------------------

_OOXML_MAIN_PARTS: Final[dict[str, str]] = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
}
_OOXML_MACRO_MARKERS: Final[tuple[str, ...]] = (
    "macroenabled",  # ...document.macroEnabled.main+xml, ...sheet.macroEnabled.main+xml
    "vbaproject",  # application/vnd.ms-office.vbaProject
    "macrosheet",  # Excel 4.0 (XLM) macro sheets
)
_OOXML_PART_LIMIT: Final[int] = 1024 * 1024
_LOCAL_PATH: Final[re.Pattern[str]] = re.compile(r"(?:file:/{3})?[A-Za-z]:[\\/]", re.I)
_REMOTE: Final[re.Pattern[str]] = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|[\\/]{2}")


def _unsafe_member(info: zipfile.ZipInfo) -> bool:
    """Entry names that would escape an extraction directory, and symlinks (G3)."""
    name = info.filename
    parts = name.split("/")
    return (
        name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or ":" in parts[0]
        or ".." in parts
        or stat.S_ISLNK(info.external_attr >> 16)
    )


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as member:
        body = member.read(limit + 1)
    if len(body) > limit:
        raise UploadRejected("too_large", "oversized package part")
    return body


def _xml_elements(body: bytes) -> list[tuple[str, dict[str, str]]]:
    """(local name, attributes) of every element of a package part, in document order.

    expat decodes the encoding (UTF-8 or UTF-16), entities and character references, so
    ``TargetMode="&#69;xternal"`` is seen as ``External``. A DTD is refused outright: OPC
    forbids them in package parts, and without one no entity expansion (billion laughs) or
    external entity is possible.
    """
    elements: list[tuple[str, dict[str, str]]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        elements.append((name.rsplit(" ", 1)[-1], attributes))

    def refuse_dtd(*_args: object) -> None:
        raise UploadRejected("corrupt", "DTD in an Office package part")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = start
    parser.Parse(body, True)
    return elements


def _macro_content_type(content_types: bytes) -> bool:
    return any(
        marker in attributes.get("ContentType", "").lower()
        for _, attributes in _xml_elements(content_types)
        for marker in _OOXML_MACRO_MARKERS
    )


def _remote_non_hyperlink(rels: bytes) -> bool:
    """True when a .rels part makes Word or Excel fetch something from another machine as soon
    as the file is opened: a remote template (template injection), a linked OLE object, frame
    or picture, a workbook link on a network share (NTLM leak). External hyperlinks (followed
    only on a click) and local paths such as ``file:///C:/.../Normal.dotm``, which documents
    made from a template carry, are fine.
    """
    for name, attributes in _xml_elements(rels):
        if name != "Relationship":
            continue
        if attributes.get("TargetMode", "").strip().lower() != "external":
            continue
        if attributes.get("Type", "").strip().lower().endswith("/hyperlink"):
            continue
        target = attributes.get("Target", "").strip()
        if not _LOCAL_PATH.match(target) and _REMOTE.match(target):
            return True
    return False


def _check_ooxml(data: bytes, limits: UploadLimits) -> str:
    """Return "docx" or "xlsx" for a plain (macro-free) Office Open XML package.

    Only the ZIP directory, ``[Content_Types].xml`` and the ``.rels`` parts are read, each with
    a bounded read, and parsed with expat without any DTD.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_archive_entries:
                raise UploadRejected("too_large", f"{len(infos)} ZIP entries")
            by_name: dict[str, zipfile.ZipInfo] = {}
            for info in infos:
                if _unsafe_member(info):
                    raise UploadRejected("corrupt", "unsafe ZIP entry name")
                if info.flag_bits & 0x1:
                    raise UploadRejected("corrupt", "encrypted ZIP entry")
                lowered = info.filename.lower()  # OPC part names are case-insensitive
                if lowered in by_name:
                    raise UploadRejected("corrupt", "duplicate ZIP entry")
                by_name[lowered] = info
            if sum(info.file_size for info in infos) > limits.max_uncompressed_bytes:
                raise UploadRejected("too_large", "ZIP expands beyond the limit")

            content_types = by_name.get("[content_types].xml")
            kinds = {kind for part, kind in _OOXML_MAIN_PARTS.items() if part in by_name}
            if content_types is None or len(kinds) != 1:
                raise UploadRejected("type_not_allowed", "ZIP that is not a DOCX or XLSX")
            if any(
                name.endswith("vbaproject.bin") or name.startswith("xl/macrosheets/")
                for name in by_name
            ):
                raise UploadRejected("type_not_allowed", "macro-enabled Office file")
            if _macro_content_type(_read_member(archive, content_types, _OOXML_PART_LIMIT)):
                raise UploadRejected("type_not_allowed", "macro-enabled Office file")
            for name, info in by_name.items():
                if name.endswith(".rels") and _remote_non_hyperlink(
                    _read_member(archive, info, _OOXML_PART_LIMIT)
                ):
                    raise UploadRejected("type_not_allowed", "external template or object")
    except UploadRejected:
        raise
    except Exception as exc:
        # zipfile raises BadZipFile, NotImplementedError (compression method), zlib.error,
        # EOFError, ValueError... on damaged archives.
        raise UploadRejected("corrupt", f"ZIP does not parse: {type(exc).__name__}") from exc
    return kinds.pop()


# --- DOC / XLS (OLE2 compound file) -------------------------------------------------------

_OLE_SIGNATURE: Final[bytes] = bytes.fromhex("D0CF11E0A1B11AE1")
_OLE_MAXREGSECT: Final[int] = 0xFFFFFFFA
_OLE_ENDOFCHAIN: Final[int] = 0xFFFFFFFE
_OLE_NOSTREAM: Final[int] = 0xFFFFFFFF
_OLE_ROOT: Final[int] = 5
_OLE_DIR_ENTRY: Final[int] = 128


def _ole_sector(data: bytes, sector: int, size: int) -> bytes:
    offset = (sector + 1) * size  # sector 0 follows the header, which fills one sector
    if sector > _OLE_MAXREGSECT or offset >= len(data):
        raise UploadRejected("corrupt", "OLE sector outside the file")
    return data[offset : offset + size].ljust(size, b"\x00")


def _ole_fat_sectors(data: bytes, size: int) -> list[int]:
    (n_fat,) = struct.unpack_from("<I", data, 44)
    first_difat, n_difat = struct.unpack_from("<II", data, 68)
    sectors = list(struct.unpack_from("<109I", data, 76))
    per_sector = size // 4
    sector, seen = first_difat, set()
    for _ in range(n_difat):
        if sector in seen:
            raise UploadRejected("corrupt", "OLE DIFAT loop")
        seen.add(sector)
        values = struct.unpack(f"<{per_sector}I", _ole_sector(data, sector, size))
        sectors.extend(values[:-1])
        sector = values[-1]
    sectors = [s for s in sectors if s <= _OLE_MAXREGSECT][:n_fat]
    if len(sectors) != n_fat or n_fat == 0:
        raise UploadRejected("corrupt", "OLE FAT incomplete")
    return sectors


def _ole_root_names(data: bytes) -> set[str]:
    """Names (lower-cased) of the streams and storages directly under the root storage.

    Reads the compound-file header, FAT and directory (MS-CFB) rather than searching the bytes
    for a name, which would also match embedded objects or text inside an unrelated OLE file
    (an MSI installer, say).
    """
    if len(data) < 512:
        raise UploadRejected("corrupt", "truncated OLE header")
    major, byte_order, shift = struct.unpack_from("<HHH", data, 26)
    if byte_order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)):
        raise UploadRejected("corrupt", "unsupported OLE header")
    size = 1 << shift
    fat = b"".join(_ole_sector(data, s, size) for s in _ole_fat_sectors(data, size))
    n_fat_entries = len(fat) // 4

    directory = bytearray()
    sector, seen = struct.unpack_from("<I", data, 48)[0], set()
    while sector != _OLE_ENDOFCHAIN:
        if sector in seen or sector >= n_fat_entries:
            raise UploadRejected("corrupt", "OLE directory chain broken")
        seen.add(sector)
        directory += _ole_sector(data, sector, size)
        sector = struct.unpack_from("<I", fat, 4 * sector)[0]
    n_entries = len(directory) // _OLE_DIR_ENTRY
    if n_entries == 0 or directory[66] != _OLE_ROOT:
        raise UploadRejected("corrupt", "OLE root entry missing")

    names: set[str] = set()
    todo, visited = [struct.unpack_from("<I", directory, 76)[0]], set()
    while todo:
        index = todo.pop()
        if index == _OLE_NOSTREAM:
            continue
        if index in visited or index >= n_entries:
            raise UploadRejected("corrupt", "OLE directory tree broken")
        visited.add(index)
        entry = bytes(directory[index * _OLE_DIR_ENTRY : (index + 1) * _OLE_DIR_ENTRY])
        name_length = struct.unpack_from("<H", entry, 64)[0]
        if not 2 <= name_length <= 64:
            raise UploadRejected("corrupt", "OLE entry name")
        names.add(entry[: name_length - 2].decode("utf-16-le", errors="replace").lower())
        todo.extend(struct.unpack_from("<II", entry, 68))  # left and right siblings
    return names


def _check_ole(data: bytes) -> str:
    """Return "doc" or "xls" for a Word 97-2003 or Excel 97-2003 file without VBA macros."""
    try:
        names = _ole_root_names(data)
    except UploadRejected:
        raise
    except (struct.error, ValueError) as exc:
        raise UploadRejected("corrupt", "OLE does not parse") from exc
    if "macros" in names or "_vba_project_cur" in names:
        raise UploadRejected("type_not_allowed", "macro-enabled Office file")
    is_doc = "worddocument" in names
    is_xls = "workbook" in names or "book" in names
    if is_doc == is_xls:
        raise UploadRejected("type_not_allowed", "OLE file that is not a DOC or XLS")
    return "doc" if is_doc else "xls"


# --- Storage and download names -------------------------------------------------------------


def _random_token() -> str:
    return secrets.token_hex(16)


def _fsync_directory(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store(clean: CleanFile, folder: Path, rng_token: Callable[[], str] = _random_token) -> str:
    """Write ``clean.data`` under ``folder`` with a random name and return that name.

    The name is ``<32 hex digits>.<extension>``, never derived from the citizen's file name.
    The file is created with ``O_EXCL`` (an existing file, or a symlink planted under that
    name, is never overwritten or followed), mode 0600, and fsynced together with its
    directory before the name is returned. The name is only meant to be recorded in the
    database after this returns, so a crash mid-write leaves at most an unreferenced file, not
    a truncated attachment; a rename from a temporary file would buy nothing more here.
    """
    if clean.extension not in CONTENT_TYPES:
        raise ValueError(f"extension {clean.extension!r} is not allowed")
    name = f"{rng_token()}.{clean.extension}"
    if not _STORED_NAME.fullmatch(name):
        raise ValueError("rng_token must return 32 lowercase hexadecimal digits")
    created = not folder.is_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        view = memoryview(clean.data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)
    _fsync_directory(folder)
    if created:
        _fsync_directory(folder.parent)
    return name


def stored_path(folder: Path, stored_name: str) -> Path:
    """The path of a stored file, after checking that the name is one :func:`store` makes.

    Anything else (``../etc/passwd``, absolute paths, other extensions, a trailing newline)
    raises ``ValueError``.
    """
    if not isinstance(stored_name, str) or not _STORED_NAME.fullmatch(stored_name):
        raise ValueError("not a stored file name")
    return folder / stored_name


_NOT_SAFE: Final[re.Pattern[str]] = re.compile(r"[^A-Za-z0-9._-]+")
_KNOWN_SUFFIXES: Final[frozenset[str]] = frozenset({*CONTENT_TYPES, "jpeg", "jpe", "docm", "xlsm"})
_MAX_DOWNLOAD_NAME: Final[int] = 80


def _ascii_fold(text: str) -> str:
    """Fold to ASCII, keeping case: "Đơn khiếu nại" -> "Don khieu nai"; accents and other
    non-ASCII characters are dropped."""
    return strip_accents(text, "NFKD").encode("ascii", "ignore").decode("ascii")


def _safe_stem(text: str) -> str:
    stem = _NOT_SAFE.sub("-", _ascii_fold(text))
    stem = re.sub(r"-{2,}", "-", stem)
    return stem.strip("-._")


def _strip_known_suffixes(name: str, suffixes: Iterable[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    return stem if dot and stem and suffix.lower() in suffixes else name


def safe_download_name(original: str | None, extension: str, fallback: str) -> str:
    """A download name that is safe in any ``Content-Disposition`` and any file system.

    The citizen's name is ASCII-folded (``đ`` -> ``d``, accents removed), every run of other
    characters (spaces, brackets, quotes, CR/LF, other scripts) becomes one ``-``, a trailing
    document extension (possibly a misleading one) is replaced by ``extension``, which is that
    of the validated content, and the whole is at most 80 characters. When nothing usable is
    left, ``fallback`` (folded the same way, else ``"tep"``) is used as the stem::

        safe_download_name("Đơn khiếu nại (bản chụp).pdf", "pdf", "tep")
        == "Don-khieu-nai-ban-chup.pdf"
    """
    ext = extension.lower().lstrip(".")
    if ext not in CONTENT_TYPES:
        raise ValueError(f"extension {extension!r} is not allowed")
    base = (original or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = _safe_stem(_strip_known_suffixes(base, _KNOWN_SUFFIXES))
    if not stem:
        stem = _safe_stem(fallback) or "tep"
    stem = stem[: _MAX_DOWNLOAD_NAME - len(ext) - 1].rstrip("-._")
    return f"{stem or 'tep'}.{ext}"
