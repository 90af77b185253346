"""`flask backup` and `flask restore`: a site with cases, attachments and access codes is
backed up, wiped, restored, and everything works again. On the database the suite runs on:
a SQLite file, or (with TEST_DATABASE_URL) a fresh PostgreSQL database on that server."""

from __future__ import annotations

import io
import os
import secrets
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from portal.cli.custodian import write_keys
from portal.extensions import db
from portal.models import Attachment, Case
from tests.conftest import CheckedClient
from tests.factories import PASSWORD, make_user
from tests.integration.submission_helpers import CODE_RE, fill
from tests.services import missing


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(params=["folder", "database"])
def site(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app of its own (instance folder, database) that the test may wipe, keeping its
    files in folders or in the database (FILE_STORAGE)."""
    from flask_migrate import upgrade

    from portal import create_app

    server = os.environ.get("TEST_DATABASE_URL", "")
    database_url = f"sqlite:///{tmp_path / 'site.db'}"
    admin_url = None
    if server.startswith("postgresql"):
        if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
            missing("pg_dump and pg_restore", "Install the PostgreSQL client programs.")
        name = f"backup_{secrets.token_hex(4)}"
        admin_url = make_url(server)
        with create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        database_url = admin_url.set(database=name).render_as_string(hide_password=False)
    app = create_app(
        {
            "PORTAL_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "FILE_STORAGE": request.param,
        }
    )
    app.test_client_class = CheckedClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if admin_url is not None:
        with create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(database_url).database}"'))


def _file_a_case(client: CheckedClient) -> str:
    response = fill(client, "phan-anh", attachments=(io.BytesIO(_png()), "ảnh.png"))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    match = CODE_RE.search(page)
    assert match
    return match.group(1)


def _status_page(client: CheckedClient, code: str) -> str:
    return client.post_form("/tra-cuu/", {"access_code": code}).get_data(as_text=True)


def _wipe(app: Flask) -> None:
    with app.app_context():
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.session.remove()
    shutil.rmtree(Path(app.instance_path) / app.config["UPLOAD_FOLDER"], ignore_errors=True)


def test_backup_wipe_restore(site: Flask, tmp_path: Path) -> None:
    with site.app_context():
        client: CheckedClient = site.test_client()  # type: ignore[assignment]
        codes = [_file_a_case(client), _file_a_case(client)]
        leader = make_user(roles=("leader",))
        leader_email = leader.email
        case = db.session.scalars(select(Case).order_by(Case.id)).first()
        assert case is not None
        case_id, number = case.id, case.number
        attachment = db.session.scalar(select(Attachment).where(Attachment.case_id == case_id))
        assert attachment is not None
        attachment_id = attachment.id
        sign_in = {"email": leader_email, "password": PASSWORD}
        client.post_form("/quan-tri/dang-nhap", sign_in)
        original = client.get(f"/quan-tri/tep/{attachment_id}").get_data()
        assert original.startswith(b"\x89PNG")

    keys = write_keys(site.instance_path, "a custodian passphrase of some length")
    sealed_keys = keys.read_bytes()

    runner = site.test_cli_runner()
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    archives = list((tmp_path / "backups").glob("portal-backup-*.tar.gz"))
    assert len(archives) == 1
    with tarfile.open(archives[0]) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    in_folders = any(n.startswith("files/uploads/") for n in names)
    # With the database storage the files are in the dump, with the rows.
    assert in_folders == (site.config["FILE_STORAGE"] == "folder")

    _wipe(site)
    keys.unlink()
    with site.app_context():
        assert db.session.scalar(select(Case.id)) is None
        client = site.test_client()  # type: ignore[assignment]
        assert number not in _status_page(client, codes[0])

    result = runner.invoke(args=["restore", str(archives[0]), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Restored the backup" in result.output
    assert keys.read_bytes() == sealed_keys

    with site.app_context():
        client = site.test_client()  # type: ignore[assignment]
        for code in codes:
            assert "Cột điện viễn thông đổ chắn đường" in _status_page(client, code)
        client.post_form("/quan-tri/dang-nhap", sign_in)
        case_page = client.get(f"/quan-tri/don/{case_id}")
        assert case_page.status_code == 200
        assert number in case_page.get_data(as_text=True)
        assert client.get(f"/quan-tri/tep/{attachment_id}").get_data() == original


def test_restore_refuses_a_damaged_archive(site: Flask, tmp_path: Path) -> None:
    runner = site.test_cli_runner()
    assert runner.invoke(args=["backup", "--to", str(tmp_path)]).exit_code == 0
    archive = next(tmp_path.glob("portal-backup-*.tar.gz"))
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    database = next((unpacked / "database").iterdir())
    database.write_bytes(database.read_bytes() + b"tampered")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        for path in sorted(unpacked.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(unpacked).as_posix())
    result = runner.invoke(args=["restore", str(damaged), "--yes"])
    assert result.exit_code != 0
    assert "damaged" in result.output
