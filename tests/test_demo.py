import datetime as dt
import re

from django.core.management import call_command
from django.db.models import Count

from doudi.accounts.models import Staff
from doudi.areas.models import Area
from doudi.audit.models import AuditEvent
from doudi.core.idnumber import id_parse
from doudi.demo.county import TOWNSHIP_NAMES, curated_name
from doudi.demo.generator import Generator
from doudi.registry.models import Household, Income, Membership, Person


def test_generator_builds_a_consistent_county(db):
    report = Generator(seed=7, households=300, chunk=120).run()
    assert report.households == 300 and Household.objects.count() == 300
    # the county's ten real townships, ten villages or communities each, every name from the curated list
    assert list(Area.objects.filter(level="township").order_by("code").values_list("name", flat=True)) == TOWNSHIP_NAMES
    assert Area.objects.filter(level="village").count() == 100
    for township in Area.objects.filter(level="township"):
        names = list(Area.objects.filter(parent=township).values_list("name", flat=True))
        assert len(set(names)) == len(names) and all(curated_name(n) for n in names), names
    assert set(Household.objects.values_list("hukou_type", flat=True)) == {"urban", "rural"}
    # every ID is valid, unique, and agrees with the stored sex and birth date
    for p in Person.objects.all():
        facts = id_parse(p.id_number)
        assert (facts.sex, facts.birth_date) == (p.sex, p.birth_date)
    assert Person.objects.values("id_number").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    # each person in exactly one household, one head per household, counts consistent
    assert Membership.objects.filter(end_date__isnull=True).count() == Person.objects.count()
    heads = Membership.objects.filter(relation="head").values("household").annotate(n=Count("id"))
    assert {h["n"] for h in heads} == {1} and len(heads) == 300
    for h in Household.objects.all()[:50]:
        assert h.member_count == h.memberships.count()
    # realistic spread: ages, disability, illness, incomes
    ages = [(dt.date(2026, 1, 1) - p.birth_date).days // 365 for p in Person.objects.all()]
    assert min(ages) < 18 and max(ages) >= 80
    assert Person.objects.exclude(disability_kind="").exists() and Person.objects.filter(serious_illness=True).exists()
    assert (
        Income.objects.filter(kind="wage").exists() and Income.objects.filter(kind="residents_basic_pension").exists()
    )
    # one audit event per batch, carrying the counts
    batches = AuditEvent.objects.filter(action="demo.generate_batch")
    assert batches.count() == 3
    assert sum(e.new["counts"]["household"] for e in batches) == 300
    # the facts batch evaluation reads are built for every household and agree with the registry
    from doudi.registry.facts import facts_differences
    from doudi.registry.models import HouseholdFacts

    assert HouseholdFacts.objects.count() == 300 and facts_differences() == []
    assert report.facts_seconds > 0


def test_generator_is_deterministic(db):
    Generator(seed=11, households=40).run()
    first = list(Person.objects.order_by("id").values_list("name", "id_number", "birth_date"))
    from django.db import connection

    with connection.cursor() as c:
        for t in (
            "registry_supporter",
            "registry_businessrole",
            "registry_home",
            "registry_vehicle",
            "registry_financialasset",
            "registry_expenditure",
            "registry_income",
            "registry_membership",
            "registry_person",
            "registry_household",
        ):
            c.execute(f"DELETE FROM {t}")
    Generator(seed=11, households=40).run()
    second = list(Person.objects.order_by("id").values_list("name", "id_number", "birth_date"))
    assert first == second


def test_demo_command_builds_county_and_logins(db, capsys):
    call_command("demo", households=120)
    out = capsys.readouterr().out
    assert "120 households" in out
    for username in ("admin", "secadmin", "auditadmin", "caseworker", "approver", "finance", "auditor", "cadre"):
        assert username in out and Staff.objects.filter(username=username).exists()
    assert Staff.objects.get(username="caseworker").area.level == "township"
    # running again keeps the data and does not duplicate
    call_command("demo", households=120)
    # the generator's 120, and the six grandmothers' households the demo registers for the children's allowance
    # (doudi/demo/benefits.py: three grandchildren granted, three applying), and one from outside the county
    # assisted where his hardship happened, and the three edge families on the register (doudi/demo/departments.py)
    assert Household.objects.count() == 120 + 6 + 1 + 3
    migrant = Household.objects.get(hukou_place="四川省仁寿县文林镇")
    [ta] = TemporaryAssistance.objects.filter(household=migrant)
    assert (ta.kind, ta.state, ta.call is not None) == ("emergency", "paid_first", True)


# ---- the county with two years of history (doudi/demo/history.py), at the smallest size -----------------------
import json  # noqa: E402
from decimal import Decimal  # noqa: E402

import pytest  # noqa: E402
from django.utils import timezone  # noqa: E402

from doudi.audit.models import AuditEvent  # noqa: E402
from doudi.benefits.models import (  # noqa: E402
    CallOutcome,
    HotlineCall,
    TemporaryAssistance,
    TemporaryState,
    VeteranEntitlement,
    VeteranGrant,
)
from doudi.cases.models import (  # noqa: E402
    Case,
    CaseEvent,
    CaseKind,
    Enrolment,
    EnrolmentStatus,
    Overpayment,
    SupportMode,
)
from doudi.core.money import add_months, month_start  # noqa: E402
from doudi.demo.departments import CHECKED  # noqa: E402
from doudi.demo.history import RISE, RISE_NOTE  # noqa: E402
from doudi.demo.summary import county_summary  # noqa: E402
from doudi.payments.models import LedgerEntry, Payroll, PayrollLine, Recovery  # noqa: E402
from doudi.programmes.models import EvaluationRun, ParameterVersion  # noqa: E402
from doudi.verification.models import Finding  # noqa: E402


def small_demo(capsys=None) -> dict:
    call_command("demo", households=200, seed=7, reset=True)
    return county_summary(timezone.localdate())


@pytest.fixture
def small(db, capsys):
    summary = small_demo()
    return summary, capsys.readouterr().out


def _pays_every_programme_this_month(small):
    """Issue 15: payrolls (monthly or one-off) exist for the current month for each programme, every one with
    lines, the ledger agreeing with the lines to the fen; the funeral waivers are paid to the funeral home."""
    _s, out = small
    current = month_start(timezone.localdate())
    for programme in ("elderly", "disability", "children", "temporary", "medical", "funeral", "veterans"):
        p = Payroll.objects.get(programme_id=programme, month=current, kind="regular")
        assert p.line_count > 0 and p.total > 0, programme
        assert p.ledger_total == p.lines_total == p.total, programme
        assert f"{programme} {p.line_count} lines" in out
    funeral = PayrollLine.objects.filter(payroll__programme_id="funeral", payroll__month=current)
    assert {line.account_holder for line in funeral} == {"青神县殡仪馆"}
    # veterans: the roster entered and approved, this month's one-off grants each paid once by this month's payroll
    veterans = VeteranEntitlement.objects.filter(state="approved")
    assert veterans.count() >= 10 and VeteranGrant.objects.filter(month=current).exists()
    for grant in VeteranGrant.objects.filter(month=current):
        assert LedgerEntry.objects.filter(enrolment_id=grant.enrolment_id, kind="payment").count() == 1
    # disabled servicemen of each cause, and a grade paid two amounts by cause
    disabled = veterans.filter(category="disabled")
    assert set(disabled.values_list("cause", flat=True)) == {"war", "duty", "illness"}
    assert not disabled.filter(cause="illness", grade__gt=6).exists()
    by_grade = {}
    for grade, cause, amount in disabled.filter(enrolment__status="active").values_list(
        "grade", "cause", "enrolment__monthly_amount"
    ):
        by_grade.setdefault(grade, {})[cause] = amount
    assert any(len(set(causes.values())) > 1 for causes in by_grade.values())
    # the old-age allowance roster pays everyone of age in the registry whose village confirmed this month's roster
    assert Enrolment.objects.filter(programme_id="elderly", status=EnrolmentStatus.ACTIVE).exists()
    # temporary assistance came through its procedure: 12349 calls turned into applications, paid first (one with
    # its paperwork done, one still due), one waiting for the county, and a call referred; the payroll pays exactly
    # the ones paid first (and pays again any of the year's the bank returned last month)
    cases = TemporaryAssistance.objects.filter(hardship_date__gte=current)
    assert {c.state for c in cases} == {
        TemporaryState.DOCUMENTED,
        TemporaryState.PAID_FIRST,
        TemporaryState.AWAITING,
    }
    paid = cases.filter(state__in=(TemporaryState.DOCUMENTED, TemporaryState.PAID_FIRST))
    assert all(c.call_id and c.fast_track and c.paperwork_due for c in paid)
    temporary = PayrollLine.objects.filter(payroll__programme_id="temporary", payroll__month=current)
    ours = {c.enrolment_id for c in paid}
    assert sorted(line.amount for line in temporary if line.enrolment_id in ours) == sorted(c.amount for c in paid)
    for line in temporary.exclude(enrolment_id__in=ours):
        assert PayrollLine.objects.filter(enrolment_id=line.enrolment_id, status="failed").exists()
    assert HotlineCall.objects.filter(outcome=CallOutcome.REFERRAL, department="human_resources").exists()
    from doudi.benefits.models import ElderlyRoster, ElderlyRosterLine

    assert ElderlyRoster.objects.filter(month=current, state="confirmed").exists()
    cadre_village = Staff.objects.get(username="cadre").area_id
    assert set(
        ElderlyRoster.objects.filter(month=current).exclude(area_code=cadre_village).values_list("state", flat=True)
    ) == {"confirmed"}
    # every month paid (this month's, and last month's as arrears) is one the village marked present, and every
    # person marked present this month is paid
    paid = {
        (eid, dt.date.fromisoformat(m))
        for eid, months in PayrollLine.objects.filter(
            payroll__programme_id="elderly", payroll__month=current
        ).values_list("enrolment_id", "months")
        for m in months
    }
    present = set(ElderlyRosterLine.objects.filter(mark="present").values_list("enrolment_id", "month"))
    assert paid and paid <= present and {p for p in present if p[1] == current} <= paid
    # a dibao household of 瑞峰镇 asks to move to 汉阳镇: waiting for the demo caseworker
    from doudi.benefits.models import Transfer
    from doudi.benefits.transfers import transfers_incoming

    moving = Transfer.objects.get()
    assert moving.state == "pending" and moving.from_area_id.startswith("511425102")
    assert list(transfers_incoming(Staff.objects.get(username="caseworker"))) == [moving]


def test_small_demo_pays_this_month_and_last(small, capsys):
    s, out = small
    today = timezone.localdate()
    current, previous = month_start(today), add_months(month_start(today), -1)
    # enrolments, and dibao payroll lines in the current and the previous month
    assert s["dibao_households"] > 0 and s["tekun"] > 0
    assert s["dibao_previous"]["lines"] > 0 and s["dibao_current"]["lines"] > 0
    # the previous months are paid and reconciled; the current one is generated and checked, for finance2
    assert s["dibao_previous"]["state"] == "reconciled" and s["dibao_current"]["state"] == "checked"
    months = Payroll.objects.filter(programme_id="dibao", kind="regular").values_list("month", flat=True)
    assert len(set(months)) == 24 and min(months) == add_months(current, -23) and max(months) == current
    assert not Payroll.objects.exclude(month=current).exclude(state="reconciled").filter(kind="regular").exists()
    p = Payroll.objects.get(programme_id="dibao", month=current, kind="regular")
    assert p.generated_by.username == "finance" and p.checked_by.username == "finance"
    last = Payroll.objects.get(programme_id="dibao", month=previous, kind="regular")
    assert last.approved_by.username == "finance2"
    # `doudi payroll generate` for either month reports the existing payroll with its lines
    for month, payroll in ((current, p), (previous, last)):
        call_command("payroll", "generate", "--programme", "dibao", "--month", f"{month:%Y-%m}")
        got = json.loads(capsys.readouterr().out)
        assert got["payroll"] == payroll.pk and got["lines"] == payroll.line_count > 0
        assert got["total"] == f"{payroll.total:.2f}"
    assert Payroll.objects.filter(programme_id="dibao", month=current).count() == 1
    # the printed summary names the payrolls and the logins
    assert f"dibao #{last.pk} {last.line_count} lines" in out
    for username in ("admin", "caseworker", "caseworker2", "finance", "finance2", "cadre"):
        assert username in out
    _pays_every_programme_this_month(small)  # issue 15: every other programme too (one demo build, not two)
    _pays_every_programme_through_the_year()  # and every month of the year before it (the same build)


OTHER_PROGRAMMES = ("elderly", "disability", "children", "temporary", "medical", "funeral", "veterans")


def _pays_every_programme_through_the_year():
    """The year's history of the other programmes (doudi/demo/year.py). Each of the seven has someone to pay in every
    month of the small county — the old-age roster, the disability subsidies dibao's approvals started, the
    grandchild granted the December before, the veterans entered in the first month, at least one hardship, one
    hospital stay and one death a month — so every month from January to last month (in January: last December) has
    its regular payroll, with lines, generated and checked by finance, approved by finance2 and reconciled with the
    bank's return, and the current month's is checked, waiting for finance2; no payroll of theirs was cancelled."""
    from doudi.benefits.models import ElderlyRoster, ElderlyRosterLine, FuneralHome, HotlineCall, TemporaryAssistance
    from doudi.medical.models import Settlement
    from doudi.payments.generation import months_between
    from doudi.statistics.summary import summary_markdown

    today = timezone.localdate()
    current = month_start(today)
    months = [dt.date(current.year, m, 1) for m in range(1, current.month)] or [add_months(current, -1)]
    regular = Payroll.objects.filter(kind="regular", programme_id__in=OTHER_PROGRAMMES)
    assert not regular.filter(state="cancelled").exists()
    for programme in OTHER_PROGRAMMES:
        for month in months:
            p = regular.get(programme_id=programme, month=month)
            assert p.state == "reconciled" and p.line_count > 0, (programme, month, p.state)
            assert (p.generated_by.username, p.checked_by.username, p.approved_by.username) == (
                "finance",
                "finance",
                "finance2",
            )
            assert p.ledger_total == p.lines_total, (programme, month)
        p = regular.get(programme_id=programme, month=current)
        assert p.state == "checked" and p.approved_by is None, programme
    # the disability subsidies dibao's approvals start are paid every month of the history, not only this year
    history = set(regular.filter(programme_id="disability").values_list("month", flat=True))
    first_dibao = Payroll.objects.filter(programme_id="dibao", kind="regular").order_by("month").first().month
    assert set(months_between(first_dibao, add_months(months[0], -1))) <= history
    # a few lines of the other programmes came back from the bank, and were paid again by the next payroll
    failed = PayrollLine.objects.filter(payroll__in=regular, status="failed").order_by("pk")
    assert failed.exists()
    line = failed.first()
    assert LedgerEntry.objects.filter(
        enrolment_id=line.enrolment_id, kind="payment", payroll__month__gt=line.payroll.month
    ).exists() or line.payroll.month == add_months(current, -1)
    # the old-age allowance: each month's roster built from the registry and confirmed by every village; only the
    # people marked present are paid; a new 80-year-old comes in in the month of the birthday, and nobody is paid
    # for a month after the one they died in
    for month in months:
        assert set(ElderlyRoster.objects.filter(month=month).values_list("state", flat=True)) == {"confirmed"}
    present = set(ElderlyRosterLine.objects.filter(mark="present").values_list("enrolment_id", "month"))
    paid = set(
        LedgerEntry.objects.filter(payroll__programme_id="elderly", kind="payment").values_list("enrolment_id", "month")
    )
    assert paid <= present
    elderly = Enrolment.objects.filter(programme_id="elderly").select_related("person")
    later = [e for e in elderly if e.start_month > months[0]]
    assert later or len(months) == 1  # (in January the year's history is last December alone)
    assert all(add_months(month_start(e.person.birth_date), 80 * 12) == e.start_month for e in later)
    dead = [e for e in elderly if e.person.died_on]
    assert dead
    for e in dead:
        last = month_start(e.person.died_on)
        assert not LedgerEntry.objects.filter(enrolment=e, kind="payment", month__gt=last).exists(), e.person_id
    # temporary assistance, medical settlements and funeral waivers: granted before the month's payroll day, each
    # paid by its own month's payroll; some hardships came through the 12349 hotline
    for programme in ("temporary", "medical", "funeral"):
        for e in Enrolment.objects.filter(programme_id=programme, start_month__in=months):
            first = LedgerEntry.objects.filter(enrolment=e, kind="payment").order_by("pk").first()
            assert first is not None and first.payroll.month == e.start_month, (programme, e.pk)
        assert set(
            Enrolment.objects.filter(programme_id=programme, start_month__in=months).values_list(
                "start_month", flat=True
            )
        ) == set(months), programme
    assert HotlineCall.objects.filter(assistance__hardship_date__lt=current).exists()
    assert TemporaryAssistance.objects.filter(hardship_date__lt=current, state="documented").exists()
    assert set(Settlement.objects.filter(discharged_on__lt=current).values_list("discharged_on__month", flat=True))
    home = FuneralHome.objects.get()
    funeral = PayrollLine.objects.filter(payroll__programme_id="funeral", payroll__month__in=months)
    assert funeral.exists() and {line.account for line in funeral} == {home.bank_account}
    for e in Enrolment.objects.filter(programme_id="funeral", start_month__in=months).select_related("person"):
        assert month_start(e.person.died_on) == e.start_month
    # veterans: on the roll and paid from the year's first month
    assert set(VeteranEntitlement.objects.values_list("start_month", flat=True)) == {months[0]}
    # the year's annual summary states what was paid (section 二)
    text = summary_markdown(months[-1].year)
    section = text[text.index("（二）") : text.index("## 二、")]
    for pattern in (r"全年实施临时救助(\d+)户次", r"全年发放高龄津贴([\d.]+)元", r"全年为(\d+)名逝者减免"):
        found = re.search(pattern, section)
        assert found and Decimal(found.group(1)) > 0, (pattern, section)


def test_small_demo_is_plausible(small):
    s, _ = small
    # dibao in several townships; tekun mostly centralised in the county's nursing homes
    assert len(s["dibao_by_township"]) >= 3
    assert s["tekun_centralised"] >= s["tekun_scattered"]
    tekun = Enrolment.objects.filter(programme_id="tekun")
    assert all(e.institution for e in tekun.filter(support_mode=SupportMode.CENTRALISED))
    # a centralised person's amount is decided on the centralised standard (460 from 2016, above the scattered 360)
    centralised = tekun.filter(support_mode=SupportMode.CENTRALISED).first()
    assert centralised.case.decision_explanation["extra"]["support_mode"] == "centralised"
    # caseworker's township keeps its current weeks' cases in every state, some overdue
    states = set(
        Case.objects.filter(kind=CaseKind.NEW, area_code__startswith="511425101").values_list("state", flat=True)
    )
    assert {"draft", "accepted", "county_review", "approved"} <= states
    # reviews were done through the procedure, and the daily job's reviews of this month are due
    assert Case.objects.filter(kind=CaseKind.REVIEW, state__in=["approved", "refused"]).exists()
    # exits: gradual exits and terminations happened over the two years
    assert Enrolment.objects.filter(status=EnrolmentStatus.TERMINATED).exists()
    # each township's caseworker built the verification report of its open cases past the check, from the
    # departments' files the demo loaded (doudi/demo/departments.py)
    checked = Case.objects.filter(state__in=CHECKED, area_code__startswith="511425")
    built = AuditEvent.objects.filter(action="verification.report", target_type="case")
    assert checked.exists() and set(built.values_list("target_id", flat=True)) == {str(c.pk) for c in checked}
    assert all(f.case.state in CHECKED for f in Finding.objects.select_related("case"))
    # children's applications in 汉阳镇 (doudi/demo/benefits.py): one waiting at each step, none late yet — the
    # caseworker's (to investigate and submit) and the county approver's (to decide, submitted by the township's
    # reviewer) — and one withdrawn at the township's step; the three grandchildren granted before still paid
    from doudi.benefits import children_applications as apps

    today = timezone.localdate()
    caseworker, approver = Staff.objects.get(username="caseworker"), Staff.objects.get(username="approver")
    for who, step in ((caseworker, apps.TOWNSHIP), (approver, apps.COUNTY)):
        rows = [
            r for r in apps.application_rows(who, today=today, state=step) if r.case.area_code.startswith("511425101")
        ]
        assert len(rows) == 1 and rows[0].due > today and not rows[0].overdue, (step, rows)
        assert apps.applications_waiting(who, today) == {"state": step, "count": 1, "overdue": 0}
    submitted = apps.applications(None).get(state=apps.COUNTY)
    assert submitted.events.get(move="submit_to_county").actor.username == "tsreviewer"
    withdrawn = apps.applications(None).get(state="withdrawn")
    event = withdrawn.events.get(move="withdraw")
    assert event.from_state == apps.TOWNSHIP and event.actor == caseworker and withdrawn.withdraw_reason
    assert withdrawn.area_code.startswith("511425101") and event.on <= today
    assert Enrolment.objects.filter(programme_id="children", area_code__startswith="511425101").count() >= 2
    # the history ends today: nothing was done on a later day
    assert not CaseEvent.objects.filter(on__gt=today).exists()
    assert not Case.objects.filter(decided_on__gt=today).exists()


def test_the_register_keeps_edge_families_and_the_wage_file_raises_the_registers_alert(small):
    """doudi/demo/departments.py: the townships' caseworkers registered three families above the dibao standard and
    under the edge line and entered them on the register before the departments' files came; the wage file reports
    何建国 (汉阳镇, registered with casual work) in a steady job, which is the register's own alert (no payment to
    hold) and takes his household out of the edge tier; the other two stay."""
    from doudi.verification.models import Alert, AlertRule, Discovery, MonitoringEntry, Tier

    edge = list(MonitoringEntry.objects.filter(tier=Tier.EDGE).order_by("pk"))
    assert [e.household.head_name for e in edge] == ["何建国", "曾秀兰", "彭德明"]
    assert [e.area_code[:9] for e in edge] == ["511425101", "511425101", "511425102"]
    assert {e.entered_by.role for e in edge} == {"township_caseworker"}
    assert all("高于低保标准" in e.entry_reason and "低于低保边缘线" in e.entry_reason for e in edge)
    [alert] = Alert.objects.filter(entry__isnull=False)
    assert (alert.rule, alert.entry, alert.enrolment_id, alert.held) == (AlertRule.INCOME_ABOVE, edge[0], None, False)
    assert alert.person.name == "何建国" and "不低于低保边缘线" in alert.detail
    assert "不低于低保边缘线" in edge[0].leave_reason and edge[1].left_on is None and edge[2].left_on is None
    # active discovery looks for the families the township does not know yet
    assert not Discovery.objects.filter(household__in=[e.household for e in edge]).exists()


def test_a_paid_month_is_reconciled_with_its_bank_failures(small):
    failed = PayrollLine.objects.filter(status="failed", payroll__kind="regular")
    assert failed.exists()
    line = failed.order_by("pk").first()
    assert line.payroll.state == "reconciled" and line.failure_reason
    # the returned line's payment was reversed in the ledger, and a later payroll paid the month again
    entries = LedgerEntry.objects.filter(enrolment_id=line.enrolment_id, month=line.payroll.month)
    assert sum(e.amount for e in entries) in (Decimal("0.00"), line.current_amount)
    assert entries.filter(kind="reversal").exists()
    # the three totals agree on every reconciled payroll
    for p in Payroll.objects.filter(state="reconciled"):
        assert p.ledger_total == p.lines_total


def test_the_fraud_overpayment_is_being_recovered(small):
    fraud = Overpayment.objects.get(fraud=True)
    assert fraud.enrolment.status == EnrolmentStatus.TERMINATED
    repaid = Recovery.objects.filter(overpayment=fraud, kind="repayment")
    assert repaid.exists() and sum(r.amount for r in repaid) < fraud.amount
    assert fraud.status == "open"


def test_the_standards_rise_was_simulated_then_approved(small):
    rise = ParameterVersion.objects.get(note=RISE_NOTE)
    assert rise.status == "approved" and rise.effective_from == dt.date(timezone.localdate().year, 1, 1)
    assert rise.values["standard_urban"] == RISE["standard_urban"] and rise.created_by.username == "reviewer"
    assert rise.approved_by.username == "approver"
    simulation = EvaluationRun.objects.get(draft=rise)
    assert simulation.summary["totals"]["baseline_run"] and simulation.created_by.username == "reviewer"
    assert simulation.finished_at < rise.approved_at
    assert simulation.results.exists()  # the simulation's results are kept


@pytest.mark.django_db(transaction=True)  # the second build empties the database (flush), outside a test transaction
def test_same_seed_same_county():
    first = small_demo()
    second = small_demo()
    keys = ("households", "people", "dibao_households", "dibao_people", "tekun", "tekun_centralised", "overpaid")
    assert {k: first[k] for k in keys} == {k: second[k] for k in keys}
    assert first["dibao_previous"]["total"] == second["dibao_previous"]["total"]
    assert first["dibao_current"]["total"] == second["dibao_current"]["total"]
