"""The demo county's current month of each programme besides dibao and tekun (issue 15), after the year's history
(year.py, which made every earlier month of this year through the same actions and the helpers here): this
month's old-age allowance roster from the registry, confirmed by every village but the demo cadre's; the children's
allowance review the daily check raises for the grandchild turning 18, and children's applications in 汉阳镇 waiting
at each step of their procedure (one withdrawn at the township's); temporary assistance after a fire and an
accident through the 12349 hotline; medical assistance on the hospital's settlements of dibao and tekun members and
the premium subsidies of those who came on the roll since January; the federation's disability certificates; two
deaths among the oldest in 汉阳镇 with their funeral waivers paid to the county's funeral home; and veterans' events
(veterans.py). Each goes through the actions, then this month's payroll of each programme is generated and checked
by ``finance`` (waiting, like dibao's, for ``finance2``'s approval)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from doudi.accounts.models import Staff
from doudi.areas.models import Area
from doudi.benefits.actions import benefit_grant, elderly_roster_build, funeral_home_create
from doudi.benefits.children import children_grant, children_reviews_run, parent_situation_record, study_proof_record
from doudi.benefits.children_applications import (
    children_application_record,
    children_application_submit,
    children_application_withdraw,
)
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
from doudi.cases.models import Case, Department, Enrolment, EnrolmentStatus
from doudi.core.errors import ApplicationError
from doudi.core.idnumber import id_make
from doudi.core.money import add_months, month_start
from doudi.core.workdays import WorkCalendar, add_working_days
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
    granny_birth = dt.date(today.year - 68 - i, 3 + i, 12)
    child_birth = dt.date(today.year - 9 + i, 7 - i, 21) if i < 2 else dt.date(today.year - 18, today.month, 25)
    body = f"62170000{880 + i:010d}"
    return _grandparent_register(
        caseworker,
        village=caseworker.scope_prefix[:9] + "201",
        granny=(GRANNIES[i], granny_birth, 802 + 2 * i),
        child=(GRANDCHILDREN[i], child_birth, 811 + 2 * i),
        phone=f"1380000{8800 + i}",
        bank_account=body + luhn.calc_check_digit(body),
    )


def _grandparent_register(
    caseworker: Staff, *, village: str, granny: tuple, child: tuple, phone: str, bank_account: str, joined=None
) -> Household:
    """The household of a grandmother (name, birth date, ID sequence) raising a grandchild (the same), registered
    through the registry's action once (found again by the grandmother's name and birth date)."""
    (granny_name, granny_birth, granny_seq), (child_name, child_birth, child_seq) = granny, child
    for m in Membership.objects.filter(
        relation="head", end_date__isnull=True, person__birth_date=granny_birth, person__name=granny_name
    ):
        return m.household
    return household_register(
        actor=caseworker,
        area_code=village,
        data={"hukou_type": "rural", "phone": phone, "bank_account": bank_account},
        members=[
            {"name": granny_name, "id_number": id_make(COUNTY, granny_birth, granny_seq), "relation": "head"},
            {
                "name": child_name,
                "id_number": id_make(COUNTY, child_birth, child_seq),
                "relation": "grandchild",
                "student": True,
            },
        ],
        joined=joined,
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


def hardship_apply(
    *, actor, household, person, kind, cause, amounts: dict, hardship_date, need: str, phone: str, received_at
):
    """A hardship applied for by ``person``, after their 12349 call when there is a ``need`` said on it: the call
    and the application together, or neither when the rules refuse it (returns None; the demo tries another
    household or day)."""
    try:
        with transaction.atomic():
            call = None
            if need:
                call = hotline_call_record(
                    actor=actor,
                    caller_name=person.name,
                    caller_phone=phone,
                    area_code=household.area_id,
                    need=need,
                    outcome=CallOutcome.APPLICATION,
                    received_at=received_at,
                )
            return temporary_apply(
                actor=actor,
                household=household,
                person=person,
                kind=kind,
                cause=cause,
                hardship_date=hardship_date,
                call=call,
                **amounts,
            )
    except ApplicationError:
        return None


def _temporary_demo(counts: dict, *, caseworker: Staff, on_dibao: set, day: dt.date, rng: random.Random) -> None:
    this_year = TemporaryAssistance.objects.filter(year=day.year)
    if this_year.filter(area_code__startswith=caseworker.scope_prefix, hardship_date__gte=month_start(day)).exists():
        return  # a rerun of the demo adds none
    reviewer = Staff.objects.get(username="tsreviewer")
    households = list(
        Household.objects.filter(area__code__startswith=caseworker.scope_prefix)
        .exclude(pk__in=on_dibao)
        .exclude(pk__in=this_year.values("household_id"))  # helped earlier this year (year.py)
        .exclude(  # whose head died (year.py's deaths)
            pk__in=Membership.objects.filter(relation="head", end_date__isnull=True, person__deceased=True).values(
                "household_id"
            )
        )
        .order_by("pk")[:12]
    )
    received = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 20)))
    cases = (
        ("emergency", "房屋失火", {"loss": rng.choice(["380.00", "480.00"])}, "家中失火，衣物口粮被烧毁，请求救助"),
        ("emergency", "交通事故", {"loss": "900.00", "reimbursed": "500.00"}, "户主遭遇车祸，肇事方未赔付，生活困难"),
        ("expenditure", "重病医疗支出", {"rigid_expenses": "9800.00", "reimbursed": "5200.00"}, ""),
    )
    for i, (kind, cause, amounts, need) in enumerate(cases):
        # the first household (in key order) the rules find eligible: the call and the application of one they
        # refuse (an expenditure above the income line) are undone and the next is tried
        for h in list(households):
            head = h.memberships.filter(relation="head", end_date__isnull=True).select_related("person").first()
            if head is None:
                continue
            ta = hardship_apply(  # the first two came in through the 12349 hotline
                actor=caseworker,
                household=h,
                person=head.person,
                kind=kind,
                cause=cause,
                amounts=amounts,
                hardship_date=day,
                need=need,
                phone=f"1390000{7700 + i}",
                received_at=received + dt.timedelta(minutes=40 * i),
            )
            if ta is None:
                continue  # not eligible on the facts: the rules decide
            households.remove(h)
            break
        else:
            continue
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
    _migrant_demo(counts, caseworker=caseworker, reviewer=reviewer, day=day, received=received)


MIGRANT = {"name": "王小川", "birth": dt.date(1988, 4, 9), "hukou": "511121", "hukou_place": "四川省仁寿县文林镇"}


def _migrant_demo(counts: dict, *, caseworker: Staff, reviewer: Staff, day: dt.date, received) -> None:
    """Someone whose hukou is elsewhere (仁寿县), working in 汉阳镇, whose rented room burned: registered where he
    lives with his hukou place, his 12349 call turned into an emergency application where it happened, paid first by
    the township's reviewer, the paperwork still due (docs/programmes.md, people whose hukou is outside the county)."""
    number = id_make(MIGRANT["hukou"], MIGRANT["birth"], 31)
    if Household.objects.filter(hukou_place=MIGRANT["hukou_place"], head_name=MIGRANT["name"]).exists():
        return
    body = "6217000099887766"
    household = household_register(
        actor=caseworker,
        area_code=caseworker.scope_prefix[:9] + "201",
        data={
            "hukou_type": "rural",
            "hukou_place": MIGRANT["hukou_place"],
            "address": "租住汉阳镇场镇",
            "phone": "13900007711",
            "bank_account": body + luhn.calc_check_digit(body),
        },
        members=[{"name": MIGRANT["name"], "id_number": number, "relation": "head"}],
        joined=day,
    )
    ta = hardship_apply(
        actor=caseworker,
        household=household,
        person=household.memberships.get().person,
        kind="emergency",
        cause="租住房屋失火",
        amounts={"loss": "420.00"},
        hardship_date=day,
        need="外地来汉阳务工，租住房屋失火，被褥口粮烧毁",
        phone="13900007711",
        received_at=received + dt.timedelta(hours=1),
    )
    if ta is not None and ta.fast_track:
        temporary_pay_first(actor=reviewer, ta=ta, on=day)
        counts["temporary"] = counts.get("temporary", 0) + 1


def rosters_confirm(month: dt.date, *, prefix: str = COUNTY, cadre_waits: bool = False) -> int:
    """Each village of ``prefix`` confirms its old-age roster of ``month`` (its cadre, or the township's caseworker
    from the signed paper roster), everyone present; with ``cadre_waits`` (this month's) all but the demo cadre's own
    village, which waits on the cadre's home page (and shows on its township's overview as not confirmed). Returns
    the rosters confirmed."""
    cadre = Staff.objects.get(username="cadre")
    caseworkers = {
        s.area_id[:9]: s for s in Staff.objects.filter(role="township_caseworker", is_active=True).order_by("pk")
    }
    confirmed = 0
    for roster in ElderlyRoster.objects.filter(month=month, area_code__startswith=prefix).order_by("area_code"):
        if roster.area_code == cadre.area_id:
            if cadre_waits:
                continue
            actor = cadre
        else:
            actor = caseworkers.get(roster.area_code[:9])
        if actor is None:
            continue
        marks = [Mark(pk, RosterMark.PRESENT) for pk in roster.lines.order_by("pk").values_list("pk", flat=True)]
        elderly_roster_confirm(actor=actor, roster=roster, marks=marks)
        confirmed += 1
    return confirmed


def funeral_home(approver: Staff) -> FuneralHome:
    """The county's funeral home, which the funeral waivers are paid to (made once)."""
    return FuneralHome.objects.filter(name=FUNERAL_HOME["name"]).first() or funeral_home_create(
        actor=approver, area_code="511425000000", **FUNERAL_HOME
    )


def funeral_waiver(
    counts: dict, *, approver: Staff, home: FuneralHome, household: Household, person, on: dt.date, rng
) -> None:
    """The funeral waiver of a death already recorded: the funeral home's services, paid to the funeral home."""
    facts = household_input(household)  # the registry now holds the date of death
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
        household=household,
        person=person,
        on=on,
        facts=replace(facts, funeral=Funeral(index, services)),
        funeral_home=home,
    )


def disability_grant(counts: dict, *, approver: Staff, person_id: int, on: dt.date) -> None:
    """A disabled person's application for the subsidies, granted on ``on`` and paid from its month when the rules
    find them eligible (the living subsidy where the household is on dibao that day); someone already receiving
    them (dibao's approval started them, doudi/medical) is refused as a duplicate."""
    m = _members(person_id=person_id, person__deceased=False).first()
    if m is None:
        return  # died or moved away since
    on_dibao = Enrolment.objects.filter(
        programme_id="dibao", household_id=m.household_id, status=EnrolmentStatus.ACTIVE
    ).exists()
    facts = replace(household_input(m.household), enrolled=("dibao",) if on_dibao else ())
    _try_grant(counts, "disability", actor=approver, household=m.household, person=m.person, on=on, facts=facts)


def _parents_record(caseworker: Staff, child, parents, *, before: dt.date, on: dt.date) -> None:
    """The township records each parent's situation (parent, status, months before ``before`` it began,
    evidence) on ``on``."""
    for parent, status, months, evidence in parents:
        parent_situation_record(
            actor=caseworker,
            child=child,
            parent=parent,
            status=status,
            since=add_months(before, -months),
            evidence=evidence,
            on=on,
        )


def child_grant(i: int, counts: dict, *, today: dt.date, decided: dt.date, rng: random.Random) -> None:
    """The ``i``-th grandmother raising a grandchild registers her household (the generator makes none); the
    township records the parents' situations with their dates and evidence — dead, missing, in prison, out of
    contact — and the county grants the children's allowance on ``decided``, paid from the month after. The third
    child turns 18 this month with proof of full-time study: the daily check raises the review of her allowance."""
    caseworker = Staff.objects.get(username="caseworker")
    approver = Staff.objects.get(username="approver")
    h = _grandparent_household(caseworker, today, i, rng)
    grandchild = h.memberships.get(relation="grandchild").person
    if ParentSituation.objects.filter(child=grandchild).exists():
        return  # a rerun of the demo adds none
    _parents_record(caseworker, grandchild, CHILD_PARENTS[i], before=decided, on=decided)
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
        return
    counts["children"] = counts.get("children", 0) + 1


# children's applications in 汉阳镇 (children_applications.py), one at each step and one withdrawn: (grandmother,
# her birth's years before today, grandchild, the child's age, the child's sex, what became of it)
APPLICANTS = (
    ("周玉兰", 66, "周子涵", 11, "F", "township"),
    ("吴秀英", 71, "吴浩然", 13, "M", "county"),
    ("郑桂英", 64, "郑雨桐", 6, "F", "withdrawn"),
)
APPLIED_BY = ("祖母（监护人）", "祖母（监护人），村委会陪同", "村委会代为申请，祖母签字")
# what the township found on the child's parents: the one waiting for the county qualifies (de facto unsupported),
# the one still at the township's step has had the father's death recorded so far
APPLICANT_PARENTS = {
    "county": (
        ("father", "dead", 30, "死亡医学证明书 N511425202404261"),
        ("mother", "lost_contact", 14, "派出所查找不到当事人证明（汉阳派出所）"),
    ),
    "township": (("father", "dead", 20, "死亡医学证明书 N511425202503117"),),
}


def _workdays_back(day: dt.date, n: int, cal: WorkCalendar) -> dt.date:
    """The ``n``-th working day before ``day``."""
    while n:
        day -= dt.timedelta(days=1)
        n -= cal.is_workday(day)
    return day


def children_applications_demo(*, today: dt.date, seed: int) -> int:
    """Three grandmothers of 汉阳镇 apply for the children's allowance for the grandchild they raise, each through the
    actions on the day it happens (the demo's caseworker records, the township's reviewer ``tsreviewer`` submits):
    one received a few working days ago, its investigation due in the weeks ahead; one investigated and submitted,
    waiting for the county approver's decision (due after today); and one withdrawn at the township's step when the
    child's mother came home. Their days, villages and applicants are drawn, in this order, from a generator seeded
    by the demo's seed. Returns the applications made (none on a rerun)."""
    rng = random.Random(f"children-applications-{seed}")
    caseworker = Staff.objects.get(username="caseworker")
    reviewer = Staff.objects.get(username="tsreviewer")
    cal = WorkCalendar.load()
    villages = list(
        Area.objects.filter(level="village", code__startswith=caseworker.scope_prefix)
        .order_by("code")
        .values_list("code", flat=True)
    )
    made = 0
    for k, (granny, granny_age, name, age, sex, fate) in enumerate(APPLICANTS):
        village, applied_by = rng.choice(villages), rng.choice(APPLIED_BY)
        child_birth = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        # the day received: the township's step (15 working days) still running for the first; the second
        # investigated within it and submitted a few working days ago; the third withdrawn weeks ago
        back = {"township": rng.randint(1, 4), "county": rng.randint(13, 17), "withdrawn": rng.randint(26, 34)}[fate]
        accepted = _workdays_back(today, back, cal)
        body = f"62170000{890 + k:010d}"
        household = _grandparent_register(
            caseworker,
            village=village,
            granny=(granny, dt.date(today.year - granny_age, rng.randint(1, 12), rng.randint(1, 28)), 842 + 2 * k),
            child=(name, child_birth, 851 + 2 * k + (sex == "F")),
            phone=f"1380000{8810 + k}",
            bank_account=body + luhn.calc_check_digit(body),
            joined=child_birth,
        )
        child = household.memberships.get(relation="grandchild").person
        if Case.objects.filter(programme_id="children", applicant=child).exists():
            continue  # a rerun of the demo adds none
        case = children_application_record(
            actor=caseworker, child=child, accepted_on=accepted, applied_by=applied_by, note="", on=accepted
        )
        made += 1
        investigated = min(today, add_working_days(accepted, 3, cal).due) if fate == "county" else accepted
        _parents_record(caseworker, child, APPLICANT_PARENTS.get(fate, ()), before=accepted, on=investigated)
        if fate == "county":
            submitted = _workdays_back(today, rng.randint(2, 5), cal)
            children_application_submit(
                actor=reviewer,
                case=case,
                opinion="经入户调查核实，父亲已死亡，母亲失联满一年，祖母年老无力抚养，属于事实无人抚养儿童，建议批准",
                on=submitted,
            )
        elif fate == "withdrawn":
            children_application_withdraw(
                actor=caseworker,
                case=case,
                reason="孩子母亲外出务工返乡，回家抚养孩子，监护人主动撤回申请",
                on=add_working_days(accepted, rng.randint(3, 8), cal).due,
            )
    return made


def benefits_demo(*, today: dt.date, seed: int) -> dict[str, int]:
    """This month of every programme besides dibao and tekun, after the year's history (year.py); returns the lines
    of this month's payrolls."""
    rng = random.Random(seed * 7919 + 15)
    approver = Staff.objects.get(username="approver")
    finance = Staff.objects.get(username="finance")
    month = month_start(today)
    counts: dict[str, int] = {}
    home = funeral_home(approver)
    elderly_roster_build(actor=approver, month=month)
    rosters_confirm(month, cadre_waits=True)
    on_dibao = set(
        Enrolment.objects.filter(programme_id="dibao", status=EnrolmentStatus.ACTIVE).values_list(
            "household_id", flat=True
        )
    )
    # the disability subsidies and the children's allowance were granted through the year (year.py); the third
    # grandchild turns 18 this month, which the daily check finds
    caseworker = Staff.objects.get(username="caseworker")
    children_reviews_run(actor=None, on=today)
    # and applications for it in 汉阳镇, one waiting at each step of its procedure, one withdrawn
    children_applications_demo(today=today, seed=seed)
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
        # not this month's applicants for temporary assistance, whose payments the death would hold
        .exclude(person_id__in=TemporaryAssistance.objects.filter(hardship_date__gte=month).values("applicant_id"))
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
        funeral_waiver(counts, approver=approver, home=home, household=h, person=person, on=day, rng=rng)
    # veterans' periodic payments: this month's events (veterans.py; the roster is paid since the year's first month)
    veterans_demo(today=today, seed=seed)
    paid = {}
    for programme in PROGRAMMES:
        p = payroll_generate(actor=finance, programme=programme, month=month)
        for anomaly in p.anomalies.filter(status=AnomalyStatus.OPEN).order_by("pk"):
            anomaly_handle(actor=finance, anomaly=anomaly, accept=True, reason="经核实，情况属实")
        payroll_check(actor=finance, payroll=p)
        paid[programme] = p.line_count
    return paid
