"""One storage for the files the portal keeps (citizens' attachments, draft files, article
images), behind a small interface with two backends chosen by the FILE_STORAGE setting:

* :class:`FolderStore` (here): one folder per area on this host's disk, today's layout
  (``instance/uploads``, ``instance/news-images``);
* ``DatabaseStore`` (``portal/services/file_storage.py``): the contents in the database, in
  chunks, written in the caller's transaction.

A file is named by its area and a name the portal made (random hex, never the citizen's
name); :func:`check_name` refuses anything else before a backend sees it. Reading gives an
:class:`OpenedFile` whose ``chunks`` are read one at a time, so serving a file never holds
more than a chunk of it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

AREAS: Final[tuple[str, ...]] = ("uploads", "news-images")
CHUNK_SIZE: Final[int] = 1024 * 1024
_NAME: Final[re.Pattern[str]] = re.compile(r"[0-9a-f]{32}(?:-[0-9]{1,5})?\.[a-z]{3,4}")


def check_name(area: str, name: str) -> None:
    """Raise ``ValueError`` unless `area` is known and `name` is one the portal makes
    (``<32 hex>.<ext>`` for uploads, ``<32 hex>-<width>.<ext>`` for article images)."""
    if area not in AREAS:
        raise ValueError(f"unknown storage area {area!r}")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError("not a stored file name")


@dataclass(frozen=True)
class OpenedFile:
    """A stored file ready to be sent: its size, its bytes one chunk at a time, and, for
    the folder backend, its path (so the web layer can let the server send it)."""

    size: int
    chunks: Iterator[bytes]
    sha256: str | None = None
    path: Path | None = None

    def read(self) -> bytes:
        """The whole file (for checks and small files; never to serve a download)."""
        return b"".join(self.chunks)


class FileStore(Protocol):
    """What every place that keeps or serves a file uses."""

    kind: str

    def put(self, area: str, name: str, data: bytes) -> None:
        """Keep `data` under a new name (never overwrites)."""

    def open(self, area: str, name: str) -> OpenedFile | None:
        """The file, or None when there is none under that name."""

    def delete(self, area: str, name: str) -> None:
        """Forget the file (nothing happens when there is none)."""

    def names(self, area: str) -> list[str]:
        """The names kept in `area`."""


def _fsync_directory(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_new_file(folder: Path, name: str, data: bytes) -> None:
    """Create ``folder/name`` with `data`: ``O_EXCL`` (an existing file, or a symlink planted
    under that name, is never overwritten or followed), mode 0600, fsynced together with its
    directory before this returns. The caller records the name only afterwards, so a crash
    mid-write leaves at most an unreferenced file, not a truncated one."""
    created = not folder.is_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        view = memoryview(data)
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


def _read_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_SIZE):
            yield chunk


class FolderStore:
    """The files in one folder per area on this host (the default for ``make run``)."""

    kind = "folder"

    def __init__(self, folders: Mapping[str, Path]) -> None:
        self.folders = dict(folders)

    def path(self, area: str, name: str) -> Path:
        check_name(area, name)
        return self.folders[area] / name

    def put(self, area: str, name: str, data: bytes) -> None:
        check_name(area, name)
        write_new_file(self.folders[area], name, data)

    def open(self, area: str, name: str) -> OpenedFile | None:
        path = self.path(area, name)
        try:
            size = path.stat().st_size
        except OSError:
            return None
        if not path.is_file():
            return None
        return OpenedFile(size=size, chunks=_read_chunks(path), path=path)

    def delete(self, area: str, name: str) -> None:
        self.path(area, name).unlink(missing_ok=True)

    def names(self, area: str) -> list[str]:
        check_name(area, "0" * 32 + ".pdf")
        folder = self.folders[area]
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_file() and _NAME.fullmatch(p.name))
