"""Files kept in the database (FILE_STORAGE = "database"): one row per file, its contents in
chunks of about 1 MiB, so a file is written and read a chunk at a time and a `pg_dump`
carries it with the rows that refer to it."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model


class StoredFile(Model):
    __tablename__ = "stored_files"
    __table_args__ = (UniqueConstraint("area", "name", name="uq_stored_files_area_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(20))  # "uploads" or "news-images"
    name: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))


class StoredFileChunk(Model):
    __tablename__ = "stored_file_chunks"

    file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_files.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
