"""Flask commands for officials and operators."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from flask import Flask

from portal.domain.permissions import Role
from portal.extensions import db
from portal.web.security import now_utc

if TYPE_CHECKING:
    from portal.models import User


def register_cli(app: Flask) -> None:
    from portal.cli.backup import backup_command, restore_command
    from portal.cli.custodian import custodian_cli
    from portal.cli.deadlines import calendar_cli, deadline_cli
    from portal.cli.digests import send_digests
    from portal.cli.jobs import jobs_cli
    from portal.cli.maintenance import purge_drafts
    from portal.cli.reports import send_report_reminders
    from portal.cli.storage import storage_cli

    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(deadline_cli)
    app.cli.add_command(calendar_cli)
    app.cli.add_command(custodian_cli)
    app.cli.add_command(deliver_outbox)
    app.cli.add_command(send_reminders)
    app.cli.add_command(seed_scale)
    app.cli.add_command(send_report_reminders)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(purge_drafts)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(storage_cli)
    app.cli.add_command(send_digests)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    "roles",
    required=True,
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="Repeat for several roles.",
)
@click.option("--division", "division_code", default=None, help="Division code, e.g. TTRA.")
def create_user(email: str, name: str, roles: tuple[str, ...], division_code: str | None) -> None:
    """Create an official's account and print its one-time password."""
    from sqlalchemy import select

    from portal.models import Division
    from portal.services import accounts

    division = None
    if division_code:
        division = db.session.scalar(select(Division).where(Division.code == division_code))
        if division is None:
            raise click.ClickException(f"No division with code {division_code!r}.")
    try:
        created = accounts.create_user(
            db.session, email=email, name=name, roles=roles, division=division, now=now_utc()
        )
    except accounts.AccountError as error:
        raise click.ClickException(f"Cannot create the account: {error}") from error
    db.session.commit()
    click.echo(f"Created {created.user.email} with roles {', '.join(sorted(roles))}.")
    click.echo(f"One-time password (must be changed at first login): {created.one_time_password}")


@click.command("seed-demo")
def seed_demo() -> None:
    """Load demo data (idempotent) and print the demo accounts."""
    from flask import current_app

    from portal.services import deadlines as deadline_service
    from portal.services import demo
    from portal.web import submissions as web_submissions

    shown = demo.seed(db.session, now=now_utc())
    _demo_custodian_keys()
    added = demo.seed_cases(
        db.session,
        now=now_utc(),
        settings=web_submissions.settings(online=False),
        rules=current_app.extensions["deadline_rules"],
        calendar=deadline_service.load_calendar(db.session),
    )
    if added:
        click.echo(f"Added {added} demo cases (see Cases in the officials' area).")
    from sqlalchemy import select

    from portal.models import User

    editor = db.session.scalar(select(User.id).where(User.email == demo.ACCOUNTS[4][0]))
    if editor is None:
        raise click.ClickException("The demo editor's account is missing.")
    articles = demo.seed_articles(db.session, now=now_utc(), author_id=editor)
    if articles:
        click.echo(f"Added {articles} demo articles (see /tin-tuc/).")
    from portal.services import demo_sessions
    from portal.web.uploads import pepper

    sessions = demo_sessions.seed_sessions(
        db.session,
        now=now_utc(),
        calendar=deadline_service.load_calendar(db.session),
        pepper=pepper(),
    )
    if sessions.receptions or sessions.dialogue:
        click.echo(
            f"Added {sessions.receptions} reception days and "
            f"{int(sessions.dialogue)} dialogue (see /lich-tiep-cong-dan/)."
        )
    click.echo("Demo accounts (sign in at /quan-tri/dang-nhap):")
    for account in shown:
        password = account.password or "(the user has set their own password)"
        click.echo(f"  {', '.join(account.roles):8} {account.email:34} {password}")
    click.echo("One-time passwords must be changed at first sign-in.")


@click.command("deliver-outbox")
@click.option("--watch", is_flag=True, help="Keep running; look for new mail every few seconds.")
def deliver_outbox(watch: bool) -> None:
    """Send the queued e-mails: once, or, with --watch, until stopped (SIGTERM or Ctrl+C).

    Several workers may run at once, on one host or several: each message is claimed before
    it is sent, so none goes out twice.
    """
    import signal
    import threading

    from flask import current_app

    from portal.services import notifications
    from portal.web.uploads import pepper

    settings = notifications.SmtpSettings.from_config(current_app.config)
    if not watch:
        sent, failed = notifications.deliver_outbox(
            db.session, settings, now=now_utc(), secret=pepper()
        )
        click.echo(f"Sent {sent}, failed {failed}.")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo("Delivering the outbox until stopped.")
    notifications.watch(
        db.session,
        settings,
        clock=now_utc,
        stop=stop,
        poll=current_app.config["OUTBOX_POLL_SECONDS"],
        secret=pepper(),
    )


def _demo_custodian_keys() -> None:
    """A demo custodian key pair, so denunciations can be tried; its passphrase is printed."""
    import secrets
    from pathlib import Path

    from flask import current_app

    from portal.cli.custodian import KEY_FILE, write_keys

    if (
        current_app.config.get("CUSTODIAN_PUBLIC_KEY")
        or (Path(current_app.instance_path) / KEY_FILE).exists()
    ):
        return
    passphrase = secrets.token_urlsafe(18)
    write_keys(current_app.instance_path, passphrase)
    click.echo(f"Demo custodian key created; its passphrase (shown once): {passphrase}")


@click.command("send-reminders")
def send_reminders() -> None:
    """Queue the daily reminders now, whatever the job runner did today: to officials about
    case deadlines and session follow-ups due soon or overdue, to citizens about tomorrow's
    sessions. (`flask jobs run` sends them once a day by itself.)"""
    count = deadline_reminders()
    follow_ups = follow_up_reminders()
    citizens = citizen_reminders()
    click.echo(f"Queued {count} reminder e-mails; run deliver-outbox to send them.")
    click.echo(
        f"Session follow-ups: {follow_ups} e-mails to officials. "
        f"Sessions tomorrow: {citizens} reminders to citizens."
    )


@contextmanager
def _public_links() -> Iterator[None]:
    """A request context whose links point to the site's public address (PUBLIC_BASE_URL),
    for e-mails rendered outside any request."""
    from flask import current_app

    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        yield


def _render_deadline_reminder(user: User, items: Sequence[object]) -> tuple[str, str]:
    from flask import current_app, render_template
    from flask_babel import force_locale

    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return (
            render_template("emails/reminder_subject.txt", items=items).strip(),
            render_template("emails/reminder.txt", user=user, items=items),
        )


def deadline_reminders(*, working_days_only: bool = False) -> int:
    """Queue one e-mail per official with case deadlines due soon or overdue; how many.
    With `working_days_only`, nothing on a day off (the job runner's daily run)."""
    from flask import current_app

    from portal.services import deadlines as deadline_service
    from portal.services import reminders
    from portal.web.security import today_local

    calendar = deadline_service.load_calendar(db.session)
    if working_days_only and not calendar.is_working_day(today_local()):
        return 0
    with _public_links():
        return reminders.send_reminders(
            db.session,
            today=today_local(),
            now=now_utc(),
            calendar=calendar,
            soon_working_days=current_app.config["DUE_SOON_WORKING_DAYS"],
            render=_render_deadline_reminder,
        )


def follow_up_reminders() -> int:
    """Queue the reminders of session follow-ups due soon or overdue (once a day each)."""
    from flask import current_app

    from portal.services import deadlines as deadline_service
    from portal.services import reminders
    from portal.web import dialogue_emails
    from portal.web.security import today_local

    with _public_links():
        return reminders.send_follow_up_reminders(
            db.session,
            today=today_local(),
            now=now_utc(),
            calendar=deadline_service.load_calendar(db.session),
            soon_working_days=current_app.config["DUE_SOON_WORKING_DAYS"],
            render=dialogue_emails.follow_ups,
        )


def citizen_reminders() -> int:
    """Queue the reminders to citizens seated at a session starting by tomorrow (once each)."""
    from portal.services import dialogues
    from portal.web import dialogue_emails
    from portal.web.security import today_local

    with _public_links():
        return dialogues.queue_day_before_reminders(
            db.session, today=today_local(), now=now_utc(), render=dialogue_emails.reminder
        )


@click.command("seed-scale")
@click.option("--cases", type=click.IntRange(min=1), default=1000, show_default=True)
def seed_scale(cases: int) -> None:
    """Fill the database with many realistic cases (for benchmarks, never in production)."""
    from flask import current_app

    from portal.services import deadlines as deadline_service
    from portal.services.scale import seed_scale as fill

    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("seed-scale refuses to run in production.")
    with click.progressbar(length=cases, label="Seeding cases") as bar:
        made = fill(
            db.session,
            cases=cases,
            rules=current_app.extensions["deadline_rules"],
            calendar=deadline_service.load_calendar(db.session),
            progress=bar.update,
        )
    click.echo(f"Added {made} cases.")
