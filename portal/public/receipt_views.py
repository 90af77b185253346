"""The receipt of a submission: kept in the citizen's session only (never in the address),
shown on the page the form redirects to, and again on Back or reload for a while."""

from __future__ import annotations

import time

from flask import g, render_template, session
from flask.typing import ResponseReturnValue
from markupsafe import escape

from portal.public import bp
from portal.web import page_cache
from portal.web.filters import qr_svg

RECEIPT_KEY = "receipt"
RECEIPT_SHOWN_FOR = 30 * 60  # seconds a receipt shows its code again (Back, reload)


def keep_receipt(number: str, code: str, kind: str, *, email: bool, reissue: bool) -> None:
    """The receipt, in this browser's session only (never in the address), for a while.
    `email`: a receipt was just e-mailed; `reissue`: a new code can be sent by e-mail."""
    session[RECEIPT_KEY] = {
        "number": number,
        "code": code,
        "kind": kind,
        "email": email,
        "reissue": reissue,
        "until": int(time.time()) + RECEIPT_SHOWN_FOR,
    }


@bp.get("/gui-don/da-gui")
def submitted() -> ResponseReturnValue:
    """The receipt, shown again on Back or reload in the same browser for RECEIPT_SHOWN_FOR;
    after that the code is forgotten and the page says how to get a new one.

    The page is the same for every receipt of a kind but for its number and code, so it is
    drawn once per variant (page_cache.render_variant) and each citizen's are filled in."""
    g.no_store = True  # the code never lands in the browser's cache
    receipt = session.get(RECEIPT_KEY)
    if receipt is not None and int(receipt.get("until", 0)) <= time.time():
        receipt = {k: v for k, v in receipt.items() if k in ("number", "kind", "reissue")}
        session[RECEIPT_KEY] = {**receipt, "expired": True}
        receipt = session[RECEIPT_KEY]
    if receipt is None:
        return page_cache.render_variant(
            "none", {}, lambda: render_template("public/submitted.html", receipt=None)
        )
    number, code = str(receipt.get("number", "")), str(receipt.get("code", ""))
    fillers: dict[str, page_cache.Filler] = {"number": lambda: escape(number)}
    if not receipt.get("expired"):  # an expired receipt no longer shows the code
        fillers["code"] = lambda: escape(code)
        fillers["code_spoken"] = lambda: escape(" ".join(code.replace("-", " ")))
        fillers["qr"] = lambda: qr_svg(code)
    flags = ("email", "reissue", "expired")
    variant = ":".join([str(receipt.get("kind")), *(str(int(bool(receipt.get(f)))) for f in flags)])

    def render() -> ResponseReturnValue:
        shown = {
            "kind": receipt.get("kind"),
            **{flag: bool(receipt.get(flag)) for flag in flags},
            **{name: page_cache.value(name) for name in fillers},
        }
        return render_template("public/submitted.html", receipt=shown)

    return page_cache.render_variant(variant, fillers, render)
