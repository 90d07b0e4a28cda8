import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from doudi.audit.models import AuditEvent
from doudi.cases.models import ChangeKind, Overpayment
from doudi.core.errors import ApplicationError, PermissionDenied
from doudi.payments import actions
from doudi.payments.generation import payroll_generate
from doudi.payments.models import LedgerEntry, Payroll, PayrollLine
from doudi.payments.totals import totals_recompute

M1, M2, M3 = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def gen(finance, month, programme="dibao"):
    return payroll_generate(actor=finance["f1"], programme=programme, month=month)


def lines_by_enrolment(p):
    return {l.enrolment_id: l for l in PayrollLine.objects.filter(payroll=p)}


def test_regular_month_and_same_month_twice(enrol, finance):
    enrol("240.00"), enrol("100.00")
    p = gen(finance, M1)
    assert (p.line_count, p.total) == (2, Decimal("340.00"))
    assert gen(finance, M1).pk == p.pk  # asking again returns the same payroll
    assert Payroll.objects.count() == 1
    assert totals_recompute(p) == {"ledger": "340.00", "lines": "340.00", "bank_file": "340.00"}
    assert AuditEvent.objects.filter(action="payroll.generate").count() == 1


def test_arrears_from_the_month_after_approval(enrol, finance):
    e = enrol("240.00", start=M1)  # approved in December, first payroll in March
    line = lines_by_enrolment(gen(finance, M3))[e.pk]
    assert line.amount == Decimal("720.00") and line.current_amount == Decimal("240.00")
    assert line.arrears_amount == Decimal("480.00") and line.months == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert lines_by_enrolment(payroll_generate(actor=finance["f1"], programme="dibao", month=dt.date(2026, 4, 1)))[
        e.pk
    ].amount == Decimal("240.00")  # nothing paid twice


def test_changes_suspension_and_resumption_from_their_month(enrol, finance):
    e = enrol(
        "240.00",
        history=[
            (ChangeKind.DECREASE, M2, "200.00"),
            (ChangeKind.SUSPEND, M3, "200.00"),
            (ChangeKind.RESUME, dt.date(2026, 5, 1), "200.00"),
        ],
    )
    assert lines_by_enrolment(gen(finance, M1))[e.pk].amount == Decimal("240.00")
    assert lines_by_enrolment(gen(finance, M2))[e.pk].amount == Decimal("200.00")
    assert e.pk not in lines_by_enrolment(gen(finance, M3))
    assert e.pk not in lines_by_enrolment(gen(finance, dt.date(2026, 4, 1)))
    assert lines_by_enrolment(gen(finance, dt.date(2026, 5, 1)))[e.pk].amount == Decimal("200.00")


def test_gradual_exit_keeps_paying_then_stops(enrol, finance):
    e = enrol("240.00", history=[(ChangeKind.GRADUAL_EXIT, M2, "240.00"), (ChangeKind.TERMINATE, M3, "0.00")])
    e.end_month = M2
    e.save()
    assert lines_by_enrolment(gen(finance, M2))[e.pk].amount == Decimal("480.00")  # Jan arrears + Feb
    assert e.pk not in lines_by_enrolment(gen(finance, M3))


def test_anomaly_blocks_approval_until_handled(enrol, finance, staff):
    _good, bad = enrol("240.00"), enrol("100.00", account="6217000012345678")  # fails Luhn
    p = gen(finance, M1)
    anomaly = p.anomalies.get()
    assert anomaly.kind == "account" and anomaly.line.enrolment_id == bad.pk
    actions.payroll_check(actor=finance["f1"], payroll=p)
    with pytest.raises(ApplicationError) as info:
        actions.payroll_approve(actor=finance["f2"], payroll=p)
    assert info.value.code == "open_anomalies"
    with pytest.raises(ApplicationError):  # resolving without fixing the account is refused
        actions.anomaly_handle(actor=finance["f1"], anomaly=anomaly, accept=False)
    from doudi.registry.actions import household_update

    from .conftest import card

    household_update(actor=staff["caseworker_a"], household=bad.household, data={"bank_account": card(999)})
    actions.anomaly_handle(actor=finance["f1"], anomaly=anomaly, accept=False)
    assert PayrollLine.objects.get(pk=anomaly.line_id).account == card(999)
    assert actions.payroll_approve(actor=finance["f2"], payroll=p).state == "approved"


def test_anomaly_accepted_with_reason(enrol, finance):
    enrol("100.00", account="")
    p = gen(finance, M1)
    with pytest.raises(ApplicationError):
        actions.anomaly_handle(actor=finance["f1"], anomaly=p.anomalies.get(), accept=True, reason=" ")
    actions.anomaly_handle(actor=finance["f1"], anomaly=p.anomalies.get(), accept=True, reason="现金发放，已签收")
    assert p.anomalies.get().status == "accepted"


def test_other_anomalies(enrol, finance, staff):
    from doudi.registry.actions import person_update

    e = enrol("240.00")
    person_update(actor=staff["caseworker_a"], person=e.household.memberships.get().person, data={"deceased": True})
    e2 = enrol("100.00", start=M1, history=[(ChangeKind.INCREASE, M2, "300.00")])
    gen(finance, M1)
    p = gen(finance, M2)
    kinds = set(p.anomalies.values_list("kind", flat=True))
    assert "change" in kinds and "deceased" in kinds
    # the same person under dibao (household) and tekun
    head = e2.household.memberships.get().person
    tekun = enrol("400.00", programme="tekun", person=head)
    p3 = gen(finance, M3)
    # named from the shapes (exclusive_with, name_zh/name_en), not written for dibao and tekun in the payroll code
    assert list(p3.anomalies.filter(kind="exclusive").values_list("line__enrolment", "detail")) == [
        (e2.pk, f"成员 {head.name} 同时享受特困人员救助供养 / {head.name} also receives Extreme poverty support")
    ]
    # tekun's recipient is its shape's 供养对象
    person_update(actor=staff["caseworker_a"], person=head, data={"deceased": True})
    t = gen(finance, M3, "tekun")
    assert list(t.anomalies.filter(kind="deceased").values_list("line__enrolment", "detail")) == [
        (tekun.pk, f"供养对象 {head.name} 已登记死亡 / {head.name}, the supported person, is recorded as deceased")
    ]


def test_maker_checker(enrol, finance, staff):
    enrol("240.00")
    p = gen(finance, M1)
    actions.payroll_check(actor=finance["f1"], payroll=p)
    with pytest.raises(PermissionDenied) as info:
        actions.payroll_approve(actor=finance["f1"], payroll=p)
    assert info.value.code == "maker_checker"
    with pytest.raises(PermissionDenied):
        actions.payroll_approve(actor=staff["caseworker_a"], payroll=p)
    assert actions.payroll_approve(actor=finance["f2"], payroll=p).approved_by == finance["f2"]


def test_ledger_is_append_only_and_cancel_reverses(enrol, finance):
    enrol("240.00")
    p = gen(finance, M1)
    entry = LedgerEntry.objects.first()
    entry.amount = Decimal("1.00")
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    actions.payroll_cancel(actor=finance["f1"], payroll=p, reason="标准调整，重新生成")
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1
    assert sum(LedgerEntry.objects.values_list("amount", flat=True)) == 0
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():  # an entry is reversed once, by the database too
        LedgerEntry.objects.create(
            payroll=p,
            line=entry.line,
            enrolment_id=entry.enrolment_id,
            month=entry.month,
            kind="reversal",
            amount=-entry.amount,
            reverses=entry,
        )
    again = gen(finance, M1)
    assert again.pk != p.pk and again.total == Decimal("240.00")  # the month is owed again, once


def approve_and_export(p, finance, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    actions.payroll_check(actor=finance["f1"], payroll=p)
    actions.payroll_approve(actor=finance["f2"], payroll=p)
    return actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")


def test_reconciliation_with_failed_line_paid_next_month(enrol, finance, tmp_path, settings):
    a, b = enrol("240.00"), enrol("100.00")
    p = gen(finance, M1)
    export = approve_and_export(p, finance, tmp_path, settings)
    assert export.total == Decimal("340.00") and export.line_count == 2
    la, lb = lines_by_enrolment(p)[a.pk], lines_by_enrolment(p)[b.pk]
    ret = f"流水号,状态,原因,金额\n{la.pk},成功,,240.00\n{lb.pk},失败,账户已销户,100.00\n".encode()
    r = actions.bank_return_import(actor=finance["f2"], payroll=p, filename="return.csv", content=ret)
    p.refresh_from_db()
    assert (r.paid, r.failed, p.state) == (1, 1, "reconciled")
    assert totals_recompute(p) == {"ledger": "240.00", "lines": "240.00", "bank_file": "240.00"}
    nxt = lines_by_enrolment(gen(finance, M2))
    assert nxt[b.pk].amount == Decimal("200.00") and nxt[b.pk].arrears_amount == Decimal("100.00")
    assert nxt[a.pk].amount == Decimal("240.00")


def test_supplementary_payroll_pays_failed_lines(enrol, finance, tmp_path, settings):
    a, b = enrol("240.00"), enrol("100.00")
    p = gen(finance, M1)
    approve_and_export(p, finance, tmp_path, settings)
    lb = lines_by_enrolment(p)[b.pk]
    la = lines_by_enrolment(p)[a.pk]
    actions.bank_return_import(
        actor=finance["f2"],
        payroll=p,
        filename="r.csv",
        content=f"ref,status\n{la.pk},success\n{lb.pk},failed\n".encode(),
    )
    sup = payroll_generate(actor=finance["f1"], programme="dibao", month=M1, kind="supplementary")
    assert sup.pk != p.pk and sup.line_count == 1 and sup.total == Decimal("100.00")


def test_bad_return_file_changes_nothing(enrol, finance, tmp_path, settings):
    enrol("240.00")
    p = gen(finance, M1)
    approve_and_export(p, finance, tmp_path, settings)
    with pytest.raises(ApplicationError) as info:
        actions.bank_return_import(
            actor=finance["f2"], payroll=p, filename="r.csv", content=b"ref,status\n999999,success\nabc,maybe\n"
        )
    assert "第3行" in info.value.message or info.value.code in ("bad_rows", "unknown_refs")
    assert PayrollLine.objects.filter(status="pending").count() == 1


def test_overpayment_offset_and_repayment(enrol, finance, people):
    e = enrol("240.00")
    o = Overpayment.objects.create(
        enrolment=e, amount=Decimal("100.00"), reason="迟报收入", created_by=people["caseworker_a"]
    )
    line = lines_by_enrolment(gen(finance, M1))[e.pk]
    assert line.offset_amount == Decimal("72.00") and line.amount == Decimal("168.00")  # 30% of 240
    line2 = lines_by_enrolment(gen(finance, M2))[e.pk]
    assert line2.offset_amount == Decimal("28.00")
    o.refresh_from_db()
    assert o.status == "recovered"
    o2 = Overpayment.objects.create(enrolment=e, amount=Decimal("50.00"), reason="x", created_by=people["caseworker_a"])
    with pytest.raises(ApplicationError):
        actions.repayment_record(actor=finance["f2"], overpayment=o2, amount=Decimal("60.00"))
    actions.repayment_record(actor=finance["f2"], overpayment=o2, amount=Decimal("50.00"), note="现金退回")
    o2.refresh_from_db()
    assert o2.status == "recovered"


def test_cli_contract(enrol, finance, capsys):
    enrol("240.00")
    enrol("100.00")
    call_command("payroll", "generate", "--programme", "dibao", "--month", "2026-01")
    first = json.loads(capsys.readouterr().out)
    assert first["lines"] == 2 and first["total"] == "340.00"
    call_command("payroll", "generate", "--programme", "dibao", "--month", "2026-01")
    assert json.loads(capsys.readouterr().out) == first
    call_command("payroll", "totals", str(first["payroll"]))
    assert json.loads(capsys.readouterr().out) == {"ledger": "340.00", "lines": "340.00", "bank_file": "340.00"}
    with pytest.raises(SystemExit) as info:
        call_command("payroll", "generate", "--programme", "dibao", "--month", "2026-13")
    assert info.value.code == 2


def test_late_reported_change_becomes_an_overpayment_recovered_later(enrol, finance, people, staff):
    from doudi.cases.actions import change_report_record
    from doudi.registry.actions import record_add

    e = enrol("240.00")
    for m in (M1, M2, M3):
        gen(finance, m)
    # in March it comes out that since February the household had rent income: now ineligible
    record_add(
        actor=staff["caseworker_a"],
        household=e.household,
        kind="incomes",
        data={"kind": "property", "monthly": "5000.00"},
    )
    change_report_record(
        actor=people["caseworker_a"],
        enrolment=e,
        kind="income",
        effective_month=M2,
        details="迟报出租收入",
        on=dt.date(2026, 3, 20),
    )
    o = Overpayment.objects.get(enrolment=e)
    assert o.amount == Decimal("480.00") and not o.fraud  # February and March paid but not due


def test_set_based_path_takes_the_common_case_and_agrees_with_the_exact_path(enrol, finance):
    steady = enrol("240.00")
    changed = enrol("100.00", history=[(ChangeKind.INCREASE, M2, "150.00")])
    new = enrol("80.00", start=M2)
    returned = enrol("60.00")
    p1 = gen(finance, M1)
    PayrollLine.objects.filter(payroll=p1, enrolment=returned).update(status="failed")  # as if the bank returned it
    from doudi.payments.ledger import entries_reverse

    entries_reverse(PayrollLine.objects.filter(payroll=p1, enrolment=returned), batch_id="t")
    p2 = gen(finance, M2)
    event = AuditEvent.objects.filter(action="payroll.generate", target_id=str(p2.pk)).get()
    assert event.new["set_based_lines"] == 3 and event.new["exact_path_lines"] == 1  # the returned one is exact
    lines = lines_by_enrolment(p2)
    assert lines[steady.pk].amount == Decimal("240.00") and lines[changed.pk].amount == Decimal("150.00")
    assert lines[new.pk].amount == Decimal("80.00") and lines[returned.pk].amount == Decimal("120.00")
    assert totals_recompute(p2) == {"ledger": "590.00", "lines": "590.00", "bank_file": "590.00"}


def test_a_duplicate_is_the_same_recipient_twice(register, people, finance):
    """The duplicate check keys on the programme's recipient: two members of one household each paid by a programme
    paid to people (an old couple's disability subsidies) are two recipients, not a duplicate; the same person twice,
    or the same household twice in a programme paid to households (dibao), is."""
    from ..conftest import enrolment_direct, member

    couple = register(
        members=[member("王大爷", "1940-01-01", 31, "head"), member("李大娘", "1942-05-01", 32, "spouse")]
    )
    family = register(members=[member("赵建国", "1970-02-02", 33, "head")])

    def enrolment(household, programme, person=None):
        return enrolment_direct(household, programme, "100.00", M1, created_by=people["caseworker_a"], person=person)

    him, her = (m.person for m in couple.memberships.order_by("pk"))
    enrolment(couple, "disability", him)
    enrolment(couple, "disability", her)
    p = gen(finance, M1, "disability")
    assert p.line_count == 2 and not p.anomalies.filter(kind="duplicate").exists()
    twice = enrolment(couple, "disability", her)
    p = gen(finance, M2, "disability")
    assert list(p.anomalies.filter(kind="duplicate").values_list("line__enrolment", flat=True)) == [twice.pk]
    enrolment(family, "dibao")
    again = enrolment(family, "dibao")
    p = gen(finance, M1)
    assert list(p.anomalies.filter(kind="duplicate").values_list("line__enrolment", flat=True)) == [again.pk]
    # a one-off grant paid through a monthly programme (a veteran's Spring Festival grant) beside the same person's
    # monthly payment is not a duplicate; a second one-off of the same person in the month is
    month = dt.date(2026, 3, 1)
    enrolment_direct(couple, "veterans", "1760.00", month, created_by=people["caseworker_a"], person=him)
    enrolment_direct(couple, "veterans", "500.00", month, created_by=people["caseworker_a"], person=him, once=True)
    p = gen(finance, month, "veterans")
    assert p.line_count == 2 and not p.anomalies.filter(kind="duplicate").exists()
    april = dt.date(2026, 4, 1)
    enrolment_direct(couple, "veterans", "300.00", april, created_by=people["caseworker_a"], person=him, once=True)
    last = enrolment_direct(
        couple, "veterans", "200.00", april, created_by=people["caseworker_a"], person=him, once=True
    )
    p = gen(finance, april, "veterans")
    assert list(p.anomalies.filter(kind="duplicate").values_list("line__enrolment", flat=True)) == [last.pk]


def test_deceased_is_the_recipient_for_a_programme_paid_to_people(register, people, finance, staff):
    """For a programme paid to people, the death flagged is the recipient's own: an old woman's disability subsidy
    is not held because her husband, not a recipient, died; his own line is. Dibao, paid to the household, still
    flags any current member's death."""
    from doudi.registry.actions import person_update

    from ..conftest import enrolment_direct, member

    couple = register(
        members=[member("王大爷", "1940-01-01", 41, "head"), member("李大娘", "1942-05-01", 42, "spouse")]
    )
    him, her = (m.person for m in couple.memberships.order_by("pk"))
    hers = enrolment_direct(couple, "disability", "100.00", M1, created_by=people["caseworker_a"], person=her)
    person_update(actor=staff["caseworker_a"], person=him, data={"deceased": True})
    p = gen(finance, M1, "disability")
    assert p.line_count == 1 and not p.anomalies.filter(kind="deceased").exists()
    his = enrolment_direct(couple, "disability", "100.00", M2, created_by=people["caseworker_a"], person=him)
    p = gen(finance, M2, "disability")
    flagged = list(p.anomalies.filter(kind="deceased").values_list("line__enrolment", "detail"))
    assert flagged == [(his.pk, "领取对象 王大爷 已登记死亡 / 王大爷, the recipient, is recorded as deceased")]
    assert hers.pk not in [e for e, _ in flagged]
    enrolment_direct(couple, "dibao", "300.00", M1, created_by=people["caseworker_a"])
    p = gen(finance, M1)
    assert list(p.anomalies.filter(kind="deceased").values_list("detail", flat=True)) == [
        "成员 王大爷 已登记死亡 / member 王大爷 is recorded as deceased"
    ]
