"""Denouncers' identities: sealed at rest, never in clear anywhere we write."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.lib import crypto
from portal.models import Attachment, AuditLog, Case
from tests.conftest import CUSTODIAN_PASSPHRASE, is_postgres
from tests.integration.submission_helpers import fill, form_page, submit_and_read_code
from tests.services import missing

SECRETS = {
    "name": "Lê Thị Bí Mật",
    "phone": "0987 111 222",
    "citizen_id_number": "072190012345",
    "file": "to-cao-ong-Tran-Van-A-bang-chung.pdf",
}


def _pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _denounce(client):  # type: ignore[no-untyped-def]
    import io

    return submit_and_read_code(
        client,
        "to-cao",
        name=SECRETS["name"],
        phone=SECRETS["phone"],
        citizen_id_number=SECRETS["citizen_id_number"],
        email="bimat@example.vn",
        attachments=(io.BytesIO(_pdf()), SECRETS["file"]),
    )


def _needles() -> list[bytes]:
    values = [
        SECRETS["name"],
        "987111222",
        SECRETS["citizen_id_number"],
        SECRETS["file"],
        "bimat@example.vn",
    ]
    return [v.encode() for v in values]


def test_identity_is_sealed_and_only_the_custodian_can_open_it(client, custodian) -> None:
    _denounce(client)
    case = db.session.scalar(select(Case))
    assert case.confidential and case.pseudonym
    assert case.submitter_name is None and case.submitter_phone is None
    assert case.submitter_email is None and case.submitter_id_number is None
    identity = crypto.unseal(
        custodian.sealed_private_key_b64, CUSTODIAN_PASSPHRASE, case.identity_ciphertext
    )
    assert identity["submitter_name"] == SECRETS["name"]
    assert identity["submitter_phone"] == "+84987111222"
    attachment = db.session.scalar(select(Attachment))
    assert attachment.original_name is None
    assert (
        crypto.unseal_text(
            custodian.sealed_private_key_b64,
            CUSTODIAN_PASSPHRASE,
            attachment.original_name_ciphertext,
        )
        == SECRETS["file"]
    )
    with pytest.raises(crypto.CustodianKeyError):
        crypto.unseal(custodian.sealed_private_key_b64, "sai mật khẩu", case.identity_ciphertext)


def test_no_identity_in_database_files_logs_or_uploads(app, client, custodian, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    _denounce(client)
    db.session.remove()
    blobs: list[tuple[str, bytes]] = []
    if is_postgres(app):
        url = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg", "postgresql")
        dump = subprocess.run(["pg_dump", "--data-only", url], capture_output=True, check=True)
        blobs.append(("pg_dump", dump.stdout))
    else:
        database = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
        for path in (database, Path(f"{database}-wal")):
            if path.exists():
                blobs.append((path.name, path.read_bytes()))
    folder = Path(app.instance_path) / app.config["UPLOAD_FOLDER"]
    for path in folder.glob("*"):
        blobs.append((f"upload {path.name}", path.read_bytes() + path.name.encode()))
    blobs.append(("logs", caplog.text.encode()))
    assert len(blobs) >= 3
    for where, blob in blobs:
        for needle in _needles():
            assert needle not in blob, f"{needle!r} found in {where}"


def test_no_address_is_stored_for_denunciations(client, custodian) -> None:
    _denounce(client)
    for entry in db.session.scalars(select(AuditLog)):
        assert "127.0.0.1" not in str(entry.detail)


def test_denunciations_are_unavailable_without_a_custodian_key(client, config_override) -> None:
    config_override(CUSTODIAN_PUBLIC_KEY=None)
    page = client.get("/gui-don/to-cao")
    assert page.status_code == 503
    response = fill(client, "to-cao", page=form_page(client, "phan-anh"))
    assert response.status_code == 503
    assert db.session.query(Case).count() == 0


def test_identity_collection_can_be_switched_off(client, config_override) -> None:
    config_override(DENOUNCER_IDENTITY_ONLINE="none", CUSTODIAN_PUBLIC_KEY=None)
    page = form_page(client, "to-cao")
    assert 'name="name"' not in page and 'name="phone"' not in page
    response = fill(client, "to-cao", page=page, name=SECRETS["name"])
    assert response.status_code == 303
    case = db.session.scalar(select(Case))
    assert case.identity_withheld and case.identity_ciphertext is None
    assert case.submitter_name is None


def test_denunciation_letter_leaves_identity_blank(client, custodian) -> None:
    code = _denounce(client)
    page = client.post_form(
        "/gui-don/in-don", {"access_code": code}, token_from="/tra-cuu/"
    ).get_data(as_text=True)
    assert "ĐƠN TỐ CÁO" in page
    assert SECRETS["name"] not in page


def test_confidential_receipt_waits_sealed_and_its_address_is_erased_once_sent(
    app, client, custodian, smtp_server
) -> None:
    from portal.models import OutboxMessage

    _denounce(client)
    message = db.session.scalar(select(OutboxMessage))
    assert message.recipient == "" and message.sealed_recipient is not None
    assert b"bimat@example.vn" not in message.sealed_recipient
    app.test_cli_runner().invoke(args=["deliver-outbox"])
    (sent,) = smtp_server.messages
    assert sent["To"] == "bimat@example.vn"
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == "sent" and message.sealed_recipient is None


def test_rate_limits_are_shared_across_processes(app, app_ctx) -> None:
    """Two processes (two gunicorn workers, say) count against one limit in Redis."""
    import os

    import redis

    storage = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(storage, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError:
        missing("Redis", "Start it (redis-server) or set TEST_REDIS_URL.")
    settings = {
        "PORTAL_ENV": "test",
        "RATELIMIT_STORAGE_URI": storage,
        # each "worker" has its own throw-away database: only Redis is shared
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        # a form sent back with errors counts only toward the flood guard on attempts
        "SUBMISSION_ATTEMPT_RATE_LIMIT": "2/minute",
        "RATELIMIT_KEY_PREFIX": f"test-{os.getpid()}-{time.time_ns()}",
    }

    def worker(requests: int) -> str:
        script = (
            "from portal import create_app\n"
            "from portal.extensions import db\n"
            f"app = create_app({settings!r})\n"
            "app.app_context().push()\n"
            "db.create_all()\n"
            "c = app.test_client()\n"
            f"for _ in range({requests}):\n"
            "    r = c.post('/gui-don/phan-anh', data={})\n"
            "print(r.status_code)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(app.root_path).parent,
        )
        return done.stdout.strip().splitlines()[-1]

    assert worker(2) == "200"
    assert worker(1) == "429"
