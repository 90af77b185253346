"""Housekeeping commands an operator (or the job runner) runs on a schedule."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app

from portal.extensions import db
from portal.services.submissions.drafts import purge_abandoned_drafts
from portal.web.security import now_utc
from portal.web.uploads import delete_upload


@click.command("purge-drafts")
@click.option(
    "--hours",
    type=click.IntRange(min=1),
    default=None,
    help="Age in hours beyond which a draft file is purged (default: DRAFT_MAX_AGE_HOURS).",
)
def purge_drafts(hours: int | None) -> None:
    """Delete files attached to forms that were never sent (no case), older than a few hours."""
    age = hours if hours is not None else current_app.config["DRAFT_MAX_AGE_HOURS"]
    count = purge_abandoned_drafts(
        db.session, now=now_utc(), older_than=timedelta(hours=age), delete_file=delete_upload
    )
    click.echo(f"{count} draft files purged (older than {age} hours).")
