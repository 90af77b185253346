"""Two instances of the app, as two hosts run it: two gunicorn servers, each with its own upload
folder, on one PostgreSQL database and one Redis. What one host does, the other sees: files,
sign-outs, submission limits; and job runners on both send each e-mail once, even when one dies.
(An article scheduled for publication needs no runner: it is public once published_at <= now.)
Needs PostgreSQL (TEST_DATABASE_URL) and Redis (TEST_RATELIMIT_STORAGE_URI): skipped on a
developer's machine without them, a failure in CI."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from PIL import Image
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tests.admin_helpers import png_bytes
from tests.integration.submission_helpers import BY_KIND, COMMON, hidden_values
from tests.live_helpers import CSRF_RE, sign_in_over_http
from tests.services import IN_CI, missing

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TIMEOUT = 20
OFFICIAL = "lanh.dao.hai.may@example.gov.vn"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _services() -> tuple[str, str]:
    """The PostgreSQL server and the Redis to share: those of the PostgreSQL run; in CI's
    SQLite run (no TEST_DATABASE_URL) the local ones; missing: skip (fail in CI)."""
    database = os.environ.get("TEST_DATABASE_URL", "")
    redis_url = os.environ.get("TEST_RATELIMIT_STORAGE_URI", "")
    if IN_CI and not database.startswith("postgresql"):
        database = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/")
        redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not database.startswith("postgresql") or not redis_url.startswith("redis"):
        missing(
            "PostgreSQL and Redis",
            "Set TEST_DATABASE_URL=postgresql+psycopg://... and "
            "TEST_RATELIMIT_STORAGE_URI=redis://... (two instances share both).",
        )
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_timeout=5).ping()
    except redis.RedisError as error:
        missing("Redis", f"{redis_url} does not answer: {error}")
    return database, redis_url


class Mailbox:
    """What a real SMTP server (aiosmtpd) received, by recipient."""

    def __init__(self) -> None:
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"

    def count(self, address: str) -> int:
        return Counter(self.recipients)[address]


@dataclass
class Cluster:
    envs: dict[str, dict[str, str]]
    bases: dict[str, str]
    mailbox: Mailbox
    database_url: str
    prefix: str
    runners: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def jobs(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        """`flask jobs run` with instance `name`'s settings."""
        process = subprocess.Popen(
            [str(BIN / "flask"), "jobs", "run", *args],
            env=self.envs[name],
            cwd=ROOT,
            # a loop runs on unread: its lines must not fill a pipe and block it
            stdout=subprocess.PIPE if "--once" in args else subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self.runners.append(process)
        return process

    def attachments(self) -> set[tuple[int, str, int]]:
        """(id, sha256, size) of each attachment, as the instance that took it recorded."""
        query = text("SELECT id, sha256, size FROM attachments")
        with create_engine(self.database_url).connect() as connection:
            return {(row.id, row.sha256, row.size) for row in connection.execute(query)}


def _instance_env(tmp: Path, name: str, shared: dict[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        **shared,
        "PORTAL_UPLOAD_FOLDER": f'"{tmp / name / "uploads"}"',
    }


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn for {base} exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                response.read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{base} did not answer within 30 s")


def _make_official(database_url: str, tmp: Path) -> None:
    """A leader with a known password, written to the shared database in-process."""
    from portal import create_app
    from portal.extensions import db
    from tests.factories import make_user

    app = create_app(
        {
            "PORTAL_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp / "maker"),
        }
    )
    with app.app_context():
        make_user(roles=("leader",), email=OFFICIAL)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    from aiosmtpd.controller import Controller

    server_url, redis_url = _services()
    tmp = tmp_path_factory.mktemp("twohosts")
    name = f"twohosts_{secrets.token_hex(4)}"
    admin_url = make_url(server_url)
    admin = create_engine(admin_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        missing("PostgreSQL", f"{server_url} does not answer: {error}")
    database_url = admin_url.set(database=name).render_as_string(hide_password=False)
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    prefix = f"twohosts-{secrets.token_hex(4)}"
    shared = {
        "PORTAL_ENV": "development",
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": database_url,
        "PORTAL_SECRET_KEY": f'"{secrets.token_hex(32)}"',
        "PORTAL_ACCESS_CODE_PEPPER": f'"{secrets.token_hex(32)}"',
        "PORTAL_FILE_STORAGE": '"database"',
        "PORTAL_RATELIMIT_STORAGE_URI": f'"{redis_url}"',
        "PORTAL_RATELIMIT_KEY_PREFIX": f'"{prefix}"',
        "PORTAL_CACHE_TYPE": '"RedisCache"',
        "PORTAL_CACHE_REDIS_URL": f'"{redis_url}"',
        "PORTAL_CACHE_KEY_PREFIX": f'"{prefix}-cache-"',
        "PORTAL_TRUSTED_PROXY_COUNT": "1",  # each test citizen comes from its own address
        "PORTAL_SUBMISSION_MIN_SECONDS": "0",
        "PORTAL_SUBMISSION_RATE_LIMIT": '"2/hour"',
        "PORTAL_MAIL_SERVER": '"127.0.0.1"',
        "PORTAL_MAIL_PORT": str(smtp.port),
        "PORTAL_OUTBOX_POLL_SECONDS": "0.2",
        "PORTAL_JOBS_CHECK_SECONDS": "60",
    }
    envs = {key: _instance_env(tmp, key, shared) for key in ("A", "B")}
    servers: list[subprocess.Popen[bytes]] = []
    cluster = Cluster(envs, {}, mailbox, database_url, prefix)
    try:
        subprocess.run(
            [str(BIN / "flask"), "db", "upgrade"],
            env=envs["A"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=120,
        )
        _make_official(database_url, tmp)
        for key in ("A", "B"):
            port = _free_port()
            servers.append(
                subprocess.Popen(
                    [str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                    env=envs[key],
                    cwd=ROOT,
                )
            )
            cluster.bases[key] = f"http://127.0.0.1:{port}"
        for key, server in zip(("A", "B"), servers, strict=True):
            _wait_until_up(cluster.bases[key], server)
        yield cluster
    finally:
        for process in [*servers, *cluster.runners]:  # gunicorn stops its worker on TERM
            if process.poll() is None:
                process.terminate()
        for process in [*servers, *cluster.runners]:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        smtp.stop()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def submit(
    base: str, *, address: str, email: str = "", photo: bytes | None = None, form_from: str = ""
) -> requests.Response:
    """A citizen at `address` (behind the trusted proxy) opens the reflection form (on
    `form_from`, or `base`) and sends it to `base`."""
    with requests.Session() as browser:
        browser.headers["X-Forwarded-For"] = address
        page = browser.get(f"{form_from or base}/gui-don/phan-anh", timeout=TIMEOUT).text
        data = {**hidden_values(page), **COMMON, **BY_KIND["phan-anh"], "email": email}
        data["phone"] = ""  # the contact is the e-mail, one per test citizen
        files = {"attachments": ("anh.png", photo, "image/png")} if photo else None
        return browser.post(
            f"{base}/gui-don/phan-anh",
            data=data,
            files=files,
            allow_redirects=False,
            timeout=TIMEOUT,
        )


def sign_in(base: str) -> requests.Session:
    return sign_in_over_http(base, OFFICIAL, timeout=TIMEOUT)


def test_a_file_sent_through_one_is_downloaded_through_the_other(cluster: Cluster) -> None:
    photo = png_bytes()
    before = cluster.attachments()
    sent = submit(cluster.bases["A"], address="198.51.100.1", email="a@example.vn", photo=photo)
    assert sent.status_code == 303, sent.text[:2000]
    ((attachment_id, sha256, size),) = cluster.attachments() - before

    official = sign_in(cluster.bases["B"])
    download = official.get(f"{cluster.bases['B']}/quan-tri/tep/{attachment_id}", timeout=TIMEOUT)
    assert download.status_code == 200
    # A stores the image without its metadata: B serves exactly the bytes A stored.
    assert (hashlib.sha256(download.content).hexdigest(), len(download.content)) == (sha256, size)
    with Image.open(io.BytesIO(download.content)) as got, Image.open(io.BytesIO(photo)) as sent_:
        assert got.convert("RGB").tobytes() == sent_.convert("RGB").tobytes()
    for name in ("A", "B"):  # in the database, in neither host's folder
        folder = Path(cluster.envs[name]["PORTAL_UPLOAD_FOLDER"].strip('"'))
        assert not folder.exists() or not any(folder.rglob("*.png"))


def test_signing_out_on_one_signs_out_on_the_other(cluster: Cluster) -> None:
    a, b = cluster.bases["A"], cluster.bases["B"]
    official = sign_in(a)
    cookies = official.cookies.copy()
    assert official.get(f"{b}/quan-tri/", allow_redirects=False, timeout=TIMEOUT).status_code == 200

    page = official.get(f"{a}/quan-tri/", timeout=TIMEOUT).text
    token = CSRF_RE.search(page)
    assert token
    out = official.post(
        f"{a}/quan-tri/dang-xuat",
        data={"csrf_token": token.group(1)},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert out.status_code in (302, 303)

    with requests.Session() as stolen:  # the cookie from before the sign-out, now on B
        stolen.cookies.update(cookies)
        again = stolen.get(f"{b}/quan-tri/", allow_redirects=False, timeout=TIMEOUT)
    assert again.status_code == 302
    assert "/quan-tri/dang-nhap" in again.headers["Location"]


def test_the_submission_limit_counts_on_both(cluster: Cluster) -> None:
    a, b = cluster.bases["A"], cluster.bases["B"]
    address = "198.51.100.2"
    for number in (1, 2):
        sent = submit(a, address=address, email=f"c{number}@example.vn")
        assert sent.status_code == 303, sent.text[:2000]
    third = submit(b, address=address, email="c3@example.vn")
    assert third.status_code == 429
    other = submit(b, address="198.51.100.3", email="c4@example.vn")
    assert other.status_code == 303, other.text[:2000]


def _wait_for(check, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return bool(check())


def _pending(database_url: str) -> int:
    """Messages in the outbox not yet sent."""
    query = text("SELECT count(*) FROM outbox WHERE status <> 'sent'")
    with create_engine(database_url).connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_job_runners_on_both_send_each_email_once(cluster: Cluster) -> None:
    mailbox = cluster.mailbox
    a, b = cluster.bases["A"], cluster.bases["B"]
    for number, base in enumerate((a, b), start=1):
        sent = submit(base, address=f"198.51.100.1{number}", email=f"d{number}@example.vn")
        assert sent.status_code == 303, sent.text[:2000]
    assert _pending(cluster.database_url) >= 2

    both = [cluster.jobs("A", "--once"), cluster.jobs("B", "--once")]
    for runner in both:
        output, _ = runner.communicate(timeout=60)
        assert runner.returncode == 0, output.decode()[-2000:]
    assert _pending(cluster.database_url) == 0
    assert [mailbox.count("d1@example.vn"), mailbox.count("d2@example.vn")] == [1, 1]
    # ...and so every receipt queued by the tests before (one citizen e-mail each).
    assert all(count == 1 for count in Counter(mailbox.recipients).values()), mailbox.recipients

    # Both run the loop; one host dies (kill -9): the other delivers what comes next, once.
    dying, living = cluster.jobs("A"), cluster.jobs("B")
    time.sleep(1)
    dying.send_signal(signal.SIGKILL)
    dying.wait(timeout=10)
    sent = submit(a, address="198.51.100.21", email="e@example.vn")
    assert sent.status_code == 303, sent.text[:2000]
    assert _wait_for(lambda: mailbox.count("e@example.vn") >= 1, 20), living.poll()
    time.sleep(1)  # a second copy, if any, would come now
    assert mailbox.count("e@example.vn") == 1
    assert _pending(cluster.database_url) == 0
