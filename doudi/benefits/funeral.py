"""The basic funeral fee waiver as the pages and the API handle it (基本殡葬服务费用减免, domain.md §5d): the funeral
home's fee for each service, checked and refused naming the field; the rules' decision on them without saving (a
preview: the amount, each service's cap and waived amount, the explanation); the grant, through
``actions.benefit_grant`` (paid to the funeral home, once per deceased); the waivers of the account's area with
their funeral home and payroll, and the same as .xlsx; the funeral homes the account may choose."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import translation
from openpyxl import Workbook

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.areas.models import Area
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.cases.models import ONE_OFF_STATES, Enrolment
from doudi.core.cells import xlsx_row
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.money import ZERO
from doudi.payments.models import PayrollLine, PayrollState
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.decision import Decision
from doudi.programmes.rules.funeral import CAPS, SERVICE_TEXT
from doudi.programmes.rules.inputs import FUNERAL_SERVICES, Funeral, FuneralService
from doudi.programmes.rules.registry_input import household_input
from doudi.programmes.selectors import params_in_force
from doudi.registry.models import Household, Person

from .actions import benefit_grant, first_paid_month, funeral_already_waived, funeral_death_unrecorded
from .events import BenefitEvent
from .models import FuneralHome, Payee

PROGRAMME = "funeral"
DAYS_MAX = 3650  # the rules' input schema (doudi/programmes/rules/inputs.py)


def service_label(kind: str, english: bool = False) -> str:
    zh, en = SERVICE_TEXT[kind]
    return en.capitalize() if english else zh


# ---- the services typed in ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServiceIn:
    """One service as typed: its kind, fee and days (cold storage), and the fields a refusal names."""

    kind: str
    fee: Decimal
    days: int = 0
    fee_field: str = "fee"
    days_field: str = "days"


def services_check(items: Sequence[ServiceIn], *, empty_field: str = "services") -> tuple[FuneralService, ...]:
    """The services the rules decide on: each kind once, a fee of 0 left out, cold storage with its days (1 to
    3650); at least one fee (else ``empty_field`` is named). A refusal names the field."""
    seen: set[str] = set()
    out = []
    for s in items:
        if s.kind not in FUNERAL_SERVICES:
            raise ApplicationError("服务项目无效", "Unknown service", field=s.fee_field, code="invalid_choice")
        if s.kind in seen:
            raise ApplicationError(
                f"{service_label(s.kind)}只能填写一次",
                f"{service_label(s.kind, True)} is given more than once",
                field=s.fee_field,
                code="duplicate",
            )
        seen.add(s.kind)
        if s.fee <= 0:
            continue
        days = 0
        if s.kind == "cold_storage":
            if not 1 <= s.days <= DAYS_MAX:
                raise ApplicationError(
                    f"请填写遗体冷藏天数（1至{DAYS_MAX}天）",
                    f"Cold storage needs its number of days (1 to {DAYS_MAX})",
                    field=s.days_field,
                    code="days_required",
                )
            days = s.days
        out.append(FuneralService(s.kind, s.fee, days))
    if not out:
        raise ApplicationError(
            "请至少填写一项服务的收费", "Give the fee of at least one service", field=empty_field, code="no_services"
        )
    return tuple(out)


# ---- the decision --------------------------------------------------------------------------------------------------
@dataclass
class ServiceLine:
    kind: str
    fee: Decimal
    days: int
    cap: Decimal | None  # yuan; for cold storage, a day
    cap_days: int | None  # cold storage: the days waived at most
    waived: Decimal


@dataclass
class FuneralDecision:
    decision: Decision
    lines: list[ServiceLine]
    month: dt.date  # paid in the funeral payroll of this month

    @property
    def eligible(self) -> bool:
        return self.decision.eligible

    @property
    def amount(self) -> Decimal:
        return self.decision.amount


def service_cap(kind: str, params: dict) -> tuple[Decimal | None, int | None]:
    """What the parameters waive of a kind of service at most: an amount (cold storage: a day's, and the days);
    nothing for a service that is not basic."""
    if kind == "cold_storage":
        return Decimal(params["cap_cold_storage_day"]), int(params["cold_storage_days"])
    return (Decimal(params[CAPS[kind]]), None) if kind in CAPS else (None, None)


def caps_in_force(household: Household, on: dt.date) -> dict[str, tuple[Decimal | None, int | None]]:
    """Each kind's cap in force for the household's area on ``on`` (the form shows them before a preview)."""
    params = params_in_force(PROGRAMME, on, household.area_id).values
    return {kind: service_cap(kind, params) for kind in FUNERAL_SERVICES}


def service_lines(decision: Decision, services: Sequence[FuneralService]) -> list[ServiceLine]:
    """Each service with the cap the parameters in force set and the amount the rules waived."""
    waived = {s["kind"]: Decimal(s["waived"]) for s in (decision.result or {}).get("services", [])}
    lines = []
    for s in services:
        cap, cap_days = service_cap(s.kind, decision.parameters)
        lines.append(ServiceLine(s.kind, s.fee, s.days, cap, cap_days, waived.get(s.kind, ZERO)))
    return lines


def person_household(actor, person: Person) -> Household:
    """The deceased's household (its current membership), if in the account's area."""
    membership = person.memberships.filter(end_date__isnull=True).first()
    if membership is None:
        raise NotFound(field="person")
    return scope.household_get(actor, membership.household_id)


def waiver_of(person: Person) -> Enrolment | None:
    return Enrolment.objects.filter(programme_id=PROGRAMME, person=person).first()


def _facts(household: Household, person: Person, services: tuple[FuneralService, ...]):
    facts = household_input(household)
    index = next(m.index for m in facts.members if m.person_id == person.pk)
    return replace(facts, funeral=Funeral(index, services))


def funeral_preview(*, actor, person: Person, services: tuple[FuneralService, ...], on: dt.date) -> FuneralDecision:
    """The rules' decision on the services for ``person`` on ``on``, nothing saved; refused as the grant would be
    when the deceased already has a waiver or the death is not recorded."""
    perm_require(actor, Perm.CASE_DECIDE)
    household = person_household(actor, person)
    if waiver_of(person) is not None:
        raise funeral_already_waived()
    if not Person.objects.filter(pk=person.pk, deceased=True).exists():
        raise funeral_death_unrecorded()
    decision = evaluate(PROGRAMME, _facts(household, person, services), on)
    return FuneralDecision(decision, service_lines(decision, services), first_paid_month(PROGRAMME, on))


def funeral_waive(
    *, actor, person: Person, funeral_home: FuneralHome, services: tuple[FuneralService, ...], note: str, on: dt.date
) -> Enrolment:
    """Grant the waiver on the services (the rules decide the amount), paid to ``funeral_home``."""
    perm_require(actor, Perm.CASE_DECIDE)
    household = person_household(actor, person)
    return benefit_grant(
        actor=actor,
        programme=PROGRAMME,
        household=household,
        person=person,
        on=on,
        facts=_facts(household, person, services),
        funeral_home=funeral_home,
        note=note,
    )


# ---- funeral homes -------------------------------------------------------------------------------------------------
def funeral_homes(user) -> QuerySet:
    """The funeral homes of the account's area and those of the areas above it (a county's, for a township)."""
    return scope.visible(user, "benefits.FuneralHome").order_by("name", "pk")


def funeral_home_get(user, pk, *, field: str = "funeral_home", change: bool = False) -> FuneralHome:
    """A funeral home the account may choose (its area's or one above it), or NotFound naming ``field``;
    ``change``: one it may change (its own area's only: a home above it answers as missing)."""
    try:
        return scope.get_visible(user, "benefits.FuneralHome", pk, act=change)
    except NotFound:
        raise NotFound(field=field) from None


# ---- the waivers of an area ----------------------------------------------------------------------------------------
@dataclass
class WaiverRow:
    enrolment: Enrolment
    person: Person
    township: str
    village: str
    funeral_home: str
    amount: Decimal
    month: dt.date
    status_label: str
    payroll_state: str  # empty: not in a payroll yet
    payroll_label: str


def waivers(user, *, month: dt.date | None = None, area: str = "") -> QuerySet:
    """The funeral waivers of households in the account's area, the latest month paid first: ``month`` the month
    paid, ``area`` a township or village inside the account's (outside or unknown: none)."""
    qs = scope.visible(user, "cases.Enrolment").filter(programme_id=PROGRAMME)
    if month is not None:
        qs = qs.filter(start_month=month)
    if area:
        node = scope.areas_visible(user).filter(code=area).first()
        qs = qs.filter(area_code__startswith=node.prefix) if node else qs.none()
    lines = (
        PayrollLine.objects.filter(enrolment=OuterRef("pk"))
        .exclude(payroll__state=PayrollState.CANCELLED)
        .order_by("-payroll_id")
    )
    return qs.annotate(
        home_name=Subquery(Payee.objects.filter(enrolment=OuterRef("pk")).values("funeral_home__name")[:1]),
        payroll_state=Subquery(lines.values("payroll__state")[:1]),
    ).order_by("-start_month", "-pk")


def waiver_rows(enrolments) -> list[WaiverRow]:
    """The page's and the file's rows (one query for the people, one for the areas)."""
    enrolments = list(enrolments)
    people = Person.objects.in_bulk([e.person_id for e in enrolments])
    codes = {e.area_code for e in enrolments} | {e.area_code[:9].ljust(12, "0") for e in enrolments}
    names = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    states = dict(PayrollState.choices)
    rows = []
    for e in enrolments:
        township = e.area_code[:9].ljust(12, "0")
        rows.append(
            WaiverRow(
                enrolment=e,
                person=people[e.person_id],
                township=names.get(township, ""),
                village=names.get(e.area_code, "") if e.area_code != township else "",
                funeral_home=e.home_name or "",
                amount=e.monthly_amount,
                month=e.start_month,
                status_label=str(ONE_OFF_STATES.get(e.status, e.get_status_display())),
                payroll_state=e.payroll_state or "",
                payroll_label=str(states.get(e.payroll_state, "")) if e.payroll_state else "",
            )
        )
    return rows


HEADER = ["编号", "逝者", "死亡日期", "乡镇（街道）", "村（社区）", "殡仪馆", "减免金额（元）", "发放月份", "状态",
          "发放表状态"]  # fmt: skip


def waivers_xlsx(*, actor, enrolments, filters: dict) -> tuple[bytes, int]:
    """The filtered waivers as .xlsx (no ID or account numbers: nothing decrypted); the export is audited."""
    perm_require(actor, Perm.REGISTRY_EXPORT)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("殡葬费用减免")
    for column, width in zip("ABCDEFGHIJ", (8, 10, 12, 14, 14, 18, 14, 10, 10, 14), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    ws.append(HEADER)
    with translation.override("zh-hans"):
        rows = waiver_rows(enrolments)
    for r in rows:
        ws.append(
            xlsx_row(
                ws,
                [
                    r.enrolment.pk,
                    r.person.name,
                    r.person.died_on.isoformat() if r.person.died_on else "",
                    r.township,
                    r.village,
                    r.funeral_home,
                    r.amount,
                    r.month.strftime("%Y-%m"),
                    r.status_label,
                    r.payroll_label or "未生成",
                ],
            )
        )
    out = io.BytesIO()
    wb.save(out)
    count = len(rows)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=BenefitEvent.FUNERAL_EXPORT,
            kind=EventKind.ACCESS,
            target_type="export",
            label=f"殡葬费用减免名单 {count} 行 / funeral waivers, {count} rows",
            new={"rows": count, "filters": {k: v for k, v in filters.items() if v}},
            area_code=actor.area_id or "",
        )
    return out.getvalue(), count
