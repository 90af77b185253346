"""Mail off the request path, each message once: a hung SMTP server costs the citizen nothing,
and delivery workers running at once never send one message twice (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import OutboxMessage
from portal.services import notifications
from tests.conftest import CheckedClient, _drop_everything, _empty_tables, is_postgres
from tests.integration.submission_helpers import CODE_RE, fill
from tests.services import missing

# Its own database, created if missing: dropping the tables of a database that another
# test run is using (TEST_DATABASE_URL) would break that run.
POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_outbox"
)


class HungSmtpServer:
    """Accepts connections and never says a word, like a mail server that has hung."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                connection, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.held.append(connection)  # and sleep on it

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        for connection in self.held:
            connection.close()
        self.sock.close()


@pytest.fixture
def hung_smtp() -> Iterator[HungSmtpServer]:
    server = HungSmtpServer()
    yield server
    server.close()


def run_workers(
    app: Flask, count: int, *, done: Callable[[], bool], clock: Callable[[], datetime]
) -> None:
    """`count` delivery loops on the same database, each in its own thread and session,
    until `done()` (or 30 s)."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def loop() -> None:
        try:
            with app.app_context():
                notifications.watch(
                    db.session,
                    notifications.SmtpSettings.from_config(app.config),
                    clock=clock,
                    stop=stop,
                    poll=0.05,
                    secret=app.config["ACCESS_CODE_PEPPER"].encode(),
                )
                db.session.remove()
        except BaseException as error:  # reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=loop) for _ in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while not done() and time.monotonic() < deadline and not errors:
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join(30)
    assert not errors, errors


def _lookup(client: CheckedClient, code: str) -> str:
    return client.post_form("/tra-cuu/", {"access_code": code}).get_data(as_text=True)


def hung_then_recovered(app: Flask, client: CheckedClient, hung: HungSmtpServer, smtp) -> None:  # type: ignore[no-untyped-def]
    """The scenario of the issue, on whichever database `app` uses."""
    good = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=hung.port, MAIL_TIMEOUT=0.5)
    try:
        started = time.monotonic()
        response = fill(client, "kien-nghi", email="dan@example.vn")
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        elapsed = time.monotonic() - started
        assert response.status_code == 303
        assert elapsed < 2, f"the submission took {elapsed:.1f} s"
        match = CODE_RE.search(page)
        assert match, page
        code = match.group(1)
        assert "sẽ được gửi đến email của bạn" in page  # not "đã được gửi"
        assert "Đang chờ gửi" in _lookup(client, code)

        # A worker meets the hung server: the attempt times out and waits for a retry.
        with app.app_context():
            sent, failed = notifications.deliver_outbox(
                db.session, notifications.SmtpSettings.from_config(app.config), now=_now()
            )
            assert (sent, failed) == (0, 1)
            message = db.session.scalar(select(OutboxMessage))
            assert message.status == "pending" and message.next_attempt_at > _now()
    finally:
        app.config.update(MAIL_SERVER=good[0], MAIL_PORT=good[1], MAIL_TIMEOUT=10.0)

    # The server recovers; two workers deliver at once, after the backoff.
    run_workers(app, 2, done=lambda: bool(smtp.messages), clock=lambda: _now() + timedelta(hours=1))
    time.sleep(0.3)  # a second copy would arrive now
    (receipt,) = smtp.messages
    assert receipt["To"] == "dan@example.vn"
    assert code in receipt.get_payload(decode=True).decode()
    page = _lookup(client, code)
    assert "Email biên nhận" in page and "Đã gửi." in page
    assert "dan@example.vn" not in page


def many_messages_once(app: Flask, smtp) -> None:  # type: ignore[no-untyped-def]
    """Sixty messages, three workers at once: every message arrives exactly once."""
    with app.app_context():
        for number in range(60):
            notifications.queue(
                db.session,
                recipient=f"dan{number}@example.vn",
                subject=f"message {number}",
                body="b",
                now=_now(),
            )
        db.session.commit()
    run_workers(app, 3, done=lambda: len(smtp.messages) >= 60, clock=_now)
    time.sleep(0.3)
    subjects = sorted(str(m["Subject"]) for m in smtp.messages)
    assert subjects == sorted(f"message {n}" for n in range(60))
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.status, OutboxMessage.claim_token)).all()
        assert {tuple(row) for row in rows} == {("sent", None)}


def _now() -> datetime:
    return datetime.now(UTC)


def test_a_hung_mail_server_costs_the_citizen_nothing_and_the_receipt_arrives_once(
    app, client, hung_smtp, smtp_server
) -> None:
    hung_then_recovered(app, client, hung_smtp, smtp_server)


def test_workers_running_at_once_send_each_message_once(app, app_ctx, smtp_server) -> None:
    many_messages_once(app, smtp_server)


@pytest.fixture(scope="module")
def postgres_app(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on PostgreSQL: the test database when it is PostgreSQL, else its own."""
    if is_postgres(app):
        yield app
        return
    import sqlalchemy

    url = sqlalchemy.make_url(POSTGRES_URL)
    server = sqlalchemy.create_engine(
        url.set(database="postgres"),
        connect_args={"connect_timeout": 3},
        isolation_level="AUTOCOMMIT",
    )
    try:
        with server.connect() as connection:
            exists = connection.scalar(
                sqlalchemy.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": url.database},
            )
            if not exists:
                connection.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
    except sqlalchemy.exc.OperationalError:
        missing("PostgreSQL", f"Start it or set TEST_POSTGRES_URL (tried {POSTGRES_URL}).")
    finally:
        server.dispose()
    from flask_migrate import upgrade

    from portal import create_app

    other = create_app(
        {
            "PORTAL_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": POSTGRES_URL,
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("pg-instance")),
        }
    )
    other.test_client_class = CheckedClient
    with other.app_context():
        _drop_everything(other)
        upgrade()
    yield other
    with other.app_context():
        _drop_everything(other)
        db.engine.dispose()


@pytest.fixture
def on_postgres(postgres_app: Flask) -> Iterator[Flask]:
    with postgres_app.app_context():
        yield postgres_app
        db.session.rollback()
        _empty_tables(postgres_app)


def test_on_postgresql_a_hung_server_then_two_workers_send_the_receipt_once(
    app, on_postgres, hung_smtp, smtp_server
) -> None:
    good = on_postgres.config["MAIL_SERVER"], on_postgres.config["MAIL_PORT"]
    on_postgres.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=app.config["MAIL_PORT"])
    try:
        hung_then_recovered(on_postgres, on_postgres.test_client(), hung_smtp, smtp_server)
    finally:
        on_postgres.config.update(MAIL_SERVER=good[0], MAIL_PORT=good[1])


def test_on_postgresql_workers_running_at_once_send_each_message_once(
    app, on_postgres, smtp_server
) -> None:
    good = on_postgres.config["MAIL_SERVER"], on_postgres.config["MAIL_PORT"]
    on_postgres.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=app.config["MAIL_PORT"])
    try:
        many_messages_once(on_postgres, smtp_server)
    finally:
        on_postgres.config.update(MAIL_SERVER=good[0], MAIL_PORT=good[1])


def test_a_claim_left_by_a_dead_worker_is_taken_again_after_a_few_minutes(
    app, app_ctx, smtp_server
) -> None:
    now = _now()
    notifications.queue(db.session, recipient="a@example.vn", subject="s", body="b", now=now)
    db.session.commit()
    db.session.execute(update(OutboxMessage).values(claim_token="dead", claimed_at=now))
    db.session.commit()
    settings = notifications.SmtpSettings.from_config(app.config)
    assert notifications.deliver_outbox(db.session, settings, now=now) == (0, 0)
    assert smtp_server.messages == []
    later = now + notifications.CLAIM_TIMEOUT + timedelta(seconds=1)
    assert notifications.deliver_outbox(db.session, settings, now=later) == (1, 0)
    assert len(smtp_server.messages) == 1


def test_after_every_retry_a_message_is_failed_and_the_administrator_sees_it(
    app, client, login_as
) -> None:
    """MAIL_PORT is 1 in tests: every connection is refused."""
    code = _submit_with_email(client)
    settings = notifications.SmtpSettings.from_config(app.config)
    moment = _now()
    for attempt in range(1, notifications.MAX_ATTEMPTS + 1):
        assert notifications.deliver_outbox(db.session, settings, now=moment) == (0, 1)
        # Not again before the backoff has passed.
        assert notifications.deliver_outbox(db.session, settings, now=moment) == (0, 0)
        moment += notifications.retry_delay(attempt)
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == "failed" and message.attempts == notifications.MAX_ATTEMPTS
    assert notifications.deliver_outbox(db.session, settings, now=moment) == (0, 0)
    assert "Không gửi được" in _lookup(client, code)
    login_as("admin")
    home = client.get("/quan-tri/").get_data(as_text=True)
    assert "Số email không gửi được sau mọi lần thử lại: 1." in home
    assert "ConnectionRefusedError" in home


def test_retries_wait_longer_each_time_up_to_an_hour() -> None:
    delays = [notifications.retry_delay(n) for n in range(1, 10)]
    assert delays[:3] == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2)]
    assert delays == sorted(delays) and delays[-1] == timedelta(hours=1)


def _submit_with_email(client: CheckedClient) -> str:
    from tests.integration.submission_helpers import submit_and_read_code

    return submit_and_read_code(client, "kien-nghi", email="dan@example.vn")
