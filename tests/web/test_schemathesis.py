"""Property-based API contract: schemathesis generates requests from /openapi.json and checks the answers.

Bounded: a few dozen examples per operation, so the file runs in well under a minute. (Schemathesis'
pytest plugin does not load lazily under this pytest, so each operation drives Hypothesis itself.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

OPERATIONS = [
    "/api/countries", "/api/countries/{iso3}/panel", "/api/forecasts", "/api/countries/{iso3}/risk-history",
    "/api/countries/{iso3}/assistance", "/api/sources", "/healthz",
]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]


@pytest.fixture(scope="module")
def api_schema(web_app):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", web_app)


def test_every_operation_is_covered(api_schema) -> None:  # type: ignore[no-untyped-def]
    documented = {result.ok().path for result in api_schema.get_all_operations()}
    assert set(OPERATIONS) <= documented
    assert {"/api/briefs/{iso3}.html", "/api/briefs/{iso3}.pdf"} <= documented


@pytest.mark.parametrize("path", OPERATIONS)
def test_api_contract(api_schema, path: str) -> None:  # type: ignore[no-untyped-def]
    """No server errors; status codes, content types and bodies as the schema declares; invalid input rejected."""
    operation = api_schema[path]["GET"]
    calls = []

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(checks=CHECKS)
        calls.append(case)

    run()
    assert calls


@pytest.mark.parametrize("suffix", ["html", "pdf"])
def test_brief_contract_on_bad_input(api_schema, suffix: str) -> None:  # type: ignore[no-untyped-def]
    """Brief rendering is slow, so only a handful of generated (mostly unknown) codes."""
    operation = api_schema[f"/api/briefs/{{iso3}}.{suffix}"]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(checks=[not_a_server_error, status_code_conformance])

    run()
