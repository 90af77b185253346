"""Flask's signed-cookie session, with its signer built once per secret key instead of twice a
request. Building one (itsdangerous) runs a JSON round trip to learn the serializer's type and
derives nothing that changes between requests; on a page served from the page cache that was
about a tenth of the request's cost (docs/performance.md, "Public pages")."""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CookieSessions(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._built: tuple[object, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        built = self._built
        if built is None or built[0] != keys:  # the first request, or a key changed (tests)
            built = (keys, super().get_signing_serializer(app))
            self._built = built
        return built[1]


def init_sessions(app: Flask) -> None:
    app.session_interface = CookieSessions()
