"""Alerts on everyone enrolled from every new load (MZ/T 072: review), and what the township does with them.

Each rule reads the matched records of a load against the enrolments in payment: a death while still paid (from
the deaths, the funeral records and a registration closed on death), a vehicle or a business role not declared,
an income above the dibao standard, a registration moved out of the county, a member on the state payroll, and a
person paid dibao or tekun here whom the province's low-income population database has enrolled in another county
(enrolled in two places; the same person in two households of this registry cannot happen: a person has one
current household, a database constraint).

The load is matched against the low-income register as well: a household on it in the edge, rigid-expense or
relapse-risk tier and paid neither dibao nor tekun has no payment to hold, but the township must know when a
member dies, moves out of the county, has a vehicle or a business role not declared, is on the state payroll or
is paid assistance in another county, or when the income rises (an edge household: the per-capita income, with the
departments' newest figures, reaches the edge line — the recompute then takes it out of the edge tier by itself;
the other two tiers: a member's income above the dibao standard and more than declared). Such an alert names the
register entry instead of an enrolment; the township resolves it with a reason, or takes the household out of
its register tiers with the reason (``alerts_leave_register``); it cannot become a review case (nothing is paid
to review). A
person reported dead who is the payee (the tekun person, or the head of a dibao household) has the payment held
(suspended) from the next payroll not yet generated. The queue is worked by rule and township: resolved with a
reason, or turned into a review case that goes through the whole procedure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require, visible
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.cases.actions.enrolments import enrolments_suspend
from doudi.cases.deadlines import case_deadlines_set
from doudi.cases.models import Case, CaseEvent, CaseEventMove, CaseKind, Enrolment
from doudi.cases.watchers import enrolments_changed_together
from doudi.cases.workflow import OPEN_STATES, CaseState
from doudi.core.actions import action
from doudi.core.errors import ApplicationError
from doudi.core.money import add_months
from doudi.core.validation import text_clean
from doudi.core.workdays import WorkCalendar
from doudi.payments.models import Payroll, PayrollKind, PayrollState
from doudi.programmes.selectors import params_in_force
from doudi.programmes.shapes import CASE_PROGRAMMES
from doudi.registry.models import BusinessRole, Income, Membership, Vehicle

from .events import VerificationEvent
from .models import (
    ENROLLED_TIERS,
    IN_PAYMENT,
    Alert,
    AlertRule,
    AlertState,
    DatasetLoad,
    DatasetRecord,
    MonitoringEntry,
    Tier,
)
from .monitoring import MANUAL_TIERS, HouseholdFacts
from .report import FEEDS, MONTHLY_ELEMENT, both, record_values
from .schemas import ASSISTANCE_PROGRAMMES

INCOME_KINDS = set(MONTHLY_ELEMENT)
MEANS_TESTED = frozenset(CASE_PROGRAMMES)  # decided on the household's income and assets: dibao, tekun


def _enrolments(household_ids: set[int]) -> dict[int, list[Enrolment]]:
    out: dict[int, list[Enrolment]] = {}
    for e in Enrolment.objects.filter(household_id__in=household_ids, status__in=IN_PAYMENT).select_related(
        "household"
    ):
        out.setdefault(e.household_id, []).append(e)
    return out


def _standard(enrolment: Enrolment, on: dt.date, cache: dict) -> Decimal | None:
    """The household's monthly dibao standard (by hukou type) in force on ``on`` [domain.md §2]."""
    return _standard_of(enrolment.area_code, enrolment.household.hukou_type, on, cache)


def _standard_of(area_code: str, hukou_type: str, on: dt.date, cache: dict) -> Decimal | None:
    key = (area_code[:9], hukou_type)
    if key not in cache:
        try:
            values = params_in_force("dibao", on, area_code).values
        except ApplicationError:
            cache[key] = None
        else:
            cache[key] = Decimal(values["standard_urban" if hukou_type == "urban" else "standard_rural"])
    return cache[key]


def _income_above(load, record, values, standard) -> tuple | None:
    """A member's monthly income in the record above the standard and above what is declared for them."""
    kind = load.kind
    monthly = Decimal(values.get(MONTHLY_ELEMENT[kind]) or "0")
    declared = Income.objects.filter(household_id=record.household_id, person=record.person, kind=FEEDS[kind])
    known = sum((i.monthly for i in declared), Decimal("0"))
    # above the standard, and more than the household already declared for this member (news, not noise)
    if standard is not None and monthly > standard and monthly > known:
        return (
            AlertRule.INCOME_ABOVE,
            both(
                f"月收入 {monthly} 元，高于保障标准 {standard} 元", f"{monthly} a month, above the {standard} standard"
            ),
        )
    return None


def _undeclared(load, record, values, area_code: str):
    """What the record says that matters whatever pays the household: a vehicle or a business role not declared,
    assistance in another county, the state payroll."""
    kind, person = load.kind, record.person
    if kind == "vehicle" and not Vehicle.objects.filter(household_id=record.household_id).exists():
        day = values.get("registered_on", "")
        yield AlertRule.VEHICLE, both(f"登记机动车（{day}），申报无车辆", f"Vehicle registered {day}; none declared")
    if kind == "business" and not BusinessRole.objects.filter(household_id=record.household_id, person=person).exists():
        day = values.get("registered_on", "")
        yield AlertRule.BUSINESS, both(f"市场主体登记人员（{day}）", f"Named in a business registration {day}")
    if kind == "assistance":
        # the province's low-income database has the person paid outside this county
        where, since = values.get("area_code", ""), values.get("since", "")
        if where and not where.startswith(area_code[:6]):
            programme = dict(ASSISTANCE_PROGRAMMES).get(values.get("programme", ""), values.get("programme", ""))
            yield (
                AlertRule.TWO_PLACES,
                both(
                    f"在 {where} 同时享受{programme}（自 {since}）",
                    f"Also enrolled ({values.get('programme', '')}) in {where} since {since}",
                ),
            )
    if kind == "state_payroll":
        yield AlertRule.STATE_PAYROLL, both("财政供养人员", "Paid from the state payroll")


def _rules(load: DatasetLoad, record: DatasetRecord, values: dict, enrolment: Enrolment, cache: dict):
    """(rule, detail) for what this record says about an enrolled household's member. A death or a move out of
    the county concerns every programme paying the household; a vehicle, a business role, an income or the state
    payroll only the means-tested ones (dibao and tekun) — the old-age allowance or a disability subsidy does not
    depend on them, so they raise no alert there (one alert a record, not one per programme)."""
    kind, person = load.kind, record.person
    if kind in ("death", "funeral") or (kind == "hukou" and values.get("status") == "deceased"):
        day = values.get("death_date") or values.get("event_date") or ""
        if not person.deceased:
            yield AlertRule.DEATH_PAID, both(f"{load.kind_zh}：死亡 {day}，仍在保", f"Reported dead {day}, still paid")
    if kind == "hukou" and values.get("status") == "moved_out":
        where = values.get("address_code", "")
        if not where.startswith(enrolment.area_code[:6]):
            day = values.get("event_date", "")
            yield AlertRule.MOVED_OUT, both(f"户籍迁出至 {where} {day}", f"Registration moved to {where} {day}")
    if enrolment.programme_id not in MEANS_TESTED:
        return
    if kind == "assistance" and enrolment.programme_id not in ("dibao", "tekun"):
        return
    yield from _undeclared(load, record, values, enrolment.area_code)
    if kind in INCOME_KINDS:
        found = _income_above(load, record, values, _standard(enrolment, load.as_of, cache))
        if found:
            yield found


def _register_entries(household_ids: set[int], paid: set[int]) -> dict[int, MonitoringEntry]:
    """The households on the register in a tier the township keeps (edge, rigid expenses, relapse risk) and paid
    neither dibao nor tekun (those have their enrolment's alerts): household → its first open entry by tier."""
    order = [t for t in Tier.values if t not in ENROLLED_TIERS]
    out: dict[int, MonitoringEntry] = {}
    entries = MonitoringEntry.objects.filter(
        household_id__in=household_ids - paid, left_on__isnull=True, tier__in=order
    ).select_related("household")
    for m in sorted(entries, key=lambda m: (order.index(m.tier), m.pk)):
        out.setdefault(m.household_id, m)
    return out


def _register_rules(load: DatasetLoad, record: DatasetRecord, values: dict, entry: MonitoringEntry, cache: dict):
    """(rule, detail) for what this record says about a member of a household on the register (not paid dibao or
    tekun): the death of a member, a move out of the county, what was not declared, and a rise of income."""
    kind, person, household = load.kind, record.person, entry.household
    tier = Tier(entry.tier).label
    if kind in ("death", "funeral") or (kind == "hukou" and values.get("status") == "deceased"):
        day = values.get("death_date") or values.get("event_date") or ""
        if not person.deceased:
            yield (
                AlertRule.MEMBER_DIED,
                both(
                    f"{load.kind_zh}：死亡 {day}；{tier}，请核实家庭人口和监测类别",
                    f"Reported dead {day}; the household is on the low-income register",
                ),
            )
    if kind == "hukou" and values.get("status") == "moved_out":
        where = values.get("address_code", "")
        if not where.startswith(household.area_id[:6]):
            day = values.get("event_date", "")
            yield (
                AlertRule.MOVED_OUT,
                both(
                    f"户籍迁出至 {where} {day}；{tier}，请与迁入地衔接监测",
                    f"Registration moved to {where} {day}; hand the register over",
                ),
            )
    yield from _undeclared(load, record, values, household.area_id)
    if kind not in INCOME_KINDS:
        return
    if entry.tier == Tier.EDGE:
        known = cache.setdefault("households", {})  # one reading a household, whatever rows name its members
        if household.pk not in known:
            known[household.pk] = HouseholdFacts(household, load.as_of, cache.setdefault("facts", {}))
        facts = known[household.pk]
        if facts.edge is not None and facts.per_capita >= facts.edge:
            yield (
                AlertRule.INCOME_ABOVE,
                both(
                    f"计入部门数据后家庭人均月收入 {facts.per_capita} 元，不低于低保边缘线 {facts.edge} 元；"
                    "低保边缘家庭名单随之更新，请核实",
                    f"With the departments' figures the per-capita income is {facts.per_capita}, not below the "
                    f"edge line {facts.edge}; the edge tier is updated accordingly",
                ),
            )
        return
    found = _income_above(
        load, record, values, _standard_of(household.area_id, household.hukou_type, load.as_of, cache)
    )
    if found:
        yield found


def _save_once(alert: Alert) -> bool:
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        return False  # already open
    return True


def _alert(rule, detail: str, load: DatasetLoad, r: DatasetRecord, **owner) -> Alert:
    """An alert on a record's person, owned by an enrolment (a payment) or a register entry."""
    return Alert(
        rule=rule, person=r.person, household_id=r.household_id, load=load, record=r, detail=detail[:400], **owner
    )


def _raise_each(actor, load, records, enrolments, register, cache, made) -> tuple[int, int]:
    """The alerts of each record (appended to ``made``): the held payments and the register's alerts counted."""
    on_register = 0
    to_hold: list[Enrolment] = []
    heads = _heads({r.household_id for r in records})
    for r in records:
        values = record_values(r)
        seen = set()
        for enrolment in enrolments.get(r.household_id, []):
            for rule, detail in _rules(load, r, values, enrolment, cache):
                seen.add(rule)
                alert = _alert(rule, detail, load, r, enrolment=enrolment, area_code=enrolment.area_code)
                # the payee reported dead: the payment is held (below, all together) until the township checks
                alert.held = rule == AlertRule.DEATH_PAID and _payee(enrolment, r.person_id, heads)
                if not _save_once(alert):
                    continue
                if alert.held:
                    to_hold.append(enrolment)
                made.append(alert)
        entry = register.get(r.household_id)
        if entry is None:
            continue
        for rule, detail in _register_rules(load, r, values, entry, cache):
            # a death or a move already raised on another payment of the household (old-age allowance…) says it
            if (rule == AlertRule.MEMBER_DIED and AlertRule.DEATH_PAID in seen) or rule in seen:
                continue
            alert = _alert(rule, detail, load, r, entry=entry, area_code=entry.area_code)
            if _save_once(alert):
                made.append(alert)
                on_register += 1
    return _hold(actor, to_hold, load, cache), on_register


def alerts_raise(*, actor, load: DatasetLoad) -> int:
    """Every alert a new load raises on households in payment and on the register's households not paid dibao or
    tekun (run inside the load's transaction; a rerun or the same news in a later load raises nothing new while the
    first alert is open)."""
    records = list(
        DatasetRecord.objects.filter(load=load, household__isnull=False).select_related("person", "household")
    )
    household_ids = {r.household_id for r in records}
    enrolments = _enrolments(household_ids)
    paid = {h for h, es in enrolments.items() if any(e.programme_id in ENROLLED_TIERS for e in es)}
    register = _register_entries(household_ids, paid)
    cache: dict = {}
    made: list[Alert] = []
    with enrolments_changed_together():  # the register and the subsidies follow the held payments in one pass
        held, on_register = _raise_each(actor, load, records, enrolments, register, cache, made)
    if made:
        audit_record(
            actor=actor,
            action=VerificationEvent.ALERTS_RAISE,
            kind=EventKind.BATCH,
            target=load,
            area_code=load.area_prefix.ljust(12, "0")[:12],
            batch_id=load.batch_id,
            new={
                "alerts": len(made),
                "held": held,
                "on_register": on_register,
            },
        )
    return len(made)


def _heads(household_ids: set[int]) -> dict[int, set[int]]:
    """Each household's current head (the account holder), read once for a whole load."""
    out: dict[int, set[int]] = {}
    for household_id, person_id in Membership.objects.filter(
        household_id__in=household_ids, relation="head", end_date__isnull=True
    ).values_list("household_id", "person_id"):
        out.setdefault(household_id, set()).add(person_id)
    return out


def _payee(enrolment: Enrolment, person_id: int, heads: dict[int, set[int]]) -> bool:
    """Whether the payment goes to this person: the tekun person, or the head (account holder) of the household."""
    if enrolment.person_id:
        return enrolment.person_id == person_id
    return person_id in heads.get(enrolment.household_id, ())


def next_unpaid_month(programme: str, today: dt.date) -> dt.date:
    """The first month from this one whose regular payroll is not generated yet (or was cancelled)."""
    month = today.replace(day=1)
    generated = set(
        Payroll.objects.filter(programme_id=programme, kind=PayrollKind.REGULAR, month__gte=month)
        .exclude(state=PayrollState.CANCELLED)
        .values_list("month", flat=True)
    )
    while month in generated:
        month = add_months(month, 1)
    return month


def _hold(actor, enrolments: list[Enrolment], load: DatasetLoad, cache: dict) -> int:
    """Suspend these payments from each programme's next payroll not yet generated, until the township checks;
    returns how many were suspended (one already suspended stays so, its alert marked held all the same). All
    together (``enrolments_suspend``): a deaths file naming a fifth of the caseload holds them in a few
    statements, not one by one."""

    def month_of(enrolment: Enrolment) -> dt.date:
        key = ("next_unpaid", enrolment.programme_id)
        if key not in cache:
            cache[key] = next_unpaid_month(enrolment.programme_id, timezone.localdate())
        return cache[key]

    reason = f"部门数据报告收款人死亡（{load.kind_zh}，数据截止 {load.as_of:%Y-%m-%d}），暂停发放待核实"
    return len(enrolments_suspend([e.pk for e in enrolments], month_of=month_of, actor=actor, reason=reason))


def _open(actor, alert_ids: list[int]) -> list[Alert]:
    perm_require(actor, Perm.VERIFICATION_HANDLE)
    alerts = list(
        visible(actor, "verification.Alert", act=True)
        .filter(pk__in=alert_ids, state=AlertState.OPEN)
        .select_for_update()
        .order_by("pk")
    )
    if not alerts:
        raise ApplicationError("请选择待处理的预警", "Choose open alerts", field="alerts", code="required")
    return alerts


@action
def alerts_resolve(*, actor, alert_ids: list[int], reason: str) -> int:
    """Resolve the chosen open alerts with one reason (bulk): checked, nothing to change."""
    reason = text_clean(reason, field="reason", zh_label="处理说明", en_label="Reason", max_length=200, required=True)
    alerts = _open(actor, alert_ids)
    today = timezone.localdate()
    for a in alerts:
        a.state, a.reason, a.resolved_by, a.resolved_on = AlertState.RESOLVED, reason, actor, today
        a.save(update_fields=["state", "reason", "resolved_by", "resolved_on"])
        audit_record(
            actor=actor,
            action=VerificationEvent.ALERT_RESOLVE,
            target=a,
            area_code=a.area_code,
            household_id=a.household_id,
            new={"rule": a.rule, "reason": reason},
        )
    return len(alerts)


@action
def alerts_to_review(*, actor, alert_ids: list[int], on: dt.date | None = None) -> list[Case]:
    """Turn the chosen open alerts into review cases (one per enrolment; an open review is reused)."""
    alerts = _open(actor, alert_ids)
    register = [a for a in alerts if a.enrolment_id is None]
    if register:
        raise ApplicationError(
            f"所选预警中有{len(register)}条是低收入人口监测户的（不在保，没有可复核的保障）："
            f"{'、'.join(f'#{a.pk}' for a in register[:10])}。请核实后销号，或退出低收入人口监测",
            f"{len(register)} of the chosen alerts concern households on the low-income register that are not paid: "
            "resolve them, or take the households out of the register",
            field="alerts",
            code="not_enrolled",
            extra={"alerts": [a.pk for a in register]},
        )
    on = on or timezone.localdate()
    cal = WorkCalendar.load()
    cases = {}
    for a in alerts:
        if a.enrolment_id not in cases:
            enrolment = a.enrolment
            open_review = Case.objects.filter(enrolment=enrolment, kind=CaseKind.REVIEW, state__in=OPEN_STATES).first()
            if open_review is None:
                open_review = Case(
                    kind=CaseKind.REVIEW,
                    programme_id=enrolment.programme_id,
                    household_id=enrolment.household_id,
                    applicant_id=enrolment.case.applicant_id,
                    enrolment=enrolment,
                    area_code=enrolment.area_code,
                    state=CaseState.ACCEPTED,
                    created_by=actor,
                    accepted_on=on,
                    state_since=on,
                )
                case_deadlines_set(open_review, on, cal)
                open_review.save()
                CaseEvent.objects.create(
                    case=open_review,
                    on=on,
                    actor=actor,
                    move=CaseEventMove.REVIEW_OPENED,
                    from_state="",
                    to_state=CaseState.ACCEPTED,
                    note=f"核对预警：{a.get_rule_display()}",
                    data={"alert": a.pk},
                )
            cases[a.enrolment_id] = open_review
        a.state, a.case, a.resolved_by, a.resolved_on = AlertState.REVIEW, cases[a.enrolment_id], actor, on
        a.save(update_fields=["state", "case", "resolved_by", "resolved_on"])
        audit_record(
            actor=actor,
            action=VerificationEvent.ALERT_REVIEW,
            target=a,
            area_code=a.area_code,
            household_id=a.household_id,
            new={"rule": a.rule, "case": a.case_id},
        )
    return list(cases.values())


@action
def alerts_leave_register(*, actor, alert_ids: list[int], reason: str, on: dt.date | None = None) -> int:
    """The township checked the chosen alerts of register households (not paid) and found they no longer belong
    on the register (the car is theirs, the new job pays well, the family moved away): each household leaves every
    tier it is in that the township keeps (edge, rigid expenses, relapse risk), with the alert and the reason;
    the alerts are closed as left. Returns how many register entries were closed."""
    perm_require(actor, Perm.DISCOVERY_VISIT)
    reason = text_clean(reason, field="reason", zh_label="处理说明", en_label="Reason", max_length=200, required=True)
    alerts = _open(actor, alert_ids)
    paid = [a for a in alerts if a.entry_id is None]
    if paid:
        raise ApplicationError(
            f"所选预警中有{len(paid)}条是在保家庭的（{'、'.join(f'#{a.pk}' for a in paid[:10])}），"
            "请销号或转为复核案件",
            f"{len(paid)} of the chosen alerts concern enrolled households: resolve them or open a review",
            field="alerts",
            code="enrolled",
            extra={"alerts": [a.pk for a in paid]},
        )
    on = on or timezone.localdate()
    left = 0
    done_households: set[int] = set()
    for a in alerts:
        if a.household_id not in done_households:
            done_households.add(a.household_id)
            for m in (
                MonitoringEntry.objects.select_for_update()
                .filter(household_id=a.household_id, left_on__isnull=True, tier__in=MANUAL_TIERS)
                .order_by("pk")
            ):
                why = f"核对预警（{a.get_rule_display()}）：{reason}"[:200]
                m.left_on, m.leave_reason, m.left_by = max(on, m.entered_on), why, actor
                m.save(update_fields=["left_on", "leave_reason", "left_by"])
                audit_record(
                    actor=actor,
                    action=VerificationEvent.MONITORING_LEAVE,
                    target=m,
                    area_code=m.area_code,
                    household_id=m.household_id,
                    old={"tier": m.tier},
                    new={"reason": why, "alert": a.pk},
                )
                left += 1
        a.state, a.reason, a.resolved_by, a.resolved_on = AlertState.LEFT, reason, actor, on
        a.save(update_fields=["state", "reason", "resolved_by", "resolved_on"])
        audit_record(
            actor=actor,
            action=VerificationEvent.ALERT_LEAVE,
            target=a,
            area_code=a.area_code,
            household_id=a.household_id,
            new={"rule": a.rule, "reason": reason, "entry": a.entry_id},
        )
    return left
