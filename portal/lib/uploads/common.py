"""What every part of the upload checks shares: the limits, the rejection, the accepted types and
the cleaned file they produce."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

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
