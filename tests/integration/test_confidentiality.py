"""Denouncers' identities: sealed at rest, never in clear anywhere we write."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from portal import crypto
from portal.extensions import db
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


def test_confidential_receipt_is_sent_but_not_queued(client, custodian, smtp_server) -> None:
    from portal.models import OutboxMessage

    _denounce(client)
    assert db.session.query(OutboxMessage).count() == 0
    assert len(smtp_server.messages) == 1


def test_rate_limits_are_shared_across_processes(app, client, config_override) -> None:
    storage = app.config["RATELIMIT_STORAGE_URI"]
    if not storage.startswith("redis"):
        missing("Redis rate-limit storage", "Run with TEST_RATELIMIT_STORAGE_URI=redis://...")
    config_override(SUBMISSION_RATE_LIMIT="2/minute")
    script = (
        "import re, sys\n"
        "from portal import create_app\n"
        f"app = create_app({{'PORTAL_ENV': 'test', 'RATELIMIT_STORAGE_URI': {storage!r},"
        f" 'SQLALCHEMY_DATABASE_URI': {app.config['SQLALCHEMY_DATABASE_URI']!r},"
        " 'SUBMISSION_RATE_LIMIT': '2/minute'})\n"
        "c = app.test_client()\n"
        "for _ in range(2):\n"
        "    r = c.post('/gui-don/phan-anh', data={})\n"
        "print(r.status_code)\n"
    )
    other = subprocess.run(
        [str(Path(__import__("sys").executable)), "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(app.root_path).parent,
    )
    assert other.stdout.strip().splitlines()[-1] == "200"
    assert fill(client, "phan-anh").status_code == 429


def test_leader_reveals_identity_with_reason_and_passphrase(client, login_as, custodian) -> None:
    _denounce(client)
    case = db.session.scalar(select(Case))
    leader = login_as("leader")
    page = client.get(f"/quan-tri/don/{case.id}").get_data(as_text=True)
    assert case.pseudonym in page and SECRETS["name"] not in page
    url = f"/quan-tri/don/{case.id}/danh-tinh"
    wrong = client.post_form(
        url,
        {"reason": "Cần xác minh theo yêu cầu của Thanh tra tỉnh", "passphrase": "sai"},
        token_from=f"/quan-tri/don/{case.id}",
    ).get_data(as_text=True)
    assert SECRETS["name"] not in wrong
    right = client.post_form(
        url,
        {
            "reason": "Cần xác minh theo yêu cầu của Thanh tra tỉnh",
            "passphrase": CUSTODIAN_PASSPHRASE,
        },
        token_from=f"/quan-tri/don/{case.id}",
    ).get_data(as_text=True)
    assert SECRETS["name"] in right
    actions = [
        e.action for e in db.session.scalars(select(AuditLog).where(AuditLog.actor_id == leader.id))
    ]
    assert "identity.reveal_failed" in actions and "identity.reveal" in actions


def test_clerk_cannot_reveal(client, login_as, custodian) -> None:
    _denounce(client)
    case = db.session.scalar(select(Case))
    login_as("clerk")
    page = client.get(f"/quan-tri/don/{case.id}").get_data(as_text=True)
    assert "danh-tinh" not in page
    response = client.post_form(
        f"/quan-tri/don/{case.id}/danh-tinh",
        {"reason": "tò mò muốn biết ai gửi", "passphrase": CUSTODIAN_PASSPHRASE},
        token_from=f"/quan-tri/don/{case.id}",
    )
    assert response.status_code == 403


def test_attachments_download_only_for_officials(app, client, login_as, custodian) -> None:
    _denounce(client)
    attachment = db.session.scalar(select(Attachment))
    anonymous = app.test_client()
    assert anonymous.get(f"/quan-tri/tep/{attachment.id}").status_code == 302
    login_as("handler")
    response = client.get(f"/quan-tri/tep/{attachment.id}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert SECRETS["file"] not in disposition
    assert response.data.startswith(b"%PDF")
