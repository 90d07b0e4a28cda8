"""Two years of the demo county's work, made by the system's own actions, ending in the current month.

Nothing here writes a case, an enrolment, a payroll or a parameter row itself: every step is the action a person
would take on the pages (``doudi.cases.actions``, ``doudi.payments``, ``doudi.programmes``), by the demo staff
whose role it is, on the day it happens. The days are relative to today, so the demo is always "live":

- the intake month, 24 months before the current one: the county reviewer evaluates the registry in batch
  (the run is kept); over the first year the roll is taken in township by township, each household the rules
  find eligible through the whole procedure (tekun people mostly into the county's nursing homes);
- every month after: new applications (most approved, a few refused), the daily job's reviews (opened on the 1st
  and taken through the procedure: amounts re-decided, households no longer eligible ended), change reports
  (income, a member finding work with a gradual exit, a death, whereabouts unknown and back), the monthly
  dibao and tekun payrolls (finance generates and checks, finance2 approves, exports the bank file and imports
  the bank's return with a few failed lines, which the next payroll pays again);
- a fraud case: a vehicle found at verification, payment stopped and the overpayment being repaid in monthly
  instalments; and a late income report whose overpayment is offset from the following payrolls;
- the local rise of the dibao standard on 1 January of the current year (urban 400 → 430, rural 230 → 260
  yuan): drafted by the county reviewer in November, simulated against the registry (the run is kept), approved
  by the county approver in December; the households the simulation showed newly eligible apply after it. The
  demo pack's own versions are dated 2015 and 2016, before this window; the rise shows the parameter workflow
  inside the history.

The current month's payrolls are generated and checked, waiting for finance2's approval; the reviews opened this
month are still open. Everything is drawn from one random generator seeded by the demo's seed: the same seed on
the same day gives the same county.

The steps are scheduled with ``at(day, what, order=…)`` and run in date order (a day's by ``order``: the daily job
0, reviews 1, the rise 2, change reports 3, the fraud 4, applications 5, the current weeks' cases 8, payrolls 9);
a step reads its day from ``_day`` and passes it to the actions as their date (``on=``), and a step may schedule
later ones. Steps dated after today are never run. The other programmes' months of this year (year.py) are
scheduled the same way before the run, their payrolls (``payrolls`` with their programmes) after dibao's and
tekun's on the same day.
"""

from __future__ import annotations

import datetime as dt
import heapq
import io
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from doudi.accounts.models import Staff
from doudi.areas.models import Area
from doudi.cases.actions import application_submit, case_move, change_report_record, dynamic_management_run
from doudi.cases.models import LIVE_STATUSES, Case, CaseKind, Enrolment, EnrolmentStatus, OverpaymentStatus, SupportMode
from doudi.cases.selectors import case_decision
from doudi.core.errors import ApplicationError
from doudi.core.money import add_months, month_start
from doudi.payments.actions import (
    anomaly_handle,
    bank_return_import,
    payroll_approve,
    payroll_cancel,
    payroll_check,
    payroll_export,
    repayment_record,
)
from doudi.payments.generation import payroll_generate
from doudi.payments.models import AnomalyStatus, Payroll, PayrollLine
from doudi.programmes.actions import parameter_version_approve, parameter_version_create
from doudi.programmes.batch import evaluation_run
from doudi.programmes.models import EvaluationResult, EvaluationRun, ParameterVersion, VersionStatus
from doudi.programmes.pack import DIBAO_COMMON
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.registry_input import household_inputs
from doudi.programmes.shapes import SHAPES
from doudi.registry.actions import person_update, record_add
from doudi.registry.models import Household, Membership

from .county import COUNTY_CODE

MONTHS = 24  # payroll months in the history, the current one included
ALL_MATERIALS = ["authorisation", "pledge", "id_copy", "income_proof"]
# The local rise of 1 January of the current year (*illustrative*, like the pack's 2016 rise).
RISE = {"standard_urban": "430.00", "standard_rural": "260.00"}
RISE_NOTE = "提高城乡低保标准：城市430元、农村260元（演示）"
# The county's institutions for centralised extreme-poverty support (the seed names the county and Xilong
# central nursing homes).
NURSING_HOMES = ["青神县中心敬老院", "西龙镇中心敬老院", "汉阳镇敬老院", "瑞峰镇敬老院", "南城镇敬老院"]
CENTRALISED_SHARE = 0.9  # the seed's centralised support rate is 90.4%
INITIAL_SHARE = {"dibao": 0.7, "tekun": 0.75}  # of the eligible, taken in at the start; most others later
LATER_SHARE = 0.2
BANK_FAILURES = ["账户已销户", "户名与账号不符", "账户冻结", "卡片挂失"]
PAYROLL_DAY = 18  # the monthly payroll is made on this day
PROCEDURE_DAYS = 30  # an application started this many days before today has been decided by today
RISE_TAKE_UP = 0.6  # of the households the rise makes eligible, the share that apply in the months after it
ROLLOUT_MONTHS = 12  # the roll is taken in over the first year of the history
# Change reports each month, per enrolment in payment: a member finds work, an income rises, a tekun person dies
# (about 7% a year), a household cannot be found; and per suspended household, that it is back.
MONTHLY_RATES = {
    "employment": 0.004,
    "income": 0.005,
    "death": 0.006,
    "whereabouts": 0.002,
    "resume": 0.4,
}
# The reason finance gives when accepting each kind of anomaly of a payroll.
ANOMALY_REASONS = {"change": "经核实，金额变化系提标或复核调整所致"}
OTHER_ANOMALY_REASONS = {
    "change": "经核实，金额变化系补发或标准调整所致",
    "deceased": "经核实，本人于本月死亡，按规定发放至死亡当月",
}


@dataclass
class HistoryReport:
    applications: int = 0
    approved: int = 0
    refused: int = 0
    reviews_done: int = 0
    change_reports: Counter = field(default_factory=Counter)
    payrolls: int = 0  # dibao's and tekun's
    other_payrolls: int = 0  # the other programmes' (year.py)
    bank_failures: int = 0
    seconds: dict = field(default_factory=dict)


class History:
    def __init__(self, *, seed: int, today: dt.date, reserved: set[int] = frozenset()):
        self.rng = random.Random(f"history-{seed}")
        self.today = today
        self.current = month_start(today)
        self.first = add_months(self.current, -(MONTHS - 1))  # the first payroll month
        self.intake = add_months(self.first, -1)
        self.reserved = set(reserved)  # households kept for the current weeks' cases (cases.py)
        self.report = HistoryReport()
        staff = {s.username: s for s in Staff.objects.select_related("area")}
        self.reviewer, self.approver = staff["reviewer"], staff["approver"]
        self.finance, self.finance2 = staff["finance"], staff["finance2"]
        # each township's caseworker and reviewer (the two surveyors of a home visit)
        self.township_staff: dict[str, tuple[Staff, Staff]] = {}
        for s in sorted(staff.values(), key=lambda s: s.pk):
            if s.area.level == "township":
                cw, tr = self.township_staff.get(s.area_id, (None, None))
                if s.role == "township_caseworker" and cw is None:
                    cw = s
                elif s.role == "township_reviewer" and tr is None:
                    tr = s
                self.township_staff[s.area_id] = (cw, tr)
        self.events: list[tuple[dt.date, int, int, object]] = []
        self._seq = 0

    # ---- scheduling -------------------------------------------------------------------------------------
    def at(self, day: dt.date, what, *, order: int = 5, name: str = "") -> None:
        """Do ``what()`` on ``day`` (events of one day by ``order``, then as scheduled); ``name`` is the step's
        name in the timings."""
        self._seq += 1
        heapq.heappush(self.events, (day, order, self._seq, (name or getattr(what, "__name__", "step"), what)))

    def day_in(self, month: dt.date, lo: int = 1, hi: int = 26) -> dt.date:
        return month.replace(day=self.rng.randint(lo, hi))

    def apply_day(self, month: dt.date) -> dt.date:
        """A day in ``month`` for an application, early enough for its whole procedure (about three weeks:
        survey, verification, opinion, 7 days' notice, decision) to lie before today."""
        return min(self.day_in(month), self.today - dt.timedelta(days=PROCEDURE_DAYS))

    # ---- the procedure ----------------------------------------------------------------------------------
    def _staff_for(self, household: Household) -> tuple[Staff, Staff]:
        return self.township_staff[household.area_id[:9] + "000"]

    def apply(
        self, household: Household, programme: str, day: dt.date, *, eligible: bool, applicant=None, **extra
    ) -> Case | None:
        """An application at the township window, taken through the whole procedure: acceptance, the home survey
        by two surveyors, the county's verification, the township's opinion, 7 days' public notice (now and then
        an objection and a democratic appraisal), the county's decision."""
        cw, tr = self._staff_for(household)
        if applicant is None:
            applicant = (
                Membership.objects.filter(household=household, end_date__isnull=True, relation="head")
                .select_related("person")
                .first()
                .person
            )
        app = application_submit(
            actor=cw,
            household=household,
            applicant=applicant,
            programmes=[programme],
            channel=self.rng.choice(["window", "window", "village"]),
            materials=ALL_MATERIALS,
            note="家庭收入低，生活困难" if programme == "dibao" else "无劳动能力、无生活来源、无法定赡养人",
            on=day,
            **extra,
        )
        self.report.applications += 1
        case = app.cases.get()
        case = case_move(actor=cw, case=case, move="accept", on=day)
        return self.through(case, day, cw, tr, eligible=eligible)

    def through(self, case: Case, day: dt.date, cw: Staff, tr: Staff, *, eligible: bool, review: bool = False) -> Case:
        """Take an accepted case through the procedure; ``eligible`` is what the policy engine said at the
        verification (the township's opinion follows it; the county's decision decides again)."""

        def move(name, who, on, data=None):
            return case_move(actor=who, case=case, move=name, data=data or {}, on=on)

        visit = day + dt.timedelta(days=2)
        case = move(
            "record_survey",
            cw,
            visit,
            {
                "surveyors": [cw.pk, tr.pk],
                "visit_date": visit,
                "findings": "入户核实家庭人口、收入和财产情况，与申报一致"
                if not review
                else "复核入户，家庭情况无明显变化",
                "applicant_confirmed": True,
                "surveyors_confirmed": True,
            },
        )
        case = move("request_verification", cw, visit)
        checked = visit + dt.timedelta(days=2)
        case = move(
            "attach_verification", self.reviewer, checked, {"results": "经核对，未发现车辆、房产、工商登记信息"}
        )
        decision = None
        opinion_day = checked + dt.timedelta(days=1)
        case = move(
            "township_opinion",
            tr,
            opinion_day,
            {"opinion": "经审核，符合条件，同意" if eligible else "经审核，不符合条件", "recommends": eligible},
        )
        if eligible:
            case = move("start_notice", cw, opinion_day)
            if self.rng.random() < 0.04:
                case = move(
                    "record_objection", cw, opinion_day + dt.timedelta(days=3), {"content": "村民反映该户有务工收入"}
                )
                case = move(
                    "record_appraisal",
                    cw,
                    opinion_day + dt.timedelta(days=6),
                    {"attendance": 19, "attendees": "村民代表19人", "supports": True, "minutes": "经评议，多数同意"},
                )
                case = move(
                    "township_opinion",
                    tr,
                    opinion_day + dt.timedelta(days=6),
                    {"opinion": "经民主评议，同意", "recommends": True},
                )
                case = move("start_notice", cw, opinion_day + dt.timedelta(days=7))
            submitted = case.notice_end
        else:
            submitted = opinion_day  # a refusal goes to the county without a notice
        case = move("submit_to_county", cw, submitted)
        decided = submitted + dt.timedelta(days=self.rng.randint(1, 6))
        if eligible:
            try:
                case = move("approve", self.approver, decided)
                if review:
                    self.report.reviews_done += 1
                else:
                    self.report.approved += 1
                return case
            except ApplicationError:
                pass  # no longer eligible on the day of the decision: refused below
        if decision is None:
            try:
                decision = case_decision(case, decided)
            except ApplicationError:
                decision = None
        reasons = "；".join(r["zh"] for r in (decision.reasons_ineligible if decision else [])) or "不符合条件"
        case = move("refuse", self.approver, decided, {"reason": reasons[:500]})
        if review:
            self.report.reviews_done += 1
        else:
            self.report.refused += 1
        return case

    # ---- the months -------------------------------------------------------------------------------------
    def candidates(self) -> tuple[list[Household], list[tuple[Household, int]], list[Household]]:
        """Who the rules find eligible on the first day of the intake month: dibao households from the county
        reviewer's batch evaluation (every household's result kept, to find those just above the line), tekun
        people living alone; and some households just above the line, who apply and are refused."""
        run = evaluation_run(
            actor=self.reviewer, programme="dibao", on=self.intake, area_prefix=COUNTY_CODE, keep_all=True
        )
        results = EvaluationResult.objects.filter(run=run).order_by("household_id")
        eligible = list(results.filter(eligible=True).values_list("household_id", flat=True))
        near = list(
            results.filter(eligible=False, per_capita_income__lt=Decimal("600")).values_list("household_id", flat=True)
        )
        singles = list(Household.objects.filter(area__code__startswith=COUNTY_CODE, member_count=1).order_by("pk"))
        tekun = []
        for h in household_inputs(singles):
            try:
                d = evaluate("tekun", h, self.intake)
            except ApplicationError:
                continue
            if d.eligible:
                tekun.append((h.household_id, h.members[0].person_id))
        tekun_households = {hid for hid, _ in tekun}
        by_id = Household.objects.in_bulk([*eligible, *near, *tekun_households])
        dibao = [by_id[i] for i in eligible if i not in tekun_households and i not in self.reserved]
        refused = [by_id[i] for i in near if i not in self.reserved]
        return dibao, [(by_id[h], p) for h, p in tekun if h not in self.reserved], refused

    def plan(self) -> None:
        rng = self.rng
        dibao, tekun, near = self.candidates()
        rng.shuffle(dibao)
        rng.shuffle(tekun)
        rng.shuffle(near)
        later = list(month for month in self._months() if month < self.current)
        # dibao: the roll, then applications month by month
        n0 = round(len(dibao) * INITIAL_SHARE["dibao"])
        n1 = round(len(dibao) * LATER_SHARE)
        # the roll is taken in township by township over the first year (so its reviews fall due spread
        # over the year, as a real county's do)
        for i, h in enumerate(dibao[:n0]):
            self.at(
                self.day_in(add_months(self.intake, i % ROLLOUT_MONTHS), 1, 12),
                lambda h=h: self.apply(h, "dibao", self._day, eligible=True),
                name="applications",
            )
        for i, h in enumerate(dibao[n0 : n0 + n1]):
            month = later[i * len(later) // max(n1, 1)]
            self.at(
                self.apply_day(month), lambda h=h: self.apply(h, "dibao", self._day, eligible=True), name="applications"
            )
        # a few applications the county refuses (income above the standard)
        for i, h in enumerate(near[: max(2, len(later) // 3)]):
            month = later[(i * 3) % len(later)]
            self.at(
                self.apply_day(month),
                lambda h=h: self.apply(h, "dibao", self._day, eligible=False),
                name="applications",
            )
        # tekun: mostly in the county's nursing homes
        t0 = round(len(tekun) * INITIAL_SHARE["tekun"])
        for i, (h, person_id) in enumerate(tekun):
            month = add_months(self.intake, i % ROLLOUT_MONTHS) if i < t0 else later[(i - t0) * 5 % len(later)]
            centralised = rng.random() < CENTRALISED_SHARE
            home = NURSING_HOMES[0] if rng.random() < 0.5 else rng.choice(NURSING_HOMES[1:])
            extra = {
                "support_mode": SupportMode.CENTRALISED if centralised else SupportMode.SCATTERED,
                "institution": home if centralised else "",
            }
            self.at(
                self.day_in(month, 1, 12) if i < t0 else self.apply_day(month),
                lambda h=h, p=person_id, extra=extra: self.apply(
                    h, "tekun", self._day, eligible=True, applicant=h.memberships.get(person_id=p).person, **extra
                ),
                name="applications",
            )
        for month in self._months():
            self.at(month, self.daily, order=0)
            # the current month's payroll is made today (after the current weeks' cases), waiting for approval
            day = self.today if month == self.current else month.replace(day=PAYROLL_DAY)
            self.at(day, lambda m=month: self.payrolls(m), order=9, name="payrolls")
            if month < self.current:
                self.at(month.replace(day=3), self.reviews, order=1)
                self.at(self.day_in(month, 4, 16), self.changes, order=3)
        rise = dt.date(self.current.year, 1, 1)
        if rise > self.intake:
            self.at(add_months(rise, -2).replace(day=10), lambda: self.rise_draft(rise), order=2, name="rise_draft")
            self.at(add_months(rise, -1).replace(day=8), self.rise_approve, order=2)
        fraud_month = add_months(self.current, -7)
        self.at(self.day_in(fraud_month, 5, 15), self.fraud, order=4)
        self.at(self.day_in(add_months(self.current, -4), 5, 15), self.late_income, order=4)
        for k in range(1, 7):
            self.at(add_months(fraud_month, k).replace(day=25), self.repay, order=4)

    def _months(self):
        m = self.first
        while m <= self.current:
            yield m
            m = add_months(m, 1)

    def run(self) -> HistoryReport:
        self.plan()
        started = time.perf_counter()
        heapq.heapify(self.events)  # events may schedule more (the rise's newly eligible apply after it)
        while self.events:
            day, _, _, (name, what) = heapq.heappop(self.events)
            if day > self.today:
                continue
            self._day = day
            t = time.perf_counter()
            what()
            self.report.seconds[name] = self.report.seconds.get(name, 0) + time.perf_counter() - t
        self.report.seconds["total"] = time.perf_counter() - started
        return self.report

    # ---- the daily job and reviews ---------------------------------------------------------------------------
    def daily(self) -> None:
        dynamic_management_run(actor=None, on=self._day)

    def reviews(self) -> None:
        """The reviews the daily job opened, taken through the procedure in the month they were opened."""
        cases = list(
            # dibao's and tekun's, which have the survey, notice and approval; the disability subsidies a dibao
            # approval started (they follow it) are reviewed on their own, simpler, procedure by the staff
            Case.objects.filter(kind=CaseKind.REVIEW, state="accepted", programme_id__in=("dibao", "tekun"))
            .select_related("household", "enrolment")
            .order_by("pk")
        )
        # the policy engine's view of each household, read for all of them at once (the same input one case's
        # decision reads, doudi/programmes/rules/registry_input.py), decides the township's opinion
        checked = self._day + dt.timedelta(days=4)
        inputs = dict(zip((c.pk for c in cases), household_inputs([c.household for c in cases])))
        for case in cases:
            h = inputs[case.pk]
            if case.programme_id == "tekun":
                for member in h.members:
                    member.applicant = member.person_id == case.applicant_id
                    if member.applicant:
                        member.support_mode = case.enrolment.support_mode or member.support_mode
            try:
                eligible = evaluate(case.programme_id, h, checked).eligible
            except ApplicationError:
                eligible = False
            cw, tr = self._staff_for(case.household)
            self.through(case, self._day, cw, tr, review=True, eligible=eligible)

    # ---- change reports ---------------------------------------------------------------------------------
    def _active(self, programme: str = "dibao"):
        return Enrolment.objects.filter(
            programme_id=programme, status=EnrolmentStatus.ACTIVE, start_month__lt=month_start(self._day)
        ).order_by("pk")

    def _pick(self, qs):
        ids = list(qs.values_list("pk", flat=True)[:400])
        return Enrolment.objects.select_related("household").get(pk=self.rng.choice(ids)) if ids else None

    def changes(self) -> None:
        """This month's change reports: a member finds work (gradual exit when the household no longer qualifies),
        an income rises, a tekun person dies, a household cannot be found (suspended) and one comes back."""
        day, rng = self._day, self.rng
        nxt = add_months(month_start(day), 1)
        dibao = self._active().count()
        tekun = self._active("tekun").count()
        # dibao's and tekun's households suspended for their whereabouts (a one-off payment held by a death, e.g. a
        # medical settlement, is not "back": its change report would need the settlement)
        suspended_qs = Enrolment.objects.filter(
            status=EnrolmentStatus.SUSPENDED, programme_id__in=("dibao", "tekun")
        ).order_by("pk")
        suspended = suspended_qs.count()
        kinds = []
        for kind, expected in (
            ("employment", dibao * MONTHLY_RATES["employment"]),
            ("income", dibao * MONTHLY_RATES["income"]),
            ("death", tekun * MONTHLY_RATES["death"]),
            ("whereabouts", dibao * MONTHLY_RATES["whereabouts"]),
            ("resume", suspended * MONTHLY_RATES["resume"]),
        ):
            kinds += [kind] * int(expected + rng.random())  # the expected number, rounded at random
        for kind in kinds:
            if kind == "employment":
                e = self._pick(self._active())
                if e is None:
                    continue
                cw, _ = self._staff_for(e.household)
                member = Membership.objects.filter(household=e.household, end_date__isnull=True).order_by("pk").first()
                record_add(
                    actor=cw,
                    household=e.household,
                    kind="incomes",
                    data={"kind": "wage", "monthly": str(rng.randint(2600, 3600)), "person": member.person_id},
                )
                change_report_record(
                    actor=cw,
                    enrolment=e,
                    kind="employment",
                    effective_month=nxt,
                    details="成员在县城务工，有稳定工资收入",
                    on=day,
                )
            elif kind == "income":
                e = self._pick(self._active())
                if e is None:
                    continue
                cw, _ = self._staff_for(e.household)
                record_add(
                    actor=cw,
                    household=e.household,
                    kind="incomes",
                    data={"kind": "business", "monthly": str(rng.randint(60, 160))},
                )
                change_report_record(
                    actor=cw, enrolment=e, kind="income", effective_month=nxt, details="家庭养殖收入增加", on=day
                )
            elif kind == "death":
                e = self._pick(self._active("tekun"))
                if e is None:
                    continue
                cw, _ = self._staff_for(e.household)
                person_update(actor=cw, person=e.person, data={"died_on": day})  # reported the day it happened
                change_report_record(
                    actor=cw, enrolment=e, kind="death", effective_month=nxt, details="供养对象病故，村委会报告", on=day
                )
            elif kind == "whereabouts":
                e = self._pick(self._active())
                if e is None:
                    continue
                cw, _ = self._staff_for(e.household)
                change_report_record(
                    actor=cw,
                    enrolment=e,
                    kind="whereabouts",
                    effective_month=nxt,
                    details="全家外出，暂时联系不上",
                    on=day,
                )
            else:
                e = self._pick(suspended_qs)
                if e is None:
                    continue
                cw, _ = self._staff_for(e.household)
                change_report_record(
                    actor=cw, enrolment=e, kind="resume", effective_month=nxt, details="已返乡，经核实恢复发放", on=day
                )
            self.report.change_reports[kind] += 1

    def fraud(self) -> None:
        """Verification finds a vehicle a household did not declare: payment stops and what was paid since the
        purchase is recorded as an overpayment to recover."""
        e = self._pick(self._active().filter(start_month__lte=add_months(month_start(self._day), -8)))
        if e is None:
            return
        cw, _ = self._staff_for(e.household)
        record_add(
            actor=cw,
            household=e.household,
            kind="vehicles",
            data={"plate": f"川Z{self.rng.randrange(10000, 99999)}", "value": "86000.00", "purpose": "other"},
        )
        change_report_record(
            actor=cw,
            enrolment=e,
            kind="fraud",
            effective_month=add_months(month_start(self._day), -5),
            details="经车辆信息核对，该户隐瞒购置小轿车一辆（价值8.6万元）",
            on=self._day,
        )
        self.fraud_enrolment = e.pk
        self.report.change_reports["fraud"] += 1

    def repay(self) -> None:
        """The fraud household repays in monthly instalments (recorded by finance2); the rest is still owed."""
        e = Enrolment.objects.filter(pk=getattr(self, "fraud_enrolment", None)).first()
        op = e.overpayments.filter(status=OverpaymentStatus.OPEN).first() if e else None
        if op is None:
            return
        left = op.amount - sum((r.amount for r in op.recoveries.all()), Decimal("0"))
        amount = min(left, (op.amount / 8).quantize(Decimal("1")))
        if amount > 0:
            repayment_record(actor=self.finance2, overpayment=op, amount=amount, note="分期退回", on=self._day)

    def late_income(self) -> None:
        """An income change reported three months late: the amount falls from that month and the overpayment is
        offset from the following payrolls (at most 30% of each)."""
        e = self._pick(self._active().filter(start_month__lte=add_months(month_start(self._day), -6)))
        if e is None:
            return
        cw, _ = self._staff_for(e.household)
        record_add(actor=cw, household=e.household, kind="incomes", data={"kind": "wage", "monthly": "90.00"})
        change_report_record(
            actor=cw,
            enrolment=e,
            kind="income",
            effective_month=add_months(month_start(self._day), -3),
            details="成员打零工收入，三个月后才报告",
            on=self._day,
        )
        self.report.change_reports["income (late)"] += 1

    # ---- the standards rise ---------------------------------------------------------------------------------
    def rise_draft(self, rise: dt.date) -> None:
        values = {**DIBAO_COMMON, **RISE}
        self.rise_version = parameter_version_create(
            actor=self.reviewer,
            programme="dibao",
            area_code=COUNTY_CODE + "000000",
            effective_from=rise,
            values=values,
            note=RISE_NOTE,
        )
        evaluation_run(
            actor=self.reviewer,
            programme="dibao",
            on=rise,
            area_prefix=COUNTY_CODE,
            draft=self.rise_version,
            compare=True,
        )

    def rise_approve(self) -> None:
        """The approver approves the rise; the households the simulation showed newly qualifying apply in the
        months after it takes effect."""
        parameter_version_approve(actor=self.approver, version=self.rise_version)
        simulation = EvaluationRun.objects.get(draft=self.rise_version)
        before = EvaluationResult.objects.filter(run_id=simulation.summary["totals"]["baseline_run"], eligible=True)
        gains = (
            EvaluationResult.objects.filter(run=simulation, eligible=True)
            .exclude(household_id__in=before.values("household_id"))
            .exclude(household_id__in=Case.objects.values("household_id"))
            .exclude(household_id__in=self.reserved)
            .order_by("household_id")
            .values_list("household_id", flat=True)
        )
        gains = [h for h in gains if self.rng.random() < RISE_TAKE_UP]
        months = [m for m in self._months() if self.rise_version.effective_from <= m < self.current]
        if not months:
            return
        households = Household.objects.in_bulk(gains)
        for i, hid in enumerate(gains):
            month = months[i % len(months)]
            self.at(
                self.apply_day(month),
                lambda h=households[hid]: self.apply(h, "dibao", self._day, eligible=True),
                name="applications",
            )

    # ---- payrolls -----------------------------------------------------------------------------------------
    def payrolls(self, month: dt.date, programmes: tuple[str, ...] = ("dibao", "tekun")) -> None:
        """Each programme's payroll of ``month``: generated and checked by finance (each anomaly accepted with its
        reason), approved and exported by finance2, and the bank's return imported; the current month's waits for
        finance2's approval. Another programme's payroll is generated only when someone is in payment (a one-off
        programme's grants are in payment until the bank has paid them), and cancelled if it still finds nothing to
        pay."""
        for programme in programmes:
            if programme not in ("dibao", "tekun") and not _payable(programme, month):
                continue
            p = payroll_generate(actor=self.finance, programme=programme, month=month)
            for anomaly in p.anomalies.filter(status=AnomalyStatus.OPEN).order_by("pk"):
                reasons = ANOMALY_REASONS if programme in ("dibao", "tekun") else OTHER_ANOMALY_REASONS
                anomaly_handle(
                    actor=self.finance,
                    anomaly=anomaly,
                    accept=True,
                    reason=reasons.get(anomaly.kind, "经核实，情况属实"),
                )
            if programme in ("dibao", "tekun"):
                self.report.payrolls += 1
            else:
                if not p.line_count:
                    payroll_cancel(actor=self.finance, payroll=p, reason="本月没有应发放的对象")
                    continue
                self.report.other_payrolls += 1
            p = payroll_check(actor=self.finance, payroll=p)
            if month == self.current:
                continue  # waiting for finance2's approval
            p = payroll_approve(actor=self.finance2, payroll=p)
            payroll_export(actor=self.finance2, payroll=p, fmt="csv")
            self.bank_return(p)

    def bank_return(self, p: Payroll) -> None:
        # in enrolment order, not by the lines' keys: the same county fails the same households every build
        lines = list(PayrollLine.objects.filter(payroll=p).order_by("enrolment_id", "pk").values_list("pk", flat=True))
        # a few lines a month come back (closed or frozen accounts): about one in a hundred, at least one in a
        # month out of three; never the funeral home's (an institution's account)
        count = len(lines) // 100 + (1 if self.rng.random() < 0.35 else 0)
        if SHAPES[p.programme_id].payee != "beneficiary":
            count = 0
        failures = set(self.rng.sample(lines, min(count, len(lines))))
        out = io.StringIO()
        out.write("流水号,状态,原因\r\n")
        for pk in lines:
            out.write(f"{pk},失败,{self.rng.choice(BANK_FAILURES)}\r\n" if pk in failures else f"{pk},成功,\r\n")
        bank_return_import(
            actor=self.finance2,
            payroll=p,
            filename=f"回盘-{p.programme_id}-{p.month:%Y%m}.csv",
            content=out.getvalue().encode("utf-8"),
        )
        self.report.bank_failures += len(failures)


def _payable(programme: str, month: dt.date) -> bool:
    return Enrolment.objects.filter(programme_id=programme, status__in=LIVE_STATUSES, start_month__lte=month).exists()


# The current weeks' cases furthest along get the households the rules find eligible (so the approver can approve
# them), the others whoever is left when a small county has too few.
FURTHEST_FIRST = ["approved", "county_review", "flagged", "refused", "appraised", "objected", "noticing"]


def reserved_households(prefix: str, on: dt.date, targets: list[str]) -> list[Household | None]:
    """One household of ``prefix`` for each of the current weeks' cases (``targets``: the state each reaches), kept
    out of the history (cases.py): dibao-eligible ones first for the cases furthest along."""
    eligible, others = [], []
    households = list(Household.objects.filter(area__code__startswith=prefix, member_count__gt=1).order_by("pk")[:800])
    for h in household_inputs(households):
        try:
            ok = evaluate("dibao", h, on).eligible
        except ApplicationError:
            ok = False
        (eligible if ok else others).append(h.household_id)
    order = sorted(
        range(len(targets)),
        key=lambda i: (FURTHEST_FIRST.index(targets[i]) if targets[i] in FURTHEST_FIRST else len(FURTHEST_FIRST), i),
    )
    chosen: dict[int, int] = {}
    pool = eligible + others
    for i, hid in zip(order, pool):
        chosen[i] = hid
    by_id = Household.objects.in_bulk(chosen.values())
    return [by_id[chosen[i]] if i in chosen else None for i in range(len(targets))]


def rise_version() -> ParameterVersion | None:
    return (
        ParameterVersion.objects.filter(programme_id="dibao", note=RISE_NOTE, status=VersionStatus.APPROVED)
        .order_by("-pk")
        .first()
    )


def township_names() -> dict[str, str]:
    return dict(Area.objects.filter(level="township", code__startswith=COUNTY_CODE).values_list("code", "name"))
