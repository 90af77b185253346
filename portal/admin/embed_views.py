"""What the portal's webmaster pastes to embed our pages, with a live preview."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from portal.admin import bp
from portal.domain.permissions import Permission
from portal.web.security import require

# The widgets a portal embeds: (key in the URL, embed endpoint, label).
WIDGETS = (
    ("gui-don", "embed.submit", _l("Send a submission")),
    ("tra-cuu", "embed.lookup", _l("Look up a submission")),
    ("lich-tiep", "embed.schedule", _l("Reception and dialogue schedule")),
    ("tin-tuc", "embed.news_list", _l("Latest news")),
)


@dataclass(frozen=True)
class Widget:
    key: str
    label: str
    path: str  # from the app's root, as embed.js expects it
    url: str  # absolute, for the plain <iframe>
    page_url: str  # the same page on our site, linked from the <div> for portals without JS


def _widgets() -> list[Widget]:
    return [
        Widget(
            key=key,
            label=str(label),
            path=url_for(endpoint)[len(request.script_root) :],
            url=url_for(endpoint, _external=True),
            page_url=url_for(endpoint.replace("embed.", "public.", 1), _external=True),
        )
        for key, endpoint, label in WIDGETS
    ]


@bp.get("/nhung-vao-cong")
@require(Permission.MANAGE_SETTINGS)
def embed_snippets() -> ResponseReturnValue:
    widgets = _widgets()
    chosen = next((w for w in widgets if w.key == request.args.get("xem")), widgets[0])
    return render_template(
        "admin/embed_snippets.html",
        widgets=widgets,
        chosen=chosen,
        allowed_origins=current_app.config.get("EMBED_ALLOWED_ORIGINS") or [],
        script_url=url_for("static", filename="embed.js", _external=True),
    )
