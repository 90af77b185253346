"""SQLite settings for durability and concurrent writers; nothing here for PostgreSQL."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 10_000


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _is_write_context() -> bool:
    """Requests that change state take the write lock up front, so concurrent writers wait
    for it (busy timeout) instead of failing when a read lock cannot be upgraded."""
    return has_request_context() and request.method not in SAFE_METHODS


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    # A connection that will write (the outbox's claims) asks for the lock up front too.
    immediate = _is_write_context() or conn.get_execution_options().get("sqlite_begin_immediate")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
