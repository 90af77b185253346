"""SQLite settings for durability and concurrent writers; nothing here for PostgreSQL.

How requests avoid "database is locked" (SQLite allows one writer at a time):

* a request that changes state (POST...) begins every transaction with ``BEGIN IMMEDIATE``:
  it takes the write lock up front, so concurrent writers wait for it (busy timeout);
* a GET reads in plain (deferred) transactions and never writes in them: a deferred
  transaction that has read cannot take the write lock once another writer has committed
  (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out). A GET that must write (the audit
  entry of a download) ends its read first and writes in a transaction of its own that
  begins IMMEDIATE (:func:`write_transaction`); the session's last-seen time is written as
  the first statement of a transaction of its own (``services/accounts.py``), which waits for
  the lock the same way;
* a POST that reads before it writes (the submission form: an earlier case with the same
  form key, the calendar when its process has none or it changed) reads in a deferred
  transaction of its own that ends before the writing begins (:func:`read_transaction`), so
  that other writers do not wait while it works out what to write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, SessionTransaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 10_000
_IMMEDIATE_FLAG = "sqlite_begin_immediate"
_DEFERRED_FLAG = "sqlite_begin_deferred"


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
    for it (busy timeout) instead of failing when a read lock cannot be upgraded; so does the
    write transaction of a GET (:func:`write_transaction`), and not the read transaction of a
    POST (:func:`read_transaction`)."""
    if has_app_context() and g.get(_DEFERRED_FLAG, False):
        return False
    if has_app_context() and g.get(_IMMEDIATE_FLAG, False):
        return True
    return has_request_context() and request.method not in SAFE_METHODS


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    # A connection that will write (the outbox's claims) asks for the lock up front too.
    immediate = _is_write_context() or conn.get_execution_options().get("sqlite_begin_immediate")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(session: Session) -> Iterator[None]:
    """Write from a request that otherwise only reads (a GET): the read transaction ends
    first (commit: nothing of it is lost), and the block runs in a new transaction that takes
    the write lock when it begins. The block commits; whatever it leaves open is rolled back,
    so the lock is never held beyond it."""
    session.commit()
    outer = g.get(_IMMEDIATE_FLAG, False)
    setattr(g, _IMMEDIATE_FLAG, True)
    try:
        yield
    finally:
        session.rollback()
        setattr(g, _IMMEDIATE_FLAG, outer)


@contextmanager
def read_transaction(session: Session) -> Iterator[None]:
    """Read, in a request that writes afterwards, without holding SQLite's write lock: the
    block runs in a deferred transaction that is rolled back after it (it must not write), so
    the writing transaction that follows begins IMMEDIATE as usual. Where a transaction is
    already open, or on PostgreSQL (whose reads take no lock), the block simply runs."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if not sqlite or current_transaction(session) is not None:
        yield
        return
    setattr(g, _DEFERRED_FLAG, True)
    try:
        yield
    finally:
        setattr(g, _DEFERRED_FLAG, False)  # first: a failed rollback must not keep it
        session.rollback()


def current_transaction(session: Session) -> SessionTransaction | None:
    """The session's transaction now (None before one begins): the same object before and
    after a block means nothing in the block committed. `db.session` is a scoped_session,
    which does not pass `get_transaction` on to its Session."""
    registry = getattr(session, "registry", None)
    real: Session = registry() if registry is not None else session
    return real.get_transaction()
