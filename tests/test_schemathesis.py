"""Schemathesis against the API's own OpenAPI schema (/api/v1/openapi.json), in-process on the Django WSGI
application, with a small county in the database. Each operation is called with the token of the first role
that may use it (``callers``: a county approver, a finance officer, the county reviewer, a township caseworker,
then the administrators), found by one valid call per role, so the checks reach the business code and not only
the permission check that answers 403.

Every operation is called with data the schema says is valid (positive) and data it says is not (negative):
- no server error, ever (``not_a_server_error``);
- responses match the schema where it documents them (``response_schema_conformance``);
- valid data is not refused as malformed: a positive request answered 422 (the schema did not match), or 400
  with a code that only means "malformed" (too long, not a number, more than two decimals …), means the schema
  does not state a limit the API enforces (``schema_states_every_limit``). Refusals the schema cannot express
  — an ID number's check character, one head per household, an area outside the caller's scope, a case in
  the wrong state — stay 4xx answers of the application.
"""

from __future__ import annotations

import os
import warnings

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import NonInteractiveExampleWarning
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from doudi.api.api import api

from .hostile.conftest import *  # noqa: F401,F403  (the test county: world and its fixtures)

EXAMPLES = int(os.environ.get("DOUDI_SCHEMATHESIS_EXAMPLES", 8))
RUN = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    phases=[Phase.explicit, Phase.generate],
)
OPERATIONS = sorted(
    (method.upper(), path)
    for path, ops in api.get_openapi_schema(path_prefix="/api/v1")["paths"].items()
    for method in ops
)
# Codes of ApplicationError that only ever mean "this value is malformed": the schema states those limits.
FORMAT_CODES = {
    "too_long",
    "invalid_text",
    "control_characters",
    "invalid_amount",
    "amount_decimals",
    "amount_range",
    "invalid_int",
    "out_of_range",
    "invalid_date",
    "invalid_month",
    "invalid_choice",
    "schema",
}


@schemathesis.check
def schema_states_every_limit(ctx, response, case):
    """Valid data (by the schema) must not be refused as malformed."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    code = None
    if response.status_code in (400, 422):
        try:
            code = response.json().get("code")
        except Exception:  # noqa: BLE001 - a body that is not JSON is reported as it is
            code = "not JSON"
    if response.status_code == 422 or code in FORMAT_CODES:
        raise AssertionError(
            f"The schema allows what the API refuses as malformed ({response.status_code} {code}): "
            f"{response.text[:500]}"
        )
    return None


@pytest.fixture
def wsgi_schema(world):
    # The test runs in one database transaction; the WSGI handler would close the connection after each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def callers(world, people):
    """API tokens of the roles, business roles first."""
    from doudi.accounts.actions import staff_create, token_create

    from .conftest import PASSWORD

    finance = staff_create(
        actor=None,
        username="fin_schema",
        password=PASSWORD,
        role="finance_officer",
        area_code="511425000000",
        check_password=False,
    )
    return [
        token_create(actor=people["approver"], name="schemathesis")[1],
        token_create(actor=finance, name="schemathesis")[1],
        world["tokens"]["county"],
        world["tokens"]["caseworker"],
        world["tokens"]["admin"],
        world["tokens"]["security"],
        world["tokens"]["audit"],
    ]


def _caller(operation, tokens: list[str]) -> dict:
    """The headers of the first token a valid call of ``operation`` is not refused (403) for."""
    with warnings.catch_warnings():  # one example drawn outside @given, on purpose: only to choose the caller
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        case = operation.as_strategy(generation_mode=GenerationMode.POSITIVE).example()
    for token in tokens:
        headers = {"Authorization": f"Bearer {token}"}
        if case.call(headers=headers).status_code != 403:
            return headers
    raise AssertionError(f"every role was refused {operation.method.upper()} {operation.path}: nobody may call it")


@pytest.mark.parametrize("method,path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_schema_holds(world, wsgi_schema, callers, method, path):
    operation = wsgi_schema[path][method]
    headers = _caller(operation, callers)

    @RUN
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def valid(case):
        response = case.call(headers=headers)
        case.validate_response(
            response,
            checks=[not_a_server_error, response_schema_conformance, schema_states_every_limit],
            headers=headers,
        )

    @RUN
    @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    def invalid(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error], headers=headers)

    valid()
    if operation.body or operation.query or operation.path_parameters:
        invalid()
