"""Fixtures: the app on a real database (SQLite file, or PostgreSQL via TEST_DATABASE_URL),
a client that runs the page checker on every HTML page, and login_as(role)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import MetaData, text

from tests.factories import PASSWORD, make_user
from tests.pages import check_page

# The same examples on every run, so CI cannot fail on a draw a developer never saw; run
# with HYPOTHESIS_PROFILE=explore to search afresh.
settings.register_profile("stable", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "stable"))

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class CheckedClient(FlaskClient):
    """A test client that checks every HTML page it receives."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # A fresh app context per request, as in production: otherwise the test's context
        # (and its `g` and database session) would be shared by every request.
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            # End the test's own read snapshot so it sees what the request wrote.
            from portal.extensions import db

            db.session.rollback()
        if response.mimetype == "text/html" and not response.is_streamed:
            problems = check_page(response.get_data(as_text=True))
            assert not problems, f"{response.request.path}: {problems}"
        return response

    def csrf_token(self, url: str) -> str:
        page = self.get(url).get_data(as_text=True)
        match = CSRF_RE.search(page)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def post_form(self, url: str, data: dict, *, token_from: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
        """POST like a browser: take the CSRF token from the page the form is on."""
        token = self.csrf_token(token_from or url)
        return self.post(url, data={"csrf_token": token, **data}, **kwargs)


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _drop_everything(app: Flask) -> None:
    from portal.extensions import db

    with db.engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(bind=connection)
        metadata.drop_all(bind=connection)


# Reference data the migrations load (the news categories): kept between tests.
REFERENCE_TABLES = frozenset({"categories"})


def _empty_tables(app: Flask) -> None:
    from portal.extensions import db

    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                connection.execute(table.delete())


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    from portal import create_app

    # Its own instance folder: a developer's instance/ (settings.py, the demo custodian keys
    # that `make run` writes) must not change what the tests see.
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        {
            "PORTAL_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "INSTANCE_PATH": str(instance),
            # TEST_FILE_STORAGE=database runs the suite with the files in the database.
            "FILE_STORAGE": os.environ.get("TEST_FILE_STORAGE", "folder"),
        }
    )
    application.test_client_class = CheckedClient
    with application.app_context():
        _drop_everything(application)
        upgrade()
    yield application
    with application.app_context():
        from portal.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An app context per test, with every table emptied and rate limits reset after it."""
    from portal.extensions import db, limiter

    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables(app)
        limiter.reset()


@pytest.fixture
def client(app_ctx: Flask) -> CheckedClient:
    return app_ctx.test_client()  # type: ignore[return-value]


@pytest.fixture
def login_as(client: CheckedClient) -> Callable[..., object]:
    """Create an official with the given roles and sign them in through the login form."""

    def login(*roles: str, **user_fields: object) -> object:
        user = make_user(roles=roles or ("handler",), **user_fields)  # type: ignore[arg-type]
        response = client.post_form(
            "/quan-tri/dang-nhap", {"email": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


@pytest.fixture
def db_session(app_ctx: Flask):  # type: ignore[no-untyped-def]
    from portal.extensions import db

    return db.session


def is_postgres(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


__all__ = ["CheckedClient", "is_postgres", "text"]


class _Collector:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        import email

        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[_Collector]:
    """A real SMTP server on loopback; the app sends its mail there during the test."""
    from aiosmtpd.controller import Controller

    collector = _Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    saved = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", port
    try:
        yield collector
    finally:
        app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = saved
        controller.stop()


CUSTODIAN_PASSPHRASE = "người giữ khóa của Sở 2026"


@pytest.fixture(scope="session")
def custodian_keys():  # type: ignore[no-untyped-def]
    from nacl.pwhash import argon2id

    from portal.lib import crypto

    return crypto.generate_custodian_keys(
        CUSTODIAN_PASSPHRASE,
        opslimit=argon2id.OPSLIMIT_INTERACTIVE,
        memlimit=argon2id.MEMLIMIT_INTERACTIVE,
    )


@pytest.fixture
def custodian(app: Flask, custodian_keys) -> Iterator[object]:  # type: ignore[no-untyped-def]
    saved = app.config.get("CUSTODIAN_PUBLIC_KEY"), app.config.get("CUSTODIAN_SEALED_PRIVATE_KEY")
    app.config["CUSTODIAN_PUBLIC_KEY"] = custodian_keys.public_key_b64
    app.config["CUSTODIAN_SEALED_PRIVATE_KEY"] = custodian_keys.sealed_private_key_b64
    try:
        yield custodian_keys
    finally:
        app.config["CUSTODIAN_PUBLIC_KEY"], app.config["CUSTODIAN_SEALED_PRIVATE_KEY"] = saved


@pytest.fixture
def config_override(app: Flask) -> Iterator[Callable[..., None]]:
    """Change app settings for one test; they are put back afterwards."""
    saved: dict[str, object] = {}

    def override(**values: object) -> None:
        for key, value in values.items():
            saved.setdefault(key, app.config.get(key))
            app.config[key] = value

    yield override
    app.config.update(saved)
