"""The database backend of the file storage (portal/lib/file_storage.py), the choice of
backend, and the move of a folder's files into the database (`flask storage migrate`).

:class:`DatabaseStore` writes in the caller's session and never commits: a file is kept
exactly when the transaction that records the row referring to it (an attachment, an
article image) commits, and is gone with it when that transaction rolls back. Its contents
are written one chunk at a time (each chunk sent to the database at once, not held by the
session) and read one chunk at a time on a connection of the stream's own, so a download
can go on after the request's session is closed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.lib.file_storage import (
    CHUNK_SIZE,
    FileStore,
    FolderStore,
    OpenedFile,
    check_name,
)
from portal.models import Attachment, StoredFile, StoredFileChunk

KINDS = ("folder", "database")


def _stream(engine: Engine, file_id: int) -> Iterator[bytes]:
    """The chunks of file `file_id`, each fetched when it is asked for."""
    with engine.connect() as connection:
        seq = 0
        while True:
            data = connection.scalar(
                select(StoredFileChunk.data).where(
                    StoredFileChunk.file_id == file_id, StoredFileChunk.seq == seq
                )
            )
            if data is None:
                return
            yield bytes(data)
            seq += 1


class DatabaseStore:
    """The files in the database (tables stored_files and stored_file_chunks)."""

    kind = "database"

    def __init__(self, session: Session, chunk_size: int = CHUNK_SIZE) -> None:
        self.session = session
        self.chunk_size = chunk_size

    def put(self, area: str, name: str, data: bytes) -> None:
        check_name(area, name)
        row = StoredFile(
            area=area, name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest()
        )
        self.session.add(row)
        self.session.flush()
        view = memoryview(data)
        for seq, start in enumerate(range(0, len(data), self.chunk_size)):
            end = start + self.chunk_size
            self.session.execute(
                insert(StoredFileChunk),
                {"file_id": row.id, "seq": seq, "data": bytes(view[start:end])},
            )

    def row(self, area: str, name: str) -> StoredFile | None:
        check_name(area, name)
        return self.session.scalar(
            select(StoredFile).where(StoredFile.area == area, StoredFile.name == name)
        )

    def open(self, area: str, name: str) -> OpenedFile | None:
        row = self.row(area, name)
        if row is None:
            return None
        engine = self.session.get_bind()
        assert isinstance(engine, Engine)  # noqa: S101  # a session bound to one engine
        return OpenedFile(size=row.size, chunks=_stream(engine, row.id), sha256=row.sha256)

    def delete(self, area: str, name: str) -> None:
        check_name(area, name)
        file_id = self.session.scalar(
            select(StoredFile.id).where(StoredFile.area == area, StoredFile.name == name)
        )
        if file_id is not None:
            self.session.execute(delete(StoredFileChunk).where(StoredFileChunk.file_id == file_id))
            self.session.execute(delete(StoredFile).where(StoredFile.id == file_id))

    def names(self, area: str) -> list[str]:
        return list(
            self.session.scalars(
                select(StoredFile.name).where(StoredFile.area == area).order_by(StoredFile.name)
            )
        )


def default_kind(database_url: str, environment: str) -> str:
    """ "database" for production on PostgreSQL, else "folder"."""
    if environment == "production" and database_url.startswith("postgresql"):
        return "database"
    return "folder"


def file_store(kind: str, session: Session, folders: Mapping[str, Path]) -> FileStore:
    """The configured backend: "folder" (one folder per area) or "database"."""
    if kind == "folder":
        return FolderStore(folders)
    if kind == "database":
        return DatabaseStore(session)
    raise ValueError(f"FILE_STORAGE must be one of {KINDS}, not {kind!r}")


@dataclass
class MigrationCounts:
    moved: int = 0
    present: int = 0
    failed: int = 0


def _digest(opened: OpenedFile) -> str:
    digest = hashlib.sha256()
    for chunk in opened.chunks:
        digest.update(chunk)
    return digest.hexdigest()


def migrate_folder(
    session: Session, source: FolderStore, area: str, problems: list[str]
) -> MigrationCounts:
    """Copy every file of `area` from the folder into the database, one commit per file.

    Each file is checked by SHA-256: against the attachment's recorded digest when there is
    one (a file that differs is not copied), and, once committed, read back from the
    database. A file already in the database with the same digest counts as present, so
    running it again changes nothing. The folder is left as it is. Each problem is added to
    `problems` (names only, never contents)."""
    target = DatabaseStore(session)
    expected: dict[str, str] = {}
    if area == "uploads":
        rows = session.execute(select(Attachment.stored_name, Attachment.sha256))
        expected = {name: digest for name, digest in rows}
    counts = MigrationCounts()
    for name in source.names(area):
        opened = source.open(area, name)
        if opened is None:
            continue
        data = opened.read()
        digest = hashlib.sha256(data).hexdigest()
        if name in expected and expected[name] != digest:
            counts.failed += 1
            problems.append(f"{area}/{name}: differs from the SHA-256 recorded for it")
            continue
        existing = target.row(area, name)
        if existing is not None:
            stored = target.open(area, name)
            if existing.sha256 == digest and stored is not None and _digest(stored) == digest:
                counts.present += 1
            else:
                counts.failed += 1
                problems.append(f"{area}/{name}: a different file is in the database already")
            continue
        target.put(area, name, data)
        session.commit()
        stored = target.open(area, name)
        if stored is None or _digest(stored) != digest:
            target.delete(area, name)
            session.commit()
            counts.failed += 1
            problems.append(f"{area}/{name}: read back with a different SHA-256")
            continue
        counts.moved += 1
    return counts
