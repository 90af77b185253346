"""The OpenAPI 3 document of /api/v1, as a plain dict.

Limits, patterns and choices come from portal/api/forms.py, the code that enforces them, so
the document describes what the API really accepts. tests/integration/test_api_schema.py
runs schemathesis against it.
"""

from __future__ import annotations

from typing import Any

from portal.api import forms
from portal.api.serializers import IDENTITY_FIELDS
from portal.domain.provinces import ALL as ALL_PROVINCES
from portal.domain.provinces import HOME_PROVINCE
from portal.domain.workflow import STATUSES

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


STRING = {"type": "string"}
DAY = {"type": "string", "format": "date"}
MOMENT = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
COUNT = {"type": "integer", "minimum": 0}

ERRORS = {
    "400": ("BadRequest", "The request is not valid; `fields` names the problem of each field."),
    "401": ("Unauthorized", "No token, or a token that is unknown, revoked or expired."),
    "403": ("Forbidden", "The token may not do this (wrong scope, another division's case)."),
    "404": ("NotFound", "Nothing here (for a case status: a wrong code or an unknown case)."),
    "405": ("MethodNotAllowed", "This method is not allowed here; see the Allow header."),
    "413": ("PayloadTooLarge", "The request body is too large."),
    "429": ("TooManyRequests", "Too many requests; wait before trying again."),
    "500": ("ServerError", "Something went wrong on our side."),
    "503": ("Unavailable", "Confidential cases cannot be received now; try again later."),
}


def _errors(*codes: str) -> dict[str, Any]:
    return {code: {"$ref": f"#/components/responses/{ERRORS[code][0]}"} for code in codes}


def _object(
    properties: dict[str, Any], *, required: tuple[str, ...] | None = None
) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
        "additionalProperties": False,
    }


def _text(name: str, *, required: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": forms.TEXT_LIMITS[name]}
    if required:
        schema["pattern"] = forms.VISIBLE_PATTERN
    return schema


CATEGORY = _object({"slug": STRING, "name": STRING})
ARTICLE_FIELDS = {
    "slug": STRING,
    "title": STRING,
    "summary": STRING,
    "published_at": MOMENT,
    "updated_at": MOMENT,
    "categories": {"type": "array", "items": _ref("Category")},
    "tags": {"type": "array", "items": STRING},
    "url": URL,
}
DEADLINE = _object(
    {
        "rule": STRING,
        "title_vi": STRING,
        "title_en": STRING,
        "legal_basis": STRING,
        "due_on": DAY,
        "met_on": _nullable(DAY),
    }
)
KIND = {"type": "string", "enum": list(forms.CASE_KINDS)}
STATUS = {"type": "string", "enum": sorted(STATUSES)}

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {
            "error": _object(
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
    "Index": _object({"name": STRING, "version": STRING, "agency": STRING, "openapi": URL}),
    "Category": CATEGORY,
    "ArticleSummary": _object(ARTICLE_FIELDS),
    "Article": _object(
        {**ARTICLE_FIELDS, "body_html": STRING, "source": _nullable(STRING)},
    ),
    "ArticlePage": _object(
        {
            "items": {"type": "array", "items": _ref("ArticleSummary")},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0},
            "next": _nullable(STRING),
        }
    ),
    "Session": _object(
        {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": ["periodic", "unscheduled", "dialogue"]},
            "title": STRING,
            "topic": _nullable(STRING),
            "starts_at": MOMENT,
            "ends_at": MOMENT,
            "mode": STRING,
            "place": _nullable(STRING),
            "host_name": STRING,
            "status": STRING,
            "capacity": {"type": "integer"},
            "seats_left": _nullable({"type": "integer"}),
            "registration_opens_at": _nullable(MOMENT),
            "registration_closes_at": _nullable(MOMENT),
            "public_note": _nullable(STRING),
            "conclusions": _nullable(STRING),
            "url": URL,
        }
    ),
    "Sessions": _object(
        {
            "upcoming": {"type": "array", "items": _ref("Session")},
            "past": {"type": "array", "items": _ref("Session")},
        }
    ),
    "Deadline": DEADLINE,
    "Headline": _object(
        {
            "year": {"type": "integer"},
            "month": _nullable({"type": "integer", "minimum": 1, "maximum": 12}),
            "received": COUNT,
            "resolved": COUNT,
            "met_on_time": COUNT,
            "met_late": COUNT,
            "on_time_rate": _nullable({"type": "number", "minimum": 0, "maximum": 1}),
            "overdue": COUNT,
            "rated": COUNT,
            "rating_average": _nullable({"type": "number", "minimum": 1, "maximum": 5}),
            "sessions_held": COUNT,
        }
    ),
    "Statistics": _object(
        {
            "year": {"type": "integer"},
            "months": {
                "type": "array",
                "items": _ref("Headline"),
                "description": "The months of the year up to this one.",
            },
            "total": _ref("Headline"),
        }
    ),
    "StatusLookup": _object(
        {
            "access_code": {
                "type": "string",
                "maxLength": forms.ACCESS_CODE_MAX,
                "pattern": forms.VISIBLE_PATTERN,
                "description": "The code on the citizen's receipt, e.g. 7KQM-2XPA-9RTD-4HWC-N.",
            }
        }
    ),
    "CaseStatus": _object(
        {
            "number": STRING,
            "kind": KIND,
            "subject": STRING,
            "received_on": DAY,
            "status": STATUS,
            "events": {
                "type": "array",
                "items": _object({"at": MOMENT, "action": STRING, "note": _nullable(STRING)}),
            },
            "deadlines": {"type": "array", "items": _ref("Deadline")},
            "public_answer": _nullable(STRING),
            "answered_on": _nullable(DAY),
        }
    ),
    "Submitter": {
        "type": "object",
        "description": "For a confidential case only `pseudonym`; otherwise the identity.",
        "properties": {
            "pseudonym": _nullable(STRING),
            **{name: _nullable(STRING) for name in IDENTITY_FIELDS},
            "people_count": {"type": "integer"},
        },
        "additionalProperties": False,
    },
    "Case": _object(
        {
            "id": {"type": "integer"},
            "number": STRING,
            "kind": KIND,
            "channel": STRING,
            "status": STATUS,
            "received_on": DAY,
            "next_due_on": _nullable(DAY),
            "division_id": _nullable({"type": "integer"}),
            "confidential": {"type": "boolean"},
            "subject": _nullable(STRING),
            "field": _nullable(STRING),
            "deadlines": {"type": "array", "items": _ref("Deadline")},
            "public_answer": _nullable(STRING),
            "answered_on": _nullable(DAY),
            "updated_at": MOMENT,
            "url": URL,
            "submitter": _ref("Submitter"),
            "content": _nullable(STRING),
            "location": _nullable(STRING),
            "requested_outcome": _nullable(STRING),
            "respondent": _nullable(STRING),
        }
    ),
    "CasePage": _object(
        {
            "items": {"type": "array", "items": _ref("Case")},
            "next_after": _nullable({"type": "integer"}),
        }
    ),
    "NewCase": {
        **_object(
            {
                "kind": {"type": "string", "enum": list(forms.API_KINDS)},
                "subject": _text("subject", required=True),
                "content": _text("content", required=True),
                "field": {"type": "string", "enum": list(forms.FIELDS), "default": "other"},
                "location": _text("location", required=False),
                "requested_outcome": _text("requested_outcome", required=False),
                "name": _text("name", required=True),
                "address": _text("address", required=True),
                "commune": _text("commune", required=True),
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
                    "maxLength": forms.MAX_EMAIL,
                    "pattern": forms.EMAIL_PATTERN,
                    "example": "dan@example.vn",
                },
                "citizen_id_number": {"type": "string", "pattern": forms.CITIZEN_ID_PATTERN},
                "people_count": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": forms.MAX_PEOPLE,
                    "default": 1,
                },
                "representative": _text("representative", required=False),
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
    "CaseReceipt": _object(
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


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _path_id(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": forms.MAX_ID},
    }


TOKEN = [{"bearerAuth": []}]

PATHS: dict[str, Any] = {
    "/": {
        "get": {
            "summary": "What this API is",
            "operationId": "index",
            "responses": {
                "200": _json(_ref("Index"), "The API's name and version."),
                **_errors("500"),
            },
        }
    },
    "/articles": {
        "get": {
            "summary": "Published articles, newest first",
            "operationId": "listArticles",
            "parameters": [
                _query(
                    "page",
                    {"type": "integer", "minimum": 1, "maximum": forms.PAGE_MAX, "default": 1},
                    "Page number.",
                ),
                _query(
                    "per_page",
                    {"type": "integer", "minimum": 1, "maximum": forms.PER_PAGE_MAX, "default": 10},
                    "Articles per page.",
                ),
            ],
            "responses": {
                "200": _json(_ref("ArticlePage"), "One page of articles."),
                **_errors("400", "500"),
            },
        }
    },
    "/articles/{slug}": {
        "get": {
            "summary": "One published article, with its sanitised HTML body",
            "operationId": "getArticle",
            "parameters": [
                {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "minLength": 1},
                }
            ],
            "responses": {
                "200": _json(_ref("Article"), "The article."),
                **_errors("404", "500"),
            },
        }
    },
    "/sessions": {
        "get": {
            "summary": "Reception and dialogue sessions: upcoming, and the last 50 past",
            "operationId": "listSessions",
            "responses": {
                "200": _json(_ref("Sessions"), "The schedule."),
                **_errors("500"),
            },
        }
    },
    "/sessions/{session_id}": {
        "get": {
            "summary": "One session",
            "operationId": "getSession",
            "parameters": [_path_id("session_id")],
            "responses": {
                "200": _json(_ref("Session"), "The session."),
                **_errors("404", "500"),
            },
        }
    },
    "/statistics": {
        "get": {
            "summary": "Public statistics headlines of a year, per month and in total",
            "description": "Counts only: nothing identifies a citizen or an official.",
            "operationId": "getStatistics",
            "parameters": [
                _query(
                    "year",
                    {"type": "integer", "minimum": forms.FIRST_YEAR, "maximum": forms.LAST_YEAR},
                    "The year; this year when left out.",
                )
            ],
            "responses": {
                "200": _json(_ref("Statistics"), "The year's headlines."),
                **_errors("400", "500"),
            },
        }
    },
    "/cases/status": {
        "post": {
            "summary": "A case's public status, for the holder of its access code",
            "description": (
                "A wrong code and an unknown case get the same 404. Rate limited like the "
                "lookup page."
            ),
            "operationId": "getCaseStatus",
            "requestBody": {"required": True, "content": {JSON: {"schema": _ref("StatusLookup")}}},
            "responses": {
                "200": _json(_ref("CaseStatus"), "What the citizen sees on the status page."),
                **_errors("400", "404", "413", "429", "500"),
            },
        }
    },
    "/cases": {
        "get": {
            "summary": "The cases of the token's division, oldest first (token: read_cases)",
            "operationId": "listCases",
            "security": TOKEN,
            "parameters": [
                _query("status", STATUS, "Only cases with this status."),
                _query("kind", KIND, "Only cases of this kind."),
                _query("received_from", DAY, "Received on or after this day."),
                _query("received_to", DAY, "Received on or before this day."),
                _query(
                    "after",
                    {"type": "integer", "minimum": 0, "maximum": forms.MAX_ID},
                    "The `next_after` of the previous page.",
                ),
                _query(
                    "limit",
                    {"type": "integer", "minimum": 1, "maximum": forms.LIMIT_MAX, "default": 50},
                    "Cases per page.",
                ),
            ],
            "responses": {
                "200": _json(_ref("CasePage"), "One page of cases."),
                **_errors("400", "401", "403", "500"),
            },
        },
        "post": {
            "summary": "Send a petition or reflection for a citizen (token: create_cases)",
            "description": (
                "Answers with the case number and the access code, which the calling system "
                "gives to the citizen. Sending the same Idempotency-Key again returns the first "
                "case with 200 instead of creating another."
            ),
            "operationId": "createCase",
            "security": TOKEN,
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "pattern": forms.IDEMPOTENCY_PATTERN},
                    "description": "Any unique value per case, e.g. your own record id.",
                }
            ],
            "requestBody": {"required": True, "content": {JSON: {"schema": _ref("NewCase")}}},
            "responses": {
                "200": _json(_ref("CaseReceipt"), "This key was sent before: the first case."),
                "201": _json(_ref("CaseReceipt"), "The case was registered."),
                **_errors("400", "401", "403", "413", "500", "503"),
            },
        },
    },
    "/cases/{case_id}": {
        "get": {
            "summary": "One case of the token's division (token: read_cases)",
            "operationId": "getCase",
            "security": TOKEN,
            "parameters": [_path_id("case_id")],
            "responses": {
                "200": _json(_ref("Case"), "The case."),
                **_errors("401", "403", "404", "500"),
            },
        }
    },
}


def document(*, server_url: str) -> dict[str, Any]:
    """The OpenAPI document, with the API's own address as its server."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Dân vận chính quyền e-portal API",
            "version": "1.0.0",
            "description": (
                "Public read-only endpoints, and endpoints for other systems holding a token "
                "issued by an administrator. Every error has the JSON body `Error`."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "responses": {
                name: _json(_ref("Error"), description) for name, description in ERRORS.values()
            },
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token (dvcq_…) from the department's administrator.",
                }
            },
        },
    }
