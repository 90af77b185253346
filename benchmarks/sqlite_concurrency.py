"""Benchmark: officials reading while citizens write, on SQLite under gunicorn; counts the
failed requests ("database is locked" was a 500 for GETs that wrote inside their read).

Writers are citizens sending a reflection with a photo (GET the form, POST it). Readers are
officials opening a case and downloading its attachment (an audited download: a write). A
thread makes the officials' sessions look a few minutes old every half second, so their
GETs also write the session's last-seen time, as they do in real use.

    .venv/bin/python benchmarks/sqlite_concurrency.py [--seconds 60] [--writers 4]
        [--readers 4] [--workers 4]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import NO_LIMITS, REFLECTION, gunicorn

HIDDEN = re.compile(
    r'name="(csrf_token|form_started|idempotency_key|upload_token)"[^>]*value="([^"]*)"'
)
FORM = REFLECTION
PASSWORD = "Một mật khẩu dài cho phép đo 2026"  # noqa: S105  (a throwaway database)
TIMEOUT = 60


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "green").save(buffer, "PNG")
    return buffer.getvalue()


PHOTO = photo()


def submit(base: str, number: int) -> int:
    with requests.Session() as browser:
        page = browser.get(f"{base}/gui-don/phan-anh", timeout=TIMEOUT).text
        data = {**dict(HIDDEN.findall(page)), **FORM, "phone": f"09{number % 10**8:08d}"}
        response = browser.post(
            f"{base}/gui-don/phan-anh",
            data=data,
            files={"attachments": ("anh.png", PHOTO, "image/png")},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        return response.status_code


def sign_in(base: str, email: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{base}/quan-tri/dang-nhap", timeout=TIMEOUT).text
    token = dict(HIDDEN.findall(page))["csrf_token"]
    response = browser.post(
        f"{base}/quan-tri/dang-nhap",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: {response.status_code}")
    return browser


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(PORTAL_ENV="development", DATABASE_URL=f"sqlite:///{tmp}/bench.db")
        extra = NO_LIMITS
        with gunicorn(tmp, port=args.port, workers=args.workers, extra_env=extra) as base:
            run(base, args)


def run(base: str, args: argparse.Namespace) -> None:
    from sqlalchemy import select, update

    from portal import create_app
    from portal.extensions import db
    from portal.models import Attachment, User, UserRole, UserSession
    from portal.services.accounts import hash_password

    if submit(base, 0) != 303:
        raise SystemExit("the first submission failed")
    app = create_app()
    with app.app_context():
        attachment = db.session.scalar(select(Attachment).where(Attachment.case_id.is_not(None)))
        assert attachment is not None
        case_id, attachment_id = attachment.case_id, attachment.id
        emails = [f"bench{n}@example.gov.vn" for n in range(args.readers)]
        for email in emails:
            user = User(
                email=email,
                name="Cán bộ đo tải",
                password_hash=hash_password(PASSWORD),
                must_change_password=False,
                password_changed_at=datetime.now(UTC),
            )
            user.role_rows = [UserRole(role="leader")]
            db.session.add(user)
        db.session.commit()
    browsers = [sign_in(base, email) for email in emails]

    counts = {"writes": 0, "reads": 0}
    failures: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def note(kind: str, what: str, status: int, expected: int) -> None:
        with lock:
            counts[kind] += 1
            if status != expected:
                key = f"{what} {status}"
                failures[key] = failures.get(key, 0) + 1

    def writer(index: int) -> None:
        number = index * 1_000_000
        while time.monotonic() < deadline:
            number += 1
            try:
                note("writes", "POST submission", submit(base, number), 303)
            except requests.RequestException as error:
                note("writes", f"POST submission {type(error).__name__}", 0, 303)

    def reader(browser: requests.Session) -> None:
        while time.monotonic() < deadline:
            for what, path in (
                ("GET case", f"/quan-tri/don/{case_id}"),
                ("GET attachment", f"/quan-tri/tep/{attachment_id}"),
            ):
                try:
                    status = browser.get(base + path, timeout=TIMEOUT).status_code
                except requests.RequestException as error:
                    what, status = f"{what} {type(error).__name__}", 0
                note("reads", what, status, 200)

    def age_sessions() -> None:
        with app.app_context():
            while time.monotonic() < deadline:
                old = datetime.now(UTC) - timedelta(minutes=5)
                db.session.execute(update(UserSession).values(last_seen_at=old))
                db.session.commit()
                time.sleep(0.5)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(args.writers)]
    threads += [threading.Thread(target=reader, args=(b,)) for b in browsers]
    threads.append(threading.Thread(target=age_sessions))
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    failed = sum(failures.values())
    print(
        f"{args.writers} writers, {args.readers} readers, gunicorn -w {args.workers}, SQLite, "
        f"{elapsed:.0f} s: {counts['writes']} submissions ({counts['writes'] / elapsed:.1f}/s), "
        f"{counts['reads']} official GETs ({counts['reads'] / elapsed:.1f}/s); "
        f"{failed} failed requests"
    )
    for what, number in sorted(failures.items()):
        print(f"  {what}: {number}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
