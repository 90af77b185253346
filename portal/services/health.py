"""What the readiness check asks of the database: does it answer, is mail flowing, do the
periodic jobs run."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.models import OutboxMessage
from portal.services import jobs


def database_answers(session: Session) -> None:
    """A cheap query; raises when the database cannot answer."""
    session.execute(text("SELECT 1")).scalar_one()


def oldest_pending_mail_age(session: Session, *, now: datetime) -> timedelta | None:
    """How long the oldest e-mail still waiting in the outbox has waited (None: none waits)."""
    oldest = session.scalar(
        select(OutboxMessage.created_at)
        .where(OutboxMessage.status == "pending")
        .order_by(OutboxMessage.created_at)
        .limit(1)
    )
    return None if oldest is None else now - oldest


def job_problems(session: Session, *, now: datetime) -> list[str]:
    """The periodic jobs that have not finished a run for longer than their limit, or whose
    last run failed. Nothing until a job runner has run once (a fresh install is ready); a
    job added by an upgrade counts from when a runner first saw it."""
    runs = jobs.last_runs(session)
    if not runs:
        return []
    problems = []
    for job in jobs.JOBS:
        run = runs.get(job.name)
        if run is None:
            continue
        since = run.last_finished_at or run.created_at
        if now - since > job.stale_after:
            hours = (now - since).total_seconds() / 3600
            problems.append(f"jobs: {job.name} has not run for {hours:.1f} h")
        elif run.last_status == "error":  # the error itself: `flask jobs status`
            problems.append(f"jobs: {job.name} failed")
    return problems
