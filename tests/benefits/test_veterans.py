"""Veterans' periodic payments through the payroll (issue 15, doudi/benefits/veterans.py): entered by the
township, approved by the county, paid monthly at the table in force (the new one from 1 August) to the person's
own account, suspended in prison and paid again from the month after release, paid to the month of death, and
one-off grants paid once even when the run is killed and run again."""

import datetime as dt
from decimal import Decimal

import pytest

from doudi.audit.models import AuditEvent
from doudi.benefits.life import person_death_record
from doudi.benefits.models import VeteranEntitlement, VeteranGrant
from doudi.benefits.veterans import (
    veteran_account_change,
    veteran_decide,
    veteran_enter,
    veteran_resume,
    veteran_suspend,
    veterans_grants_run,
    veterans_uprate,
)
from doudi.cases.models import Enrolment, EnrolmentStatus, Overpayment
from doudi.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from doudi.payments.actions import payroll_check
from doudi.payments.generation import payroll_generate
from doudi.payments.models import LedgerEntry, PayrollLine
from doudi.registry.models import Person

from ..conftest import member

OWN_ACCOUNT = "6228480000000012345"


def paid(fin, month, programme="veterans"):
    """The lines of the veterans' payroll of ``month`` (generated once; asking again returns the same one)."""
    p = payroll_generate(actor=fin, programme=programme, month=month)
    return {(line.enrolment_id, line.amount) for line in PayrollLine.objects.filter(payroll=p)}, p


def amount_of(lines, enrolment_id):
    return sum((a for e, a in lines if e == enrolment_id), Decimal(0))


M = dt.date.fromisoformat


def test_approved_pays_monthly_with_the_new_table_from_august_to_the_own_account(vet):
    v, _h = vet["entitled"]("disabled", 6, start="2026-06-01", bank_account=OWN_ACCOUNT, account_holder="王建国")
    fin = vet["finance"]
    expected = {"2026-06-01": "3440.00", "2026-07-01": "3440.00", "2026-08-01": "3580.00", "2026-09-01": "3580.00"}
    for month, amount in expected.items():
        lines, p = paid(fin, M(month))
        assert amount_of(lines, v.enrolment_id) == Decimal(amount), month
        line = PayrollLine.objects.get(payroll=p, enrolment_id=v.enrolment_id)
        assert (line.account, line.account_holder) == (OWN_ACCOUNT, "王建国")
    assert veterans_uprate(actor=vet["staff"]["approver"], month=M("2026-08-01")).changed == 0  # already there


def test_a_table_approved_late_is_paid_as_arrears(vet):
    """Paid July and August at the 2025 table, then the 2026 table counted from August: September's payroll pays
    August's difference as arrears."""
    v, _h = vet["entitled"]("martyr_family", start="2026-07-01")
    fin = vet["finance"]
    e = Enrolment.objects.get(pk=v.enrolment_id)
    e.changes.filter(from_month__gte=M("2026-08-01")).delete()  # as if approved before the new table existed
    e.monthly_amount = Decimal("2810.00")
    e.save()
    assert amount_of(paid(fin, M("2026-07-01"))[0], e.pk) == Decimal("2810.00")
    assert amount_of(paid(fin, M("2026-08-01"))[0], e.pk) == Decimal("2810.00")
    assert veterans_uprate(actor=vet["staff"]["approver"], month=M("2026-08-01")).changed == 1
    assert veterans_uprate(actor=vet["staff"]["approver"], month=M("2026-08-01")).changed == 0  # rerun: nothing
    september = paid(fin, M("2026-09-01"))[0]
    assert amount_of(september, e.pk) == Decimal("2920.00") + Decimal("110.00")  # September + August's arrears


@pytest.mark.parametrize(
    "start,release,unpaid",
    [
        ("2026-03-15", "2026-06-20", ["2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01"]),
        ("2026-03-01", "2026-03-31", ["2026-03-01"]),
    ],
)
def test_prison_suspends_and_resumption_pays_from_the_month_after_release(vet, start, release, unpaid):
    v, _h = vet["entitled"]("demobilised", start="2026-01-01")
    fin, approver = vet["finance"], vet["staff"]["approver"]
    for month in ("2026-01-01", "2026-02-01"):
        assert amount_of(paid(fin, M(month))[0], v.enrolment_id) == Decimal("1830.00")
    veteran_suspend(actor=approver, entitlement=v, started_on=M(start), note="判处有期徒刑")
    assert Enrolment.objects.get(pk=v.enrolment_id).status == EnrolmentStatus.SUSPENDED
    with pytest.raises(Conflict):
        veteran_suspend(actor=approver, entitlement=v, started_on=M(start))
    veteran_resume(actor=approver, entitlement=v, released_on=M(release))
    for month in ["2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01"]:
        got = amount_of(paid(fin, M(month))[0], v.enrolment_id)
        want = Decimal(0) if month in unpaid else Decimal("1900.00" if month >= "2026-08-01" else "1830.00")
        assert got == want, month
    assert not Overpayment.objects.filter(enrolment_id=v.enrolment_id).exists()


def test_prison_recorded_late_leaves_the_months_paid_to_recover(vet):
    v, _h = vet["entitled"]("war_participant", start="2026-01-01")
    fin = vet["finance"]
    for month in ("2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"):
        paid(fin, M(month))
    veteran_suspend(actor=vet["staff"]["approver"], entitlement=v, started_on=M("2026-03-02"))
    assert Overpayment.objects.get(enrolment_id=v.enrolment_id).amount == Decimal("1880.00")  # March and April
    assert amount_of(paid(fin, M("2026-05-01"))[0], v.enrolment_id) == 0


def test_paid_to_the_month_of_death_then_no_more(vet):
    v, _h = vet["entitled"]("illness_death_family", start="2026-09-01", name="李秀英", seq=42)
    fin = vet["finance"]
    paid(fin, M("2026-09-01"))
    person_death_record(actor=vet["staff"]["caseworker_a"], person=v.person, died_on=M("2026-10-15"), details="病故")
    assert amount_of(paid(fin, M("2026-10-01"))[0], v.enrolment_id) == Decimal("2410.00")  # the month of death
    assert amount_of(paid(fin, M("2026-11-01"))[0], v.enrolment_id) == 0
    e = Enrolment.objects.get(pk=v.enrolment_id)
    assert (e.status, e.end_month) == (EnrolmentStatus.TERMINATED, M("2026-10-01"))


def test_one_off_grants_paid_once_even_when_killed_and_run_again(vet, monkeypatch):
    fin, approver = vet["finance"], vet["staff"]["approver"]
    martyr, _ = vet["entitled"]("martyr_family", start="2026-01-01")
    kmt, _ = vet["entitled"]("kmt_veteran", start="2026-01-01", name="赵老兵", seq=53)
    assert kmt.enrolment_id is None  # no monthly payment, grants only
    real_create = VeteranGrant.objects.create
    calls = []

    def dying(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt("killed")  # the job dies halfway
        return real_create(**kwargs)

    monkeypatch.setattr(VeteranGrant.objects, "create", dying)
    enrolments_before = Enrolment.objects.count()
    with pytest.raises(KeyboardInterrupt):
        veterans_grants_run(actor=approver, kind="spring_festival", year=2026, month=M("2026-02-01"))
    assert VeteranGrant.objects.count() == 0 and Enrolment.objects.count() == enrolments_before  # nothing left
    monkeypatch.setattr(VeteranGrant.objects, "create", real_create)
    first = veterans_grants_run(actor=approver, kind="spring_festival", year=2026, month=M("2026-02-01"))
    assert (first.added, first.already, first.total) == (2, 0, Decimal("1000.00"))  # 500 each (the 2025 table)
    again = veterans_grants_run(actor=approver, kind="spring_festival", year=2026, month=M("2026-03-01"))
    assert (again.added, again.already) == (0, 2)
    kmt_run = veterans_grants_run(actor=approver, kind="kmt_veteran", year=2026, month=M("2026-02-01"))
    assert (kmt_run.added, kmt_run.total) == (1, Decimal("3000.00"))
    lines, _p = paid(fin, M("2026-02-01"))
    lines_again, _p = paid(fin, M("2026-02-01"))
    assert lines == lines_again
    grants = {g.enrolment_id: g.amount for g in VeteranGrant.objects.all()}
    for enrolment_id, amount in grants.items():
        assert amount_of(lines, enrolment_id) == amount
        assert LedgerEntry.objects.filter(enrolment_id=enrolment_id, kind="payment").count() == 1
    for month in ("2026-03-01", "2026-04-01"):
        later = paid(fin, M(month))[0]
        assert all(amount_of(later, e) == 0 for e in grants), "a grant is paid in its month only"
    # the monthly payment beside it: February and January's arrears (no January payroll was run)
    assert amount_of(lines, martyr.enrolment_id) == Decimal("5620.00")


def test_a_grant_skips_people_in_prison_and_the_dead(vet):
    approver = vet["staff"]["approver"]
    inside, _ = vet["entitled"]("demobilised", start="2026-01-01")
    veteran_suspend(actor=approver, entitlement=inside, started_on=M("2026-01-20"))
    dead, _ = vet["entitled"]("ill_returned", start="2026-01-01", name="钱大爷", seq=64)
    person_death_record(actor=vet["staff"]["caseworker_a"], person=dead.person, died_on=M("2026-01-25"), details="病故")
    assert veterans_grants_run(actor=approver, kind="spring_festival", year=2026, month=M("2026-02-01")).added == 0


def test_entry_errors_name_the_field_and_nothing_is_saved(vet, register):
    staff = vet["staff"]
    register(members=[member("孙立", "1960-02-02", 71, "head")])
    person = Person.objects.get(name="孙立")
    cases = [
        ({"category": "disabled", "grade": None}, "grade"),
        ({"category": "disabled", "grade": 11}, "grade"),
        ({"category": "martyr_family", "grade": 3}, "grade"),
        ({"category": "hero", "grade": None}, "category"),
        ({"category": "demobilised", "grade": None, "bank_account": "12ab"}, "bank_account"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ApplicationError) as e:
            veteran_enter(actor=staff["caseworker_a"], person=person, start_month=M("2026-01-01"), **kwargs)
        assert e.value.field == field
    assert not VeteranEntitlement.objects.exists()
    v = veteran_enter(
        actor=staff["caseworker_a"], person=person, category="demobilised", grade=None, start_month=M("2026-01-01")
    )
    with pytest.raises(Conflict):
        veteran_enter(
            actor=staff["caseworker_a"], person=person, category="demobilised", grade=None, start_month=M("2026-01-01")
        )
    with pytest.raises(PermissionDenied):  # the township enters, the county approves
        veteran_decide(actor=staff["caseworker_a"], entitlement=v, approve=True, on=M("2026-01-05"))


def test_another_township_cannot_enter_or_act(vet, register):
    staff = vet["staff"]
    v, _h = vet["entitled"]("demobilised", start="2026-01-01")
    with pytest.raises(NotFound):
        veteran_enter(
            actor=staff["caseworker_b"],
            person=v.person,
            category="demobilised",
            grade=None,
            start_month=M("2026-01-01"),
        )


NEW_CARD = "6217000099998888776"


def test_a_new_own_account_reaches_the_draft_payroll_and_says_what_it_left(vet):
    """A new bank card: the draft payroll's line pays it at once, the checked one keeps the old account (its
    checker saw it) and says so; the audit holds both accounts masked; the same account again, none, or a township
    caseworker are refused with nothing changed."""
    v, _h = vet["entitled"]("martyr_family", start="2026-06-01", bank_account=OWN_ACCOUNT, account_holder="王建国")
    fin, approver = vet["finance"], vet["staff"]["approver"]
    _lines, july = paid(fin, M("2026-07-01"))
    payroll_check(actor=fin, payroll=july)
    _lines, august = paid(fin, M("2026-08-01"))
    line_of = {p.pk: PayrollLine.objects.get(payroll=p, enrolment_id=v.enrolment_id) for p in (july, august)}
    assert {line.account for line in line_of.values()} == {OWN_ACCOUNT}

    with pytest.raises(PermissionDenied):
        veteran_account_change(
            actor=vet["staff"]["caseworker_a"], entitlement=v, bank_account=NEW_CARD, account_holder="", reason="换卡"
        )
    for account, reason, field in (
        (OWN_ACCOUNT, "换卡", "bank_account"),
        ("", "换卡", "bank_account"),
        ("12345", "换卡", "bank_account"),
        (NEW_CARD, "", "reason"),
    ):
        with pytest.raises(ApplicationError) as refused:
            veteran_account_change(
                actor=approver, entitlement=v, bank_account=account, account_holder="王建国", reason=reason
            )
        assert refused.value.field == field, (account, reason)
    v.refresh_from_db()
    assert v.bank_account == OWN_ACCOUNT

    change = veteran_account_change(
        actor=approver,
        entitlement=v,
        bank_account="6217 0000 9999 8888 776",
        account_holder="",
        reason="本人更换银行卡",
    )
    v.refresh_from_db()
    assert (v.bank_account, v.account_holder) == (NEW_CARD, "王建国")  # no holder given: the person's own name
    assert change.lines.updated == 1
    assert (change.lines.kept_checked.lines, change.lines.kept_checked.payrolls) == (1, [july.pk])
    assert [n["code"] for n in change.notes()] == ["lines_updated", "kept_checked"]
    assert change.notes()[0]["zh"] == "草稿发放表中付给本人账户的 1 笔已改为新的账号和账户名"
    assert PayrollLine.objects.get(pk=line_of[august.pk].pk).account == NEW_CARD
    assert PayrollLine.objects.get(pk=line_of[july.pk].pk).account == OWN_ACCOUNT  # checked: as its checker saw it
    # September's payroll, generated after, pays the new card
    _lines, september = paid(fin, M("2026-09-01"))
    assert PayrollLine.objects.get(payroll=september, enrolment_id=v.enrolment_id).account == NEW_CARD
    event = AuditEvent.objects.get(action="veterans.account")
    assert event.old["bank_account"] != OWN_ACCOUNT and event.old["bank_account"].endswith(OWN_ACCOUNT[-4:])
    assert event.new["bank_account"] != NEW_CARD and event.new["bank_account"].endswith(NEW_CARD[-4:])
    assert event.new["reason"] == "本人更换银行卡" and event.new["holder_changed"] is False
    assert (event.new["lines_updated"], event.new["lines_kept_checked"]) == (1, 1)
    assert OWN_ACCOUNT not in str(event.old) + str(event.new) and NEW_CARD not in str(event.old) + str(event.new)


def test_a_one_off_grant_reads_as_one_payment_on_its_pages(vet, client_for):
    """A Spring Festival visit grant is an enrolment of the monthly veterans' programme paid once: its page and
    the household's show it as one payment (待发放, no 月发放金额, no 下次复核), beside the monthly payment."""
    approver = vet["staff"]["approver"]
    martyr, h = vet["entitled"]("martyr_family", start="2026-01-01")
    veterans_grants_run(actor=approver, kind="spring_festival", year=2026, month=M("2026-02-01"))
    grant = VeteranGrant.objects.get()
    c = client_for(vet["staff"]["caseworker_a"])
    page = c.get(f"/enrolments/{grant.enrolment_id}/").content.decode()
    assert "待发放" in page and "一次性" in page and "月发放金额" not in page and "下次复核" not in page
    monthly = c.get(f"/enrolments/{martyr.enrolment_id}/").content.decode()
    assert "月发放金额" in monthly and "下次复核" in monthly
    page = c.get(f"/households/{h.pk}/").content.decode()
    assert page.count("下次复核") == 1  # the monthly payment's only
