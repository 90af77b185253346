"""SQLite as a durable embedded database: WAL, FULL sync, and writers that wait their turn."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import text

from portal.extensions import db
from portal.models import Division


@pytest.fixture
def sqlite_app(app: Flask) -> Flask:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite-specific: this run uses PostgreSQL")
    return app


def test_pragmas(sqlite_app: Flask, app_ctx) -> None:
    connection = db.session.connection()
    assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_concurrent_writers_wait_instead_of_failing(sqlite_app: Flask, app_ctx) -> None:
    errors: list[Exception] = []

    def writer(number: int) -> None:
        with sqlite_app.test_request_context("/", method="POST"):
            try:
                for step in range(15):
                    # read, then write: a deferred transaction would fail to upgrade its lock
                    count = db.session.query(Division).count()
                    db.session.add(Division(code=f"T{number}-{step}", name=f"n{count}"))
                    db.session.commit()
            except Exception as error:  # collected and reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.session.query(Division).count() == 60


def test_the_pool_pings_a_server_only(app: Flask, app_ctx) -> None:
    """A connection to a database server may have been dropped (a restart, a failover): the
    pool pings it before use. A SQLite file has no server to drop it: no ping per request."""
    assert db.engine.pool._pre_ping is (db.engine.dialect.name != "sqlite")
