"""The hidden values of a new submission form, made for each visitor (also when the page
itself comes from the page cache, portal/web/page_cache.py)."""

from __future__ import annotations

import functools
import secrets
import time

from flask import current_app, session
from itsdangerous import URLSafeSerializer

ISSUED_KEYS = "submission_keys"


def signer() -> URLSafeSerializer:
    """Signs when a form was shown, so that a form sent too fast can be told apart."""
    return _signer(current_app.config["SECRET_KEY"])


@functools.lru_cache(maxsize=4)
def _signer(secret_key: str) -> URLSafeSerializer:
    """Built once per key: building one costs a JSON round trip."""
    return URLSafeSerializer(secret_key, salt="form-started")


def new_form_started() -> str:
    return signer().dumps(time.time())


def new_idempotency_key() -> str:
    """A new form's idempotency key, remembered in the session (the last five): a citizen who
    sends the same form twice is shown the first one's receipt, code included."""
    key = secrets.token_urlsafe(24)
    issued = [*session.get(ISSUED_KEYS, [])][-4:]
    session[ISSUED_KEYS] = [*issued, key]
    return key


def new_upload_token() -> str:
    return secrets.token_urlsafe(24)
