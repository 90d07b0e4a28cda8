"""Bank files (CSV and .xlsx) and the payment figures write formula-like names as text and amounts as exact
numbers, and the project's own readers (file totals, bank return) still agree with them to the fen."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from doudi.core.sealedfiles import read_plain
from doudi.payments import actions, bankfiles
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.payments.totals import totals_recompute
from doudi.registry.actions import household_update

from ..conftest import HOSTILE
from ..sheets import csv_field, csv_rows, xlsx_cells, xlsx_text

AMOUNTS = ["240.00", "100.10", "200.20", "50.05", "33.33", "120.00", "99.99"]


def exported(finance, staff, enrol, tmp_path, settings):
    """An approved payroll of one line per hostile account holder."""
    settings.DATA_DIR = tmp_path
    for amount, holder in zip(AMOUNTS, HOSTILE):
        e = enrol(amount)
        household_update(actor=staff["caseworker_a"], household=e.household, data={"account_holder": holder})
    p = payroll_generate(actor=finance["f1"], programme="dibao", month=dt.date(2026, 1, 1))
    actions.payroll_check(actor=finance["f1"], payroll=p)
    actions.payroll_approve(actor=finance["f2"], payroll=p)
    assert p.total == sum(Decimal(a) for a in AMOUNTS)
    return p


def stored(export) -> bytes:
    return read_plain(bankfiles.bank_root() / str(export.payroll_id) / export.stored_name)


def test_csv_bank_file(enrol, finance, staff, tmp_path, settings):
    p = exported(finance, staff, enrol, tmp_path, settings)
    export = actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    rows = csv_rows(stored(export))
    assert rows[0] == ["流水号", "账号", "户名", "身份证号", "金额", "摘要"]
    lines = {str(line.pk): line for line in PayrollLine.objects.filter(payroll=p)}
    *body, totals = rows[1:]
    assert totals == ["合计", "", f"共{len(AMOUNTS)}笔", "", f"{p.total:.2f}", ""]
    assert sorted(r[2] for r in body) == sorted(csv_field(v) for v in HOSTILE)
    for ref, _account, name, _id, amount, _memo in body:
        assert name == csv_field(lines[ref].account_holder) and amount == f"{lines[ref].amount:.2f}"
    assert export.total == p.total and bankfiles.stored_total(export) == p.total
    assert totals_recompute(p) == dict.fromkeys(("ledger", "lines", "bank_file"), f"{p.total:.2f}")


def test_xlsx_bank_file_and_figures(client, enrol, finance, staff, tmp_path, settings):
    p = exported(finance, staff, enrol, tmp_path, settings)
    actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    export = actions.payroll_export(actor=finance["f2"], payroll=p, fmt="xlsx")  # the latest is the bank's file
    content = stored(export)
    for value in HOSTILE:
        xlsx_text(content, value)
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    lines = {str(line.pk): line for line in PayrollLine.objects.filter(payroll=p)}
    *body, totals = list(ws.iter_rows(min_row=2))
    assert len(body) == len(AMOUNTS)
    assert totals[0].value == "合计" and totals[4].data_type == "n" and Decimal(str(totals[4].value)) == p.total
    for ref, _account, name, _id, amount, _memo in body:
        line = lines[ref.value]
        assert ref.data_type == "s" and name.value == line.account_holder
        assert amount.data_type == "n" and Decimal(str(amount.value)) == line.amount  # a number, to the fen
    assert export.total == p.total and bankfiles.stored_total(export) == p.total
    assert totals_recompute(p) == dict.fromkeys(("ledger", "lines", "bank_file"), f"{p.total:.2f}")
    # the bank's return, written from the .xlsx, reconciles the payroll
    ret = "流水号,状态,金额\n" + "".join(f"{r.value},成功,{Decimal(str(a.value)):.2f}\n" for r, *_, a, _m in body)
    actions.bank_return_import(actor=finance["f2"], payroll=p, filename="r.csv", content=ret.encode())
    p.refresh_from_db()
    assert p.state == "reconciled"

    client.force_login(finance["f1"])
    r = client.get("/payments/figures/", {"year": 2026, "format": "xlsx"})
    assert r.status_code == 200
    cells = xlsx_cells(r.content)
    row = [c for c in cells if c.row == 2]
    assert [c.value for c in row[:4]] == ["dibao", "511425101000", "rural", "2026-01"]
    households, person_months, amount = row[4:]
    assert (households.value, person_months.value) == (len(AMOUNTS), len(AMOUNTS))
    assert amount.data_type == "n" and Decimal(str(amount.value)) == p.total == Decimal("843.67")
