"""A database outage degrades, never loses: with PostgreSQL stopped the form page still
answers, a submission comes back with everything typed and 503, the lookup answers 503, the
readiness check fails and the liveness check passes; when the database is back, the same
form goes through. The test runs its own PostgreSQL server (private_postgres.py) so that it
can stop it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import CheckedClient
from tests.integration.private_postgres import PrivatePostgres, private_postgres
from tests.integration.submission_helpers import (
    BY_KIND,
    fill,
    form_page,
    hidden_values,
    submit_and_read_code,
)


@pytest.fixture(scope="module")
def postgres() -> Iterator[PrivatePostgres]:
    with private_postgres() as server:
        yield server


@pytest.fixture(scope="module")
def outage_app(postgres: PrivatePostgres, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from flask_migrate import upgrade

    from portal import create_app

    app = create_app(
        {
            "PORTAL_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": postgres.url,
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("outage-instance")),
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    app.test_client_class = CheckedClient
    with app.app_context():
        upgrade()
    return app


def test_an_outage_keeps_what_the_citizen_typed(outage_app: Flask, postgres) -> None:  # type: ignore[no-untyped-def]
    from portal.extensions import db
    from portal.models import Case

    client = outage_app.test_client()
    assert client.get("/healthz/ready").get_data(as_text=True) == "ready"
    code = submit_and_read_code(client, "kien-nghi")
    postgres.stop()
    try:
        page = form_page(client, "phan-anh")  # the form needs no database
        assert 'name="subject"' in page

        sent = fill(client, "phan-anh", page=page)
        assert sent.status_code == 503
        assert int(sent.headers["Retry-After"]) > 0
        kept = sent.get_data(as_text=True)
        assert "Hệ thống đang gián đoạn, đơn của bạn chưa được gửi" in kept
        assert BY_KIND["phan-anh"]["content"] in kept
        assert "Nguyễn Văn Bình" in kept
        assert hidden_values(kept)["idempotency_key"] == hidden_values(page)["idempotency_key"]

        token = client.csrf_token("/tra-cuu/")
        looked_up = client.post("/tra-cuu/", data={"csrf_token": token, "access_code": code})
        assert looked_up.status_code == 503
        assert "Retry-After" in looked_up.headers
        assert code in looked_up.get_data(as_text=True)  # the code typed is kept
        assert "chưa tra cứu được đơn của bạn" in looked_up.get_data(as_text=True)

        assert client.get("/healthz").get_data(as_text=True) == "ok"
        ready = client.get("/healthz/ready")
        assert ready.status_code == 503
        assert ready.get_data(as_text=True).startswith("database: unavailable")
    finally:
        postgres.start()

    again = fill(client, "phan-anh", page=kept)  # the same form, as the citizen sends it again
    assert again.status_code == 303, again.get_data(as_text=True)[:2000]
    with outage_app.app_context():
        assert db.session.query(Case).count() == 2
    assert client.get("/healthz/ready").get_data(as_text=True) == "ready"
