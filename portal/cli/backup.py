"""`flask backup` and `flask restore`: the database and the file folders in one dated archive.
With FILE_STORAGE = "database" the files are in the database, so in its dump, and no folder
is archived; an archive's folders are put back whichever storage the site uses.

SQLite is copied with its online backup API while the site runs. PostgreSQL is dumped with
`pg_dump` (custom format) and put back with `pg_restore --clean`; both client programs must
be installed and of the server's major version. Restore with the site stopped: it replaces
the database and the folders whole. The access-code pepper and the other secrets are not in
the archive: restore onto a site configured with the same ones (docs/deployment.md).
"""

from __future__ import annotations

import shutil
import subprocess  # nosec B404  # pg_dump and pg_restore, with arguments we build
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from portal.cli.custodian import KEY_FILE
from portal.extensions import db
from portal.lib import backup
from portal.web.security import now_utc
from portal.web.uploads import storage_folders, storage_kind


def _folders() -> dict[str, Path]:
    """The file folders to archive: none with FILE_STORAGE = "database" (the files are in the
    database dump, committed with the rows that refer to them)."""
    if storage_kind() == "database":
        return {}
    return storage_folders()


def _keys() -> dict[str, Path]:
    return {KEY_FILE: Path(current_app.instance_path) / KEY_FILE}


def _database() -> tuple[str, str]:
    """("sqlite", file path) or ("postgresql", libpq URL) of the configured database."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise click.ClickException("An in-memory SQLite database cannot be backed up.")
        return "sqlite", url.database
    if url.get_backend_name() == "postgresql":
        return "postgresql", url.set(drivername="postgresql").render_as_string(False)
    raise click.ClickException(f"No backup for {url.get_backend_name()} databases.")


def _run(program: str, *args: str) -> None:
    path = shutil.which(program)
    if path is None:
        raise click.ClickException(f"{program} is not installed (PostgreSQL client programs).")
    command = [path, *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if result.returncode != 0:
        raise click.ClickException(f"{program} failed: {result.stderr.strip()}")


@click.command("backup")
@with_appcontext
@click.option(
    "--to",
    "target",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the archive (default: instance/backups).",
)
def backup_command(target: Path | None) -> None:
    """Write the database and the file folders into one dated archive."""
    kind, location = _database()
    target = target or Path(current_app.instance_path) / "backups"
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database"
        if kind == "sqlite":
            backup.sqlite_snapshot(Path(location), dump)
        else:
            _run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", location)
        archive = backup.write_archive(
            target,
            now=now_utc(),
            database=kind,
            database_dump=dump,
            folders=_folders(),
            keys=_keys(),
        )
    archive.chmod(0o600)
    click.echo(f"Wrote {archive}")


@click.command("restore")
@with_appcontext
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the data.")
def restore_command(archive: Path, yes: bool) -> None:
    """Replace the database and the file folders with those of ARCHIVE (stop the site first)."""
    kind, location = _database()
    with tempfile.TemporaryDirectory() as work:
        try:
            manifest = backup.unpack_archive(archive, Path(work))
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from error
        if manifest.database != kind:
            raise click.ClickException(
                f"The archive holds a {manifest.database} database; this site uses {kind}."
            )
        if not yes:
            click.confirm(
                f"Replace the database and the files with the backup of {manifest.created_at}?",
                abort=True,
            )
        db.session.close()
        db.engine.dispose()
        dump = backup.database_dump(Path(work), manifest)
        if kind == "sqlite":
            backup.sqlite_restore(dump, Path(location))
        else:
            _run(
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={location}",
                str(dump),
            )
        folders = storage_folders()
        counts = {
            name: backup.restore_folder(Path(work), name, folders[name])
            for name in manifest.folders
            if name in folders
        }
        for name, path in _keys().items():
            if backup.restore_key(Path(work), name, path):
                counts[name] = 1
    click.echo(
        f"Restored the backup of {manifest.created_at}: the database"
        + "".join(f", {count} files in {name}" for name, count in counts.items())
    )
    if counts and storage_kind() == "database":
        click.echo("The archive's files are in the folders: run `flask storage migrate`.")
