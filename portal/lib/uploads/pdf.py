"""PDF attachments: those with active content (scripts, launch actions, attached files, rich
media) are refused; the others are rewritten page by page without /Info and XMP metadata, and
without links to ``javascript:``, ``vbscript:``, ``data:`` or ``file:`` addresses (the link
annotation stays, inert)."""

from __future__ import annotations

import io
from typing import Final

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
)

from portal.lib.uploads.common import UploadRejected

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


_UNSAFE_URI_SCHEMES: Final[tuple[str, ...]] = ("javascript:", "vbscript:", "data:", "file:")


def _resolved(obj: PdfObject) -> PdfObject | None:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _unsafe_uri_action(obj: PdfObject | None) -> bool:
    """A URI action (``/S /URI``) whose address runs a script or opens a local or inline
    file. Browsers' rules: white space and control characters inside the scheme are ignored,
    and so is case (``" Java\tScript:"``)."""
    if not isinstance(obj, DictionaryObject) or "/URI" not in obj:
        return False
    uri = _resolved(obj["/URI"])
    if isinstance(uri, ByteStringObject):
        text = bytes(uri).decode("latin-1")
    elif isinstance(uri, str):
        text = uri
    else:
        return False
    squeezed = "".join(ch for ch in text if ord(ch) > 0x20).lower()
    return squeezed.startswith(_UNSAFE_URI_SCHEMES)


def _drop_unsafe_links(start: PdfObject) -> None:
    """Remove every unsafe URI action reachable from ``start`` (a page of the output): from
    an annotation's /A, from an action's /Next, from an array of actions."""
    stack: list[PdfObject] = [start]
    seen: set[int] = set()
    while stack:
        obj = _resolved(stack.pop())
        if obj is None or id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, DictionaryObject):
            for key in list(dict.keys(obj)):
                if key == "/Parent":  # up to the page tree: other pages are walked on their own
                    continue
                value = dict.__getitem__(obj, key)
                if _unsafe_uri_action(_resolved(value)):
                    del obj[key]
                else:
                    stack.append(value)
        elif isinstance(obj, ArrayObject):
            for index in reversed(range(len(obj))):
                if _unsafe_uri_action(_resolved(obj[index])):
                    del obj[index]
                else:
                    stack.append(obj[index])


def clean_pdf(data: bytes) -> bytes:
    """Refuse encrypted, unparseable or active PDFs; rewrite the others page by page.

    Only the pages (and what they reference) are copied, so the catalogue's outlines, forms,
    name trees, XMP metadata and /Info do not reach the output; on those pages, links to
    ``javascript:`` (and ``vbscript:``, ``data:``, ``file:``) addresses are removed.
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
            written = writer.add_page(page, excluded_keys=_PDF_PAGE_DROPPED_KEYS)
            _drop_unsafe_links(written)
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
