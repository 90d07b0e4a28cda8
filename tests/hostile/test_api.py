"""Every API operation, found from the OpenAPI schema, gets hostile path, query and body values (wrong types
included: a list where an object belongs, null, a number where text belongs): never a server error, an error
that names the field in Chinese and English, and nothing saved when the answer is an error."""

from __future__ import annotations

import json
import os
import random

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from doudi.api.api import api

from .conftest import hostile_json, hostile_text, row_counts

EXAMPLES = settings(
    max_examples=int(os.environ.get("DOUDI_HOSTILE_EXAMPLES", 4)),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    phases=[Phase.explicit, Phase.generate],
)
SCHEMA = api.get_openapi_schema(path_prefix="/api/v1")
OPERATIONS = sorted((path, method) for path, ops in SCHEMA["paths"].items() for method in ops)


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def body_properties(op: dict) -> dict:
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    return resolve(content["schema"]).get("properties", {}) if content else {}


def key_candidates(world) -> list:
    ids = [world[k].pk for k in ("household", "person", "case", "draft", "enrolment", "payroll", "version")]
    return ids + [0, -1, 2**63, 2**70, "abc", "1e3", " 1", "١"]


@pytest.mark.parametrize("path,method", OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
@EXAMPLES
@given(data=st.data())
def test_api_operation_survives_hostile_input(world, path, method, data):
    op = SCHEMA["paths"][path][method]
    role = data.draw(st.sampled_from(["county", "caseworker", "admin"]), label="role")
    keys = key_candidates(world)
    params = {}
    for p in op.get("parameters", []):
        if p["in"] == "path":
            enum = resolve(p["schema"]).get("enum")
            value = data.draw(
                st.sampled_from(enum + ["nope", "x" * 300]) if enum else st.one_of(st.sampled_from(keys), hostile_text),
                label=p["name"],
            )
            path = path.replace(f"{{{p['name']}}}", str(value).replace("/", "%2F") or "0")
        elif data.draw(st.booleans(), label=f"send {p['name']}"):
            params[p["name"]] = data.draw(hostile_text, label=p["name"])
    props = body_properties(op)
    pool = data.draw(st.lists(hostile_json, min_size=len(props) or 1, max_size=len(props) or 1), label="values")
    pick = random.Random(data.draw(st.integers(0, 2**32), label="seed"))
    shape = data.draw(st.sampled_from(["fields", "fields", "fields", "list", "null", "text", "broken"]), label="shape")
    body = None
    if props or "requestBody" in op:
        if shape == "fields":
            body = {name: value for name, value in zip(props, pool) if pick.random() < 0.7}
        else:
            body = {"list": [pool], "null": None, "text": "just text", "broken": '{"members": [}'}[shape]
    client = Client()
    token = world["tokens"][role]
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body is not None:
        kwargs.update(
            data=body if isinstance(body, str) and shape == "broken" else json.dumps(body),
            content_type="application/json",
        )
    before = row_counts()
    url = path + _query(params)
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code < 500, (method, url, params, body)
    if response.status_code >= 400:
        assert row_counts() == before, (method, url, params, body)
        error = response.json()
        assert error.get("message_zh") and error.get("message_en"), error


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode(params) if params else ""
