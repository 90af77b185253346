"""The building blocks of the OpenAPI document: references, closed objects, plain types,
the error answers every operation may give, and text fields with the limits the API enforces."""

from __future__ import annotations

from typing import Any

from portal.api import forms

JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
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


def error_responses(*codes: str) -> dict[str, Any]:
    return {code: {"$ref": f"#/components/responses/{ERRORS[code][0]}"} for code in codes}


def closed_object(
    properties: dict[str, Any], *, required: tuple[str, ...] | None = None
) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
        "additionalProperties": False,
    }


def text(name: str, *, required: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": forms.TEXT_LIMITS[name]}
    if required:
        schema["pattern"] = forms.VISIBLE_PATTERN
    return schema
