"""The OpenAPI 3 document of /api/v1, as a plain dict.

Limits, patterns and choices come from portal/api/forms.py, the code that enforces them, so
the document describes what the API really accepts. tests/integration/test_api_schema.py
runs schemathesis against it. The building blocks are in common.py, the component schemas in
schemas.py and the operations in paths.py.
"""

from __future__ import annotations

from typing import Any

from portal.api.openapi.common import ERRORS, json_response, ref
from portal.api.openapi.paths import PATHS
from portal.api.openapi.schemas import SCHEMAS

__all__ = ["PATHS", "SCHEMAS", "document"]


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
                name: json_response(ref("Error"), description)
                for name, description in ERRORS.values()
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
