"""Officials reading while citizens write, through a real threaded server: no request may fail
("database is locked" was a 500 on SQLite: GETs wrote inside their read transaction)."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
from flask import Flask
from sqlalchemy import select, update
from werkzeug.serving import make_server

from portal.extensions import db
from portal.models import Attachment, AuditLog, Case, UserSession
from tests.admin_helpers import png_bytes
from tests.factories import make_user
from tests.integration.submission_helpers import BY_KIND, COMMON, hidden_values
from tests.live_helpers import sign_in_over_http

SECONDS = 6.0
WRITERS = 4
READERS = 4
TIMEOUT = 60


@pytest.fixture
def server(app: Flask, app_ctx: Flask) -> Iterator[str]:
    """The app served by werkzeug from threads, with limits that let one address send many
    forms (the rate limits are not what this test is about)."""
    saved = {
        key: app.config[key]
        for key in (
            "SUBMISSION_RATE_LIMIT",
            "SUBMISSION_ATTEMPT_RATE_LIMIT",
            "CONTACT_RATE_LIMIT",
            "UPLOAD_ADDRESS_LIMIT",
        )
    }
    app.config.update(
        SUBMISSION_RATE_LIMIT="100000/minute",
        SUBMISSION_ATTEMPT_RATE_LIMIT="100000/minute",
        CONTACT_RATE_LIMIT="100000/minute",
        UPLOAD_ADDRESS_LIMIT="100000/hour",
    )
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        httpd.server_close()
        app.config.update(saved)


def submit(base: str, number: int) -> requests.Response:
    """One citizen: open the form, send it with a photo."""
    with requests.Session() as browser:
        page = browser.get(f"{base}/gui-don/phan-anh", timeout=TIMEOUT).text
        data = {
            **hidden_values(page),
            **COMMON,
            **BY_KIND["phan-anh"],
            "email": f"citizen{number}@example.vn",
            "phone": "",
        }
        return browser.post(
            f"{base}/gui-don/phan-anh",
            data=data,
            files={"attachments": ("anh.png", io.BytesIO(png_bytes()), "image/png")},
            allow_redirects=False,
            timeout=TIMEOUT,
        )


def sign_in(base: str, email: str) -> requests.Session:
    return sign_in_over_http(base, email, timeout=TIMEOUT)


def test_officials_read_and_download_while_citizens_submit(app: Flask, server: str) -> None:
    first = submit(server, 0)
    assert first.status_code == 303, first.text[:2000]
    attachment = db.session.scalar(select(Attachment).where(Attachment.case_id.is_not(None)))
    assert attachment is not None
    case_id, attachment_id = attachment.case_id, attachment.id
    officials = [make_user(roles=("leader",)).email for _ in range(READERS)]
    browsers = [sign_in(server, email) for email in officials]
    db.session.rollback()

    failures: list[str] = []
    counts = {"read": 0, "write": 0, "age": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def note(kind: str, response: requests.Response, expected: int) -> None:
        with lock:
            counts[kind] += 1
            if response.status_code != expected:
                failures.append(f"{response.request.url}: {response.status_code}")

    def writer(index: int) -> None:
        number = index * 10_000
        while time.monotonic() < deadline:
            number += 1
            note("write", submit(server, number), 303)

    def reader(browser: requests.Session) -> None:
        while time.monotonic() < deadline:
            note("read", browser.get(f"{server}/quan-tri/don/{case_id}", timeout=TIMEOUT), 200)
            download = browser.get(f"{server}/quan-tri/tep/{attachment_id}", timeout=TIMEOUT)
            note("read", download, 200)

    def age_sessions() -> None:
        """Make every official's session look a few minutes old, again and again, so that
        their GETs write the last-seen time as they do in real use."""
        with app.app_context():
            while time.monotonic() < deadline:
                db.session.execute(
                    update(UserSession).values(
                        last_seen_at=datetime.now(UTC) - timedelta(minutes=5)
                    )
                )
                db.session.commit()
                counts["age"] += 1
                time.sleep(0.05)
            db.session.remove()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    threads += [threading.Thread(target=reader, args=(b,)) for b in browsers]
    threads.append(threading.Thread(target=age_sessions))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert counts["write"] >= WRITERS and counts["read"] >= 2 * READERS and counts["age"] > 1
    db.session.rollback()
    submitted = db.session.query(Case).count()
    assert submitted == counts["write"] + 1
    downloads = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "attachment.download")
    ).all()
    assert len(downloads) == counts["read"] // 2
