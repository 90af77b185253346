"""Pages for citizens.

CSRF here is checked by each form (BaseForm), not before the view: an expired token then
re-shows the form with everything typed kept and a fresh token, never a bare error page.
"""

from flask import Blueprint

from portal.extensions import csrf

bp = Blueprint("public", __name__)
csrf.exempt(bp)

from portal.public import (  # noqa: E402, F401
    dialogue_views,
    lookup_views,
    news_views,
    receipt_views,
    statistics_views,
    submission_views,
    views,
)
