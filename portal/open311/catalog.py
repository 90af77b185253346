"""Our GeoReport services (petition, reflection) and their definitions, in the reader's language.

A service definition lists the "attributes" a client must ask for besides the standard
arguments. GeoReport has no consent argument, and the department may not process a citizen's
personal data without consent, so `consent` is a required attribute whose single value is
the consent sentence of the web form (attribute[consent]=true).
"""

from __future__ import annotations

from typing import Any, Final

from flask import url_for
from flask_babel import gettext as _

from portal.web.forms import FIELD_CHOICES
from portal.web.labels import kind_labels

CHANGESET: Final = "2026-11-27 00:00"
"""When the services or their definitions last changed (discovery's changeset): change it with
them, so clients know to refresh what they keep."""

CONSENT_VALUE: Final = "true"


def service_name(code: str) -> str:
    return kind_labels()[code]


def _descriptions() -> dict[str, str]:
    return {
        "petition": _(
            "A proposal to the department about a policy, a rule or the way a service works "
            "in its fields (press, publishing, post, telecommunications, information "
            "technology). The department answers within the legal time limit."
        ),
        "reflection": _(
            "A report of a situation in the department's fields that needs attention, for "
            "example a fallen telecommunications pole or unlicensed advertising. The "
            "department answers within the legal time limit."
        ),
    }


def _keywords() -> dict[str, str]:
    return {
        "petition": _("petition, proposal, policy, rule"),
        "reflection": _("reflection, report, situation, place"),
    }


def services() -> list[dict[str, Any]]:
    """GET services: one entry per service, in the specification's field order."""
    descriptions, keywords = _descriptions(), _keywords()
    return [
        {
            "service_code": code,
            "service_name": service_name(code),
            "description": descriptions[code],
            "metadata": True,
            "type": "realtime",
            "keywords": keywords[code],
            "group": _("Petitions and reflections"),
        }
        for code in ("petition", "reflection")
    ]


def definition(code: str) -> dict[str, Any]:
    """GET services/{code}: the attributes besides the standard arguments."""
    outcome = {"petition": _("What you propose"), "reflection": _("What you suggest")}[code]
    attributes: list[dict[str, Any]] = [
        {
            "variable": True,
            "code": "subject",
            "datatype": "string",
            "required": False,
            "datatype_description": _("At most 200 characters."),
            "order": 1,
            "description": _(
                "Subject: a short title. When it is empty, the first words of the "
                "description are used."
            ),
        },
        {
            "variable": True,
            "code": "field",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 2,
            "description": _("Field: the area of the department's work the matter concerns."),
            "values": [{"key": key, "name": str(label)} for key, label in FIELD_CHOICES],
        },
        {
            "variable": True,
            "code": "requested_outcome",
            "datatype": "text",
            "required": False,
            "datatype_description": _("At most 3,000 characters."),
            "order": 3,
            "description": outcome,
        },
        {
            "variable": True,
            "code": "consent",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": None,
            "order": 4,
            "description": _(
                "Consent to the processing of personal data (required). The department "
                "processes the name and contact details given only to handle this matter, "
                "as its privacy notice explains: %(url)s",
                url=url_for("public.privacy", _external=True),
            ),
            "values": [
                {
                    "key": CONSENT_VALUE,
                    "name": _(
                        "I agree that the department processes my personal data to handle "
                        "this matter."
                    ),
                }
            ],
        },
    ]
    return {"service_code": code, "attributes": attributes}
