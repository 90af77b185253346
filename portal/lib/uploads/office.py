"""Office attachments: DOCX/XLSX (Office Open XML, a ZIP) and DOC/XLS (OLE2 compound file).

They are checked structurally, without decompressing or parsing more than needed, and refused
when macro-enabled (VBA, and Excel 4.0 "XLM" macro sheets in XLS as in XLSX), when (DOCX/XLSX)
they fetch a remote template or object on opening, and when any XML part of a DOCX/XLSX carries
a DTD (external entities, billion laughs). The files are stored unchanged: their metadata
(author, company, tracked-change authors) stays.
"""

from __future__ import annotations

import io
import re
import stat
import struct
import zipfile
from typing import Final
from xml.parsers import expat

import olefile

from portal.lib.uploads.common import UploadLimits, UploadRejected

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


_XML_PART_SUFFIXES: Final[tuple[str, ...]] = (".xml", ".rels", ".vml")
_DTD_MARKERS: Final[tuple[bytes, ...]] = tuple(
    marker.encode(encoding)
    for marker in ("<!doctype", "<!entity")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_SCAN_CHUNK: Final[int] = 64 * 1024
_OVERLAP: Final[int] = max(len(marker) for marker in _DTD_MARKERS)


def _looks_like_xml(start: bytes) -> bool:
    """Whether a part's first bytes are those of an XML (or HTML) document: "<" after an
    optional byte-order mark and white space, in UTF-8 or UTF-16."""
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if start.startswith(bom):
            text = start[len(bom) :].decode(encoding, errors="ignore")
            return text.lstrip().startswith("<")
    if start[:2] in (b"<\x00", b"\x00<"):
        return True
    return start.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _refuse_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part that declares a DTD or an entity, read in bounded chunks, never parsed.

    Scans every part named like XML and every part whose content starts like XML, in UTF-8
    and UTF-16, whatever the case of the keyword; a DTD is never needed in an Office package
    (OPC forbids them), and refusing it also refuses entity expansion (billion laughs) and
    external entities. The bytes read are bounded by the part's declared size, and the sum of
    those by ``max_uncompressed_bytes`` (checked before).
    """
    named_xml = info.filename.lower().endswith(_XML_PART_SUFFIXES)
    with archive.open(info) as member:
        tail = b""
        first = True
        while chunk := member.read(_SCAN_CHUNK):
            if first and not named_xml and not _looks_like_xml(chunk[:512]):
                return
            first = False
            window = (tail + chunk).lower()
            if any(marker in window for marker in _DTD_MARKERS):
                raise UploadRejected("corrupt", "DTD in an Office package part")
            tail = window[-_OVERLAP:]


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


def check_ooxml(data: bytes, limits: UploadLimits) -> str:
    """Return "docx" or "xlsx" for a plain (macro-free) Office Open XML package.

    The ZIP directory is checked first; every XML part is then scanned (not parsed) for a DTD;
    only ``[Content_Types].xml`` and the ``.rels`` parts are parsed, each with a bounded read,
    with expat and without any DTD.
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
            for info in infos:
                _refuse_dtd(archive, info)
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

OLE_SIGNATURE: Final[bytes] = bytes.fromhex("D0CF11E0A1B11AE1")
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


_BIFF_BOF: Final[int] = 0x0809
_BIFF_BOUNDSHEET: Final[int] = 0x0085
_BIFF_FILEPASS: Final[int] = 0x002F
_BOUNDSHEET_MACRO_TYPES: Final[frozenset[int]] = frozenset({0x01, 0x06})
"""BoundSheet8 ``dt`` ([MS-XLS] 2.4.28): 0x01 an Excel 4.0 macro sheet, 0x06 a VBA module
(0x00 is a worksheet or dialog sheet, 0x02 a chart)."""
_BOF_MACRO_TYPES: Final[frozenset[int]] = frozenset({0x0040, 0x0006})
"""BOF ``dt`` of a substream: 0x0040 an Excel 4.0 macro sheet, 0x0006 a VBA module."""


def _xls_has_macro_sheet(data: bytes) -> bool:
    """Whether the workbook stream (BIFF5/BIFF8) declares an Excel 4.0 (XLM) macro sheet or a
    VBA module sheet, or is encrypted (then its sheet types cannot be read, so it is refused).

    Reads the stream with olefile and walks its record headers (2-byte type, 2-byte length):
    a BOUNDSHEET record's data is a 4-byte stream position, a visibility byte and the sheet
    type byte; a BOF record's data is a 2-byte version and the 2-byte substream type.
    """
    with olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT) as ole:
        name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
        if name is None:
            return False
        stream: bytes = ole.openstream(name).read()
        if len(stream) != ole.get_size(name):
            raise UploadRejected("corrupt", "XLS workbook stream truncated")
    position = 0
    while position + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + length]
        position += 4 + length
        if record == _BIFF_FILEPASS:
            return True
        if record == _BIFF_BOUNDSHEET and len(body) >= 6 and body[5] in _BOUNDSHEET_MACRO_TYPES:
            return True
        if (
            record == _BIFF_BOF
            and len(body) >= 4
            and struct.unpack_from("<H", body, 2)[0] in _BOF_MACRO_TYPES
        ):
            return True
    return False


def check_ole(data: bytes) -> str:
    """Return "doc" or "xls" for a Word 97-2003 or Excel 97-2003 file without macros (VBA, or
    Excel 4.0 macro sheets)."""
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
    if is_xls:
        try:
            macro_sheet = _xls_has_macro_sheet(data)
        except UploadRejected:
            raise
        except Exception as exc:
            # olefile raises OSError, struct.error, IndexError... on damaged files.
            raise UploadRejected("corrupt", "XLS workbook does not parse") from exc
        if macro_sheet:
            raise UploadRejected("type_not_allowed", "Excel 4.0 macro sheet or encrypted XLS")
    return "doc" if is_doc else "xls"
