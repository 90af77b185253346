"""`flask jobs run`: every periodic job, on any number of hosts (services/jobs.py says how
each daily or hourly run happens once); `flask jobs status`: the last run of each."""

from __future__ import annotations

import logging
import signal
import threading
import time as clock
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.services import jobs
from portal.web.database import write_transaction
from portal.web.security import now_utc

log = logging.getLogger(__name__)

# A runner records its outbox turns at most this often (the readiness check needs minutes).
OUTBOX_RECORD_SECONDS = 60.0


@click.group("jobs")
def jobs_cli() -> None:
    """The periodic jobs: reminders, draft purging, outbox delivery."""


def _purge_drafts() -> int:
    from datetime import timedelta

    from portal.services.submissions.drafts import purge_abandoned_drafts
    from portal.web.uploads import delete_upload

    age = timedelta(hours=current_app.config["DRAFT_MAX_AGE_HOURS"])
    return purge_abandoned_drafts(
        db.session, now=now_utc(), older_than=age, delete_file=delete_upload
    )


def _runners() -> dict[str, Callable[[], int]]:
    """What each job with a period does; each returns how many things it did."""
    from portal.cli import citizen_reminders, deadline_reminders, follow_up_reminders
    from portal.cli.digests import queue_digests
    from portal.cli.reports import report_reminders

    return {
        "deadline-reminders": lambda: deadline_reminders(working_days_only=True),
        "follow-up-reminders": follow_up_reminders,
        "citizen-reminders": citizen_reminders,
        "report-reminders": report_reminders,
        "my-work-digests": queue_digests,
        "purge-drafts": _purge_drafts,
    }


def _daily_at() -> time:
    return time.fromisoformat(current_app.config["JOBS_DAILY_AT"])


def _lock_dir() -> Path:
    """Where SQLite's job locks live: beside the database file, so every runner of that
    database (whatever its instance folder) meets the same locks."""
    url = db.engine.url
    if url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent
    return Path(current_app.instance_path)


def run_scheduled(now: datetime) -> list[str]:
    """Run each daily and hourly job that is due and not yet done for its period, if this
    runner gets its lock and wins its claim. One line per job run."""
    engine = db.engine
    runners = _runners()
    done: list[str] = []
    for job in jobs.JOBS:
        key = jobs.period_key(job, now, daily_at=_daily_at())
        if key is None or jobs.done(engine, job, key, now=now):
            continue
        with jobs.lock(engine, job, lock_dir=_lock_dir()) as taken:
            if not taken or not jobs.claim(engine, job, key, now=now):
                continue
            error, count = None, 0
            try:
                # On SQLite each transaction of the job takes the write lock when it begins,
                # so runners writing at the same time wait for each other instead of failing.
                with write_transaction(db.session):
                    count = runners[job.name]()
            except Exception as exc:  # recorded, shown by `jobs status` and the readiness check
                db.session.rollback()
                log.exception("job %s failed", job.name)
                error = f"{type(exc).__name__}: {exc}"
            jobs.finish(engine, job, key, now=now_utc(), error=error)
        done.append(f"{job.name} ({key}): " + (f"failed, {error}" if error else f"{count} done"))
    return done


def deliver(*, record: bool) -> int:
    """One turn of outbox delivery (every runner delivers: each message is claimed); record
    it as the job's last run when `record`. How many messages were tried."""
    from portal.services import notifications
    from portal.web.uploads import pepper

    started = now_utc()
    settings = notifications.SmtpSettings.from_config(current_app.config)
    sent, failed = notifications.deliver_outbox(db.session, settings, now=started, secret=pepper())
    if record:
        job = jobs.BY_NAME[jobs.OUTBOX]
        jobs.record_turn(db.engine, job, started=started, now=now_utc(), error=None)
    return sent + failed


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="Run every due job once, then exit (tests, cron).")
def run(once: bool) -> None:
    """Run the periodic jobs until stopped (SIGTERM or Ctrl+C). Run it on every host if you
    like: each daily reminder and each hourly purge still happens once."""
    jobs.ensure_rows(db.engine, now=now_utc())
    if once:  # the jobs first, so what they queue goes out in this run
        for line in run_scheduled(now_utc()):
            click.echo(line)
        tried = deliver(record=True)
        click.echo(f"Outbox: {tried} e-mails tried.")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    poll = current_app.config["OUTBOX_POLL_SECONDS"]
    every = current_app.config["JOBS_CHECK_SECONDS"]
    next_check = next_record = 0.0
    click.echo("Running the periodic jobs until stopped.")
    while not stop.is_set():
        tried = 0
        try:
            record = clock.monotonic() >= next_record
            tried = deliver(record=record)
            if record:
                next_record = clock.monotonic() + OUTBOX_RECORD_SECONDS
            if clock.monotonic() >= next_check:
                for line in run_scheduled(now_utc()):
                    click.echo(line)
                next_check = clock.monotonic() + every
        except SQLAlchemyError as error:  # the database restarts: try again, do not die
            db.session.rollback()
            log.warning("jobs paused: %s", type(error).__name__)
        if tried == 0:
            stop.wait(poll)


@jobs_cli.command("status")
def status() -> None:
    """The last run of each job (times in UTC)."""
    runs = jobs.last_runs(db.session)
    for job in jobs.JOBS:
        run = runs.get(job.name)
        if run is None:
            click.echo(f"{job.name:20} never run")
            continue
        ended = run.last_finished_at
        finished = ended.isoformat(timespec="seconds") if ended else "-"
        click.echo(
            f"{job.name:20} {run.period_key or '-':13} {run.last_status or '-':8} "
            f"finished {finished} {run.last_error or ''}".rstrip()
        )
