"""One dated archive holding the database and the file folders, and putting it back.

The archive is a gzipped tar file with a ``manifest.json`` that lists every member with its
SHA-256, so a restore refuses a damaged or tampered archive before it touches anything.
The database part is a SQLite snapshot taken with SQLite's online backup API (consistent
while the app keeps writing) or a ``pg_dump`` custom-format file; the caller makes it.

Secrets (``SECRET_KEY``, ``ACCESS_CODE_PEPPER``, the custodian's passphrase) are never in
the archive: the restored site needs the same pepper for the citizens' access codes to work.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database/portal.sqlite3", "postgresql": "database/portal.pgdump"}
FORMAT_VERSION = 1


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    database: str
    files: dict[str, str]  # member name → SHA-256
    folders: tuple[str, ...]


def sqlite_snapshot(source: Path, target: Path) -> None:
    """Copy a live SQLite database to `target` with the online backup API."""
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    copy.close()
    live.close()


def sqlite_restore(snapshot: Path, target: Path) -> None:
    """Write `snapshot` over the database at `target` (pages, not a file copy, so a WAL file
    beside it cannot bring old pages back)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(snapshot) as source, sqlite3.connect(target) as live:
        source.backup(live)
    live.close()
    source.close()


def write_archive(
    target_dir: Path,
    *,
    now: datetime,
    database: str,
    database_dump: Path,
    folders: Mapping[str, Path],
    keys: Mapping[str, Path] | None = None,
) -> Path:
    """Write ``portal-backup-YYYYmmdd-HHMMSS.tar.gz`` into `target_dir` and return its path.

    `keys` are single files kept beside the folders (the custodian's key file: without it no
    sealed identity could ever be opened again); those that do not exist are left out."""
    if database not in DATABASE_MEMBER:
        raise BackupError(f"unknown database kind {database!r}")
    target_dir.mkdir(parents=True, exist_ok=True)
    archive = target_dir / f"portal-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} exists already")
    members: dict[str, Path] = {DATABASE_MEMBER[database]: database_dump}
    for name, folder in folders.items():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []:
            members[f"files/{name}/{path.relative_to(folder).as_posix()}"] = path
    for name, path in (keys or {}).items():
        if path.is_file():
            members[f"keys/{name}"] = path
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": now.isoformat(),
        "database": database,
        "folders": sorted(folders),
        "files": {member: _sha256(path) for member, path in members.items()},
    }
    partial = archive.with_suffix(".partial")
    with tarfile.open(partial, "w:gz") as tar:
        for member, path in members.items():
            tar.add(path, arcname=member, recursive=False)
        _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
    partial.rename(archive)
    return archive


def unpack_archive(archive: Path, workdir: Path) -> Manifest:
    """Extract `archive` into `workdir` and check every member against the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(workdir, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive} cannot be read: {error}") from error
    try:
        raw = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest(
            created_at=str(raw["created_at"]),
            database=str(raw["database"]),
            files={str(k): str(v) for k, v in raw["files"].items()},
            folders=tuple(str(f) for f in raw["folders"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{archive} has no readable manifest: {error}") from error
    if raw.get("format") != FORMAT_VERSION or manifest.database not in DATABASE_MEMBER:
        raise BackupError(f"{archive} is not an archive this version can restore")
    present = {p.relative_to(workdir).as_posix() for p in workdir.rglob("*") if p.is_file()} - {
        MANIFEST
    }
    if present != set(manifest.files):
        raise BackupError(f"{archive} does not hold the files its manifest lists")
    for member, digest in manifest.files.items():
        if _sha256(workdir / member) != digest:
            raise BackupError(f"{member} in {archive} is damaged (its SHA-256 differs)")
    return manifest


def database_dump(workdir: Path, manifest: Manifest) -> Path:
    return workdir / DATABASE_MEMBER[manifest.database]


def restore_folder(workdir: Path, name: str, folder: Path) -> int:
    """Make `folder` hold exactly the archive's files of folder `name`; return their count."""
    source = workdir / "files" / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    count = 0
    if source.is_dir():
        for path in source.rglob("*"):
            if path.is_file():
                destination = folder / path.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
                count += 1
    return count


def restore_key(workdir: Path, name: str, path: Path) -> bool:
    """Put the archive's key file `name` back at `path`; False when the archive has none."""
    source = workdir / "keys" / name
    if not source.is_file():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, path)
    path.chmod(0o600)
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))
