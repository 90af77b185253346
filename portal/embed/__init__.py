"""Pages made to sit inside the department's e-portal (iframe). Framing is allowed only here.

Every public page a citizen can reach from the submission form, the status lookup, the
reception schedule and the news has a twin under /embed: the same view, rendered without the
site's header and footer (base.html looks at `g.embeddable`). The portal includes them with
static/embed.js (docs/embedding.md).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, request
from flask.blueprints import BlueprintSetupState

from portal.extensions import csrf

bp = Blueprint("embed", __name__)
csrf.exempt(bp)  # forms check CSRF themselves, as on the public pages

# Public pages that make no sense inside a frame: the site's home, the health check, the
# language switch (the portal decides the language).
NOT_EMBEDDED = frozenset(
    {"public.home", "public.health", "public.health_ready", "public.set_language"}
)
# A cookie the embedded page's script looks for: when the browser refuses the frame's cookies
# (the portal and the app are on different sites), forms would fail on submit, so the page
# offers to open in a new tab instead.
COOKIE_PROBE = "embed_probe"


@bp.record_once
def mirror_public_pages(state: BlueprintSetupState) -> None:
    """Give each public page its twin under /embed (public blueprint registered first)."""
    app = state.app
    for rule in list(app.url_map.iter_rules()):
        if not rule.endpoint.startswith("public.") or rule.endpoint in NOT_EMBEDDED:
            continue
        state.add_url_rule(
            rule.rule,
            endpoint=rule.endpoint.removeprefix("public."),
            view_func=app.view_functions[rule.endpoint],
            methods=sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}),
        )


@bp.before_request
def mark_embeddable() -> None:
    g.embeddable = True


@bp.after_request
def set_cookie_probe(response: Response) -> Response:
    if response.mimetype == "text/html" and COOKIE_PROBE not in request.cookies:
        response.set_cookie(
            COOKIE_PROBE,
            "1",
            max_age=3600,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=False,  # read by the page's script; it carries nothing
            samesite="Lax",
        )
    return response


def _has_page(path_rule: str) -> bool:
    """Whether a GET view answers at this rule (a form posted to its own page: yes)."""
    return any(
        rule.rule == path_rule and "GET" in (rule.methods or set())
        for rule in current_app.url_map.iter_rules()
    )


def standalone_url() -> str:
    """The current embedded page as a full page of its own, for the "open in a new tab" link."""
    endpoint = request.endpoint or ""
    if not endpoint.startswith("embed."):
        return request.path
    values: dict[str, Any] = dict(request.view_args or {})
    if request.method == "GET":
        values.update(request.args.to_dict())
    twin = "public." + endpoint.removeprefix("embed.")
    rule = request.url_rule
    if rule is None or not _has_page(rule.rule):
        twin, values = "public.home", {}
    return current_app.url_for(twin, _standalone=True, **values)


def cookies_refused() -> bool:
    """A form came back without the cookie the page set: the browser refuses this frame's
    cookies, so the form can never pass its check here. Said without JavaScript too."""
    return bool(
        g.get("embeddable") and request.method == "POST" and COOKIE_PROBE not in request.cookies
    )


def embed_origins() -> str:
    """The origins the embedded page's script may talk to: the portal's, and our own (the
    officials' preview)."""
    own = request.host_url.rstrip("/")
    return " ".join([own, *(current_app.config.get("EMBED_ALLOWED_ORIGINS") or [])])
