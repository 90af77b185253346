"""The periodic jobs (`flask jobs run`): which there are, when each is due, and the shared
record that makes each daily or hourly run happen once, whichever host runs it.

Every host may run the job runner. For a job with a period (daily, hourly) a runner:

1. takes the job's lock (`lock`): a PostgreSQL advisory lock held by a connection of its own
   (the server drops it when the runner dies), or, on SQLite, an exclusive `flock` on a file
   beside the database; a runner that does not get it leaves the job to the one that has it;
2. claims the period under the lock (`claim`): one UPDATE moves `period_key` to the current
   period, unless that period is already done; the row count says whether it won;
3. runs the job and records the end (`finish`).

A run found started but never finished while its lock is free was cut short (its host died):
the next runner takes it again. A failed run is tried again after `RETRY_AFTER`. Outbox
delivery has no period: every runner delivers on every turn (each message is claimed, see
services/notifications.py) and only its last run is recorded, for the readiness check.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Literal

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.domain.calendar import VIETNAM_TZ
from portal.models import JobRun

Period = Literal["continuous", "hourly", "daily"]

# A run that failed is tried again after this long (within the same period).
RETRY_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class Job:
    name: str
    period: Period
    # The readiness check reports the job when it has not finished a run for this long.
    stale_after: timedelta
    description: str


OUTBOX = "deliver-outbox"

JOBS: tuple[Job, ...] = (
    Job(OUTBOX, "continuous", timedelta(minutes=10), "send the queued e-mails"),
    Job(
        "deadline-reminders",
        "daily",
        timedelta(hours=26),
        "remind officials of case deadlines due soon or overdue (working days)",
    ),
    Job(
        "follow-up-reminders",
        "daily",
        timedelta(hours=26),
        "remind divisions of session follow-ups due soon or overdue",
    ),
    Job(
        "citizen-reminders",
        "daily",
        timedelta(hours=26),
        "remind registered citizens of tomorrow's sessions",
    ),
    Job(
        "report-reminders",
        "daily",
        timedelta(hours=26),
        "remind divisions that have not submitted the yearly report",
    ),
    Job(
        "my-work-digests",
        "daily",
        timedelta(hours=26),
        "e-mail each official the cases waiting for them (one digest a day at most)",
    ),
    Job("purge-drafts", "hourly", timedelta(hours=3), "delete files of forms never sent"),
)

BY_NAME = {job.name: job for job in JOBS}


def period_key(job: Job, now: datetime, *, daily_at: time) -> str | None:
    """The period a run at `now` belongs to, in Vietnam's time; None when the job is not due
    (a daily job before `daily_at`, or a job without a period)."""
    local = now.astimezone(VIETNAM_TZ)
    if job.period == "daily":
        return local.date().isoformat() if local.time() >= daily_at else None
    if job.period == "hourly":
        return local.strftime("%Y-%m-%dT%H")
    return None


def ensure_rows(engine: Engine, *, now: datetime) -> None:
    """A row for every job (the first runner creates them; the others find them)."""
    values = [{"name": job.name, "created_at": now} for job in JOBS]
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(JobRun).values(values).on_conflict_do_nothing()
    with engine.begin() as connection:
        connection.execute(statement)


def done(engine: Engine, job: Job, key: str, *, now: datetime) -> bool:
    """Whether the period `key` needs no run: finished, not failed long ago. A cheap read,
    so runners do not take the lock for nothing; `claim` decides."""
    with engine.connect() as connection:
        row = connection.execute(
            select(JobRun.period_key, JobRun.last_finished_at, JobRun.last_status).where(
                JobRun.name == job.name
            )
        ).first()
    if row is None or row.period_key != key or row.last_finished_at is None:
        return False
    return not (row.last_status == "error" and row.last_finished_at < now - RETRY_AFTER)


def claim(engine: Engine, job: Job, key: str, *, now: datetime) -> bool:
    """Claim period `key` of `job` (call it holding the job's lock). True: this runner runs
    it. The period is free when another one was last run, when the last run never finished
    (its runner died: it held the lock we now hold), or when it failed `RETRY_AFTER` ago."""
    statement = (
        update(JobRun)
        .where(
            JobRun.name == job.name,
            or_(
                JobRun.period_key.is_(None),
                JobRun.period_key != key,
                JobRun.last_finished_at.is_(None),
                and_(JobRun.last_status == "error", JobRun.last_finished_at < now - RETRY_AFTER),
            ),
        )
        .values(
            period_key=key,
            last_started_at=now,
            last_finished_at=None,
            last_status="running",
            last_error=None,
        )
    )
    with engine.connect() as connection:
        connection.execution_options(sqlite_begin_immediate=True)
        with connection.begin():
            result = connection.execute(statement)
    return bool(result.rowcount == 1)


def finish(engine: Engine, job: Job, key: str | None, *, now: datetime, error: str | None) -> None:
    """Record the end of a claimed run (`key`), or of a turn of a job without a period."""
    values: dict[str, object] = {
        "last_finished_at": now,
        "last_status": "error" if error else "ok",
        "last_error": error[:200] if error else None,
    }
    condition = JobRun.name == job.name
    if key is not None:
        condition = and_(condition, JobRun.period_key == key)
    with engine.connect() as connection:
        connection.execution_options(sqlite_begin_immediate=True)
        with connection.begin():
            connection.execute(update(JobRun).where(condition).values(values))


def record_turn(
    engine: Engine, job: Job, *, started: datetime, now: datetime, error: str | None
) -> None:
    """Record one turn of a job without a period (outbox delivery) as its last run."""
    with engine.connect() as connection:
        connection.execution_options(sqlite_begin_immediate=True)
        with connection.begin():
            connection.execute(
                update(JobRun)
                .where(JobRun.name == job.name)
                .values(
                    last_started_at=started,
                    last_finished_at=now,
                    last_status="error" if error else "ok",
                    last_error=error[:200] if error else None,
                )
            )


def advisory_key(name: str) -> int:
    """A stable signed 64-bit number for a job, for pg_try_advisory_lock."""
    digest = hashlib.sha256(f"portal-job:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def lock(engine: Engine, job: Job, *, lock_dir: Path) -> Iterator[bool]:
    """Try to take the job's lock without waiting; yields whether it was taken.

    PostgreSQL: a session-level advisory lock on a connection of its own, in autocommit (no
    transaction stays open while the job runs); if the runner dies the server ends the
    session and frees the lock. SQLite: `flock` on `lock_dir/jobs-<name>.lock`, freed by the
    kernel when the process ends; `lock_dir` must be the same for every runner of the
    database (the database's own folder).
    """
    if engine.dialect.name == "postgresql":
        key = advisory_key(job.name)
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            taken = bool(connection.scalar(select(func.pg_try_advisory_lock(key))))
            try:
                yield taken
            finally:
                if taken:
                    connection.scalar(select(func.pg_advisory_unlock(key)))
        return
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"jobs-{job.name}.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def last_runs(session: Session) -> dict[str, JobRun]:
    """Every job's row, by name (for `flask jobs status` and the readiness check)."""
    return {row.name: row for row in session.scalars(select(JobRun))}
