"""The demo county pays each programme this month (issue 15): the old-age allowance roster from the registry,
the disability subsidies for disabled members (the living subsidy where the household is on dibao), a few orphans
and de facto unsupported children, and one-off payments — temporary assistance after a fire, medical assistance
on hospital settlements of dibao members, and the funeral waivers of this month's deaths paid to the county's
funeral home; and veterans' periodic payments with their one-off grants (veterans.py). Each goes through the actions, then this month's payroll of each programme is generated and checked
by ``finance`` (waiting, like dibao's, for ``finance2``'s approval)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from decimal import Decimal

from django.utils import timezone
from stdnum import luhn

from doudi.accounts.models import Staff
from doudi.benefits.actions import benefit_grant, elderly_roster_build, funeral_home_create
from doudi.benefits.children import children_grant, children_reviews_run, parent_situation_record, study_proof_record
from doudi.benefits.life import person_death_record
from doudi.benefits.models import (
    CallOutcome,
    ElderlyRoster,
    FuneralHome,
    ParentSituation,
    RosterMark,
    TemporaryAssistance,
)
from doudi.benefits.rosters import Mark, elderly_roster_confirm
from doudi.benefits.temporary import (
    hotline_call_record,
    temporary_apply,
    temporary_paperwork_complete,
    temporary_pay_first,
)
from doudi.cases.models import Department, Enrolment, EnrolmentStatus
from doudi.core.errors import ApplicationError
from doudi.core.idnumber import id_make
from doudi.core.money import add_months, month_start
from doudi.payments.actions import anomaly_handle, payroll_check
from doudi.payments.generation import payroll_generate
from doudi.payments.models import AnomalyStatus
from doudi.programmes.rules.inputs import Claim, Funeral, FuneralService
from doudi.programmes.rules.registry_input import household_input
from doudi.registry.actions import household_register
from doudi.registry.models import Household, Membership

from .medical import certificates_demo, medical_demo
from .veterans import veterans_demo

PROGRAMMES = ("elderly", "disability", "children", "temporary", "medical", "funeral", "veterans")
FUNERAL_HOME = {"name": "青神县殡仪馆", "bank_account": "6228480469012345671", "account_holder": "青神县殡仪馆"}


def _members(**filters):
    return (
        Membership.objects.filter(end_date__isnull=True, household__area__code__startswith="511425", **filters)
        .select_related("person", "household")
        .order_by("pk")
    )


def _grandparent_household(caseworker: Staff, today: dt.date, i: int, rng: random.Random) -> Household:
    """A grandmother and her grandchild, registered through the registry's action (idempotent by ID number); the
    third grandchild turns 18 this month."""
    village = caseworker.scope_prefix[:9] + "201"
    granny_birth = dt.date(today.year - 68 - i, 3 + i, 12)
    child_birth = dt.date(today.year - 9 + i, 7 - i, 21) if i < 2 else dt.date(today.year - 18, today.month, 25)
    granny_id = id_make(COUNTY, granny_birth, 802 + 2 * i)
    for m in Membership.objects.filter(
        relation="head", end_date__isnull=True, person__birth_date=granny_birth, person__name=GRANNIES[i]
    ):
        return m.household
    body = f"62170000{880 + i:010d}"
    return household_register(
        actor=caseworker,
        area_code=village,
        data={"hukou_type": "rural", "phone": f"1380000{8800 + i}", "bank_account": body + luhn.calc_check_digit(body)},
        members=[
            {"name": GRANNIES[i], "id_number": granny_id, "relation": "head"},
            {
                "name": GRANDCHILDREN[i],
                "id_number": id_make(COUNTY, child_birth, 811 + 2 * i),
                "relation": "grandchild",
                "student": True,
            },
        ],
    )


GRANNIES = ("罗桂芳", "杨秀珍", "陈淑华")
GRANDCHILDREN = ("罗小雨", "杨思远", "陈佳怡")
# each grandchild's parents: (parent, situation, months before the decision it began, evidence)
CHILD_PARENTS = (
    (
        ("father", "dead", 40, "死亡医学证明书 N511425202300417"),
        ("mother", "dead", 40, "死亡医学证明书 N511425202300418"),
    ),
    (
        ("father", "in_prison", 30, "四川省某监狱服刑人员情况通知书（2024）第118号"),
        ("mother", "lost_contact", 13, "派出所查找不到当事人证明"),
    ),
    (
        ("father", "dead", 60, "死亡医学证明书 N511425202100215"),
        ("mother", "missing", 36, "县人民法院宣告失踪判决书（2023）川1425民特12号"),
    ),
)
COUNTY = "511425"


def _try_grant(counts: dict, programme: str, **kwargs) -> None:
    try:
        benefit_grant(programme=programme, **kwargs)
    except ApplicationError:
        return  # not eligible on the facts (the demo picks plausible people; the rules decide)
    counts[programme] = counts.get(programme, 0) + 1


def _temporary_demo(counts: dict, *, caseworker: Staff, on_dibao: set, day: dt.date, rng: random.Random) -> None:
    if TemporaryAssistance.objects.filter(area_code__startswith=caseworker.scope_prefix).exists():
        return  # a rerun of the demo adds none
    reviewer = Staff.objects.get(username="tsreviewer")
    households = list(
        Household.objects.filter(area__code__startswith=caseworker.scope_prefix)
        .exclude(pk__in=on_dibao)
        .order_by("pk")[:3]
    )
    received = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 20)))
    cases = (
        ("emergency", "房屋失火", {"loss": rng.choice(["380.00", "480.00"])}, "家中失火，衣物口粮被烧毁，请求救助"),
        ("emergency", "交通事故", {"loss": "900.00", "reimbursed": "500.00"}, "户主遭遇车祸，肇事方未赔付，生活困难"),
        ("expenditure", "重病医疗支出", {"rigid_expenses": "9800.00", "reimbursed": "5200.00"}, ""),
    )
    for i, (h, (kind, cause, amounts, need)) in enumerate(zip(households, cases, strict=False)):
        head = h.memberships.filter(relation="head", end_date__isnull=True).select_related("person").first()
        if head is None:
            continue
        call = None
        if need:  # the first two came in through the 12349 hotline
            call = hotline_call_record(
                actor=caseworker,
                caller_name=head.person.name,
                caller_phone=f"1390000{7700 + i}",
                area_code=h.area_id,
                need=need,
                outcome=CallOutcome.APPLICATION,
                received_at=received + dt.timedelta(minutes=40 * i),
            )
        try:
            ta = temporary_apply(
                actor=caseworker,
                household=h,
                person=head.person,
                kind=kind,
                cause=cause,
                hardship_date=day,
                call=call,
                **amounts,
            )
        except ApplicationError:
            continue  # not eligible on the facts: the rules decide
        if ta.fast_track:
            ta = temporary_pay_first(actor=reviewer, ta=ta, on=day)
            counts["temporary"] = counts.get("temporary", 0) + 1
            if i == 0:  # the first one's paperwork is done; the second's is still due
                temporary_paperwork_complete(
                    actor=caseworker,
                    ta=ta,
                    record=f"先行救助记录：{cause}，救助金额{ta.amount}元，经办人与申请人已签字",
                    on=day,
                )
    hotline_call_record(
        actor=caseworker,
        caller_name="周德明",
        caller_phone="13900007799",
        area_code=caseworker.scope_prefix[:9] + "201",
        need="务工工资被拖欠三个月，家中生活困难",
        outcome=CallOutcome.REFERRAL,
        department=Department.HUMAN_RESOURCES,
        note="已转人社部门劳动监察处理，告知可同时申请临时救助",
        received_at=received + dt.timedelta(hours=2),
    )


def _rosters_confirm(last_month: dt.date, month: dt.date) -> None:
    """Each village confirms its old-age roster (its cadre, or the township's caseworker from the signed paper
    roster), everyone present: last month's all, this month's all but the demo cadre's own village, which waits on
    the cadre's home page (and shows on its township's overview as not confirmed)."""
    cadre = Staff.objects.get(username="cadre")
    caseworkers = {
        s.area_id[:9]: s for s in Staff.objects.filter(role="township_caseworker", is_active=True).order_by("pk")
    }
    for roster in ElderlyRoster.objects.filter(month__in=[last_month, month]).order_by("month", "area_code"):
        if roster.area_code == cadre.area_id:
            if roster.month == month:
                continue
            actor = cadre
        else:
            actor = caseworkers.get(roster.area_code[:9])
        if actor is None:
            continue
        marks = [Mark(pk, RosterMark.PRESENT) for pk in roster.lines.order_by("pk").values_list("pk", flat=True)]
        elderly_roster_confirm(actor=actor, roster=roster, marks=marks)


def benefits_demo(*, today: dt.date, seed: int) -> dict[str, int]:
    """Grants and this month's payrolls of every programme besides dibao and tekun; returns the lines paid."""
    rng = random.Random(seed * 7919 + 15)
    approver = Staff.objects.get(username="approver")
    finance = Staff.objects.get(username="finance")
    month = month_start(today)
    last_month = add_months(month, -1)
    counts: dict[str, int] = {}
    home = FuneralHome.objects.filter(name=FUNERAL_HOME["name"]).first() or funeral_home_create(
        actor=approver, area_code="511425000000", **FUNERAL_HOME
    )
    elderly_roster_build(actor=approver, month=last_month)
    elderly_roster_build(actor=approver, month=month)
    _rosters_confirm(last_month, month)
    on_dibao = set(
        Enrolment.objects.filter(programme_id="dibao", status=EnrolmentStatus.ACTIVE).values_list(
            "household_id", flat=True
        )
    )
    # disability: applied last month, paid from the month of application
    for m in _members(person__disability_grade__isnull=False, person__deceased=False)[:40]:
        facts = replace(household_input(m.household), enrolled=("dibao",) if m.household_id in on_dibao else ())
        _try_grant(
            counts,
            "disability",
            actor=approver,
            household=m.household,
            person=m.person,
            on=last_month + dt.timedelta(days=rng.randrange(0, 20)),
            facts=facts,
        )
    # children: three grandmothers raising grandchildren register their households (the generator makes none); the
    # township records the parents' situations with their dates and evidence — dead, missing, in prison, out of
    # contact — and the county grants on them last month, paid from this month. The third child turns 18 this
    # month with proof of full-time study: the daily check raises the review of her allowance.
    caseworker = Staff.objects.get(username="caseworker")
    for i, situations in enumerate(CHILD_PARENTS):
        h = _grandparent_household(caseworker, today, i, rng)
        grandchild = h.memberships.get(relation="grandchild").person
        decided = last_month + dt.timedelta(days=rng.randrange(0, 20))
        if ParentSituation.objects.filter(child=grandchild).exists():
            continue  # a rerun of the demo adds none
        for parent, status, months, evidence in situations:
            parent_situation_record(
                actor=caseworker,
                child=grandchild,
                parent=parent,
                status=status,
                since=add_months(decided, -months),
                evidence=evidence,
                on=decided,
            )
        if i == 2:
            study_proof_record(
                actor=caseworker,
                child=grandchild,
                school="仁寿县第一中学",
                since=dt.date(today.year - 3, 9, 1),
                evidence="仁寿一中在读证明（高三）",
                on=decided,
            )
        try:
            children_grant(actor=approver, person=grandchild, on=decided)
        except ApplicationError:
            continue
        counts["children"] = counts.get("children", 0) + 1
    children_reviews_run(actor=None, on=today)
    day = max(month, today - dt.timedelta(days=3))
    # temporary assistance through its procedure in 汉阳镇 (the demo caseworker's township): 12349 calls turned into
    # applications, a fire paid first with its paperwork done and another still due, an illness's expenses waiting
    # for the county's decision, and a call referred to another department
    _temporary_demo(counts, caseworker=caseworker, on_dibao=on_dibao, day=day, rng=rng)
    # medical assistance: the hospital's settlement file of dibao and tekun members, and the premium roster
    medical_demo(today=today, seed=seed)
    certificates_demo(today=today, seed=seed)  # the federation's certificates; the subsidies follow dibao
    # two deaths this month among the oldest in 汉阳镇 (those of dibao households first), each reported once for
    # every programme: the old-age allowance is paid to the month of death, the household's dibao re-evaluated
    # from the next month, a hospital settlement of the first not yet paid is held, and the funeral waiver is paid
    # to the funeral home
    oldest = sorted(
        Enrolment.objects.filter(
            programme_id="elderly", status=EnrolmentStatus.ACTIVE, area_code__startswith=caseworker.scope_prefix
        )
        .select_related("household", "person")
        .order_by("person__birth_date", "pk")[:50],
        key=lambda e: (e.household_id not in on_dibao, e.person.birth_date, e.pk),
    )[:2]
    for n, enrolment in enumerate(oldest):
        h, person = enrolment.household, enrolment.person
        died = max(month, day - dt.timedelta(days=2))
        if n == 0 and h.pk in on_dibao:
            facts = household_input(h)
            index = next(x.index for x in facts.members if x.person_id == person.pk)
            claim = Claim(index, Decimal("3260.00"), False, Decimal("0"), Decimal("0"), month)
            _try_grant(
                counts,
                "medical",
                actor=approver,
                household=h,
                person=person,
                on=month,
                facts=replace(facts, enrolled=("dibao",), claim=claim),
            )
        person_death_record(actor=caseworker, person=person, died_on=died, details="村委会报告，已火化")
        facts = household_input(h)  # the registry now holds the date of death
        index = next(x.index for x in facts.members if x.person_id == person.pk)
        services = (
            FuneralService("transport", Decimal("320.00")),
            FuneralService("cold_storage", Decimal("150.00"), 3),
            FuneralService("cremation", Decimal("400.00")),
            FuneralService("urn", Decimal(rng.choice(["180.00", "260.00"]))),
        )
        _try_grant(
            counts,
            "funeral",
            actor=approver,
            household=h,
            person=person,
            on=day,
            facts=replace(facts, funeral=Funeral(index, services)),
            funeral_home=home,
        )
    # veterans' periodic payments: the roster approved last month and paid, one in prison, one death, the grants
    veterans_demo(today=today, seed=seed)
    paid = {}
    for programme in PROGRAMMES:
        p = payroll_generate(actor=finance, programme=programme, month=month)
        for anomaly in p.anomalies.filter(status=AnomalyStatus.OPEN).order_by("pk"):
            anomaly_handle(actor=finance, anomaly=anomaly, accept=True, reason="经核实，情况属实")
        payroll_check(actor=finance, payroll=p)
        paid[programme] = p.line_count
    return paid
