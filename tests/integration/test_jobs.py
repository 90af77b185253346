"""The job runner (`flask jobs run`): two runners on the same database at once run each daily
job once and send each e-mail once; a second run the same day does nothing; a run cut short
is taken again; the readiness check reports a job that stopped running. On SQLite (a file
lock beside the database) and on PostgreSQL (advisory locks) with TEST_DATABASE_URL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
from flask import Flask
from sqlalchemy import update

from portal import create_app
from portal.cli import jobs as runner
from portal.config import ConfigError
from portal.domain import dialogues as rules
from portal.extensions import db
from portal.models import FollowUp, JobRun
from portal.services import jobs
from portal.services.notifications import queue
from tests.factories import make_dialogue, make_division, make_user
from tests.integration.test_dialogues_after import TODAY_VN, _attended

DAILY = [job.name for job in jobs.JOBS if job.period == "daily"]


@pytest.fixture
def all_day(app: Flask) -> Iterator[None]:
    """Daily jobs due from midnight, so the test does not depend on the hour it runs at."""
    saved = app.config["JOBS_DAILY_AT"]
    app.config["JOBS_DAILY_AT"] = "00:00"
    yield
    app.config["JOBS_DAILY_AT"] = saved


def _something_to_send() -> int:
    """A citizen seated at tomorrow's session, a division's overdue follow-up, and ten
    e-mails already queued: 12 messages once the daily jobs have run."""
    start = rules.local_to_utc(TODAY_VN + timedelta(days=1), time(8))
    dialogue = make_dialogue(starts_at=start, ends_at=start + timedelta(hours=3))
    _attended(dialogue, attendance=None, email="ngoi@example.vn")
    division = make_division(name="Phòng Bưu chính")
    make_user(roles=("handler",), email="buuchinh@example.gov.vn", division=division)
    db.session.add(
        FollowUp(
            dialogue_id=dialogue.id,
            conclusion="Kiểm tra sóng ấp 3",
            division_id=division.id,
            due_on=TODAY_VN - timedelta(days=1),
        )
    )
    for number in range(10):
        queue(
            db.session,
            recipient=f"dan{number}@example.vn",
            subject=f"Thư {number}",
            body="Nội dung",
            now=datetime.now(UTC),
        )
    db.session.commit()
    return 12


def _second_host(app: Flask, tmp_path) -> Flask:  # type: ignore[no-untyped-def]
    """Another host: its own app, engine and instance folder, the same database and SMTP."""
    other = create_app(
        {
            "PORTAL_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "INSTANCE_PATH": str(tmp_path / "second-host"),
            "MAIL_SERVER": app.config["MAIL_SERVER"],
            "MAIL_PORT": app.config["MAIL_PORT"],
            "JOBS_DAILY_AT": "00:00",
        }
    )
    return other


def _run_once_at_the_same_time(hosts: list[Flask]) -> list[str]:
    """What `jobs run --once` does, on each host in its own thread, started together."""
    barrier = threading.Barrier(len(hosts))
    lines: list[str] = []
    errors: list[BaseException] = []

    def once(host: Flask) -> None:
        try:
            with host.app_context():
                jobs.ensure_rows(db.engine, now=datetime.now(UTC))
                barrier.wait(10)
                lines.extend(runner.run_scheduled(datetime.now(UTC)))
                runner.deliver(record=True)
                db.session.remove()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=once, args=(host,)) for host in hosts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return lines


def test_two_runners_at_once_run_each_daily_job_once_and_send_each_mail_once(
    app, app_ctx, smtp_server, all_day, tmp_path
) -> None:
    expected = _something_to_send()
    other = _second_host(app, tmp_path)
    try:
        lines = _run_once_at_the_same_time([app, other])
    finally:
        with other.app_context():
            db.engine.dispose()
    ran = Counter(line.split(" ", 1)[0] for line in lines)
    assert all(ran[name] == 1 for name in [*DAILY, "purge-drafts"]), lines
    today = datetime.now(rules.VIETNAM).date().isoformat()
    runs = jobs.last_runs(db.session)
    assert all(runs[name].period_key == today for name in DAILY)
    assert all(runs[name].last_status == "ok" for name in runs), {
        name: (run.last_status, run.last_error) for name, run in runs.items()
    }
    recipients = Counter(message["To"] for message in smtp_server.messages)
    assert len(smtp_server.messages) == expected, recipients
    assert set(recipients.values()) == {1}
    assert {"ngoi@example.vn", "buuchinh@example.gov.vn"} <= set(recipients)

    # The same day again, through the command: the daily jobs are done, nothing goes out.
    output = app.test_cli_runner().invoke(args=["jobs", "run", "--once"]).output
    assert not any(name in output for name in DAILY), output
    assert "Outbox: 0 e-mails tried." in output
    assert len(smtp_server.messages) == expected


def test_a_run_cut_short_is_taken_again_by_the_next_runner(app, app_ctx, all_day) -> None:
    today = datetime.now(rules.VIETNAM).date().isoformat()
    started = datetime.now(UTC) - timedelta(hours=1)
    jobs.ensure_rows(db.engine, now=started)
    for name in DAILY:  # every daily job done today, but one whose runner died mid-run
        db.session.execute(
            update(JobRun)
            .where(JobRun.name == name)
            .values(
                period_key=today,
                last_started_at=started,
                last_finished_at=None if name == "citizen-reminders" else started,
                last_status="running" if name == "citizen-reminders" else "ok",
            )
        )
    db.session.commit()
    job = jobs.BY_NAME["citizen-reminders"]
    # While another runner holds the job's lock, it is running there: left alone.
    with jobs.lock(db.engine, job, lock_dir=runner._lock_dir()) as taken:
        assert taken
        assert not any(
            line.startswith("citizen-reminders") for line in runner.run_scheduled(datetime.now(UTC))
        )
    # Its lock free and its end never recorded: its runner died; the next one takes it.
    output = app.test_cli_runner().invoke(args=["jobs", "run", "--once"]).output
    assert f"citizen-reminders ({today}): 0 done" in output, output
    assert "report-reminders" not in output and "deadline-reminders" not in output
    db.session.expire_all()
    run = db.session.get(JobRun, "citizen-reminders")
    assert run is not None and run.last_status == "ok" and run.last_finished_at is not None


def test_a_failed_run_is_recorded_and_tried_again_later(app, app_ctx, all_day) -> None:
    job = jobs.BY_NAME["report-reminders"]
    now = datetime.now(UTC)
    jobs.ensure_rows(db.engine, now=now)
    key = jobs.period_key(job, now, daily_at=time(0))
    assert key is not None
    assert jobs.claim(db.engine, job, key, now=now)
    jobs.finish(db.engine, job, key, now=now, error="OperationalError: gone")
    assert not jobs.claim(db.engine, job, key, now=now + timedelta(minutes=1))
    assert not jobs.done(db.engine, job, key, now=now + jobs.RETRY_AFTER * 2)
    assert jobs.claim(db.engine, job, key, now=now + jobs.RETRY_AFTER * 2)


def test_readiness_reports_a_job_that_stopped_running(client) -> None:
    assert client.get("/healthz/ready").status_code == 200  # no runner yet: a fresh install
    long_ago = datetime.now(UTC) - timedelta(hours=30)
    jobs.ensure_rows(db.engine, now=long_ago)
    db.session.execute(update(JobRun).values(last_finished_at=datetime.now(UTC), last_status="ok"))
    db.session.execute(
        update(JobRun)
        .where(JobRun.name == "report-reminders")
        .values(last_finished_at=long_ago, period_key="2026-01-01")
    )
    db.session.execute(
        update(JobRun)
        .where(JobRun.name == "purge-drafts")
        .values(last_status="error", last_error="OSError: disk full")
    )
    db.session.commit()
    response = client.get("/healthz/ready")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "jobs: report-reminders has not run for 30.0 h" in body
    assert "jobs: purge-drafts failed" in body and "disk full" not in body
    assert "deadline-reminders" not in body
    status = client.application.test_cli_runner().invoke(args=["jobs", "status"]).output
    assert "OSError: disk full" in status


def test_period_keys_follow_vietnam_time() -> None:
    daily, hourly = jobs.BY_NAME["report-reminders"], jobs.BY_NAME["purge-drafts"]
    # 23:30 UTC on 1 March is 06:30 on 2 March in Vietnam.
    now = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert jobs.period_key(daily, now, daily_at=time(7)) is None
    assert jobs.period_key(daily, now, daily_at=time(6)) == "2026-03-02"
    assert jobs.period_key(hourly, now, daily_at=time(7)) == "2026-03-02T06"
    assert jobs.period_key(jobs.BY_NAME[jobs.OUTBOX], now, daily_at=time(7)) is None


def test_every_job_has_a_runner(app) -> None:
    with app.app_context():
        runners = runner._runners()
    assert set(runners) == {job.name for job in jobs.JOBS if job.period != "continuous"}


def _production(tmp_path, **settings):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "s" * 40,
            "ACCESS_CODE_PEPPER": "p" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
            **settings,
        }
    )


def test_production_pages_are_cached_in_the_shared_redis(tmp_path) -> None:
    redis = "redis://127.0.0.1:6379/14"
    app = _production(tmp_path, RATELIMIT_STORAGE_URI=redis, WEB_CONCURRENCY="4")
    assert app.config["CACHE_TYPE"] == "RedisCache"
    assert app.config["CACHE_REDIS_URL"] == redis
    own = _production(
        tmp_path,
        RATELIMIT_STORAGE_URI=redis,
        CACHE_REDIS_URL="redis://cache.internal:6379/1",
        WEB_CONCURRENCY="4",
    )
    assert own.config["CACHE_REDIS_URL"] == "redis://cache.internal:6379/1"
    single = _production(tmp_path, RATELIMIT_STORAGE_URI="memory://", WEB_CONCURRENCY="1")
    assert single.config["CACHE_TYPE"] == "SimpleCache"


@pytest.mark.parametrize("cache", ["SimpleCache", "FileSystemCache"])
def test_production_refuses_a_per_process_page_cache(tmp_path, cache) -> None:
    redis = "redis://127.0.0.1:6379/14"
    with pytest.raises(ConfigError, match="keeps pages in each process"):
        _production(tmp_path, RATELIMIT_STORAGE_URI=redis, CACHE_TYPE=cache, WEB_CONCURRENCY="4")
    nothing_kept = _production(
        tmp_path, RATELIMIT_STORAGE_URI=redis, CACHE_TYPE="NullCache", WEB_CONCURRENCY="4"
    )
    assert nothing_kept.config["CACHE_TYPE"] == "NullCache"
