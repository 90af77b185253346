"""`flask storage migrate`: move the files kept in this host's folders into the database
(FILE_STORAGE = "database"), checking each by SHA-256. Run it again as often as you like:
files already in the database are only checked. The folders are left as they are; remove
them once the command reports no failure and the site runs with the database storage."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.lib.file_storage import AREAS, FolderStore
from portal.services import file_storage
from portal.web.uploads import storage_folders

storage_cli = AppGroup("storage", help="The file storage (folders or database).")


@storage_cli.command("migrate")
def migrate() -> None:
    """Copy the files in the folders into the database, verified by SHA-256."""
    source = FolderStore(storage_folders())
    problems: list[str] = []
    failed = 0
    for area in AREAS:
        counts = file_storage.migrate_folder(db.session, source, area, problems)
        failed += counts.failed
        click.echo(
            f"{area}: {counts.moved} moved, {counts.present} already in the database, "
            f"{counts.failed} failed."
        )
    for problem in problems:
        click.echo(f"  {problem}", err=True)
    if failed:
        raise click.ClickException(f"{failed} files were not moved; see above.")
