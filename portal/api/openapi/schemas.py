"""The OpenAPI document's component schemas: what /api/v1 answers and accepts.

One dict, in the order the document lists them; it is long because every answer of the API
has its shape here, and cutting it would only scatter one table.
"""

from __future__ import annotations

from typing import Any

from portal.api import forms
from portal.api.openapi.common import (
    COUNT,
    DAY,
    MOMENT,
    STRING,
    URL,
    closed_object,
    nullable,
    ref,
    text,
)
from portal.api.serializers import IDENTITY_FIELDS
from portal.domain import limits
from portal.domain.provinces import ALL as ALL_PROVINCES
from portal.domain.provinces import HOME_PROVINCE
from portal.domain.workflow import STATUSES

CATEGORY = closed_object({"slug": STRING, "name": STRING})
ARTICLE_FIELDS = {
    "slug": STRING,
    "title": STRING,
    "summary": STRING,
    "published_at": MOMENT,
    "updated_at": MOMENT,
    "categories": {"type": "array", "items": ref("Category")},
    "tags": {"type": "array", "items": STRING},
    "url": URL,
}
DEADLINE = closed_object(
    {
        "rule": STRING,
        "title_vi": STRING,
        "title_en": STRING,
        "legal_basis": STRING,
        "due_on": DAY,
        "met_on": nullable(DAY),
    }
)
KIND = {"type": "string", "enum": list(forms.CASE_KINDS)}
STATUS = {"type": "string", "enum": sorted(STATUSES)}

SCHEMAS: dict[str, Any] = {
    "Error": closed_object(
        {
            "error": closed_object(
                {
                    "code": {"type": "integer"},
                    "title": STRING,
                    "detail": STRING,
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": STRING},
                    },
                },
                required=("code", "title", "detail"),
            )
        }
    ),
    "Index": closed_object({"name": STRING, "version": STRING, "agency": STRING, "openapi": URL}),
    "Category": CATEGORY,
    "ArticleSummary": closed_object(ARTICLE_FIELDS),
    "Article": closed_object(
        {**ARTICLE_FIELDS, "body_html": STRING, "source": nullable(STRING)},
    ),
    "ArticlePage": closed_object(
        {
            "items": {"type": "array", "items": ref("ArticleSummary")},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0},
            "next": nullable(STRING),
        }
    ),
    "Session": closed_object(
        {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": ["periodic", "unscheduled", "dialogue"]},
            "title": STRING,
            "topic": nullable(STRING),
            "starts_at": MOMENT,
            "ends_at": MOMENT,
            "mode": STRING,
            "place": nullable(STRING),
            "host_name": STRING,
            "status": STRING,
            "capacity": {"type": "integer"},
            "seats_left": nullable({"type": "integer"}),
            "registration_opens_at": nullable(MOMENT),
            "registration_closes_at": nullable(MOMENT),
            "public_note": nullable(STRING),
            "conclusions": nullable(STRING),
            "url": URL,
        }
    ),
    "Sessions": closed_object(
        {
            "upcoming": {"type": "array", "items": ref("Session")},
            "past": {"type": "array", "items": ref("Session")},
        }
    ),
    "Deadline": DEADLINE,
    "Headline": closed_object(
        {
            "year": {"type": "integer"},
            "month": nullable({"type": "integer", "minimum": 1, "maximum": 12}),
            "received": COUNT,
            "resolved": COUNT,
            "met_on_time": COUNT,
            "met_late": COUNT,
            "on_time_rate": nullable({"type": "number", "minimum": 0, "maximum": 1}),
            "overdue": COUNT,
            "rated": COUNT,
            "rating_average": nullable({"type": "number", "minimum": 1, "maximum": 5}),
            "sessions_held": COUNT,
        }
    ),
    "Statistics": closed_object(
        {
            "year": {"type": "integer"},
            "months": {
                "type": "array",
                "items": ref("Headline"),
                "description": "The months of the year up to this one.",
            },
            "total": ref("Headline"),
        }
    ),
    "StatusLookup": closed_object(
        {
            "access_code": {
                "type": "string",
                "maxLength": limits.ACCESS_CODE_MAX,
                "pattern": forms.VISIBLE_PATTERN,
                "description": "The code on the citizen's receipt, e.g. 7KQM-2XPA-9RTD-4HWC-N.",
            }
        }
    ),
    "CaseStatus": closed_object(
        {
            "number": STRING,
            "kind": KIND,
            "subject": STRING,
            "received_on": DAY,
            "status": STATUS,
            "events": {
                "type": "array",
                "items": closed_object({"at": MOMENT, "action": STRING, "note": nullable(STRING)}),
            },
            "deadlines": {"type": "array", "items": ref("Deadline")},
            "public_answer": nullable(STRING),
            "answered_on": nullable(DAY),
        }
    ),
    "Submitter": {
        "type": "object",
        "description": "For a confidential case only `pseudonym`; otherwise the identity.",
        "properties": {
            "pseudonym": nullable(STRING),
            **{name: nullable(STRING) for name in IDENTITY_FIELDS},
            "people_count": {"type": "integer"},
        },
        "additionalProperties": False,
    },
    "Case": closed_object(
        {
            "id": {"type": "integer"},
            "number": STRING,
            "kind": KIND,
            "channel": STRING,
            "status": STATUS,
            "received_on": DAY,
            "next_due_on": nullable(DAY),
            "division_id": nullable({"type": "integer"}),
            "confidential": {"type": "boolean"},
            "subject": nullable(STRING),
            "field": nullable(STRING),
            "deadlines": {"type": "array", "items": ref("Deadline")},
            "public_answer": nullable(STRING),
            "answered_on": nullable(DAY),
            "updated_at": MOMENT,
            "url": URL,
            "submitter": ref("Submitter"),
            "content": nullable(STRING),
            "location": nullable(STRING),
            "requested_outcome": nullable(STRING),
            "respondent": nullable(STRING),
        }
    ),
    "CasePage": closed_object(
        {
            "items": {"type": "array", "items": ref("Case")},
            "next_after": nullable({"type": "integer"}),
        }
    ),
    "NewCase": {
        **closed_object(
            {
                "kind": {"type": "string", "enum": list(forms.API_KINDS)},
                "subject": text("subject", required=True),
                "content": text("content", required=True),
                "field": {"type": "string", "enum": list(forms.FIELDS), "default": "other"},
                "location": text("location", required=False),
                "requested_outcome": text("requested_outcome", required=False),
                "name": text("name", required=True),
                "address": text("address", required=True),
                "commune": text("commune", required=True),
                "province": {
                    "type": "string",
                    "enum": list(ALL_PROVINCES),
                    "default": HOME_PROVINCE,
                },
                "phone": {
                    "type": "string",
                    "pattern": forms.PHONE_PATTERN,
                    "description": "A Vietnamese mobile or landline number in E.164 form.",
                    "example": "+84912345678",
                },
                "email": {
                    "type": "string",
                    "maxLength": limits.EMAIL_MAX,
                    "pattern": forms.EMAIL_PATTERN,
                    "example": "dan@example.vn",
                },
                "citizen_id_number": {"type": "string", "pattern": forms.CITIZEN_ID_PATTERN},
                "people_count": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": limits.PEOPLE_MAX,
                    "default": 1,
                },
                "representative": text("representative", required=False),
                "confidential": {"type": "boolean", "default": False},
                "consent": {
                    "type": "boolean",
                    "enum": [True],
                    "description": "The citizen agreed to the processing of their personal data.",
                },
            },
            required=("kind", "subject", "content", "name", "address", "commune", "consent"),
        ),
        "anyOf": [{"required": ["phone"]}, {"required": ["email"]}],
    },
    "CaseReceipt": closed_object(
        {
            "id": {"type": "integer"},
            "number": STRING,
            "kind": KIND,
            "access_code": STRING,
            "received_on": DAY,
            "status": STATUS,
        }
    ),
}
