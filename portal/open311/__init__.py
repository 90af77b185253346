"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), so civic-reporting clients
can file petitions and reflections and follow the public answers."""

from flask import Blueprint

from portal.extensions import csrf

bp = Blueprint("open311", __name__)
csrf.exempt(bp)  # API-key authenticated; no cookies are read

from portal.open311 import errors, views  # noqa: E402, F401
