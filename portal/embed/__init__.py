"""Pages made to sit inside the department's e-portal (iframe). Framing is allowed only here."""

from flask import Blueprint, g

from portal.extensions import csrf

bp = Blueprint("embed", __name__)
csrf.exempt(bp)  # forms check CSRF themselves, as on the public pages


@bp.before_request
def mark_embeddable() -> None:
    g.embeddable = True
