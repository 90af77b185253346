"""Flask command: the daily e-mail digest of "my work" to each official with cases waiting."""

from __future__ import annotations

import click
from flask import current_app, render_template
from flask.cli import with_appcontext
from flask_babel import force_locale

from portal.extensions import db
from portal.models import User
from portal.services.my_work import MyWork
from portal.web.security import now_utc, today_local


def render_digest(user: User, work: MyWork) -> tuple[str, str]:
    """The digest's subject and body, in the department's language. Case numbers, what
    each waits for and its subject line: nothing more of a case."""
    context = {"user": user, "work": work}
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return (
            render_template("emails/my_work_digest_subject.txt", **context).strip(),
            render_template("emails/my_work_digest.txt", **context),
        )


def queue_digests() -> int:
    """Queue today's digests (the job runner's `my-work-digests`); returns how many."""
    from portal.services import my_work

    # The links point to PUBLIC_BASE_URL, as in the other e-mails sent from a command.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return my_work.send_digests(
            db.session, today=today_local(), now=now_utc(), render=render_digest
        )


@click.command("send-digests")
@with_appcontext
def send_digests() -> None:
    """Queue one e-mail a day to each official with cases waiting for them (run it daily;
    a second run the same day queues nothing)."""
    count = queue_digests()
    click.echo(f"Queued {count} digest e-mails; run deliver-outbox to send them.")
