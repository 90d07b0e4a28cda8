"""The icon and the API's documentation page are served from this installation, never from the internet."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_favicon_is_answered_and_linked(client, staff):
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/x-icon"
    body = b"".join(r.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO header, not an HTML page
    client.force_login(staff["admin"])
    page = client.get("/").content.decode()
    links = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert links, "the base template links an icon"
    for href in links:
        assert client.get(href).status_code == 200, href


@pytest.mark.django_db
def test_swagger_ui_references_only_local_assets(client, staff):
    client.force_login(staff["admin"])
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    page = r.content.decode()
    refs = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(ref.endswith("swagger-ui-bundle.js") for ref in refs)
    assert any(ref.endswith("swagger-ui.css") for ref in refs)
    for ref in refs:
        assert ref.startswith("/"), f"{ref} is not served by this installation"
        if ref.startswith("/static/"):
            assert finders.find(ref.removeprefix("/static/")), ref
            assert client.get(ref).status_code == 200, ref
    # no CDN named anywhere (the page's random CSRF token, which may spell "cdn" by chance, left out)
    assert "cdn" not in re.sub(r'csrf[-_a-z]*="[^"]*"|"csrfToken":\s*"[^"]*"', "", page, flags=re.I).lower()
