"""schemathesis against /api/v1/openapi.json, in process, with every default check: the API
does what its document says, for valid and invalid input, with and without tokens."""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

from portal.api.openapi import document
from tests.api_helpers import (
    bearer,
    division_case,
    make_article,
    make_division,
    make_session,
    make_token,
)

# Known secrets: schemathesis builds some examples while collecting, before any fixture runs.
# By the method of the token operations: GET needs a read token, POST a create token.
TOKENS = {"GET": "dvcq_schemathesis-read", "POST": "dvcq_schemathesis-create"}


@pytest.fixture
def tokens(app_ctx: Flask, custodian, config_override) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A read token and a create token, and a little of everything for them to find."""
    config_override(LOOKUP_RATE_LIMIT="10000/minute")  # test the lookup, not the limiter
    division = make_division()
    division_case(division, kind="petition")
    division_case(division, kind="reflection", confidential=True)
    make_article()
    make_session()
    make_token("read_cases", division, secret=TOKENS["GET"])
    make_token("create_cases", secret=TOKENS["POST"])
    return TOKENS


# Loaded from the dict at import, as schemathesis needs the schema before the app fixture
# exists; the test below checks the app serves this very document.
schema = schemathesis.openapi.from_dict(document(server_url="/api/v1"))


@schema.auth(refresh_interval=None, retry_on=[])
class TokenAuth:
    """Gives each token operation a valid token; schemathesis leaves it out, or spoils it, when
    it tests what the API does without one."""

    def get(self, case, context) -> str:  # type: ignore[no-untyped-def]
        return TOKENS[case.operation.method.upper()]

    def set(self, case, data: str, context) -> None:  # type: ignore[no-untyped-def]
        case.headers = {**(case.headers or {}), **bearer(data)}


def test_the_served_document_is_the_one_tested(client) -> None:
    served = client.get("/api/v1/openapi.json").get_json()
    assert served == document(server_url="/api/v1")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_matches_its_openapi_document(case, app_ctx, tokens) -> None:  # type: ignore[no-untyped-def]
    case.operation.schema.app = app_ctx  # in process, no server: also for the auth probes
    case.call_and_validate(
        app=app_ctx,
        base_url="http://localhost/api/v1",
    )
