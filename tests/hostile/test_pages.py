"""Every page, found from the URL configuration, gets hostile query parameters and hostile values in every field
its forms name: never a server error, and nothing saved when the answer is an error.

A route added to any urls.py is exercised without a change here: its parameters are filled by name (keys of
the objects in the test county, or hostile values), and its forms are read from the page it serves.
"""

from __future__ import annotations

import os
import random
import re
from html.parser import HTMLParser

import pytest
from django.contrib.messages import constants, get_messages
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from doudi.cases import workflow as wf
from doudi.registry.models import RECORD_MODELS

from .conftest import HOSTILE_TEXT, hostile_text, row_counts

# No shrinking: a page's forms depend on the data earlier examples changed, so an example cannot be replayed.
EXAMPLES = settings(
    max_examples=int(os.environ.get("DOUDI_HOSTILE_EXAMPLES", 3)),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    phases=[Phase.explicit, Phase.generate],
)
# Routes that are not pages of the application, or that end the session the test uses.
NOT_PAGES = {"logout"}
# Posting valid values here starts a background thread (payroll generation); it is posted with a bad month.
BACKGROUND = {"payroll_start"}
QUERY_KEYS = [
    "q",
    "area",
    "hukou_type",
    "page",
    "state",
    "queue",
    "status",
    "year",
    "format",
    "full",
    "on",
    "programme",
    "date_from",
    "date_to",
    "target",
    "action",
    "kind",
    "actor",
    "index",
    "member_count",
    "next",
]


def _routes(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("api/"):
                continue  # the API has its own tests (test_api.py, tests/test_schemathesis.py)
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name and p.name not in NOT_PAGES:
            yield p.name, dict(getattr(p.pattern, "converters", {}))


ROUTES = sorted(dict(_routes()).items())


class FormParser(HTMLParser):
    """The forms of a page: method, action and the names of their fields (input, select, textarea)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (a.get("method") or "get").lower(),
                    "action": a.get("action") or "",
                    "fields": {},
                    "files": [],
                }
            )
        elif tag in ("input", "select", "textarea") and a.get("name") and self.forms:
            if a.get("type") == "file":
                self.forms[-1]["files"].append(a["name"])
            elif a.get("type") not in ("submit", "button", "image", "reset"):
                self.forms[-1]["fields"].setdefault(a["name"], a.get("value") or "")


def forms_of(response) -> list[dict]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = FormParser()
    parser.feed(response.content.decode("utf-8", "replace"))
    # one form of each kind (a list page repeats the same form on every row)
    kinds = {(f["method"], f["action"], tuple(sorted(f["fields"])), tuple(f["files"])): f for f in parser.forms}
    return list(kinds.values())


def candidates(world, name: str, converter) -> list:
    """Values for a URL parameter, by its name: keys of real objects and keys that exist nowhere."""
    ids = [
        world[k].pk for k in ("household", "person", "case", "draft", "enrolment", "payroll", "version", "document")
    ] + [world["caseworker"].pk, world["admin"].pk, world["security"].pk]
    hostile_keys = [0, 999_999_999_999_999_999]
    by_name = {
        "pk": ids + hostile_keys,
        "household_id": [world["household"].pk, *hostile_keys],
        "record_id": [world["income_id"], *hostile_keys],
        "kind": [*RECORD_MODELS, "application", "survey", "approval", "refusal", "person", "household", "nope"],
        "move": [*wf.MOVES, "nope"],
        "verb": ["check", "approve", "cancel", "export", "return", "anomaly", "nope"],
        "programme": ["dibao", "tekun", "nope"],
    }
    if name in by_name:
        return by_name[name]
    regex = getattr(converter, "regex", "[^/]+")
    return [v for v in ["0" * 32, "abc", "x" * 300, "12", "..", "%00", "<b>"] if re.fullmatch(regex, v)] or ["1"]


def is_error(response) -> bool:
    if response.status_code >= 400:
        return True
    # only messages this request added (an earlier, unread one may still be in the cookie)
    if any(m.level >= constants.ERROR for m in getattr(get_messages(response.wsgi_request), "_queued_messages", [])):
        return True
    return response.status_code == 200 and b"errorlist" in response.content


@pytest.mark.parametrize("route,converters", ROUTES, ids=[r for r, _c in ROUTES])
@EXAMPLES
@given(data=st.data())
def test_page_survives_hostile_input(world, route, converters, data):
    # Everything is drawn up front, in the same order whatever the pages answer, so Hypothesis sees the same
    # draws in every run; the forms found on the page then take their values from the drawn pool.
    role = data.draw(st.sampled_from(["admin", "security", "audit", "county", "caseworker"]), label="role")
    kwargs = {
        name: data.draw(st.sampled_from(candidates(world, name, conv)), label=name) for name, conv in converters.items()
    }
    # every known query parameter at once, or a few of them (so one refusal does not hide another)
    keys = (
        QUERY_KEYS
        if data.draw(st.booleans(), label="all query keys")
        else data.draw(st.lists(st.sampled_from(QUERY_KEYS), min_size=1, max_size=3, unique=True), label="query keys")
    )
    query = {k: data.draw(hostile_text, label=f"?{k}") for k in keys}
    pool = data.draw(st.lists(hostile_text, min_size=24, max_size=24), label="pool")
    pick = random.Random(data.draw(st.integers(0, 2**32), label="seed"))
    client = Client()
    client.force_login(world[role])
    try:
        url = reverse(route, kwargs=kwargs)
    except NoReverseMatch:
        assume(False)
    page = client.get(url, query)
    assert page.status_code < 500, (url, query)

    for form in forms_of(client.get(url)):
        action = form["action"] or url
        if not action.startswith("/") or action.startswith("/accounts/logout"):
            continue
        # each field keeps the page's value or gets a hostile one
        values = {name: value if pick.random() < 0.3 else pick.choice(pool) for name, value in form["fields"].items()}
        if route in BACKGROUND:
            values["month"] = pick.choice(
                [v for v in HOSTILE_TEXT if not re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])", v)]
            )
        if form["method"] == "get":
            response = client.get(action, values)
            assert response.status_code < 500, (action, values)
            continue
        for name in form["files"]:
            values[name] = pick.choice(hostile_files())()
        before = row_counts()
        response = client.post(action, values)
        assert response.status_code < 500, (action, values)
        if is_error(response):
            assert row_counts() == before, (action, values)


def hostile_files():
    """Small disguised files (the oversized ones are in test_uploads.py); factories, as a file is read once."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    specs = [
        ("households.xlsx", b"this is text, not a workbook"),
        ("a.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        ("a.csv", b"\x00\x01\x02binary"),
        ("a.csv", b'"unterminated,quote\n' + b"x" * 200),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 10),
        ("empty.csv", b""),
        ("bom.csv", "\ufeff".encode()),
        ("x" * 250 + ".csv", b"code,name\n"),
    ]
    return [lambda n=n, c=c: SimpleUploadedFile(n, c) for n, c in specs]
