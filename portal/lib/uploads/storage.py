"""Where cleaned attachments go: random file names, written once and fsynced, and safe names
to offer them for download under."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final

from portal.domain.text import strip_accents
from portal.lib.file_storage import write_new_file
from portal.lib.uploads.common import CONTENT_TYPES, CleanFile

_STORED_NAME: Final[re.Pattern[str]] = re.compile(
    r"[0-9a-f]{32}\.(?:jpg|png|pdf|doc|docx|xls|xlsx)"
)


def _random_token() -> str:
    return secrets.token_hex(16)


def new_stored_name(clean: CleanFile, rng_token: Callable[[], str] = _random_token) -> str:
    """A new random name ``<32 hex digits>.<extension>`` for `clean`, never derived from the
    citizen's file name (any backend of portal/lib/file_storage.py keeps it under that)."""
    if clean.extension not in CONTENT_TYPES:
        raise ValueError(f"extension {clean.extension!r} is not allowed")
    name = f"{rng_token()}.{clean.extension}"
    if not _STORED_NAME.fullmatch(name):
        raise ValueError("rng_token must return 32 lowercase hexadecimal digits")
    return name


def store(clean: CleanFile, folder: Path, rng_token: Callable[[], str] = _random_token) -> str:
    """Write ``clean.data`` under ``folder`` with a random name and return that name.

    The name is ``<32 hex digits>.<extension>``, never derived from the citizen's file name.
    The file is created with ``O_EXCL`` (an existing file, or a symlink planted under that
    name, is never overwritten or followed), mode 0600, and fsynced together with its
    directory before the name is returned. The name is only meant to be recorded in the
    database after this returns, so a crash mid-write leaves at most an unreferenced file, not
    a truncated attachment; a rename from a temporary file would buy nothing more here.
    """
    name = new_stored_name(clean, rng_token)
    write_new_file(folder, name, clean.data)
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
