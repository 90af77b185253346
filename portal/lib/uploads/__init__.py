"""Checks, cleans and stores the files citizens attach to complaints, denunciations and petitions.

Accepted: JPG, PNG, PDF, DOC, DOCX, XLS, XLSX. The type is decided from the bytes alone; the
citizen's file name and the browser's ``Content-Type`` are never consulted (docs/security.md G2).

What "clean" means per type (docs/security.md §3, G7):

* JPEG/PNG are decoded and re-encoded from pixels only, so EXIF (GPS, camera), XMP, ICC
  profiles, JPEG comments, PNG text chunks and anything appended to the file are gone.
* PDFs with active content are refused; the others are rewritten page by page with pypdf,
  without the document information dictionary (/Info) and the XMP metadata.
* DOC/DOCX/XLS/XLSX are checked structurally (and macro-enabled ones refused) but are passed
  through unchanged: their metadata (author, company, tracked-change authors) is NOT removed.

Nothing here imports Flask: the app passes bytes, paths and limits.

The package: ``common`` (limits, rejection, cleaned file), ``image``, ``pdf``, ``office``
(DOCX/XLSX and DOC/XLS) and ``storage`` (writing files, download names); the type sniffing and
the dispatch to those checks are here.
"""

from __future__ import annotations

import hashlib

import filetype

from portal.lib.uploads.common import (
    CONTENT_TYPES,
    DEFAULT_LIMITS,
    REJECTION_CODES,
    CleanFile,
    RejectionCode,
    UploadLimits,
    UploadRejected,
)
from portal.lib.uploads.image import clean_image
from portal.lib.uploads.office import OLE_SIGNATURE, check_ole, check_ooxml
from portal.lib.uploads.pdf import clean_pdf
from portal.lib.uploads.storage import (
    new_stored_name,
    safe_download_name,
    store,
    stored_path,
)

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_LIMITS",
    "REJECTION_CODES",
    "CleanFile",
    "RejectionCode",
    "UploadLimits",
    "UploadRejected",
    "check_count",
    "inspect_and_clean",
    "new_stored_name",
    "safe_download_name",
    "store",
    "stored_path",
]


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

    if data.startswith(OLE_SIGNATURE):
        extension, cleaned = check_ole(data), data
    elif data.startswith(b"PK\x03\x04"):
        extension, cleaned = check_ooxml(data, limits), data
    else:
        kind = filetype.guess(data)
        mime = kind.mime if kind is not None else None
        if mime == "image/jpeg":
            extension, cleaned = "jpg", clean_image(data, "JPEG", limits)
        elif mime in ("image/png", "image/apng"):
            extension, cleaned = "png", clean_image(data, "PNG", limits)
        elif mime == "application/pdf":
            extension, cleaned = "pdf", clean_pdf(data)
        else:
            raise UploadRejected("type_not_allowed", f"sniffed as {mime or 'unknown'}")

    return CleanFile(
        data=cleaned,
        content_type=CONTENT_TYPES[extension],
        extension=extension,
        sha256=hashlib.sha256(cleaned).hexdigest(),
        size=len(cleaned),
    )
