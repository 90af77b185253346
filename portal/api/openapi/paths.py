"""The OpenAPI document's paths: each operation of /api/v1, its parameters and answers."""

from __future__ import annotations

from typing import Any

from portal.api import forms
from portal.api.openapi.common import DAY, JSON, error_responses, json_response, ref
from portal.api.openapi.schemas import KIND, STATUS


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _integer_query(
    name: str, minimum: int, maximum: int, description: str, *, default: int | None = None
) -> dict[str, Any]:
    """An optional whole-number query parameter between `minimum` and `maximum`."""
    schema: dict[str, Any] = {"type": "integer", "minimum": minimum, "maximum": maximum}
    if default is not None:
        schema["default"] = default
    return _query(name, schema, description)


def _path_id(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": forms.MAX_ID},
    }


TOKEN: list[dict[str, list[str]]] = [{"bearerAuth": []}]

PATHS: dict[str, Any] = {
    "/": {
        "get": {
            "summary": "What this API is",
            "operationId": "index",
            "responses": {
                "200": json_response(ref("Index"), "The API's name and version."),
                **error_responses("500"),
            },
        }
    },
    "/articles": {
        "get": {
            "summary": "Published articles, newest first",
            "operationId": "listArticles",
            "parameters": [
                _integer_query("page", 1, forms.PAGE_MAX, "Page number.", default=1),
                _integer_query("per_page", 1, forms.PER_PAGE_MAX, "Articles per page.", default=10),
            ],
            "responses": {
                "200": json_response(ref("ArticlePage"), "One page of articles."),
                **error_responses("400", "500"),
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
                "200": json_response(ref("Article"), "The article."),
                **error_responses("404", "500"),
            },
        }
    },
    "/sessions": {
        "get": {
            "summary": "Reception and dialogue sessions: upcoming, and the last 50 past",
            "operationId": "listSessions",
            "responses": {
                "200": json_response(ref("Sessions"), "The schedule."),
                **error_responses("500"),
            },
        }
    },
    "/sessions/{session_id}": {
        "get": {
            "summary": "One session",
            "operationId": "getSession",
            "parameters": [_path_id("session_id")],
            "responses": {
                "200": json_response(ref("Session"), "The session."),
                **error_responses("404", "500"),
            },
        }
    },
    "/statistics": {
        "get": {
            "summary": "Public statistics headlines of a year, per month and in total",
            "description": "Counts only: nothing identifies a citizen or an official.",
            "operationId": "getStatistics",
            "parameters": [
                _integer_query(
                    "year", forms.FIRST_YEAR, forms.LAST_YEAR, "The year; this year when left out."
                )
            ],
            "responses": {
                "200": json_response(ref("Statistics"), "The year's headlines."),
                **error_responses("400", "500"),
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
            "requestBody": {"required": True, "content": {JSON: {"schema": ref("StatusLookup")}}},
            "responses": {
                "200": json_response(
                    ref("CaseStatus"), "What the citizen sees on the status page."
                ),
                **error_responses("400", "404", "413", "429", "500"),
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
                _integer_query("after", 0, forms.MAX_ID, "The `next_after` of the previous page."),
                _integer_query("limit", 1, forms.LIMIT_MAX, "Cases per page.", default=50),
            ],
            "responses": {
                "200": json_response(ref("CasePage"), "One page of cases."),
                **error_responses("400", "401", "403", "500"),
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
            "requestBody": {"required": True, "content": {JSON: {"schema": ref("NewCase")}}},
            "responses": {
                "200": json_response(
                    ref("CaseReceipt"), "This key was sent before: the first case."
                ),
                "201": json_response(ref("CaseReceipt"), "The case was registered."),
                **error_responses("400", "401", "403", "413", "500", "503"),
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
                "200": json_response(ref("Case"), "The case."),
                **error_responses("401", "403", "404", "500"),
            },
        }
    },
}
