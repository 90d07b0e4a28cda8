"""One report acts on every programme (issue 15, "one person, all programmes"): a death, a move out of the county,
a move within it and a household's change report, each on every programme the person or household receives, with
a preview that shows exactly what confirming does and writes nothing; the date of death; one-offs held, released,
cancelled, and ended once paid; the funeral lines' account check."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.apps import apps as django_apps

from doudi.audit.models import AuditEvent
from doudi.benefits.actions import benefit_grant, elderly_roster_build, funeral_home_create
from doudi.benefits.life import (
    household_change_preview,
    household_change_record,
    oneoff_hold_release,
    person_death_preview,
    person_death_record,
    person_move_out,
    person_move_out_preview,
    person_move_within,
)
from doudi.cases.models import (
    Case,
    ChangeReport,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    Overpayment,
)
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.payments import actions as pay
from doudi.payments.generation import payroll_generate
from doudi.payments.models import AnomalyKind, PayrollLine
from doudi.programmes.rules.inputs import Funeral, FuneralService, Hardship
from doudi.programmes.rules.registry_input import household_input
from doudi.registry.actions import household_update, person_update
from doudi.registry.models import Membership, Person

from ..conftest import member
from .helpers import confirm_all, dibao

D = Decimal


def enrolment(person, programme):
    return Enrolment.objects.get(person=person, programme_id=programme)


def test_a_death_acts_on_every_programme_by_its_rule(setup, family):
    old = family["old"]
    result = person_death_record(
        actor=setup["caseworker"], person=old, died_on=dt.date(2026, 4, 10), details="村委会报告"
    )
    by = {e.programme: e for e in result.effects}
    assert sorted(by) == ["dibao", "disability", "elderly", "medical"]
    # the registry keeps the date of death, and the flag with it
    old.refresh_from_db()
    assert (old.deceased, old.died_on) == (True, dt.date(2026, 4, 10))
    # old-age allowance and disability subsidy: paid to the month of death, nothing from the next month
    for programme in ("elderly", "disability"):
        e = enrolment(old, programme)
        assert (by[programme].outcome, by[programme].last_month) == ("stop", dt.date(2026, 4, 1))
        assert (e.status, e.end_month) == (EnrolmentStatus.TERMINATED, dt.date(2026, 4, 1))
        assert (e.changes.last().kind, e.changes.last().from_month) == ("terminate", dt.date(2026, 5, 1))
    # the medical settlement not yet paid is held: April's payroll has no line for it
    medical = enrolment(old, "medical")
    assert by["medical"].outcome == "hold" and medical.status == EnrolmentStatus.SUSPENDED
    p = payroll_generate(actor=setup["f1"], programme="medical", month=dt.date(2026, 4, 1))
    assert p.line_count == 0
    # the household's dibao: a death change report from the next month re-evaluates it without him
    report = ChangeReport.objects.get(enrolment=family["dibao"])
    assert (report.kind, report.effective_month) == ("death", dt.date(2026, 5, 1))
    assert by["dibao"].outcome == "reevaluate" and by["dibao"].new_amount == report.new_amount
    # the granddaughter's allowance is hers: untouched
    assert enrolment(family["child"], "children").status == EnrolmentStatus.ACTIVE
    # the audit row names every programme acted on
    event = AuditEvent.objects.filter(action="benefit.death_record").get()
    assert sorted(event.new["stopped"]) == ["disability", "elderly"] and event.new["held"] == ["medical"]
    with pytest.raises(Conflict):
        person_death_record(actor=setup["caseworker"], person=old, died_on=dt.date(2026, 4, 10), details="重复")


def test_children_and_tekun_stop_after_the_month_of_death_and_an_open_application_is_withdrawn(setup, family):
    child = family["child"]
    result = person_death_record(
        actor=setup["caseworker"], person=child, died_on=dt.date(2026, 6, 3), details="意外身故"
    )
    assert result.stopped == ["children"]
    e = enrolment(child, "children")
    assert e.end_month == dt.date(2026, 6, 1) and e.status == EnrolmentStatus.TERMINATED
    # tekun: an open application of the person is withdrawn, support stops after the month of death
    old = family["old"]
    case = Case.objects.create(
        programme_id="tekun",
        household=family["household"],
        applicant=old,
        area_code=family["household"].area_id,
        state="accepted",
        created_by=setup["caseworker"],
    )
    result = person_death_record(actor=setup["caseworker"], person=old, died_on=dt.date(2026, 6, 20), details="病故")
    case.refresh_from_db()
    assert case.state == "withdrawn" and "withdraw" in [e.outcome for e in result.effects]


def test_the_preview_shows_exactly_what_confirming_does_and_writes_nothing(setup, family):
    old = family["old"]
    counts = (
        EnrolmentChange.objects.count(),
        ChangeReport.objects.count(),
        AuditEvent.objects.count(),
        Membership.objects.filter(end_date__isnull=True).count(),
    )
    args = dict(actor=setup["caseworker"], person=old, died_on=dt.date(2026, 4, 10), details="村委会报告")
    preview = person_death_preview(**args)
    assert counts == (
        EnrolmentChange.objects.count(),
        ChangeReport.objects.count(),
        AuditEvent.objects.count(),
        Membership.objects.filter(end_date__isnull=True).count(),
    )
    old.refresh_from_db()
    assert not old.deceased and old.died_on is None
    assert enrolment(old, "elderly").status == EnrolmentStatus.ACTIVE
    done = person_death_record(**args)
    assert [
        (e.programme, e.outcome, e.last_month, e.from_month, e.old_amount, e.new_amount) for e in preview.effects
    ] == [(e.programme, e.outcome, e.last_month, e.from_month, e.old_amount, e.new_amount) for e in done.effects]
    # a preview refuses what confirming refuses, naming the field
    with pytest.raises(ApplicationError) as err:
        person_move_out_preview(actor=setup["caseworker"], person=family["child"], on=dt.date(2026, 4, 1), details="")
    assert err.value.field == "details"


def test_a_late_death_report_records_what_was_paid_since_as_an_overpayment(setup, family):
    old = family["old"]
    for month in (dt.date(2026, 4, 1), dt.date(2026, 5, 1)):
        elderly_roster_build(actor=setup["approver"], month=month)
        confirm_all(month, setup["caseworker"])  # the village confirms before it is paid
        payroll_generate(actor=setup["f1"], programme="elderly", month=month)
    result = person_death_record(actor=setup["caseworker"], person=old, died_on=dt.date(2026, 4, 10), details="迟报")
    stop = next(e for e in result.effects if e.programme == "elderly")
    owed = Overpayment.objects.get(enrolment=enrolment(old, "elderly"))
    assert stop.overpaid == owed.amount == D("20.00")  # May's allowance, paid before the death was known


def test_a_move_out_of_the_county(setup, family):
    old = family["old"]
    result = person_move_out(actor=setup["caseworker"], person=old, on=dt.date(2026, 4, 18), details="随子女迁往成都")
    assert not Membership.objects.filter(person=old, end_date__isnull=True).exists()
    assert sorted(result.stopped) == ["disability", "elderly"] and result.reported == ["dibao"]
    assert enrolment(old, "elderly").end_month == dt.date(2026, 4, 1)
    assert enrolment(old, "medical").status == EnrolmentStatus.SUSPENDED
    report = ChangeReport.objects.get(enrolment=family["dibao"])
    assert (report.kind, report.effective_month) == ("move", dt.date(2026, 5, 1))
    assert AuditEvent.objects.filter(action="benefit.move_out", target_id=str(old.pk)).exists()
    # the only member cannot move out alone: the household's programmes end instead
    single = setup["register"](members=[member("独居老人", "1944-01-01", 61, "head")])
    Membership.objects.update(start_date=dt.date(2020, 1, 1))
    with pytest.raises(ApplicationError):
        person_move_out(
            actor=setup["caseworker"],
            person=single.memberships.get().person,
            on=dt.date(2026, 4, 18),
            details="迁出",
        )


def test_a_move_within_the_county_transfers_the_persons_programmes(setup, family):
    old = family["old"]
    other = setup["register"](area="511425101001", members=[member("周大儿", "1965-02-02", 71, "head")])
    other_dibao = dibao(other, other.memberships.get().person, amount="150.00", approver=setup["approver"])
    Membership.objects.update(start_date=dt.date(2020, 1, 1))
    result = person_move_within(
        actor=setup["caseworker"],
        person=old,
        to_household=other,
        relation="parent",
        on=dt.date(2026, 4, 18),
        details="投靠长子",
    )
    for programme in ("elderly", "disability", "medical"):
        e = enrolment(old, programme)
        assert (e.household_id, e.area_code) == (other.pk, "511425101001")
        assert e.status != EnrolmentStatus.TERMINATED
    assert sorted(result.by_outcome("transfer")) == ["disability", "elderly", "medical"]
    # both households' dibao re-evaluated from the next month
    assert ChangeReport.objects.get(enrolment=family["dibao"]).effective_month == dt.date(2026, 5, 1)
    assert ChangeReport.objects.get(enrolment=other_dibao).kind == "members"
    assert Membership.objects.get(person=old, end_date__isnull=True).household_id == other.pk
    # a household in another township is outside a township caseworker's area: refused as not found
    far = setup["register"](
        actor=setup["caseworker_b"], area="511425102201", members=[member("周二儿", "1968-02-02", 91, "head")]
    )
    with pytest.raises(NotFound):
        person_move_within(
            actor=setup["caseworker"],
            person=old,
            to_household=far,
            relation="parent",
            on=dt.date(2026, 5, 2),
            details="x",
        )


def test_a_household_change_report_re_evaluates_every_programme_that_depends_on_income(setup, family):
    h = family["household"]
    args = dict(actor=setup["caseworker"], household=h, kind="income", effective_month=dt.date(2026, 5, 1))
    preview = household_change_preview(**args, details="务工收入增加")
    assert ChangeReport.objects.count() == 0
    result = household_change_record(**args, details="务工收入增加")
    assert [(e.programme, e.outcome) for e in result.effects] == [(e.programme, e.outcome) for e in preview.effects]
    by = {e.programme: e.outcome for e in result.effects}
    assert by == {
        "dibao": "reevaluate",
        "elderly": "unchanged",
        "disability": "reevaluate",  # on dibao, 周老汉's living subsidy follows it (domain.md §5c; follow_dibao)
        "children": "unchanged",
        "medical": "unchanged",
    }
    assert ChangeReport.objects.get(enrolment=family["dibao"]).kind == "income"
    with pytest.raises(ApplicationError) as err:
        household_change_record(**{**args, "kind": "fraud"}, details="x")
    assert err.value.field == "kind"


def test_a_held_one_off_is_paid_after_checking_or_cancelled(setup, family):
    old = family["old"]
    person_death_record(actor=setup["caseworker"], person=old, died_on=dt.date(2026, 4, 10), details="病故")
    medical = enrolment(old, "medical")
    with pytest.raises(ApplicationError):
        oneoff_hold_release(
            actor=setup["approver"], enrolment=enrolment(old, "elderly"), pay=True, reason="x", on=dt.date(2026, 5, 3)
        )
    oneoff_hold_release(actor=setup["approver"], enrolment=medical, pay=True, reason="家属领取", on=dt.date(2026, 5, 3))
    medical.refresh_from_db()
    assert medical.status == EnrolmentStatus.ACTIVE and medical.end_month == dt.date(2026, 5, 1)
    assert payroll_generate(actor=setup["f1"], programme="medical", month=dt.date(2026, 4, 1)).line_count == 0
    may = payroll_generate(actor=setup["f1"], programme="medical", month=dt.date(2026, 5, 1))
    assert [line.amount for line in PayrollLine.objects.filter(payroll=may)] == [D("1400.00")]  # paid once
    with pytest.raises(Conflict):
        oneoff_hold_release(actor=setup["approver"], enrolment=medical, pay=False, reason="x", on=dt.date(2026, 5, 3))


def test_a_held_one_off_cancelled_is_never_paid(setup, family):
    old = family["old"]
    person_move_out(actor=setup["caseworker"], person=old, on=dt.date(2026, 4, 18), details="迁出")
    medical = enrolment(old, "medical")
    oneoff_hold_release(
        actor=setup["approver"], enrolment=medical, pay=False, reason="已在迁入地救助", on=dt.date(2026, 5, 3)
    )
    medical.refresh_from_db()
    assert medical.status == EnrolmentStatus.TERMINATED
    for month in (dt.date(2026, 4, 1), dt.date(2026, 5, 1)):
        assert payroll_generate(actor=setup["f1"], programme="medical", month=month).line_count == 0


def test_a_funeral_waiver_is_for_a_recorded_death_and_dates_an_old_one(setup, family):
    old, h = family["old"], family["household"]
    home = funeral_home_create(
        actor=setup["approver"],
        name="青神县殡仪馆",
        area_code="511425000000",
        bank_account="6228480000123456789",
        account_holder="青神县殡仪馆",
    )
    services = (FuneralService("transport", D("300")), FuneralService("cremation", D("400")))
    grant = dict(actor=setup["approver"], programme="funeral", household=h, person=old, on=dt.date(2026, 4, 12))

    def facts(died_on):
        f = household_input(h)
        f.members[0] = replace(f.members[0], died_on=died_on, status=("deceased",))
        return replace(f, funeral=Funeral(0, services))

    # not recorded dead: the death report comes first (it acts on every programme)
    with pytest.raises(ApplicationError) as err:
        benefit_grant(**grant, facts=facts(dt.date(2026, 4, 9)), funeral_home=home)
    assert (err.value.field, err.value.code) == ("person", "death_unrecorded")
    # recorded dead before dates were kept: the waiver gives the registry the date
    Person.objects.filter(pk=old.pk).update(deceased=True)
    with pytest.raises(ApplicationError) as err:
        benefit_grant(**{**grant, "on": dt.date(2026, 4, 8)}, facts=facts(dt.date(2026, 4, 9)), funeral_home=home)
    assert err.value.field == "died_on"  # after the decision
    benefit_grant(**grant, facts=facts(dt.date(2026, 4, 9)), funeral_home=home)
    old.refresh_from_db()
    assert old.died_on == dt.date(2026, 4, 9)
    assert AuditEvent.objects.get(action="benefit.grant", new__programme="funeral").new["died_on"] == "2026-04-09"


def test_a_funeral_waiver_after_the_death_report_is_paid_and_the_dates_must_agree(setup, family):
    old, h = family["old"], family["household"]
    person_death_record(actor=setup["caseworker"], person=old, died_on=dt.date(2026, 4, 9), details="病故")
    home = funeral_home_create(
        actor=setup["approver"],
        name="青神县殡仪馆",
        area_code="511425000000",
        bank_account="6228480000123456789",
        account_holder="青神县殡仪馆",
    )
    services = (FuneralService("cremation", D("400")),)
    f = household_input(h)  # the registry's date of death
    assert f.members[0].died_on == dt.date(2026, 4, 9)
    grant = dict(actor=setup["approver"], programme="funeral", household=h, person=old, on=dt.date(2026, 4, 12))
    wrong = replace(f, members=[replace(f.members[0], died_on=dt.date(2026, 4, 8)), *f.members[1:]])
    with pytest.raises(ApplicationError) as err:
        benefit_grant(**grant, facts=replace(wrong, funeral=Funeral(0, services)), funeral_home=home)
    assert err.value.field == "died_on"
    e = benefit_grant(**grant, facts=replace(f, funeral=Funeral(0, services)), funeral_home=home)
    assert e.status == EnrolmentStatus.ACTIVE and e.monthly_amount == D("400.00")


def test_the_date_of_death_and_the_flag_stay_in_step(setup, family):
    old = family["old"]
    cw = setup["caseworker"]
    person_update(actor=cw, person=old, data={"died_on": "2026-04-09"})
    old.refresh_from_db()
    assert old.deceased and old.died_on == dt.date(2026, 4, 9)
    person_update(actor=cw, person=old, data={"deceased": False})
    old.refresh_from_db()
    assert not old.deceased and old.died_on is None
    with pytest.raises(ApplicationError) as err:
        person_update(actor=cw, person=old, data={"died_on": "1930-01-01"})
    assert err.value.field == "died_on"
    with pytest.raises(ApplicationError) as err:
        person_update(actor=cw, person=old, data={"died_on": "2026-13-01"})
    assert err.value.field == "died_on"
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=old.pk).update(died_on=dt.date(2026, 4, 9), deceased=False)


def test_the_migration_dates_deaths_from_the_death_reports(setup, family):
    old = family["old"]
    person_death_record(actor=setup["caseworker"], person=old, died_on=dt.date(2026, 4, 10), details="病故")
    Person.objects.filter(pk=old.pk).update(died_on=None)  # as before the migration: the flag alone
    flag_only = family["child"]
    Person.objects.filter(pk=flag_only.pk).update(deceased=True)
    migration = __import__("doudi.registry.migrations.0008_person_died_on", fromlist=["dates_from_death_reports"])
    migration.dates_from_death_reports(django_apps, None)
    old.refresh_from_db()
    flag_only.refresh_from_db()
    assert old.died_on == dt.date(2026, 4, 10)
    assert flag_only.deceased and flag_only.died_on is None  # date unknown


def _paid_back(setup, p):
    for anomaly in p.anomalies.all():
        pay.anomaly_handle(actor=setup["f1"], anomaly=anomaly, accept=True, reason="核实")
    pay.payroll_check(actor=setup["f1"], payroll=p)
    pay.payroll_approve(actor=setup["f2"], payroll=p)
    pay.payroll_export(actor=setup["f2"], payroll=p, fmt="csv")
    body = "流水号,状态,金额\n" + "".join(
        f"{line.pk},成功,{line.amount:.2f}\n" for line in PayrollLine.objects.filter(payroll=p)
    )
    pay.bank_return_import(actor=setup["f2"], payroll=p, filename="r.csv", content=body.encode())


def test_a_one_off_enrolment_ends_once_the_bank_has_paid_it(setup, family, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    medical = enrolment(family["old"], "medical")
    p = payroll_generate(actor=setup["f1"], programme="medical", month=dt.date(2026, 4, 1))
    medical.refresh_from_db()
    assert medical.status == EnrolmentStatus.ACTIVE  # in the payroll, not yet paid
    _paid_back(setup, p)
    medical.refresh_from_db()
    assert medical.status == EnrolmentStatus.ENDED
    # a monthly programme paid the same way stays active
    e = payroll_generate(actor=setup["f1"], programme="elderly", month=dt.date(2026, 3, 1))
    _paid_back(setup, e)
    assert enrolment(family["old"], "elderly").status == EnrolmentStatus.ACTIVE
    # and the temporary one-off the same
    h = setup["register"](members=[member("火灾户", "1970-01-01", 81, "head")], bank_account="6217000011112222341")
    hardship = Hardship("emergency", "房屋失火", D("1000"), D("0"), D("0"), dt.date(2026, 4, 2))
    t = benefit_grant(
        actor=setup["approver"],
        programme="temporary",
        household=h,
        person=h.memberships.get().person,
        on=dt.date(2026, 4, 3),
        facts=replace(household_input(h), hardship=hardship),
    )
    _paid_back(setup, payroll_generate(actor=setup["f1"], programme="temporary", month=dt.date(2026, 4, 1)))
    t.refresh_from_db()
    assert t.status == EnrolmentStatus.ENDED


def test_funeral_lines_check_the_funeral_homes_account_not_the_households(setup, family):
    old, h = family["old"], family["household"]
    household_update(actor=setup["caseworker"], household=h, data={"bank_account": ""})  # the family has none
    person_death_record(actor=setup["caseworker"], person=old, died_on=dt.date(2026, 4, 9), details="病故")
    good = funeral_home_create(
        actor=setup["approver"],
        name="青神县殡仪馆",
        area_code="511425000000",
        bank_account="6228480000123456782",
        account_holder="青神县殡仪馆",
    )
    facts = household_input(h)
    services = (FuneralService("cremation", D("400")),)
    benefit_grant(
        actor=setup["approver"],
        programme="funeral",
        household=h,
        person=old,
        on=dt.date(2026, 4, 12),
        facts=replace(facts, funeral=Funeral(0, services)),
        funeral_home=good,
    )
    p = payroll_generate(actor=setup["f1"], programme="funeral", month=dt.date(2026, 4, 1))
    assert not p.anomalies.filter(kind=AnomalyKind.ACCOUNT).exists()  # the family's missing account is irrelevant
    # a funeral home whose card number fails its check digit is the anomaly
    from doudi.benefits.models import FuneralHome

    FuneralHome.objects.filter(pk=good.pk).update(bank_account="6228480000123456789")
    pay.payroll_cancel(actor=setup["f1"], payroll=p, reason="重新生成")
    p = payroll_generate(actor=setup["f1"], programme="funeral", month=dt.date(2026, 4, 1))
    assert [a.kind for a in p.anomalies.all()] == [AnomalyKind.ACCOUNT]
