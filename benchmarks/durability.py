"""Durability under kill -9: every acknowledged submission is found afterwards with its code,
once, and every receipt e-mail goes out.

For each database asked for, the script serves the app with gunicorn on 127.0.0.1 and runs
the mail worker (`flask deliver-outbox --watch`) against a real SMTP server of its own
(aiosmtpd). Client threads submit reflection forms like a browser: GET the form, POST it
with its CSRF token, hidden fields and an e-mail address, GET the receipt. A POST whose
answer never arrived is sent again, the same form with the same idempotency key, as a
citizen pressing "send" again would. A submission is *acknowledged* when its receipt page,
with the case number and the access code, reached the client.

Meanwhile a killer thread sends SIGKILL to a random gunicorn worker every 1-2 s, kills the
whole server a few times (the master, then its orphaned workers: everything in flight dies
at once; gunicorn is started again on the same port) and kills the mail worker (started
again). When the submissions are done (or the time is up), the outbox is drained and the
database is read directly: each acknowledged code must open its case (`find_by_code`), each
submission must be stored once, and each queued receipt must have reached the SMTP server.

    .venv/bin/python benchmarks/durability.py [--databases sqlite postgresql]
        [--submissions 400] [--clients 8] [--workers 3] [--max-seconds 300] [--no-preload]

gunicorn runs with --preload by default: a killed worker is replaced by a fork of the master
at once, so nearly every kill lands on a worker that is serving a request, instead of on one
still loading the app (on a small machine, without it, the server spends most of a run
loading the app again; --no-preload serves as docs/deployment.md does).

PostgreSQL: the script creates the database `durability_bench` on 127.0.0.1:5432 (user
postgres; --postgres-server to change), migrates it, and drops it at the end.

E-mail is delivered at least once, not exactly once: a mail worker killed after the SMTP
server took a message but before the outbox recorded it leaves the message claimed; once the
claim times out (notifications.CLAIM_TIMEOUT, 5 minutes) another worker sends it again. To
keep the run short, the last pass over the outbox runs the same delivery code with its clock
set past the claim timeout (--wait-claims waits the 5 minutes for real instead). Duplicated
e-mails are counted and reported; only a lost acknowledged submission fails the run.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import IO, Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from common import (
    BIN,
    CITIZEN,
    NO_LIMITS,
    ROOT,
    flask,
    server_env,
    start_gunicorn,
    wait_until_up,
)

T = TypeVar("T")
BENCH_DATABASE = "durability_bench"
FIELD_RE = re.compile(
    r'name="(csrf_token|form_started|idempotency_key|upload_token)"[^>]*value="([^"]*)"'
)
CODE_RE = re.compile(r'class="access-code"[^>]*>([A-Z0-9-]+)<')
NUMBER_RE = re.compile(r"<strong>(\d{4}/\d{4,})</strong>")
MARKER_RE = re.compile(r"\[bền vững ([0-9a-f]{8})-(\d+)\]")
FORM = CITIZEN
# A connection refused, reset or cut short: the server (or a worker) was killed.
TRANSIENT = (OSError, http.client.HTTPException)
RETRY_STATUSES = frozenset({500, 502, 503, 504})
MAX_TRIES = 40


def email_of(run_id: str, number: int) -> str:
    return f"nguoi-dan.{run_id}.{number}@example.com"


@dataclass
class Outcome:
    """What the clients saw; shared by their threads (list.append is atomic)."""

    acknowledged: list[tuple[int, str, str]] = field(default_factory=list)  # n, case no., code
    refused: list[str] = field(default_factory=list)
    gave_up: int = 0
    retries: int = 0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The 303 after a POST is read, not followed: the receipt is fetched (and retried) apart."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Client:
    """Citizens submitting reflections, each in a browser (a cookie jar) of their own."""

    def __init__(self, base: str, run_id: str, outcome: Outcome, *, deadline: float) -> None:
        self.base, self.run_id, self.outcome, self.deadline = base, run_id, outcome, deadline
        self.lock = threading.Lock()
        self.next = 0

    def run(self, total: int, clients: int) -> None:
        def loop() -> None:
            while time.monotonic() < self.deadline:
                with self.lock:
                    number, self.next = self.next, self.next + 1
                if number >= total:
                    return
                self.submit(number)

        threads = [threading.Thread(target=loop) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def submit(self, number: int) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        url = f"{self.base}/gui-don/phan-anh"

        def form() -> dict[str, str] | None:
            status, page = self._request(opener, url)
            hidden = dict(FIELD_RE.findall(page)) if status == 200 else {}
            return hidden if "idempotency_key" in hidden else None

        hidden = self._until(form)
        if hidden is None:
            return
        marker = f"[bền vững {self.run_id}-{number}]"
        data = {
            **hidden,
            **FORM,
            "subject": f"Cột điện đổ chắn đường {marker}",
            "content": f"Sau cơn bão, cột điện viễn thông đổ chắn ngang đường {marker}.",
            "phone": f"09{number:08d}",
            "email": email_of(self.run_id, number),
        }
        body = urllib.parse.urlencode(data).encode()

        def post() -> bool | None:  # the same form, the same key, until an answer arrives
            status, _ = self._request(opener, url, body)
            if status == 303:
                return True
            if status in RETRY_STATUSES:
                return None
            self.outcome.refused.append(f"#{number}: POST answered {status}")
            return False

        if not self._until(post):
            return

        def receipt() -> tuple[str, str] | None:
            status, page = self._request(opener, f"{self.base}/gui-don/da-gui")
            code, case_number = CODE_RE.search(page), NUMBER_RE.search(page)
            if status == 200 and code and case_number:
                return case_number[1], code[1]
            return None

        shown = self._until(receipt)
        if shown is not None:
            self.outcome.acknowledged.append((number, *shown))

    def _until(self, step: Callable[[], T | None]) -> T | None:
        """`step` until it gives an answer, after connection errors and 5xx answers."""
        for attempt in range(MAX_TRIES):
            try:
                answer = step()
                if answer is not None:
                    return answer
            except TRANSIENT:
                pass
            with self.lock:
                self.outcome.retries += 1
            time.sleep(min(0.1 * 2**attempt, 2.0))
        with self.lock:
            self.outcome.gave_up += 1
        return None

    @staticmethod
    def _request(
        opener: urllib.request.OpenerDirector, url: str, body: bytes | None = None
    ) -> tuple[int, str]:
        try:
            with opener.open(url, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:  # 303, 4xx, 5xx: an answer all the same
            return answer.code, answer.read().decode(errors="replace")


class Mailbox:
    """A real SMTP server on 127.0.0.1 that keeps what it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []  # recipients, body

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        self.messages.append((list(envelope.rcpt_tos), text))
        return "250 OK"

    def start(self, port: int) -> Any:
        from aiosmtpd.controller import Controller

        controller = Controller(self, hostname="127.0.0.1", port=port)
        controller.start()
        return controller


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def start_mail_worker(env: dict[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [BIN / "flask", "deliver-outbox", "--watch"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def create_postgres(server: str) -> str:
    """An empty database of this script's own on `server`; its SQLAlchemy URL."""
    drop_postgres(server)
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    return f"postgresql+psycopg://{server.split('://', 1)[1]}/{BENCH_DATABASE}"


def drop_postgres(server: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def outbox_settled(database_url: str, mailbox: Mailbox, seen: list[int]) -> bool:
    """No receipt waits unclaimed in the outbox, and no new mail came since the last look."""
    from sqlalchemy import create_engine, func, select

    from portal.models import OutboxMessage

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            waiting = connection.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == "pending", OutboxMessage.claimed_at.is_(None))
            )
    finally:
        engine.dispose()
    delivered = len(mailbox.messages)
    steady = bool(seen) and seen[-1] == delivered
    seen.append(delivered)
    return waiting == 0 and steady


@dataclass
class Report:
    acknowledged: int = 0
    found: int = 0
    lost: int = 0
    duplicates: int = 0
    stored_unacknowledged: int = 0
    queued: int = 0
    delivered: int = 0
    mail_duplicates: int = 0
    mail_missing: int = 0
    stale_claims: int = 0
    problems: list[str] = field(default_factory=list)


def check_database(
    database_url: str,
    outcome: Outcome,
    mailbox: Mailbox,
    *,
    run_id: str,
    smtp_port: int,
    wait_claims: bool,
) -> Report:
    """Read the database directly, after the last mail is out; what was lost, what doubled."""
    from sqlalchemy import func, select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Case, OutboxMessage
    from portal.services import notifications, submissions
    from portal.web.security import now_utc
    from portal.web.uploads import pepper

    app = create_app(
        {
            "PORTAL_ENV": "development",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_port,
        }
    )
    report = Report(acknowledged=len(outcome.acknowledged))
    with app.app_context():
        stale = select(func.count()).where(
            OutboxMessage.status == "pending", OutboxMessage.claimed_at.is_not(None)
        )
        report.stale_claims = db.session.scalar(stale.select_from(OutboxMessage)) or 0
        if report.stale_claims:
            # What a worker does once the dead worker's claims time out.
            later = notifications.CLAIM_TIMEOUT + timedelta(seconds=1)
            if wait_claims:
                time.sleep(later.total_seconds())
                later = timedelta(0)
            notifications.deliver_outbox(
                db.session,
                notifications.SmtpSettings.from_config(app.config),
                now=now_utc() + later,
                secret=pepper(),
            )
        for number, case_number, code in outcome.acknowledged:
            case = submissions.find_by_code(db.session, code, pepper())
            if case is not None and case.number == case_number:
                report.found += 1
            else:
                report.problems.append(f"lost: #{number} {case_number} {code}")
        report.lost = report.acknowledged - report.found
        stored: Counter[int] = Counter()
        for subject in db.session.scalars(select(Case.subject)):
            marker = MARKER_RE.search(subject)
            if marker and marker[1] == run_id:
                stored[int(marker[2])] += 1
        report.duplicates = sum(count - 1 for count in stored.values())
        report.problems += [f"stored {c} times: #{n}" for n, c in stored.items() if c > 1]
        acknowledged = {number for number, _, _ in outcome.acknowledged}
        report.stored_unacknowledged = len(set(stored) - acknowledged)
        report.queued = (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.purpose == notifications.RECEIPT)
            )
            or 0
        )
        db.session.remove()
        db.engine.dispose()
    received = Counter(address for recipients, _ in mailbox.messages for address in recipients)
    report.delivered = len(mailbox.messages)
    report.mail_duplicates = sum(count - 1 for count in received.values())
    missing = [n for n in stored if received[email_of(run_id, n)] == 0]
    report.mail_missing = len(missing) + max(report.queued - len(stored), 0)
    report.problems += [f"no receipt e-mail: #{n}" for n in missing]
    bodies = {recipients[0]: text for recipients, text in mailbox.messages if recipients}
    for number, _, code in outcome.acknowledged:
        text = bodies.get(email_of(run_id, number))
        if text is not None and code not in text:
            report.problems.append(f"e-mail of #{number} does not carry its code")
    return report


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Chaos:
    """gunicorn and the mail worker, and the kills."""

    def __init__(
        self, env: dict[str, str], *, port: int, workers: int, log: IO[bytes], preload: bool
    ) -> None:
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.base = f"http://127.0.0.1:{port}"
        self.preload = preload
        self.server = self._start()
        wait_until_up(self.base, seconds=30)
        self.mailer = start_mail_worker(env, log)
        self.kills: Counter[str] = Counter()
        self.lock = threading.Lock()

    def _start(self) -> subprocess.Popen[bytes]:
        return start_gunicorn(
            self.env, port=self.port, workers=self.workers, log=self.log, preload=self.preload
        )

    def kill_worker(self) -> None:
        with self.lock:
            workers = children_of(self.server.pid)
            if not workers:
                return
            with contextlib.suppress(ProcessLookupError):
                os.kill(random.choice(workers), signal.SIGKILL)
                self.kills["worker"] += 1

    def kill_master(self) -> None:
        """SIGKILL the master, then its orphaned workers; start gunicorn again."""
        with self.lock:
            orphans = children_of(self.server.pid)
            self.server.send_signal(signal.SIGKILL)
            self.server.wait()
            for pid in orphans:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.kills["master"] += 1
            time.sleep(random.uniform(0.2, 1.0))
            self.server = self._start()
        wait_until_up(self.base, seconds=30)

    def kill_mailer(self) -> None:
        self.mailer.send_signal(signal.SIGKILL)
        self.mailer.wait()
        self.kills["mail worker"] += 1
        time.sleep(random.uniform(0.5, 2.0))
        self.mailer = start_mail_worker(self.env, self.log)

    def run(self, stop: threading.Event, progress: Outcome, *, target: int, plan: dict) -> None:
        """Kill a worker every 1-2 s; the master and the mail worker when the acknowledged
        submissions pass the fractions of `target` in `plan`."""
        pending = {name: sorted(fractions) for name, fractions in plan.items()}
        actions = {"master": self.kill_master, "mail worker": self.kill_mailer}
        while not stop.wait(random.uniform(1.0, 2.0)):
            done = len(progress.acknowledged) / max(target, 1)
            for name, fractions in pending.items():
                if fractions and done >= fractions[0]:
                    fractions.pop(0)
                    actions[name]()
                    break
            else:
                self.kill_worker()

    def stop(self) -> None:
        for process in (self.server, self.mailer):
            process.terminate()
            try:
                process.wait(timeout=20)
            except Exception:  # a stuck process: it must not outlive the run
                process.kill()
                process.wait()


def run_one(database: str, args: argparse.Namespace) -> bool:
    """One phase on `database`; print its summary line; True when nothing acknowledged is lost."""
    run_id = uuid.uuid4().hex[:8]
    mailbox = Mailbox()
    smtp_port = free_port()
    controller = mailbox.start(smtp_port)
    database_url = create_postgres(args.postgres_server) if database == "postgresql" else None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = server_env(
                tmp,
                database_url=database_url,
                extra_env={
                    **NO_LIMITS,
                    "PORTAL_MAIL_SERVER": '"127.0.0.1"',
                    "PORTAL_MAIL_PORT": str(smtp_port),
                    "PORTAL_MAIL_TIMEOUT": "5",
                    "PORTAL_OUTBOX_POLL_SECONDS": "0.5",
                },
            )
            flask(env, "db", "upgrade")
            log = open(Path(tmp) / "servers.log", "wb")  # noqa: SIM115 (closed below)
            chaos = Chaos(
                env, port=free_port(), workers=args.workers, log=log, preload=args.preload
            )
            outcome = Outcome()
            began = time.monotonic()
            try:
                stop = threading.Event()
                plan = {"master": [0.3, 0.65], "mail worker": [0.2, 0.55, 0.85]}
                killer = threading.Thread(
                    target=chaos.run,
                    args=(stop, outcome),
                    kwargs={"target": args.submissions, "plan": plan},
                )
                killer.start()
                client = Client(chaos.base, run_id, outcome, deadline=began + args.max_seconds)
                client.run(args.submissions, args.clients)
                stop.set()
                killer.join()
                elapsed = time.monotonic() - began
                wait_until_up(chaos.base, seconds=30)
                settle, seen = time.monotonic() + 60, []
                while time.monotonic() < settle and not outbox_settled(
                    env["DATABASE_URL"], mailbox, seen
                ):
                    time.sleep(1.5)
            finally:
                chaos.stop()
                log.close()
            server_log = (Path(tmp) / "servers.log").read_text(errors="replace")
            report = check_database(
                env["DATABASE_URL"],
                outcome,
                mailbox,
                run_id=run_id,
                smtp_port=smtp_port,
                wait_claims=args.wait_claims,
            )
    finally:
        controller.stop()
        if database_url:
            drop_postgres(args.postgres_server)
    print(
        f"{database}: acknowledged {report.acknowledged}, found {report.found}, "
        f"lost {report.lost}, duplicates {report.duplicates} "
        f"(unacknowledged: {outcome.gave_up} gave up, {report.stored_unacknowledged} of them "
        f"stored anyway); e-mails queued {report.queued}, delivered {report.delivered}, "
        f"duplicated {report.mail_duplicates}, missing {report.mail_missing} "
        f"({report.stale_claims} left claimed by a killed mail worker); kills: "
        f"{chaos.kills['worker']} workers, {chaos.kills['master']} master, "
        f"{chaos.kills['mail worker']} mail worker; {outcome.retries} retried requests; "
        f"{elapsed:.0f} s, gunicorn -w {args.workers}{' --preload' * args.preload}, "
        f"{args.clients} clients",
        flush=True,
    )
    tracebacks = server_log.split("Traceback")[1:]
    print(f"  server tracebacks: {len(tracebacks)}; answers refused: {len(outcome.refused)}")
    for problem in [*outcome.refused, *report.problems][:20]:
        print(f"  {problem}")
    if tracebacks:
        print("  the first traceback:" + tracebacks[0][:3000])
    return report.lost == 0 and report.duplicates == 0 and report.mail_missing == 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--databases", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite"]
    )
    parser.add_argument("--submissions", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument(
        "--no-preload",
        dest="preload",
        action="store_false",
        help="serve exactly as docs/deployment.md does: each new worker loads the app itself",
    )
    parser.add_argument("--postgres-server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--wait-claims",
        action="store_true",
        help="wait the real claim timeout for mail left claimed by a killed worker",
    )
    args = parser.parse_args()
    results = [run_one(database, args) for database in args.databases]
    raise SystemExit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
