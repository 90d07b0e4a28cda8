"""The Content-Security-Policy (django-csp) allows no inline script or style, so the templates carry none: every
behaviour is in static/doudi/doudi.js, asked for by data- attributes. This scans every template and checks the
header the pages are served with."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "doudi" / "templates"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: address"),
    (re.compile(r"\bhx-on[:-]", re.I), "hx-on (needs eval)"),
    (re.compile(r"hx-vals\s*=\s*['\"]\s*js:", re.I), "hx-vals js: (needs eval)"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
]


def test_no_template_carries_inline_script_or_style():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for pattern, what in INLINE:
            for m in pattern.finditer(text):
                found.append(f"{path.relative_to(TEMPLATES)}: {what}: {text[m.start() : m.start() + 60]!r}")
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_pages_are_served_with_the_policy(client, staff):
    client.force_login(staff["caseworker_a"])
    policy = client.get("/households/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy
    assert "Content-Security-Policy" not in client.get("/api/v1/docs")  # Swagger UI starts itself inline
