"""The indicator catalogue: every figure the bureau reports, as code.

Each indicator has a 12-character code in the form of the provincial monthly civil affairs form (two letters for
the section, then group, item and breakdown digits: docs/statistics.md lists which codes are Doudi's own), a name
in Chinese and English, a unit, a definition, its source tables, how it is computed over a run of months, the
list of households, people, cases or payments behind it (``drill``), and how the figure is recomputed from that
list (``recount``: the drill-down tests check the list adds up to the figure).

A figure is computed over a period of whole months ``[first, last]``: for a month the period is that month, for the
year to date it runs from January. Stock figures (households in payment, standards, cases open) are read at the
period's last month and have no year to date.

Every query starts from ``accounts.scope.visible``: a township's staff see their township's figures only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from doudi.accounts import scope
from doudi.benefits.models import VeteranGrant
from doudi.cases.models import CaseEvent, CaseKind, ChangeKind, SupportMode
from doudi.cases.moves import OWN_PROCEDURE_PROGRAMMES
from doudi.cases.workflow import CaseState
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.money import add_months
from doudi.core.workdays import WorkCalendar, working_days_between
from doudi.payments.models import LineStatus, PayrollKind
from doudi.payments.reports import PAID_STATES, Fen, JSONArrayLength
from doudi.programmes.selectors import params_in_force
from doudi.programmes.shapes import CASE_PROGRAMMES
from doudi.registry.models import Person

ZERO = Decimal("0.00")
# the support mode a tekun line was paid under, recorded on the line when it was generated (not the enrolment's
# mode today: a past month keeps its centralised support rate)
LINE_MODE = "support_mode"
TENTH = Decimal("0.1")
CENT = Decimal("0.01")

# The programmes applied for through a procedure whose steps and time limits the cases record (the SQ indicators'
# applications): dibao and tekun, and those whose applications are cases on their own pages (a child's allowance).
APPLICATION_PROGRAMMES = (*CASE_PROGRAMMES, *OWN_PROCEDURE_PROGRAMMES)


class Unit:
    """Units as the monthly form prints them, with the English."""

    HOUSEHOLDS = ("户", "households")
    PEOPLE = ("人", "people")
    YUAN = ("元", "yuan")
    YUAN_PER_PERSON_MONTH = ("元/人·月", "yuan per person-month")
    PERCENT = ("%", "%")
    CASES = ("件", "cases")
    WORKING_DAYS = ("个工作日", "working days")
    PAYMENTS = ("笔", "payments")
    HOUSEHOLD_GRANTS = ("户次", "household grants")
    GRANTS = ("人次", "grants")


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def fen_to_yuan(fen) -> Decimal:
    return Decimal(int(fen or 0)).scaleb(-2).quantize(CENT)


def ratio(numerator, denominator, *, scale: int = 1, places: Decimal = TENTH) -> Decimal | None:
    """``numerator ÷ denominator × scale``, rounded half up to ``places``; None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def one_off_grants() -> QuerySet:
    """The enrolments of one-off grants paid through a monthly programme's payroll (the veterans' Spring Festival
    visit grant, the former Kuomintang war veterans' grant): money paid, but nobody on the roll, added or ended."""
    return VeteranGrant.objects.values("enrolment_id")


class Context:
    """Who asks and for which area: every query of the catalogue goes through here, so scope is applied once.
    ``user`` None is the command line (``doudi indicators``), which reads the whole database like every command."""

    def __init__(self, user, prefix: str | None = None):
        self.user = user
        self.prefix = prefix if prefix is not None else (user.scope_prefix if user is not None else "")
        if user is not None and not scope.covers(user, self.prefix):
            raise NotFound("区划不存在，或不在您的管辖区域内", "No such area, or outside your area", field="area")
        self._cache: dict = {}

    def visible(self, label: str) -> QuerySet:
        if self.user is None:
            return apps.get_model(label).objects.all()
        return scope.visible(self.user, label)

    # ---- the tables, scoped ------------------------------------------------------------------------------------
    def lines(self, first: dt.date, last: dt.date) -> QuerySet:
        """Lines of approved payrolls (approved, exported, reconciled) for the months ``first``–``last``."""
        return self.visible("payments.PayrollLine").filter(
            area_code__startswith=self.prefix,
            payroll__state__in=PAID_STATES,
            payroll__month__gte=first,
            payroll__month__lte=last,
        )

    def roll(self, month: dt.date, programme: str) -> QuerySet:
        """The month's roll: lines of the programme's approved regular payroll (a returned line included), one-off
        grants paid through it left out (``one_off_grants``)."""
        return (
            self.lines(month, month)
            .filter(payroll__programme_id=programme, payroll__kind=PayrollKind.REGULAR)
            .exclude(enrolment_id__in=one_off_grants())
        )

    def paid(self, first: dt.date, last: dt.date, programme: str | None = None) -> QuerySet:
        """Money paid: lines of approved payrolls, regular and supplementary, that the bank did not return."""
        qs = self.lines(first, last).exclude(status=LineStatus.FAILED)
        return qs.filter(payroll__programme_id=programme) if programme else qs

    def enrolments(self) -> QuerySet:
        """The area's enrolments, one-off grants paid through a monthly programme left out (``one_off_grants``)."""
        return (
            self.visible("cases.Enrolment").filter(area_code__startswith=self.prefix).exclude(pk__in=one_off_grants())
        )

    def cases(self) -> QuerySet:
        """The area's applications: new cases of the programmes applied for through a procedure with its steps
        and time limits — not the case a direct grant records at its decision (an old-age allowance from the
        roster, a funeral waiver, a medical settlement…: accepted and decided the same day, they would make every
        decision look on time and the average quick)."""
        return self.visible("cases.Case").filter(
            area_code__startswith=self.prefix, kind=CaseKind.NEW, programme_id__in=APPLICATION_PROGRAMMES
        )

    def overpayments(self) -> QuerySet:
        return self.visible("cases.Overpayment").filter(enrolment__area_code__startswith=self.prefix)

    def recoveries(self) -> QuerySet:
        return self.visible("payments.Recovery").filter(overpayment__enrolment__area_code__startswith=self.prefix)

    def area_code(self) -> str:
        return self.prefix.ljust(12, "0")

    def paid_sums(self, first: dt.date, last: dt.date, programme: str) -> dict:
        """Money and person-months paid, by urban/rural, summed in the database (one query, cached)."""
        key = ("paid", first, last, programme)
        if key not in self._cache:
            rows = (
                self.paid(first, last, programme)
                .values("hukou_type")
                .annotate(
                    fen=Sum(Fen("amount")),
                    person_months=Sum(F("members") * Greatest(JSONArrayLength("months"), Value(1))),
                )
                .order_by()
            )
            self._cache[key] = {
                r["hukou_type"]: {"amount": fen_to_yuan(r["fen"]), "person_months": int(r["person_months"] or 0)}
                for r in rows
            }
        return self._cache[key]


# ---- the indicator -----------------------------------------------------------------------------------------------
Compute = Callable[[Context, dt.date, dt.date], "Decimal | int | None"]
Drill = Callable[[Context, dt.date, dt.date], QuerySet]


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    unit: tuple[str, str]
    definition_zh: str
    definition_en: str
    source: str
    compute: Compute
    drill: Drill | None
    recount: Callable[[list], Decimal | int | None] | None
    cumulative: bool  # True: a flow or a rate over the period, with a year to date; False: a stock at the month
    section: str
    own_code: bool = True  # the code is Doudi's, not the provincial form's (docs/statistics.md)
    target_kind: str = ""  # "" no target; "year_to_date": the year-to-date figure is held against the target

    @property
    def unit_zh(self) -> str:
        return self.unit[0]

    @property
    def unit_en(self) -> str:
        return self.unit[1]


CATALOGUE: dict[str, Indicator] = {}


def indicator(**kwargs) -> Indicator:
    ind = Indicator(**kwargs)
    if len(ind.code) != 12:
        raise ValueError(f"indicator code {ind.code!r} is not 12 characters")
    if ind.code in CATALOGUE:
        raise ValueError(f"indicator code {ind.code!r} used twice")
    CATALOGUE[ind.code] = ind
    return ind


SECTIONS = {
    "DB": _("城乡最低生活保障"),
    "TK": _("特困人员救助供养"),
    "SQ": _("申请审核审批"),
    "ZH": _("多发追回"),
    "FF": _("资金发放"),
    "LS": _("临时救助"),
    "YL": _("医疗救助"),
    "GL": _("高龄津贴"),
    "ET": _("孤儿和事实无人抚养儿童保障"),
    "CJ": _("残疾人两项补贴"),
    "BZ": _("基本殡葬服务费用减免"),
    "YF": _("优抚对象定期抚恤补助"),
}

PROGRAMME_NAMES = {"dibao": ("低保", "minimum living allowance"), "tekun": ("特困供养", "extreme poverty support")}
# The other programmes (docs/programmes.md), paid through the same payrolls: (code, section letters, Chinese name,
# English name, and for a one-off programme what its payments count, in Chinese and as a unit; None for a programme
# paying monthly)
OTHER_PROGRAMMES = (
    ("temporary", "LS", "临时救助", "temporary assistance", ("户次", "HOUSEHOLD_GRANTS")),
    ("medical", "YL", "医疗救助", "medical assistance", ("人次", "GRANTS")),
    ("elderly", "GL", "高龄津贴", "old-age allowance", None),
    ("children", "ET", "孤儿和事实无人抚养儿童保障", "children's allowance", None),
    ("disability", "CJ", "残疾人两项补贴", "disability subsidies", None),
    ("funeral", "BZ", "基本殡葬服务费用减免", "basic funeral fee waiver", ("人数", "PEOPLE")),
    ("veterans", "YF", "优抚对象定期抚恤补助", "veterans' periodic payments", None),
)
HUKOU_NAMES = {"": ("", ""), "urban": ("城市", "urban "), "rural": ("农村", "rural ")}
HUKOU_DIGIT = {"": "0", "urban": "1", "rural": "2"}


def _hukou(qs: QuerySet, hukou: str) -> QuerySet:
    return qs.filter(hukou_type=hukou) if hukou else qs


# ---- households and people on the roll ---------------------------------------------------------------------------
def _roll_households(programme: str, hukou: str):
    def compute(ctx, first, last):
        return _hukou(ctx.roll(last, programme), hukou).values("household_id").distinct().count()

    def drill(ctx, first, last):
        return _hukou(ctx.roll(last, programme), hukou).select_related("household", "payroll")

    return compute, drill, lambda rows: len({r.household_id for r in rows})


def _roll_people(programme: str, hukou: str):
    def compute(ctx, first, last):
        return _hukou(ctx.roll(last, programme), hukou).aggregate(n=Sum("members"))["n"] or 0

    def drill(ctx, first, last):
        return _hukou(ctx.roll(last, programme), hukou).select_related("household", "payroll")

    return compute, drill, lambda rows: sum(r.members for r in rows)


# By category (the monthly form's 老年人/成年人/未成年人/残疾人): the people behind the roll. For dibao, the members
# of each household on the roll who had not left it before the month began (a membership's start is the day it was
# registered, not the day the person joined, so it is not read), less those not counted (deceased, in prison, in compulsory rehabilitation, missing, clergy
# away); for tekun, the person supported. Ages at the end of the month.
CATEGORIES = {
    "elderly": ("1", "老年人（60周岁及以上）", "aged 60 and over"),
    "adults": ("2", "成年人（18–59周岁）", "aged 18–59"),
    "minors": ("3", "未成年人（18周岁以下）", "under 18"),
    "disabled": ("4", "残疾人", "with a disability"),
}


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def roll_people(ctx: Context, month: dt.date, programme: str) -> QuerySet:
    roll = ctx.roll(month, programme)
    start = month
    if programme == "dibao":
        return Person.objects.filter(
            Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=start),
            Q(deceased=False) | Q(died_on__gt=month_end(month)),  # alive at the month's end (dated deaths)
            memberships__household_id__in=roll.values("household_id"),
            in_prison=False,
            compulsory_rehab=False,
            missing=False,
            clergy_away=False,
        ).distinct()
    return Person.objects.filter(pk__in=roll.values("enrolment__person_id"))


def category_q(category: str, month: dt.date, *, path: str = "") -> Q:
    """The people of a category at the month's end; ``path`` leads to the person from another model."""
    end = month_end(month)
    sixty, eighteen = _years_before(end, 60), _years_before(end, 18)
    return {
        "elderly": Q(**{f"{path}birth_date__lte": sixty}),
        "adults": Q(**{f"{path}birth_date__gt": sixty, f"{path}birth_date__lte": eighteen}),
        "minors": Q(**{f"{path}birth_date__gt": eighteen}),
        "disabled": Q(**{f"{path}disability_grade__isnull": False}) | ~Q(**{f"{path}disability_kind": ""}),
    }[category]


def _category(programme: str, category: str):
    def drill(ctx, first, last):
        return roll_people(ctx, last, programme).filter(category_q(category, last))

    return (lambda ctx, first, last: drill(ctx, first, last).count()), drill, len


# ---- standards -----------------------------------------------------------------------------------------------------
def _standard(programme: str, name: str):
    def compute(ctx, first, last):
        try:
            values = params_in_force(programme, month_end(last), ctx.area_code()).values
        except ApplicationError:
            return None
        value = values.get(name)
        return Decimal(value).quantize(CENT) if value is not None else None

    return compute


# ---- money ---------------------------------------------------------------------------------------------------------
def _money(programme: str, hukou: str):
    def compute(ctx, first, last):
        sums = ctx.paid_sums(first, last, programme)
        keys = [hukou] if hukou else list(sums)
        return sum((sums[k]["amount"] for k in keys if k in sums), ZERO)

    def drill(ctx, first, last):
        return _hukou(ctx.paid(first, last, programme), hukou).select_related("household", "payroll")

    return compute, drill, lambda rows: sum((r.amount for r in rows), ZERO)


def _grants(programme: str):
    """One-off payments made in the period: lines of approved payrolls the bank did not return (a payment
    returned and paid again counts once)."""

    def drill(ctx, first, last):
        return ctx.paid(first, last, programme).select_related("household", "payroll")

    return (lambda ctx, first, last: drill(ctx, first, last).count()), drill, len


def person_months(line) -> int:
    return line.members * max(len(line.months), 1)


def _per_capita(programme: str, hukou: str):
    """Monthly per-capita subsidy: money paid ÷ person-months paid (a line paying arrears counts each month)."""

    def compute(ctx, first, last):
        s = ctx.paid_sums(first, last, programme).get(hukou)
        return ratio(s["amount"], s["person_months"]) if s else None

    def drill(ctx, first, last):
        return ctx.paid(first, last, programme).filter(hukou_type=hukou).select_related("household", "payroll")

    def recount(rows):
        return ratio(sum((r.amount for r in rows), ZERO), sum(person_months(r) for r in rows))

    return compute, drill, recount


# ---- added and cancelled ------------------------------------------------------------------------------------------
def _added(programme: str):
    """People enrolled whose payment starts in the period (the enrolment's counted members)."""

    def drill(ctx, first, last):
        return (
            ctx.enrolments()
            .filter(programme_id=programme, start_month__gte=first, start_month__lte=last)
            .select_related("household")
        )

    return (
        lambda ctx, first, last: drill(ctx, first, last).aggregate(n=Sum("counted_members"))["n"] or 0,
        drill,
        lambda rows: sum(r.counted_members for r in rows),
    )


def _cancelled(programme: str):
    """People whose enrolment ends in the period: a termination effective from a month of the period."""

    def drill(ctx, first, last):
        ended = (
            ctx.enrolments()
            .filter(
                programme_id=programme,
                changes__kind=ChangeKind.TERMINATE,
                changes__from_month__gte=first,
                changes__from_month__lte=last,
            )
            .values("pk")
        )
        return ctx.enrolments().filter(pk__in=ended).select_related("household")

    return (
        lambda ctx, first, last: drill(ctx, first, last).aggregate(n=Sum("counted_members"))["n"] or 0,
        drill,
        lambda rows: sum(r.counted_members for r in rows),
    )


# ---- tekun support mode -------------------------------------------------------------------------------------------
def _tekun_mode(mode: str):
    def drill(ctx, first, last):
        return ctx.roll(last, "tekun").filter(**{LINE_MODE: mode}).select_related("household", "enrolment")

    return (
        lambda ctx, first, last: drill(ctx, first, last).aggregate(n=Sum("members"))["n"] or 0,
        drill,
        lambda rows: sum(r.members for r in rows),
    )


def _centralised_rate(hukou: str = ""):
    """People in centralised support ÷ all people in extreme poverty support (of the urban or rural roll)."""

    def counts(ctx, last):
        return _hukou(ctx.roll(last, "tekun"), hukou).aggregate(
            all=Sum("members"), centralised=Sum("members", filter=Q(**{LINE_MODE: SupportMode.CENTRALISED}))
        )

    def compute(ctx, first, last):
        c = counts(ctx, last)
        return ratio(c["centralised"] or 0, c["all"], scale=100)

    def drill(ctx, first, last):
        return _hukou(ctx.roll(last, "tekun"), hukou).select_related("household", "enrolment")

    def recount(rows):
        return ratio(
            sum(r.members for r in rows if r.support_mode == SupportMode.CENTRALISED),
            sum(r.members for r in rows),
            scale=100,
        )

    return compute, drill, recount


# ---- applications --------------------------------------------------------------------------------------------------
DECIDED = (CaseState.APPROVED, CaseState.REFUSED)


def _cases_accepted():
    def drill(ctx, first, last):
        return ctx.cases().filter(accepted_on__gte=first, accepted_on__lte=month_end(last)).select_related("household")

    return (lambda ctx, first, last: drill(ctx, first, last).count()), drill, len


def _cases_decided(states=DECIDED):
    def drill(ctx, first, last):
        return (
            ctx.cases()
            .filter(state__in=states, decided_on__gte=first, decided_on__lte=month_end(last))
            .select_related("household")
        )

    return drill


def _cases_count(state):
    drill = _cases_decided((state,))
    return (lambda ctx, first, last: drill(ctx, first, last).count()), drill, len


def state_then(qs: QuerySet, end: dt.date) -> QuerySet:
    """``qs`` with ``state_then``: each case's state at the end of ``end``'s day — the state its timeline's last move
    on or before that day led to (a case with no timeline: its state)."""
    latest = (
        CaseEvent.objects.filter(case=OuterRef("pk"), on__lte=end).order_by("-on", "-at", "-id").values("to_state")[:1]
    )
    return qs.annotate(state_then=Coalesce(Subquery(latest), F("state")))


def _cases_open(states: tuple[str, ...] | None = None):
    """Applications accepted by the end of the month, not decided and not withdrawn by then; with ``states``, only
    those at one of those stages of the procedure then."""

    def drill(ctx, first, last):
        end = month_end(last)
        qs = state_then(
            ctx.cases().filter(accepted_on__lte=end).filter(Q(decided_on__isnull=True) | Q(decided_on__gt=end)), end
        ).exclude(state_then=CaseState.WITHDRAWN)
        if states is not None:
            qs = qs.filter(state_then__in=states)
        return qs.select_related("household")

    return (lambda ctx, first, last: drill(ctx, first, last).count()), drill, len


# the stages of an open application at the month's end (the procedure's states, grouped as the monthly form asks)
OPEN_STAGES = (
    ("1", (CaseState.ACCEPTED,), "待入户调查", "awaiting the household survey"),
    ("2", (CaseState.SURVEYED, CaseState.VERIFYING, CaseState.VERIFIED), "调查核对中", "in survey and verification"),
    (
        "3",
        (CaseState.TOWNSHIP_REVIEWED, CaseState.NOTICING, CaseState.OBJECTED, CaseState.APPRAISED),
        "乡镇审核与公示中",
        "in township review and public notice",
    ),
    ("4", (CaseState.COUNTY_REVIEW,), "县级审批中", "awaiting the county's decision"),
)


def _cases_withdrawn():
    """New applications withdrawn in the period (the day of the withdrawal in the case's timeline)."""

    def drill(ctx, first, last):
        withdrawn = CaseEvent.objects.filter(
            to_state=CaseState.WITHDRAWN, on__gte=first, on__lte=month_end(last)
        ).values("case_id")
        return ctx.cases().filter(pk__in=withdrawn).select_related("household")

    return (lambda ctx, first, last: drill(ctx, first, last).count()), drill, len


def on_time(case) -> bool:
    """Decided within the procedure's time limit (30 working days, 45 when extended: ``Case.total_due``)."""
    return case.total_due is None or case.decided_on <= case.total_due


def _on_time_rate():
    drill = _cases_decided()

    def recount(rows):
        return ratio(sum(1 for c in rows if on_time(c)), len(rows), scale=100)

    def compute(ctx, first, last):
        qs = drill(ctx, first, last)
        c = qs.aggregate(
            all=Count("id"), late=Count("id", filter=Q(total_due__isnull=False, decided_on__gt=F("total_due")))
        )
        return ratio(c["all"] - c["late"], c["all"], scale=100)

    return compute, drill, recount


def working_days_to_decision(rows) -> Decimal | None:
    cal = WorkCalendar.load()
    days = [working_days_between(c.accepted_on, c.decided_on, cal) for c in rows if c.accepted_on]
    return ratio(sum(days), len(days))


def _average_days():
    drill = _cases_decided()
    return (lambda ctx, first, last: working_days_to_decision(drill(ctx, first, last))), drill, working_days_to_decision


# ---- overpayments, recoveries and failures ------------------------------------------------------------------------
def _overpayments():
    """Overpayments by the day they were established (``raised_on``: the change report's date), not the day they
    were keyed in, so a past month keeps its figure."""

    def drill(ctx, first, last):
        return (
            ctx.overpayments()
            .filter(raised_on__gte=first, raised_on__lte=month_end(last))
            .select_related("enrolment__household")
        )

    return (
        lambda ctx, first, last: (drill(ctx, first, last).aggregate(s=Sum("amount"))["s"] or ZERO).quantize(CENT),
        drill,
        lambda rows: sum((r.amount for r in rows), ZERO),
    )


def _recovered():
    """Money recovered: offsets against payments and repayments, less offsets reversed when the bank returned the
    payment they were taken from; by the day the money came back (``recovered_on``: a repayment's day, an offset's
    and its reversal's payment month), not the day it was recorded."""

    def drill(ctx, first, last):
        return (
            ctx.recoveries()
            .filter(recovered_on__gte=first, recovered_on__lte=month_end(last))
            .select_related("overpayment__enrolment__household")
        )

    return (
        lambda ctx, first, last: (drill(ctx, first, last).aggregate(s=Sum("amount"))["s"] or ZERO).quantize(CENT),
        drill,
        lambda rows: sum((r.amount for r in rows), ZERO),
    )


def _failures(money: bool):
    def drill(ctx, first, last):
        return ctx.lines(first, last).filter(status=LineStatus.FAILED).select_related("household", "payroll")

    if money:
        return (
            lambda ctx, first, last: (drill(ctx, first, last).aggregate(s=Sum("amount"))["s"] or ZERO).quantize(CENT),
            drill,
            lambda rows: sum((r.amount for r in rows), ZERO),
        )
    return (lambda ctx, first, last: drill(ctx, first, last).count()), drill, len


# ---- the catalogue --------------------------------------------------------------------------------------------------
ROLL_SOURCE = "payments_payroll, payments_payrollline（当月已审批的月度发放表）"
PAID_SOURCE = "payments_payroll, payments_payrollline（已审批的月度与补发发放表，银行退回的除外）"


def _build() -> None:
    for programme, letters in (("dibao", "DB"), ("tekun", "TK")):
        pz, pe = PROGRAMME_NAMES[programme]
        for hukou in ("", "urban", "rural"):
            hz, he = HUKOU_NAMES[hukou]
            digit = HUKOU_DIGIT[hukou]
            compute, drill, recount = _roll_households(programme, hukou)
            if programme == "dibao":
                indicator(
                    code=f"{letters}0101{digit}00000",
                    name_zh=f"{hz}{pz}户数",
                    name_en=f"{he}{pe} households".capitalize(),
                    unit=Unit.HOUSEHOLDS,
                    definition_zh=f"当月{hz}{pz}月度发放表（已审批）上的户数，含银行退回的户",
                    definition_en=f"Households on the month's approved regular {he}{pe} payroll, returned lines included",
                    source=ROLL_SOURCE,
                    compute=compute,
                    drill=drill,
                    recount=recount,
                    cumulative=False,
                    section=letters,
                )
            compute, drill, recount = _roll_people(programme, hukou)
            indicator(
                code=f"{letters}0102{digit}00000",
                name_zh=f"{hz}{pz}人数",
                name_en=f"{he}{pe} recipients".capitalize(),
                unit=Unit.PEOPLE,
                definition_zh=f"当月{hz}{pz}月度发放表（已审批）上的保障人数（各户计入的成员数之和）",
                definition_en=f"People covered by the month's approved regular {he}{pe} payroll (counted members)",
                source=ROLL_SOURCE,
                compute=compute,
                drill=drill,
                recount=recount,
                cumulative=False,
                section=letters,
            )
        for category, (digit, zh, en) in CATEGORIES.items():
            compute, drill, recount = _category(programme, category)
            indicator(
                code=f"{letters}0103{digit}00000",
                name_zh=f"{pz}人数中：{zh}",
                name_en=f"{pe.capitalize()} recipients {en}",
                unit=Unit.PEOPLE,
                definition_zh=f"当月{pz}发放表上各户在册且计入的成员中的{zh}（按月末年龄；特困为供养对象本人）",
                definition_en=f"Members of the households on the month's {pe} payroll {en} (age at the month's end; for extreme poverty support the person supported)",
                source="payments_payrollline, registry_membership, registry_person",
                compute=compute,
                drill=drill,
                recount=recount,
                cumulative=False,
                section=letters,
            )
        # money paid and, for dibao, the monthly per-capita subsidy by urban/rural
        for hukou in ("", "urban", "rural") if programme == "dibao" else ("",):
            hz, he = HUKOU_NAMES[hukou]
            digit = HUKOU_DIGIT[hukou]
            compute, drill, recount = _money(programme, hukou)
            indicator(
                code=f"{letters}0301{digit}00000",
                name_zh=f"{hz}{pz}资金支出",
                name_en=f"{he}{pe} paid".capitalize(),
                unit=Unit.YUAN,
                definition_zh=f"已审批的{hz}{pz}发放表（含补发）中银行未退回的发放金额（已扣除抵扣追回款）",
                definition_en=f"Money in approved {he}{pe} payrolls (supplementary included) not returned by the bank, after offsets",
                source=PAID_SOURCE,
                compute=compute,
                drill=drill,
                recount=recount,
                cumulative=True,
                section=letters,
            )
    for hukou in ("urban", "rural"):
        hz, he = HUKOU_NAMES[hukou]
        compute, drill, recount = _per_capita("dibao", hukou)
        indicator(
            code=f"DB0302{HUKOU_DIGIT[hukou]}00000",
            name_zh=f"{hz}低保月人均补助水平",
            name_en=f"{he}minimum living allowance monthly per-capita subsidy".capitalize(),
            unit=Unit.YUAN_PER_PERSON_MONTH,
            definition_zh=f"{hz}低保资金支出 ÷ 保障人月数（补发的每个月份各计一次）；年累计即累计月人均补助水平",
            definition_en=f"{he.capitalize()}minimum living allowance paid ÷ person-months paid (arrears count each month); the year to date is the cumulative figure",
            source=PAID_SOURCE,
            compute=compute,
            drill=drill,
            recount=recount,
            cumulative=True,
            section="DB",
            target_kind="year_to_date",
        )
    for hukou, name in (("urban", "standard_urban"), ("rural", "standard_rural")):
        hz, he = HUKOU_NAMES[hukou]
        indicator(
            code=f"DB0201{HUKOU_DIGIT[hukou]}00000",
            name_zh=f"{hz}低保标准",
            name_en=f"{he}minimum living allowance standard".capitalize(),
            unit=Unit.YUAN_PER_PERSON_MONTH,
            definition_zh=f"月末生效的{hz}低保标准（乡镇有单独标准的取乡镇标准）",
            definition_en=f"The {he}minimum living allowance standard in force at the month's end (a township's own where it has one)",
            source="programmes_parameterversion（已批准）",
            compute=_standard("dibao", name),
            drill=None,
            recount=None,
            cumulative=False,
            section="DB",
        )
    for mode, name, zh, en in (
        ("scattered", "basic_scattered", "分散供养", "scattered"),
        ("centralised", "basic_centralised", "集中供养", "centralised"),
    ):
        digit = "1" if mode == "scattered" else "2"
        indicator(
            code=f"TK0201{digit}00000",
            name_zh=f"特困人员{zh}基本生活标准",
            name_en=f"Extreme poverty support basic standard, {en}",
            unit=Unit.YUAN_PER_PERSON_MONTH,
            definition_zh=f"月末生效的{zh}基本生活标准（不含照料护理标准）",
            definition_en=f"The basic living standard for {en} support in force at the month's end (care not included)",
            source="programmes_parameterversion（已批准）",
            compute=_standard("tekun", name),
            drill=None,
            recount=None,
            cumulative=False,
            section="TK",
        )
        compute, drill, recount = _tekun_mode(mode)
        indicator(
            code=f"TK0104{digit}00000",
            name_zh=f"其中：{zh}人数",
            name_en=f"Of whom supported {'at home' if mode == 'scattered' else 'in an institution'}",
            unit=Unit.PEOPLE,
            definition_zh=f"当月特困供养发放表上{zh}的人数",
            definition_en=f"People on the month's extreme poverty payroll in {en} support",
            source=ROLL_SOURCE + ", payments_payrollline.support_mode",
            compute=compute,
            drill=drill,
            recount=recount,
            cumulative=False,
            section="TK",
        )
    for hukou in ("", "urban", "rural"):
        hz, he = HUKOU_NAMES[hukou]
        compute, drill, recount = _centralised_rate(hukou)
        indicator(
            code=f"TK0105{HUKOU_DIGIT[hukou]}00000",
            name_zh=f"{hz}特困人员集中供养率",
            name_en=f"{he}centralised support rate".capitalize(),
            unit=Unit.PERCENT,
            definition_zh=f"{hz}特困人员中集中供养的人数 ÷ {hz}特困供养人数 × 100（按户籍）",
            definition_en=f"People in centralised support ÷ all people in {he}extreme poverty support × 100 (by hukou)",
            source=ROLL_SOURCE + ", payments_payrollline.support_mode, payments_payrollline.hukou_type",
            compute=compute,
            drill=drill,
            recount=recount,
            cumulative=False,
            section="TK",
        )
    for programme, letters in (("dibao", "DB"), ("tekun", "TK")):
        pz, pe = PROGRAMME_NAMES[programme]
        _added_ended(
            programme,
            letters,
            (f"新增{pz}人数", f"{pe.capitalize()} recipients added", f"{pz}：发放起始月在本期的保障对象计入的人数",
             f"{pe.capitalize()}: counted members of enrolments whose payment starts in the period"),
            (f"停保（退出）{pz}人数", f"{pe.capitalize()} recipients cancelled",
             f"{pz}：终止保障自本期某月起生效的保障对象计入的人数",
             f"{pe.capitalize()}: counted members of enrolments whose termination takes effect in the period"),
        )  # fmt: skip
    for code, factory, zh, en, unit, dz, de in (
        (
            "SQ0101000000",
            _cases_accepted,
            "受理申请",
            "Applications accepted",
            Unit.CASES,
            "受理日期在本期的新申请（低保、特困、孤儿和事实无人抚养儿童基本生活保障；直接核发的项目不计）",
            "New applications (minimum living allowance, extreme poverty support, the children's allowance; not "
            "the programmes granted directly) accepted in the period",
        ),
        (
            "SQ0102000000",
            lambda: _cases_count(CaseState.APPROVED),
            "批准",
            "Applications approved",
            Unit.CASES,
            "决定日期在本期、决定批准的新申请",
            "New applications approved in the period",
        ),
        (
            "SQ0103000000",
            lambda: _cases_count(CaseState.REFUSED),
            "不予批准",
            "Applications refused",
            Unit.CASES,
            "决定日期在本期、决定不予批准的新申请",
            "New applications refused in the period",
        ),
        (
            "SQ0104000000",
            _cases_open,
            "月末在办申请",
            "Applications open at the month's end",
            Unit.CASES,
            "月末前已受理、月末尚未作出决定也未撤回的新申请",
            "New applications accepted and neither decided nor withdrawn by the month's end",
        ),
        *(
            (
                f"SQ0104{digit}00000",
                (lambda states=states: _cases_open(states)),
                f"其中：{zh}",
                f"Of which {en}",
                Unit.CASES,
                f"月末在办的新申请中，月末处于“{zh}”阶段的（按办理记录中月末前最后一步）",
                f"Applications open at the month's end that were then {en} (the last step recorded by then)",
            )
            for digit, states, zh, en in OPEN_STAGES
        ),
        (
            "SQ0105000000",
            _cases_withdrawn,
            "撤回申请",
            "Applications withdrawn",
            Unit.CASES,
            "本期撤回的新申请（按办理记录中的撤回日期）",
            "New applications withdrawn in the period (the day of the withdrawal in the case's timeline)",
        ),
        (
            "SQ0201000000",
            _on_time_rate,
            "按时办结率",
            "Decided on time",
            Unit.PERCENT,
            "本期作出决定的新申请中，在办结期限（30个工作日，延期的45个）内决定的比例",
            "Share of the period's decisions made within the time limit (30 working days, 45 when extended)",
        ),
        (
            "SQ0202000000",
            _average_days,
            "平均办理时间",
            "Average working days to decision",
            Unit.WORKING_DAYS,
            "本期作出决定的新申请从受理到决定的平均工作日数（按法定节假日日历）",
            "Average working days from acceptance to decision of the period's decisions (official holiday calendar)",
        ),
    ):
        compute, drill, recount = factory()
        indicator(
            code=code,
            name_zh=zh,
            name_en=en,
            unit=unit,
            definition_zh=dz,
            definition_en=de,
            source="cases_case",
            compute=compute,
            drill=drill,
            recount=recount,
            cumulative=not code.startswith("SQ0104"),
            section="SQ",
        )
    for code, factory, zh, en, dz, de, source in (
        (
            "ZH0101000000",
            _overpayments,
            "新增应追回金额",
            "Overpayments raised",
            "本期登记的多发（骗取、迟报）应追回金额",
            "Overpayments recorded in the period (fraud, late reports)",
            "cases_overpayment",
        ),
        (
            "ZH0102000000",
            _recovered,
            "已追回金额",
            "Overpayments recovered",
            "本期抵扣与退回的金额，减去因银行退回而冲销的抵扣",
            "Offsets and repayments in the period, less offsets reversed when the bank returned their payment",
            "payments_recovery",
        ),
    ):
        compute, drill, recount = factory()
        indicator(
            code=code,
            name_zh=zh,
            name_en=en,
            unit=Unit.YUAN,
            definition_zh=dz,
            definition_en=de,
            source=source,
            compute=compute,
            drill=drill,
            recount=recount,
            cumulative=True,
            section="ZH",
        )
    for code, money, zh, en, unit in (
        ("FF0101000000", False, "发放失败笔数", "Payments returned by the bank", Unit.PAYMENTS),
        ("FF0102000000", True, "发放失败金额", "Money returned by the bank", Unit.YUAN),
    ):
        compute, drill, recount = _failures(money)
        indicator(
            code=code,
            name_zh=zh,
            name_en=en,
            unit=unit,
            definition_zh="本期已审批发放表（各项目）中银行回盘为失败的明细，下月补发",
            definition_en="Lines of the period's approved payrolls (all programmes) the bank returned as failed; paid again next month",
            source="payments_payrollline.status（银行回盘）",
            compute=compute,
            drill=drill,
            recount=recount,
            cumulative=True,
            section="FF",
        )

    def paid_all(ctx, first, last):
        return ctx.paid(first, last).select_related("household", "payroll")

    indicator(
        code="FF0201000000",
        name_zh="各项目资金支出合计",
        name_en="Money paid, all programmes",
        unit=Unit.YUAN,
        definition_zh="本期已审批发放表（各项目，月度与补发、一次性）实发金额合计，银行退回的除外",
        definition_en="Money paid by the period's approved payrolls of every programme (regular, supplementary and"
        " one-off), less what the bank returned",
        source=PAID_SOURCE,
        compute=lambda ctx, first, last: fen_to_yuan(
            ctx.paid(first, last).aggregate(fen=Sum(Fen("amount")))["fen"] or 0
        ),
        drill=paid_all,
        recount=lambda rows: sum((r.amount for r in rows), ZERO),
        cumulative=True,
        section="FF",
    )

    _build_other_programmes()


def _build_other_programmes() -> None:
    """Each other programme (docs/programmes.md): who is paid and how much. A monthly programme has the people on
    its month's roll, the people added and cancelled; a one-off programme the payments made in the period."""
    for programme, letters, pz, pe, once in OTHER_PROGRAMMES:
        if once:
            compute, drill, recount = _grants(programme)
            indicator(
                code=f"{letters}0101000000",
                name_zh=f"{pz}{once[0]}",
                name_en=f"{pe.capitalize()}: {getattr(Unit, once[1])[1]} paid",
                unit=getattr(Unit, once[1]),
                definition_zh=f"本期已审批的{pz}发放表（含补发）中银行未退回的发放笔数（退回后补发的计一次）",
                definition_en=f"Payments in the period's approved {pe} payrolls (supplementary included) not returned by the bank (a payment returned and paid again counts once)",
                source=PAID_SOURCE,
                compute=compute,
                drill=drill,
                recount=recount,
                cumulative=True,
                section=letters,
            )
        else:
            compute, drill, recount = _roll_people(programme, "")
            indicator(
                code=f"{letters}0102000000",
                name_zh=f"{pz}人数",
                name_en=f"{pe.capitalize()}: recipients",
                unit=Unit.PEOPLE,
                definition_zh=f"当月{pz}月度发放表（已审批）上的人数，含银行退回的，不含随表发放的一次性补助",
                definition_en=f"People on the month's approved regular {pe} payroll, returned lines included, one-off grants paid with it not",
                source=ROLL_SOURCE,
                compute=compute,
                drill=drill,
                recount=recount,
                cumulative=False,
                section=letters,
            )
        compute, drill, recount = _money(programme, "")
        indicator(
            code=f"{letters}0301000000",
            name_zh=f"{pz}资金支出",
            name_en=f"{pe.capitalize()}: money paid",
            unit=Unit.YUAN,
            definition_zh=f"已审批的{pz}发放表（含补发）中银行未退回的发放金额（已扣除抵扣追回款）",
            definition_en=f"Money in approved {pe} payrolls (supplementary included) not returned by the bank, after offsets",
            source=PAID_SOURCE,
            compute=compute,
            drill=drill,
            recount=recount,
            cumulative=True,
            section=letters,
        )
        if not once:
            _added_ended(
                programme,
                letters,
                (f"{pz}新增人数", f"{pe.capitalize()}: recipients added", f"{pz}：发放起始月在本期的对象人数",
                 f"{pe.capitalize()}: people whose payment starts in the period"),
                (f"{pz}停发人数", f"{pe.capitalize()}: recipients ended", f"{pz}：终止发放自本期某月起生效的对象人数",
                 f"{pe.capitalize()}: people whose payment ends from a month of the period"),
            )  # fmt: skip


def _added_ended(programme: str, letters: str, added: tuple, ended: tuple) -> None:
    """A programme's people added (its payment starts in the period, ``..0401``) and ended (its termination takes
    effect in the period, ``..0402``); ``added`` and ``ended`` are each (Chinese name, English name, Chinese
    definition, English definition)."""
    for n, factory, source, (name_zh, name_en, definition_zh, definition_en) in (
        (1, _added, "cases_enrolment.start_month", added),
        (2, _cancelled, "cases_enrolmentchange（终止）", ended),
    ):
        compute, drill, recount = factory(programme)
        indicator(
            code=f"{letters}040{n}000000",
            name_zh=name_zh,
            name_en=name_en,
            unit=Unit.PEOPLE,
            definition_zh=definition_zh,
            definition_en=definition_en,
            source=source,
            compute=compute,
            drill=drill,
            recount=recount,
            cumulative=True,
            section=letters,
        )


_build()
