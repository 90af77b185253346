"""Flask command for the yearly report: reminders to divisions that have not submitted."""

from __future__ import annotations

import click
from flask import current_app, render_template
from flask.cli import with_appcontext
from flask_babel import force_locale

from portal.extensions import db
from portal.models import Division, ReportingRound, User
from portal.web.security import now_utc, today_local


def render_reminder(
    user: User, round_: ReportingRound, division: Division, kind: str
) -> tuple[str, str]:
    """The reminder's subject and body, in the department's language."""
    context = {"user": user, "round": round_, "division": division, "kind": kind}
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return (
            render_template("emails/report_reminder_subject.txt", **context).strip(),
            render_template("emails/report_reminder.txt", **context),
        )


@click.command("send-report-reminders")
@with_appcontext
def send_report_reminders() -> None:
    """Queue reminders about the yearly report to divisions that have not submitted it
    (5 and 1 working days before the deadline, and every working day once it is late). The
    job runner (`flask jobs run`) does it once a day by itself."""
    count = report_reminders()
    click.echo(f"Queued {count} report reminder e-mails; run deliver-outbox to send them.")


def report_reminders() -> int:
    """Queue today's yearly-report reminders; how many."""
    from portal.services import deadlines as deadline_service
    from portal.services import yearly_reports

    # The links in the e-mails point to PUBLIC_BASE_URL (the address citizens and officials
    # use, prefix included); without it they are relative to "localhost".
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return yearly_reports.send_reminders(
            db.session,
            today=today_local(),
            now=now_utc(),
            calendar=deadline_service.load_calendar(db.session),
            render=render_reminder,
        )
