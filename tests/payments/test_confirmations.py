"""Irreversible steps ask first, naming what will happen (data-confirm, asked by doudi/static/doudi/doudi.js)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from doudi.payments.actions import payroll_check
from doudi.payments.generation import payroll_generate

pytestmark = pytest.mark.django_db


def _confirm(page: str, action: str) -> str:
    m = re.search(r'<form[^>]*action="[^"]*/' + action + r'/"[^>]*data-confirm="([^"]+)"', page)
    assert m, action
    return html.unescape(m.group(1))


def test_payroll_approve_export_cancel_ask_naming_the_payroll(enrol, finance, client_for):
    enrol("240.00")
    p = payroll_generate(actor=finance["f1"], programme="dibao", month=dt.date(2026, 1, 1))
    title = "2026年1月最低生活保障月度发放表：1户，合计240.00元"
    page = client_for(finance["f1"]).get(f"/payments/{p.pk}/").content.decode()
    assert _confirm(page, "cancel") == f"确认作废{title}？全部冲销，不能恢复。"
    payroll_check(actor=finance["f1"], payroll=p)
    page = client_for(finance["f2"]).get(f"/payments/{p.pk}/").content.decode()
    assert _confirm(page, "approve") == f"确认审批{title}？审批后不能修改，可导出银行文件发放。"
