"""Bank files are written once, from what the lines were generated with; the totals are stored when they are
checked; bank returns are applied set-based and leave nothing when refused or cut short."""

import datetime as dt
import hashlib
import importlib.util
import io
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.db import connection
from openpyxl import load_workbook

from doudi.audit.models import AuditEvent
from doudi.cases.models import Overpayment
from doudi.core.crypto import MAGIC
from doudi.core.errors import ApplicationError
from doudi.core.sealedfiles import read_plain, write_sealed
from doudi.payments import actions, bankfiles, ledger
from doudi.payments.banklayouts import LAYOUTS
from doudi.payments.generation import payroll_generate
from doudi.payments.models import BankExport, BankLayout, BankReturn, LedgerEntry, Payroll, PayrollLine, Recovery
from doudi.payments.totals import totals_recompute
from doudi.registry.actions import household_update, person_update
from doudi.registry.models import Person

from ..conftest import make_id
from ..sheets import csv_rows
from .conftest import card

ROOT = Path(__file__).resolve().parent.parent.parent
M1, M2 = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
FULL = {
    "columns": ["ref", "account", "name", "id_number", "amount"],
    "headers": ["流水号", "账号", "户名", "身份证号", "金额"],
}


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    return tmp_path


def approved(finance, month=M1):
    p = payroll_generate(actor=finance["f1"], programme="dibao", month=month)
    for a in p.anomalies.all():
        actions.anomaly_handle(actor=finance["f1"], anomaly=a, accept=True, reason="测试")
    actions.payroll_check(actor=finance["f1"], payroll=p)
    return actions.payroll_approve(actor=finance["f2"], payroll=p)


def stored_bytes(export) -> bytes:
    """The file as the bank receives it (stored sealed: read back decrypted)."""
    return read_plain(bankfiles.export_path(export))


def by_ref(export) -> dict[str, list[str]]:
    return {row[0]: row for row in csv_rows(stored_bytes(export))[1:]}


def test_lines_keep_what_they_were_generated_with(enrol, finance, staff, data_dir):
    """Both generation paths fill the line's ID number, account and holder; the bank file made after the registry
    changed still says what was approved."""
    steady = enrol("240.00", start=M1)  # starts this month: the set-based path
    arrears = enrol("100.00", start=dt.date(2025, 12, 1))  # owed December too: the exact path
    head = {e.pk: e.household.memberships.get(relation="head").person for e in (steady, arrears)}
    tekun_person = head[arrears.pk]
    tekun = enrol("400.00", programme="tekun", person=tekun_person)
    p = approved(finance)
    lines = {line.enrolment_id: line for line in PayrollLine.objects.filter(payroll=p)}
    for e in (steady, arrears):
        assert lines[e.pk].id_number == head[e.pk].id_number != ""
        assert lines[e.pk].account == e.household.bank_account and lines[e.pk].account_holder
    event = AuditEvent.objects.get(action="payroll.generate", target_id=str(p.pk))
    assert (event.new["set_based_lines"], event.new["exact_path_lines"]) == (1, 1)
    # the registry changes after approval: new account, new holder, a corrected ID number
    originals = {
        e.pk: (lines[e.pk].account, lines[e.pk].account_holder, lines[e.pk].id_number) for e in (steady, arrears)
    }
    household_update(
        actor=staff["caseworker_a"],
        household=steady.household,
        data={"bank_account": card(777), "account_holder": "新户名"},
    )
    person_update(actor=staff["caseworker_a"], person=head[steady.pk], data={"id_number": make_id("1960-01-01", 555)})
    layout = BankLayout.objects.create(name="全号", delimiter=",", full_id=True, **FULL)
    full = by_ref(actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv", layout=layout))
    masked = by_ref(actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv"))
    for e in (steady, arrears):
        account, holder, number = originals[e.pk]
        ref = str(lines[e.pk].pk)
        assert full[ref][1:4] == [account, holder, number]
        assert masked[ref][3] == number[:6] + "********" + number[-4:]
    # both files hold full accounts; only the first full ID numbers
    assert AuditEvent.objects.filter(action="access.id_number+bank_account.bank_export").count() == 1
    assert AuditEvent.objects.filter(action="access.bank_account.bank_export").count() == 1
    # tekun: the supported person's ID number
    t = payroll_generate(actor=finance["f1"], programme="tekun", month=M1)
    assert PayrollLine.objects.get(payroll=t, enrolment=tekun).id_number == tekun_person.id_number


def test_bank_file_written_once_and_served_as_stored(enrol, finance, client, data_dir):
    enrol("240.00")
    enrol("100.10")
    p = approved(finance)
    export = actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    content = stored_bytes(export)
    assert export.sha256 == hashlib.sha256(content).hexdigest()
    assert (export.total, export.line_count) == (Decimal("340.10"), 2)
    PayrollLine.objects.filter(payroll=p).update(account_holder="改过")  # nothing rewrites the stored file
    again = actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    assert again.pk == export.pk and BankExport.objects.count() == 1
    assert AuditEvent.objects.filter(action="payroll.export").count() == 1
    client.force_login(finance["f2"])
    assert b"".join(client.get(f"/payments/files/{export.pk}/").streaming_content) == content
    p.refresh_from_db()
    assert (p.state, p.ledger_total, p.lines_total, p.bank_total) == ("exported", *[Decimal("340.10")] * 3)
    assert [f.name for f in (data_dir / "bank" / str(p.pk)).iterdir()] == [export.stored_name]


def test_export_cut_short_or_disagreeing_leaves_nothing(enrol, finance, data_dir, monkeypatch):
    for amount in ("240.00", "100.00", "50.00"):
        enrol(amount)
    p = approved(finance)
    folder = data_dir / "bank" / str(p.pk)
    real_row = bankfiles.csv_row
    written = []

    def disk_full(values):  # the disk fills up after the header and the first line
        written.append(values)
        if len(written) > 2:
            raise OSError(28, "No space left on device")
        return real_row(values)

    monkeypatch.setattr(bankfiles, "csv_row", disk_full)
    with pytest.raises(OSError):
        actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    monkeypatch.setattr(bankfiles, "csv_row", real_row)
    real_total = bankfiles.read_total
    monkeypatch.setattr(bankfiles, "read_total", lambda *a, **k: (real_total(*a, **k)[0] + Decimal("0.01"), 3))
    with pytest.raises(ApplicationError) as info:
        actions.payroll_export(actor=finance["f2"], payroll=p, fmt="xlsx")
    assert info.value.code == "totals_disagree"
    p.refresh_from_db()
    assert p.state == "approved" and p.bank_total is None and not BankExport.objects.exists()
    assert list(folder.iterdir()) == []
    assert not AuditEvent.objects.filter(action="payroll.export").exists()
    # a temporary file left by a process killed outright is removed by the next export
    (folder / ".stale.csv.part").write_bytes(b"half")
    monkeypatch.setattr(bankfiles, "read_total", real_total)
    export = actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    assert [f.name for f in folder.iterdir()] == [export.stored_name]


def test_xlsx_refused_beyond_a_worksheet(enrol, finance, data_dir, monkeypatch):
    enrol("240.00")
    enrol("100.00")
    p = approved(finance)
    monkeypatch.setattr(bankfiles, "XLSX_MAX_ROWS", 2)
    with pytest.raises(ApplicationError) as info:
        actions.payroll_export(actor=finance["f2"], payroll=p, fmt="xlsx")
    assert info.value.code == "too_many_rows"
    assert actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv").line_count == 2


def test_stored_totals_shown_and_checked_at_approval(enrol, finance, client, data_dir):
    enrol("240.00")
    p = payroll_generate(actor=finance["f1"], programme="dibao", month=M1)
    assert (p.ledger_total, p.lines_total, p.bank_total) == (Decimal("240.00"), Decimal("240.00"), None)
    assert p.totals_at is not None
    client.force_login(finance["f1"])
    page = client.get(f"/payments/{p.pk}/").content.decode()
    assert "核对于" in page and "银行文件在导出时核对" in page
    # a line changed behind the application's back: pages show what was checked; the next check refuses
    PayrollLine.objects.filter(payroll=p).update(amount=Decimal("250.00"))
    assert "240.00" in client.get(f"/payments/{p.pk}/").content.decode()
    assert totals_recompute(p) == {"ledger": "240.00", "lines": "250.00", "bank_file": "250.00"}
    actions.payroll_check(actor=finance["f1"], payroll=p)
    with pytest.raises(ApplicationError) as info:
        actions.payroll_approve(actor=finance["f2"], payroll=p)
    assert info.value.code == "totals_disagree"
    from doudi.accounts.actions import token_create

    _t, key = token_create(actor=finance["f1"], name="t")
    body = client.get(f"/api/v1/payrolls/{p.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["totals"]["ledger"] == "240.00" and body["totals"]["bank_file"] is None
    assert body["totals"]["agree"] is True and body["totals"]["computed_at"]


def exported(enrol, finance, amounts=("240.00", "100.00", "50.00")):
    es = [enrol(a) for a in amounts]
    p = approved(finance)
    export = actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    lines = {line.enrolment_id: line for line in PayrollLine.objects.filter(payroll=p)}
    return p, export, [lines[e.pk] for e in es]


def ret(finance, p, body: str, name="r.csv", encoding="utf-8"):
    return actions.bank_return_import(actor=finance["f2"], payroll=p, filename=name, content=body.encode(encoding))


@pytest.mark.parametrize(
    "body, code",
    [
        ("ref,status\n{a},success\n{a},failed\n", "bad_rows"),
        ("ref,status\n{a},success\n999999,success\n", "unknown_refs"),
        ("ref,status,amount\n{a},success,240.01\n", "amount_mismatch"),
        ("ref,status,amount\n{a},success,240.001\n", "bad_rows"),
        ("ref,status\n{a},maybe\n", "bad_rows"),
    ],
)
def test_bad_return_changes_nothing(enrol, finance, data_dir, body, code):
    p, _export, (a, b, c) = exported(enrol, finance)
    with pytest.raises(ApplicationError) as info:
        ret(finance, p, body.format(a=a.pk))
    assert info.value.code == code
    assert set(PayrollLine.objects.filter(payroll=p).values_list("status", flat=True)) == {"pending"}
    assert not BankReturn.objects.exists() and not LedgerEntry.objects.filter(kind="reversal").exists()


def test_return_in_two_parts_with_an_offset_given_back(enrol, finance, people, data_dir):
    es = [enrol("240.00"), enrol("100.00"), enrol("50.00")]
    o = Overpayment.objects.create(
        enrolment=es[0], amount=Decimal("72.00"), reason="迟报", created_by=people["caseworker_a"]
    )
    p = approved(finance)
    o.refresh_from_db()
    assert o.status == "recovered"  # 30% of 240 offset at generation
    export = actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    a, b, c = (PayrollLine.objects.get(payroll=p, enrolment=e) for e in es)
    assert (a.amount, export.total) == (Decimal("168.00"), Decimal("318.00"))
    r1 = ret(finance, p, f"流水号,状态,原因,金额\n{a.pk},失败,账户已冻结,168.00\n{b.pk},成功,,100.00\n")
    assert (r1.paid, r1.failed, r1.paid_total, r1.failed_total) == (1, 1, Decimal("100.00"), Decimal("168.00"))
    a.refresh_from_db()
    assert (a.status, a.failure_reason) == ("failed", "账户已冻结")
    # the payment and the offset are reversed once each; the offset is given back and the overpayment reopens
    assert LedgerEntry.objects.filter(line=a, kind="reversal").count() == 2
    assert Recovery.objects.filter(line=a, kind="reversal").get().amount == Decimal("-72.00")
    o.refresh_from_db()
    assert o.status == "open"
    p.refresh_from_db()
    assert p.state == "exported" and (p.ledger_total, p.lines_total, p.bank_total) == (Decimal("150.00"),) * 3
    assert totals_recompute(p) == {"ledger": "150.00", "lines": "150.00", "bank_file": "150.00"}
    # the rest, in GB18030 as some banks write it, with a spreadsheet's ref
    ret(finance, p, f"流水号,状态,原因\n{c.pk}.0,失败,户名不符\n", encoding="gb18030")
    p.refresh_from_db()
    assert p.state == "reconciled" and p.bank_total == p.ledger_total == p.lines_total == Decimal("100.00")
    assert PayrollLine.objects.get(pk=c.pk).failure_reason == "户名不符"
    with pytest.raises(ApplicationError):  # a line has one result
        ret(finance, p, f"ref,status\n{b.pk},success\n")
    event = AuditEvent.objects.filter(action="payroll.bank_return").order_by("-id").first()
    assert event.new["totals_agree"] is True and event.new["bank_total"] == "100.00"


def test_return_cut_short_leaves_nothing(enrol, finance, data_dir, monkeypatch):
    p, _export, (a, b, c) = exported(enrol, finance)
    body = f"ref,status\n{a.pk},failed\n{b.pk},success\n{c.pk},success\n"

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies after the lines were marked, before the reversals

    monkeypatch.setattr(ledger, "entries_reverse", killed)
    with pytest.raises(KeyboardInterrupt):
        ret(finance, p, body)
    assert set(PayrollLine.objects.filter(payroll=p).values_list("status", flat=True)) == {"pending"}
    assert not BankReturn.objects.exists()
    monkeypatch.undo()
    ret(finance, p, body)  # and the same file imports whole afterwards
    p.refresh_from_db()
    assert p.state == "reconciled" and p.ledger_total == Decimal("150.00")


def test_xlsx_return(enrol, finance, data_dir):
    import io

    from openpyxl import Workbook

    p, _export, (a, b, c) = exported(enrol, finance)
    wb = Workbook()
    ws = wb.active
    ws.append(["流水号", "状态", "金额"])
    for line in (a, b, c):
        ws.append([line.pk, "成功", float(line.amount)])  # numbers, as a spreadsheet keeps them
    out = io.BytesIO()
    wb.save(out)
    r = actions.bank_return_import(actor=finance["f2"], payroll=p, filename="回盘.xlsx", content=out.getvalue())
    assert (r.paid, r.paid_total) == (3, Decimal("390.00"))


def test_cancel_gives_offsets_back(enrol, finance, people):
    e = enrol("240.00")
    o = Overpayment.objects.create(enrolment=e, amount=Decimal("100.00"), reason="x", created_by=people["caseworker_a"])
    p = payroll_generate(actor=finance["f1"], programme="dibao", month=M1)
    actions.payroll_cancel(actor=finance["f1"], payroll=p, reason="重做")
    p.refresh_from_db()
    assert p.ledger_total == Decimal("0.00") and sum(LedgerEntry.objects.values_list("amount", flat=True)) == 0
    assert Recovery.objects.filter(overpayment=o).values_list("kind", "amount").order_by("id")[::1] == [
        ("offset", Decimal("72.00")),
        ("reversal", Decimal("-72.00")),
    ]
    # reversing the same lines again writes nothing (an entry is reversed once)
    assert ledger.entries_reverse(PayrollLine.objects.filter(payroll=p), batch_id="again") == Decimal("0.00")
    assert not LedgerEntry.objects.filter(batch_id="again").exists()


def test_migration_fills_id_numbers_and_totals(enrol, finance, data_dir):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("doudi.payments.migrations.0003_stored_totals_line_id_numbers")
    e = enrol("240.00")
    p, export, _lines = exported(enrol, finance, amounts=("100.00",))
    line = PayrollLine.objects.get(payroll=p, enrolment=e)
    ret(finance, p, f"ref,status\n{line.pk},failed\n")
    # as before this change: no ID numbers on lines, no stored totals
    PayrollLine.objects.update(id_number="")
    Payroll.objects.update(ledger_total=None, lines_total=None, bank_total=None, totals_at=None)
    editor = SimpleNamespace(connection=connection)
    migration.fill_id_numbers(apps, editor)
    migration.fill_totals(apps, editor)
    head = Person.objects.get(memberships__household=e.household, memberships__relation="head")
    assert PayrollLine.objects.get(pk=line.pk).id_number == head.id_number
    p.refresh_from_db()
    assert (p.ledger_total, p.lines_total, p.bank_total) == (Decimal("100.00"),) * 3 and p.totals_at


def test_figures_count_each_month_of_arrears(enrol, finance, client, data_dir):
    """Summed in the database: a line paying December's arrears with January counts two person-months per member;
    a line the bank returned counts nothing."""
    enrol("240.00", start=M1)
    arrears = enrol("100.00", start=dt.date(2025, 12, 1))
    returned = enrol("50.00", start=M1)
    p = approved(finance)
    actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    line = PayrollLine.objects.get(payroll=p, enrolment=returned)
    ret(finance, p, f"ref,status\n{line.pk},failed\n")
    client.force_login(finance["f1"])
    from doudi.payments.reports import paid_figures

    data = paid_figures(finance["f1"], year=2026)
    [row] = data["rows"]
    assert (row["households"], row["person_months"], row["amount"]) == (2, 3, Decimal("440.00"))
    assert row["township"] == "511425101000" and row["month"] == M1
    assert data["per_capita"]["dibao/rural"]["per_capita"] == Decimal("146.7")  # 440 / 3
    assert PayrollLine.objects.get(payroll=p, enrolment=arrears).months == ["2025-12-01", "2026-01-01"]
    assert "146.7" in client.get("/payments/figures/", {"year": 2026}).content.decode()


# ---- each bank's layout, as data ---------------------------------------------------------------------------------


def read_layout_file(export) -> tuple[list, list[list], list]:
    """(header, body rows, totals row) of a stored file, read as the bank would: .xlsx cells as openpyxl gives
    them, text files decoded in the layout's encoding and split at its delimiter."""
    content = stored_bytes(export)
    if export.fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows())
        header = [c.value for c in rows[0]]
    else:
        rows = csv_rows(content, export.layout.encoding, export.layout.delimiter)
        header = rows[0]
    return header, rows[1:-1], rows[-1]


def test_each_bank_layout_drives_its_file(enrol, finance, client, data_dir):
    """Every layout in the table: its headers in its order, full account numbers, full ID numbers only where the
    layout asks, amounts as numbers (0.00 cells in .xlsx, plain decimals in text), a totals row that sums, and an
    audit trail of the export (who, which payroll, how many full IDs) and of every download."""
    for amount in ("1240.00", "100.10", "0.01"):
        enrol(amount)
    p = approved(finance)
    lines = {str(line.pk): line for line in PayrollLine.objects.filter(payroll=p)}
    client.force_login(finance["f2"])
    for spec in LAYOUTS.values():
        export = actions.payroll_export(actor=finance["f2"], payroll=p, layout=spec.name)
        assert export.layout.name == spec.name and export.fmt == spec.fmt
        header, body, totals = read_layout_file(export)
        assert header == list(spec.headers)
        col = {c: spec.columns.index(c) for c in spec.columns}
        assert len(body) == len(lines) == export.line_count
        for row in body:
            if spec.fmt == "xlsx":
                amount_cell = row[col["amount"]]
                assert amount_cell.data_type == "n" and amount_cell.number_format == "0.00"
                assert all(c.data_type == "s" for i, c in enumerate(row) if i != col["amount"])
                row = [c.value for c in row]
                amount = Decimal(str(row[col["amount"]]))
            else:
                assert re.fullmatch(r"\d+\.\d{2}", row[col["amount"]])  # no thousands separator, no sign
                amount = Decimal(row[col["amount"]])
            line = lines[str(row[col["ref"]])]
            assert amount == line.amount
            if "account" in col:
                assert row[col["account"]] == line.account  # in full, as text
            if "id_number" in col:
                expected = line.id_number if spec.full_id else line.id_number[:6] + "********" + line.id_number[-4:]
                assert row[col["id_number"]] == expected
        if spec.fmt == "xlsx":
            assert totals[col["amount"]].data_type == "n" and totals[col["amount"]].number_format == "0.00"
            totals = [c.value for c in totals]
        assert totals[col["ref"]] == "合计" and f"共{len(lines)}笔" in totals
        assert Decimal(str(totals[col["amount"]])) == p.total == Decimal("1340.11")
        assert bankfiles.stored_total(export) == p.total

        event = AuditEvent.objects.filter(action="payroll.export").latest("id")
        assert event.actor == finance["f2"] and event.target_id == str(p.pk)
        assert event.new["layout"] == spec.name and event.new["lines"] == 3
        assert event.new["full_ids"] == (3 if spec.full_id and "id_number" in spec.columns else 0)
        field = "id_number+bank_account" if spec.full_id and "id_number" in spec.columns else "bank_account"
        access = AuditEvent.objects.filter(kind="access", action=f"access.{field}.bank_export").latest("id")
        assert access.actor == finance["f2"] and access.new == {"field": field, "count": 3}

        r = client.get(f"/payments/files/{export.pk}/")
        assert b"".join(r.streaming_content) == stored_bytes(export)
        assert quote(f"（{spec.bank}）.{spec.fmt}") in r["Content-Disposition"]
        download = AuditEvent.objects.filter(kind="access", action=f"access.{field}.download").latest("id")
        assert download.actor == finance["f2"] and download.target_id == str(p.pk) and download.new["count"] == 3
    assert BankExport.objects.filter(payroll=p).count() == len(LAYOUTS)
    assert AuditEvent.objects.filter(action__endswith=".download").count() == len(LAYOUTS)


def test_the_table_decides_and_old_files_keep_their_layout(enrol, finance, data_dir, monkeypatch):
    enrol("240.00")
    enrol("100.00")
    p = approved(finance)
    name = "中国邮政储蓄银行 批量代发"
    first = actions.payroll_export(actor=finance["f2"], payroll=p, layout=name)
    changed = replace(LAYOUTS[name], columns=("amount", "ref", "account"), headers=("金额", "序号", "账号"), fmt="csv")
    monkeypatch.setitem(LAYOUTS, name, changed)
    second = actions.payroll_export(actor=finance["f2"], payroll=p, layout=name)
    assert second.layout_id != first.layout_id and second.layout.columns == ["amount", "ref", "account"]
    header, body, totals = read_layout_file(second)
    assert header == ["金额", "序号", "账号"] and sorted(r[0] for r in body) == ["100.00", "240.00"]
    assert totals == ["340.00", "合计", "共2笔"]  # the count in the first text column when there is no holder
    first.layout.refresh_from_db()
    assert first.layout.name.startswith(name + "（旧版")
    assert bankfiles.stored_total(first) == bankfiles.stored_total(second) == Decimal("340.00")

    with pytest.raises(ApplicationError) as info:
        actions.payroll_export(actor=finance["f2"], payroll=p, layout="某某银行")
    assert info.value.field == "layout"


def test_a_totals_row_that_disagrees_is_refused(enrol, finance, data_dir):
    enrol("240.00")
    p = approved(finance)
    export = actions.payroll_export(actor=finance["f2"], payroll=p)
    path = bankfiles.export_path(export)
    text = read_plain(path).decode("utf-8-sig").splitlines()
    text[-1] = text[-1].replace("240.00", "240.01")
    write_sealed(path, ("\r\n".join(text) + "\r\n").encode("utf-8-sig"))  # changed by someone holding the key
    with pytest.raises(ApplicationError) as info:
        bankfiles.stored_total(export)
    assert info.value.code == "totals_disagree"


def test_the_documented_examples_are_what_the_code_writes(tmp_path):
    """docs/examples/bank-files/: one file per layout, written by scripts/bank_examples.py with the code that
    writes the real files; each example is what that code writes today (run the script after changing a layout)."""
    spec = importlib.util.spec_from_file_location("bank_examples", ROOT / "scripts" / "bank_examples.py")
    examples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(examples)
    written = examples.write(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{f.code}.{f.fmt}" for f in LAYOUTS.values())
    for path in written:
        documented = ROOT / "docs" / "examples" / "bank-files" / path.name
        if path.suffix == ".csv":
            assert documented.read_bytes() == path.read_bytes(), path.name
            continue

        def cells(p):
            ws = load_workbook(p).worksheets[0]
            return [[(c.value, c.data_type, c.number_format) for c in row] for row in ws.iter_rows()]

        assert cells(documented) == cells(path), path.name
    assert (ROOT / "docs" / "examples" / "bank-file.csv").read_bytes() == (tmp_path / "default.csv").read_bytes()


def test_the_stored_bank_file_is_sealed_on_disk(enrol, finance, data_dir):
    enrol("240.00")
    p = approved(finance)
    export = actions.payroll_export(actor=finance["f2"], payroll=p)
    on_disk = bankfiles.export_path(export).read_bytes()
    line = PayrollLine.objects.get(payroll=p)
    assert on_disk.startswith(MAGIC) and line.account.encode() not in on_disk and line.account
    assert line.account.encode() in stored_bytes(export)  # the download decrypts it
    assert hashlib.sha256(stored_bytes(export)).hexdigest() == export.sha256  # the checksum is of what the bank gets
