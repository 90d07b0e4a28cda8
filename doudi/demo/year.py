"""This calendar year of the programmes besides dibao and tekun, made by the system's own actions on the day they
happen, inside the history's scheduler (history.py: ``History.at``; each step reads its day from ``History._day``
and passes it as the action's date, as the history's own steps do). The year's months are January up to last
month (in January, last December, so the demo always has a paid month of each programme); the current month is
benefits.py's, after the history. In each month:

- the old-age allowance: on the 2nd the county's approver builds the month's roster from the registry
  (``elderly_roster_build``: new 80-year-olds come in in their birthday month, the people who died before it
  leave), and in the days after each township's caseworker confirms its villages' rosters from the signed paper
  rosters (the demo cadre their own village);
- disability subsidies: the history's dibao approvals start them (doudi/medical follows dibao) from its first
  month, so their payroll runs every month of the history, not only this year's; and about forty people with a
  grade 1 or 2 disability apply for the care subsidy through the year (and this month, up to today), each granted
  in the month of application and paid from it when the rules find them eligible (not those dibao's approval
  already started, nor tekun's);
- the children's allowance: benefits.py's three grandmothers' grandchildren, one granted in the December before
  the year and two earlier in the year, each paid from the month after;
- veterans: the county's roster entered by the townships and approved in the year's first month, paid from it
  (veterans.py ``veterans_roll``), with the Spring Festival visit grant paid in January (or, that month being
  December, for the coming festival);
- temporary assistance: two to four hardships a month across the townships, some reported through a 12349
  hotline call: a small emergency paid first by the township's reviewer (its paperwork completed in the days
  after, now and then late), a larger one or a household's medical or schooling expenses decided by the township
  or the county within days;
- medical assistance: the county hospital's settlement file of the stays of a few dibao and tekun members
  discharged since the last file, imported in the second week; the year's premium subsidy roster with the first
  file (this month's adds the people who came on the roll since, benefits.py);
- one or two deaths among the oldest on the old-age roster (not the veterans), each reported once for every
  programme (``person_death_record``: the allowance paid to the month of death, a dibao household re-evaluated),
  and the funeral waiver paid to the county's funeral home a few days later;
- on the 18th (``PAYROLL_DAY``), after dibao's and tekun's, each programme's payroll through ``History.payrolls``:
  generated and checked by finance, approved and exported by finance2, the bank's return imported with a few
  failed lines (``History.bank_return``), which the next month's payroll pays again.

Every grant of a month is made before its payroll day, so it is paid in its month. The year draws from its own
random generator, seeded by the demo's seed: the same seed on the same day gives the same county.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.utils import timezone

from doudi.accounts.models import Staff
from doudi.benefits.actions import elderly_roster_build
from doudi.benefits.life import person_death_record
from doudi.benefits.models import TemporaryAssistance, VeteranEntitlement
from doudi.benefits.temporary import (
    temporary_decide,
    temporary_paperwork_complete,
    temporary_pay_first,
)
from doudi.benefits.veterans import veterans_grants_run
from doudi.cases.models import Enrolment, EnrolmentStatus
from doudi.core.errors import ApplicationError
from doudi.core.money import add_months
from doudi.payments.generation import months_between
from doudi.registry.models import Household, Membership

from .benefits import (
    PROGRAMMES,
    child_grant,
    disability_grant,
    funeral_home,
    funeral_waiver,
    hardship_apply,
    rosters_confirm,
)
from .county import COUNTY_CODE
from .history import PAYROLL_DAY, History
from .medical import settlements_month
from .veterans import veterans_roll

DISABILITY_APPLICATIONS = 40  # over the year
# The year's hardships: (kind, cause, the amounts (drawn), what the caller says on the 12349 line). The first kind of
# each month is a small emergency, which the township pays first.
HARDSHIPS = (
    ("emergency", "房屋失火", lambda r: {"loss": f"{r.randrange(300, 500, 20)}.00"}, "家中失火，衣物口粮被烧毁"),
    ("emergency", "洪涝灾害", lambda r: {"loss": f"{r.randrange(260, 480, 20)}.00"}, "暴雨冲垮院墙和猪圈，请求救助"),
    (
        "emergency",
        "交通事故",
        lambda r: {"loss": f"{r.randrange(1500, 4000, 100)}.00", "reimbursed": "500.00"},
        "户主遭遇车祸，肇事方未赔付，生活困难",
    ),
    (
        "expenditure",
        "重病医疗支出",
        lambda r: {"rigid_expenses": f"{r.randrange(6000, 16000, 200)}.00", "reimbursed": "4200.00"},
        "家人患重病住院，医保报销后自付部分负担不起",
    ),
    (
        "expenditure",
        "子女就学支出",
        lambda r: {"rigid_expenses": f"{r.randrange(3000, 6000, 100)}.00", "reimbursed": "800.00"},
        "",
    ),
)
PAPERWORK = "先行救助记录：{cause}，救助金额{amount}元，经办人与申请人已签字"


def year_months(current: dt.date) -> list[dt.date]:
    """The months of the year before the current one: January up to last month, or in January last December."""
    january = current.replace(month=1)
    if current == january:
        return [add_months(current, -1)]
    return list(months_between(january, add_months(current, -1)))


class Year:
    """The year's other programmes, scheduled on ``history`` (call ``plan`` before ``history.run``)."""

    def __init__(self, history: History, *, seed: int):
        self.h = history
        self.rng = random.Random(f"year-{seed}")
        self.months = year_months(history.current)
        self.seed = seed
        self.approver = history.approver
        self.made: Counter = Counter()
        self.townships = sorted(history.township_staff)
        self.settled_to: dt.date = self.months[0]  # the last settlement file covered the stays before this day

    # ---- the plan -----------------------------------------------------------------------------------------------
    def plan(self) -> None:
        at, rng, first = self.h.at, self.rng, self.months[0]
        # disability subsidies: paid every month of the history (dibao's approvals start them from its first month)
        for month in months_between(self.h.first, add_months(first, -1)):
            at(
                month.replace(day=PAYROLL_DAY),
                lambda m=month: self.h.payrolls(m, ("disability",)),
                order=10,
                name="payrolls",
            )
        # veterans: entered and approved in the first month, paid from it; the Spring Festival visit in January (or
        # December, for the coming festival)
        decided = first.replace(day=rng.randint(3, 12))
        at(decided, self.veterans, order=5, name="grants")
        if first.month in (1, 12):
            at(first.replace(day=15), self.spring_festival, order=5, name="grants")
        # children: one granted the December before, two earlier in the year
        n = len(self.months)
        for i, month in enumerate((add_months(first, -1), self.months[n // 3], self.months[2 * n // 3])):
            day = month.replace(day=rng.randint(3, 16))
            at(
                day,
                lambda i=i: child_grant(i, self.made, today=self.h.today, decided=self.h._day, rng=self.rng),
                name="grants",
            )
        # disability: the year's applications, spread over the months up to today
        self._disability_plan()
        # a county of about 3,000 households has two to four hardships a month and a death or two among its 800
        # people over 80; a small one (the tests') one or two, and one death
        county = Household.objects.filter(area__code__startswith=COUNTY_CODE)
        hardships = (2, 4) if county.count() >= 1000 else (1, 2)
        eighty = add_months(self.h.current, -12 * 80)
        old = Membership.objects.filter(
            end_date__isnull=True, household__in=county, person__deceased=False, person__birth_date__lt=eighty
        ).count()
        second_death = min(0.5, old / 1500)
        for month in self.months:
            at(month.replace(day=2), lambda m=month: self.roster(m), order=2, name="elderly_rosters")
            for township in self.townships:
                day = month.replace(day=rng.randint(3, 7))
                at(day, lambda m=month, t=township: self.confirm(m, t), order=3, name="elderly_rosters")
            for k in range(rng.randint(*hardships)):
                day = month.replace(day=rng.randint(2, 12))
                at(day, lambda k=k: self.hardship(k), order=5, name="temporary")
            at(month.replace(day=rng.randint(8, 13)), self.settlements, order=5, name="medical")
            for _ in range(1 + (rng.random() < second_death)):
                at(month.replace(day=rng.randint(4, 12)), self.death, order=4, name="deaths")
            at(
                month.replace(day=PAYROLL_DAY),
                lambda m=month: self.h.payrolls(m, PROGRAMMES),
                order=10,  # after dibao's and tekun's
                name="payrolls",
            )

    def _disability_plan(self) -> None:
        months = [*self.months, self.h.current]
        people = list(
            Membership.objects.filter(
                end_date__isnull=True,
                household__area__code__startswith=COUNTY_CODE,
                person__deceased=False,
                person__disability_grade__lte=2,  # the care subsidy, whatever the income
            )
            .exclude(household_id__in=self.h.reserved)
            .order_by("person_id")
            .values_list("person_id", flat=True)
        )
        chosen = self.rng.sample(people, min(DISABILITY_APPLICATIONS, len(people)))
        for i, person_id in enumerate(chosen):
            month = months[i * len(months) // len(chosen)]
            day = month.replace(day=self.rng.randint(1, PAYROLL_DAY - 1))
            if day > self.h.today:
                day = self.h.today  # this month's: up to today, before this month's payroll
            self.h.at(
                day,
                lambda p=person_id: disability_grant(self.made, approver=self.approver, person_id=p, on=self.h._day),
                name="grants",
            )

    # ---- the steps ----------------------------------------------------------------------------------------------
    def veterans(self) -> None:
        made = veterans_roll(
            today=self.h.today, start_month=self.h._day.replace(day=1), decided=self.h._day, seed=self.seed
        )
        self.made["veterans"] += made["approved"]

    def spring_festival(self) -> None:
        month = self.h._day.replace(day=1)
        veterans_grants_run(
            actor=self.approver, kind="spring_festival", year=month.year + (month.month == 12), month=month
        )

    def roster(self, month: dt.date) -> None:
        self.made["elderly_added"] += elderly_roster_build(actor=self.approver, month=month).added

    def confirm(self, month: dt.date, township: str) -> None:
        self.made["rosters_confirmed"] += rosters_confirm(month, prefix=township[:9])

    def _staff(self, area_code: str) -> tuple[Staff, Staff]:
        return self.h.township_staff[area_code[:9] + "000"]

    def hardship(self, k: int) -> None:
        """A household's hardship, reported at the township (now and then through a 12349 call the township takes),
        applied for the same day and paid first, or decided by the township or the county within days."""
        day, rng = self.h._day, self.rng
        kind, cause, amounts, need = HARDSHIPS[0 if k == 0 else rng.randrange(len(HARDSHIPS))]
        township = rng.choice(self.townships)
        helped = TemporaryAssistance.objects.filter(year=day.year).values("household_id")
        heads = list(
            Membership.objects.filter(
                relation="head",
                end_date__isnull=True,
                person__deceased=False,
                household__area__code__startswith=township[:9],
            )
            .exclude(household_id__in=helped)
            .exclude(household_id__in=self.h.reserved)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not heads:
            return
        head = Membership.objects.select_related("person", "household").get(pk=rng.choice(heads))
        h = head.household
        cw, tr = self._staff(h.area_id)
        called = bool(need) and rng.random() < 0.5  # some came in through the 12349 hotline
        received = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randrange(60))) if called else None
        phone = f"139{rng.randrange(10**7, 10**8)}" if called else ""
        ta = hardship_apply(  # the call is kept only with its application
            actor=cw,
            household=h,
            person=head.person,
            kind=kind,
            cause=cause,
            hardship_date=max(day.replace(day=1), day - dt.timedelta(days=rng.randint(0, 2))),
            amounts=amounts(rng),
            need=need if called else "",
            phone=phone,
            received_at=timezone.make_aware(received) if called else None,
        )
        if ta is None:
            return  # not eligible on the facts (an expenditure above the income line): the rules decide
        self.made["temporary"] += 1
        last = day.replace(day=PAYROLL_DAY - 1)  # decided before the month's payroll
        if ta.fast_track:
            temporary_pay_first(actor=tr, ta=ta, on=day)
            done = day + dt.timedelta(days=rng.choice((1, 2, 3, 4, 9)))  # due in 5 working days: now and then late
            self.h.at(
                done,
                lambda: temporary_paperwork_complete(
                    actor=cw, ta=ta, record=PAPERWORK.format(cause=cause, amount=ta.amount), on=self.h._day
                ),
                name="temporary",
            )
        else:
            who = tr if ta.approval_level == "township" else self.approver
            decided = min(last, day + dt.timedelta(days=rng.randint(1, 5)))
            self.h.at(
                decided, lambda: temporary_decide(actor=who, ta=ta, approve=True, on=self.h._day), name="temporary"
            )

    def settlements(self) -> None:
        day = self.h._day
        first = day.replace(day=1) == self.months[0]
        self.made["medical"] += settlements_month(
            approver=self.approver, day=day, since=self.settled_to, rng=self.rng, premiums=first
        )
        self.settled_to = day

    def death(self) -> None:
        """One of the oldest on the old-age roster dies: reported by the township for every programme the same
        day, the funeral waiver granted to the funeral home a few days later."""
        day, rng = self.h._day, self.rng
        oldest = list(
            Enrolment.objects.filter(
                programme_id="elderly", status=EnrolmentStatus.ACTIVE, start_month__lte=day, person__deceased=False
            )
            .exclude(household_id__in=self.h.reserved)
            .exclude(person_id__in=VeteranEntitlement.objects.values("person_id"))
            .order_by("person__birth_date", "pk")
            .values_list("pk", flat=True)[:40]
        )
        if not oldest:
            return
        e = Enrolment.objects.select_related("household", "person").get(pk=rng.choice(oldest))
        cw, _ = self._staff(e.area_code)
        try:
            person_death_record(actor=cw, person=e.person, died_on=day, details=rng.choice(DEATHS))
        except ApplicationError:
            return
        self.made["deaths"] += 1
        home = funeral_home(self.approver)
        self.h.at(
            day + dt.timedelta(days=rng.randint(1, 3)),
            lambda: funeral_waiver(
                self.made,
                approver=self.approver,
                home=home,
                household=e.household,
                person=e.person,
                on=self.h._day,
                rng=rng,
            ),
            name="deaths",
        )


DEATHS = ("村委会报告，已火化", "村委会报告，病故", "家属报告，在家中病故", "医院死亡医学证明，已火化")
