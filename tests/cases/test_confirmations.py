"""Irreversible steps ask first, naming what will happen (data-confirm, asked by doudi/static/doudi/doudi.js)."""

from __future__ import annotations

import html
import re

import pytest

pytestmark = pytest.mark.django_db


def _confirm(page: str, action: str) -> str:
    m = re.search(r'<form[^>]*action="[^"]*/' + action + r'/"[^>]*data-confirm="([^"]+)"', page)
    assert m, action
    return html.unescape(m.group(1))


def test_case_decisions_ask_naming_the_applicant(apply, people, client_for):
    from .conftest import walk

    case = walk(apply().cases.first(), people, until="county_review")
    page = client_for(people["approver"]).get(f"/cases/{case.pk}/").content.decode()
    approve = html.unescape(re.search(r'data-move="approve" data-confirm="([^"]+)"', page).group(1))
    assert approve.startswith("确认批准张大山的最低生活保障申请？")
    refuse = html.unescape(re.search(r'data-move="refuse" data-confirm="([^"]+)"', page).group(1))
    assert refuse == "确认不予批准张大山的最低生活保障申请？案件即办结，须书面告知申请人理由。"
    assert 'data-move="record_complaint" data-confirm' not in page  # an ordinary step asks nothing


def test_the_script_asks_before_submitting(client):
    r = client.get("/static/doudi/doudi.js")
    js = b"".join(r.streaming_content).decode() if r.streaming else r.content.decode()
    assert r.status_code == 200
    assert "window.confirm" in js and "data-confirm" in js and "preventDefault" in js
