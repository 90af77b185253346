"""Public pages rendered once per language and kept for a short while, for every visitor
whose page would be the same as anyone's (docs/performance.md, "Public pages").

A citizen's first pages (home, "Gửi đơn", a form, the schedule, "Tra cứu") cost a full
render each: Jinja, Babel look-ups, URL building, a few queries, 2-17 ms. Most of that is the
same for everybody. What differs per visitor on such a page is a handful of strings: the
CSRF token and a form's own hidden values (when it was shown, its idempotency key). Those are
rendered as markers, the page is kept in the app's cache (Flask-Caching: each process's
memory by default, Redis in production, so every worker and host shares it), and each visitor
gets the kept page with the markers replaced by values made for them: the same HTML, and the
same headers and cookies, since the after-request hooks and the session run as before.

A page is served from the cache only when it is the same for everyone: a GET without a
query string (the lists and searches that take one say so), from a visitor who is not signed
in and has no message waiting to be shown (a flash), outside the embedded pages (whose
cookie warning depends on the request) and outside safe mode. Anything else renders as
before. Only a 200 answer is kept. A page that changes with the data (the schedule, a
session's seats) is at most CACHE_DEFAULT_TIMEOUT seconds old, and `forget` drops it at once
where the app itself changes it (a registration).

The cache is only a shortcut: when it cannot be reached (Redis down or slow: its socket
times out after half a second), the page is rendered for the visitor as if there were no
cache, and the problem is logged.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, g, request, session
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf

from portal.extensions import cache
from portal.web.i18n import select_locale

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])
T = TypeVar("T")
Filler = Callable[[], str]

CSRF = "csrf_token"  # Flask-WTF keeps the signed token of the request in g under this name
# Letters and digits only: HTML and attribute escaping leave a marker as it is.
MARKER = "pagecacheQ7vX{}Z"
MARKERS = re.compile(rb"pagecacheQ7vX([a-z_]+)Z")  # split around it: text, name, text, ...
KEY_PREFIX = "page:"


def marker(name: str) -> str:
    return MARKER.format(name)


def value(name: str) -> str:
    """The per-visitor value `name` for the page being rendered: a marker while the page is
    being rendered for the cache, otherwise a value made for this visitor."""
    fillers: Mapping[str, Filler] = g.get("page_fillers", {})
    if g.get("page_caching"):
        return marker(name)
    return fillers[name]()


def cacheable(*, query: bool = False) -> bool:
    """True when this request's page is the same as anyone's (see the module docstring);
    with `query`, also for an address with a query string (a list's page, a search)."""
    if request.method != "GET" or (request.query_string and not query) or g.get("embeddable"):
        return False
    if g.get("safe_mode") or not current_app.config.get("CACHE_TYPE"):
        return False
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return True
    return "_user_id" not in session and "_flashes" not in session  # signed in; a message


def _key(path: str, language: str) -> str:
    return f"{KEY_PREFIX}{language}:{request.script_root}{path}"


def _request_key() -> str:
    path = request.full_path if request.query_string else request.path
    return _key(path, select_locale())  # Babel's own look-up costs more


Kept = tuple[tuple[bytes, ...], str]  # the page split at its markers, its content type
# Each process also keeps what it last read from the shared cache for a moment, so that a
# popular page costs no round trip to Redis and no unpickling on every request. A page is
# then at most CACHE_DEFAULT_TIMEOUT + LOCAL_SECONDS old, and `forget` reaches the other
# processes within LOCAL_SECONDS.
LOCAL_SECONDS = 2.0
LOCAL_ENTRIES = 256


def _local() -> dict[str, tuple[float, Kept]]:
    return current_app.extensions.setdefault("page_cache_local", {})  # one dict per app


def _get(key: str) -> Kept | None:
    now = time.monotonic()
    local = _local()
    if (held := local.get(key)) is not None and held[0] > now:
        return held[1]
    kept: Kept | None = _shared(lambda: cache.get(key), None)
    if kept is not None:
        _hold(local, key, kept, now)
    return kept


def _put(key: str, kept: Kept) -> None:
    _shared(lambda: cache.set(key, kept), None)
    if current_app.config["CACHE_TYPE"] != "NullCache":
        _hold(_local(), key, kept, time.monotonic())


def _hold(local: dict[str, tuple[float, Kept]], key: str, kept: Kept, now: float) -> None:
    if len(local) >= LOCAL_ENTRIES:
        local.clear()
    local[key] = (now + LOCAL_SECONDS, kept)


def forget(path: str) -> None:
    """Drop the kept copies of the page at `path` (as `request.path` gives it: without the
    app's URL prefix), in every language, after a change that the page shows."""
    for language in current_app.config["LANGUAGES"]:
        key = _key(path, language)
        _shared(lambda: cache.delete(key), None)  # noqa: B023  (called at once)
        _local().pop(key, None)


def _shared(action: Callable[[], T], default: T) -> T:
    """`action` on the shared cache, or `default` when the cache cannot be reached."""
    try:
        return action()
    except Exception as error:  # whatever the backend raises, the page does without it
        log.warning("page cache unavailable, page rendered: %s", type(error).__name__)
        return default


def cached(*, query: bool = False, **fillers: Filler) -> Callable[[F], F]:
    """Serve the view's page from the cache when `cacheable(query=query)`; `fillers` make
    the values that differ per visitor (the view reads them with `value(name)`); the CSRF
    token is always one of them."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            g.page_fillers = fillers
            if not cacheable(query=query):
                return view(*args, **kwargs)
            return _serve(_request_key(), lambda: view(*args, **kwargs), fillers)

        return wrapped  # type: ignore[return-value]  # same signature as the view

    return decorate


def render_variant(
    variant: str, fillers: Mapping[str, Filler], render: Callable[[], ResponseReturnValue]
) -> ResponseReturnValue:
    """A page that comes in a few variants, the same for everyone who sees one of them but
    for `fillers` (the receipt: one per kind of case, with the visitor's own number and
    code filled in). The view decides the variant; `render` draws it, reading each
    per-visitor value with `value(name)`. Fillers return HTML-safe text (Markup)."""
    g.page_fillers = fillers
    if not cacheable():
        return render()
    return _serve(f"{_request_key()}#{variant}", render, fillers)


def _serve(
    key: str, render: Callable[[], ResponseReturnValue], fillers: Mapping[str, Filler]
) -> ResponseReturnValue:
    kept = _get(key)
    if kept is None:
        response = _render_with_markers(render)
        parts = tuple(MARKERS.split(response.get_data()))
        if response.status_code != 200 or response.direct_passthrough:
            response.set_data(_fill(parts, fillers))
            return response
        kept = (parts, response.content_type or "")
        _put(key, kept)
    parts, content_type = kept
    return current_app.response_class(_fill(parts, fillers), content_type=content_type)


def _render_with_markers(render: Callable[[], ResponseReturnValue]) -> Response:
    g.page_caching = True
    setattr(g, CSRF, marker(CSRF))  # what generate_csrf returns while the page renders
    try:
        return current_app.make_response(render())
    finally:
        g.pop("page_caching", None)
        g.pop(CSRF, None)


def _fill(parts: tuple[bytes, ...], fillers: Mapping[str, Filler]) -> bytes:
    """The page with each marker replaced by its value for this visitor. The page is kept
    split at its markers (text, name, text, ...), as UTF-8 bytes: one join per request."""
    filled = list(parts)
    made: dict[bytes, bytes] = {}
    for index in range(1, len(filled), 2):
        name = filled[index]
        if name not in made:
            text = name.decode()
            made[name] = (generate_csrf() if text == CSRF else fillers[text]()).encode()
        filled[index] = made[name]
    return b"".join(filled)
