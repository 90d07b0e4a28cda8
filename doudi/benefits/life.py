"""One report acts on every programme (issue 15, "one person, all programmes"): a death, a move out of the county,
a move to a household in another township, or a household's change report (income, members) is recorded once and
acts on each programme the person or the household receives, by that programme's rule:

- monthly programmes paid to the person (tekun, old-age allowance, disability subsidies, children's allowance)
  are paid up to the month of the death or of the move out of the county and stop from the next month (domain.md
  §5a "paid up to the month of death", §5c "stops the month after death, moving out", §5e "to the month of
  death"); on a move within the county they follow the person to the new household and township;
- programmes paid to the household (dibao) get a change report from the next month, which re-evaluates the
  household without (or with) the person [D21 §31];
- one-off payments to the person not yet put in a payroll (temporary, medical assistance) are held (suspended)
  until someone releases or cancels them; the funeral waiver, paid to the funeral home because of the death, is
  not held;
- the person's own open cases (an application for tekun) are withdrawn on a move out of the county or a death,
  and follow the person on a move within the county.

Every report has a preview: the same action run in a transaction that is rolled back, so what the preview shows
is exactly what confirming it does (notifications and seals are only sent on commit, so the preview sends none)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.cases import workflow as wf
from doudi.cases.actions.enrolments import change_report_record, enrolment_change_record, enrolment_terminate
from doudi.cases.actions.procedure import case_move
from doudi.cases.amounts import overpaid_since
from doudi.cases.models import (
    LIVE_STATUSES,
    Case,
    ChangeKind,
    Enrolment,
    EnrolmentStatus,
    Overpayment,
    ReportKind,
)
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.core.labels import said
from doudi.core.money import ZERO, add_months, month_start
from doudi.core.validation import date_range_check, text_clean
from doudi.payments.models import EntryKind, LedgerEntry
from doudi.programmes.shapes import SHAPES
from doudi.registry.actions import member_leave, person_move, person_update
from doudi.registry.models import Household, Membership, Person

from .events import BenefitEvent
from .models import VeteranEntitlement


class Outcome(models.TextChoices):
    STOP = "stop", _("停发")
    REEVALUATE = "reevaluate", _("重新测算")
    HOLD = "hold", _("暂缓发放，待核实")
    TRANSFER = "transfer", _("随人转移")
    WITHDRAW = "withdraw", _("撤回在办申请")
    UNCHANGED = "unchanged", _("不受影响")


class LifeEvent(models.TextChoices):
    DEATH = "death", _("死亡")
    MOVE_OUT = "move_out", _("迁出本县")
    MOVE_WITHIN = "move_within", _("迁往本县其他乡镇（街道）或家庭")
    CHANGE = "change", _("家庭情况变化")


@dataclass
class Effect:
    """What one report does to one programme: the programme, whom it pays, the outcome, the months and amounts."""

    programme: str
    outcome: str
    who: str
    rule: str  # the rule applied, in the reader's language, citing its source
    enrolment_id: int | None = None
    case_id: int | None = None
    last_month: dt.date | None = None  # the last month paid
    from_month: dt.date | None = None  # the month the change takes effect
    old_amount: Decimal | None = None
    new_amount: Decimal | None = None
    overpaid: Decimal | None = None  # already paid for the months stopped: recorded to recover

    @property
    def programme_name(self) -> str:
        shape = SHAPES.get(self.programme)
        return shape.name_zh if shape else self.programme

    @property
    def outcome_label(self):
        return Outcome(self.outcome).label


@dataclass
class LifeResult:
    event: str
    effects: list[Effect] = field(default_factory=list)

    def by_outcome(self, outcome: str) -> list[str]:
        return [e.programme for e in self.effects if e.outcome == outcome]

    # the names the death report has always answered with (demo, tests)
    @property
    def stopped(self) -> list[str]:
        return self.by_outcome(Outcome.STOP)

    @property
    def reported(self) -> list[str]:
        return self.by_outcome(Outcome.REEVALUATE)

    def as_dict(self) -> dict:
        return {"event": self.event, "effects": [asdict(e) for e in self.effects]}


# The month a person's own monthly programme is last paid after a death or a move out of the county: each
# programme pays up to and including the month of the event (domain.md §5a, §5c, §5e; T21 §25 ends support
# from the month after). A programme not listed here follows the same rule.
PERSON_RULES = {
    "elderly": (
        "高龄津贴发放至死亡（迁出）当月，次月起停发（§5a）",
        "Paid to the month of death (or move), no more (§5a)",
    ),
    "disability": (
        "残疾人两项补贴发放至死亡（迁出）当月，次月起停发（§5c）",
        "Paid to the month of death (or move), no more (§5c)",
    ),
    "tekun": (
        "特困供养金发放至死亡（迁出）当月，次月起终止供养 [T21]",
        "Support paid to the month of death (or move), ended after [T21]",
    ),
    "children": (
        "儿童基本生活费发放至死亡（迁出）当月，次月起停发（§5b）",
        "Paid to the month of death (or move), no more (§5b)",
    ),
    "veterans": ("优抚金发放至死亡当月，次月起停发（§5e）", "Paid to the month of death, no more (§5e)"),
}
DEFAULT_PERSON_RULE = ("发放至当月，次月起停发", "Paid to the month of the event, no more")


# What follows a household's dibao once a report has re-evaluated it: the disability living subsidy follows dibao at
# a change report as at enrolment (domain.md §5c). Registered by the apps above this one (doudi/medical registers
# the two subsidies' follower); each is called as ``fn(actor, household, month)`` inside the report's transaction
# and returns what it changed: (enrolment, person's name, amount before, amount from ``month``).
DIBAO_FOLLOWERS: list[Callable] = []
# Set while a report re-evaluates a household's programmes: the followers then run from the report (above), which
# lists what they changed among the report's effects, and an enrolment watcher that would follow dibao on its own
# (doudi/medical: a dibao enrolment begun or ended by its procedure) leaves it to them.
_REPORT_FOLLOWS: ContextVar[bool] = ContextVar("dibao_followers_from_a_report", default=False)


def dibao_follower_register(fn: Callable) -> None:
    if fn not in DIBAO_FOLLOWERS:
        DIBAO_FOLLOWERS.append(fn)


def dibao_followed_by_report() -> bool:
    """True inside a change report's (a death's, a move's) re-evaluation, whose followers run themselves."""
    return _REPORT_FOLLOWS.get()


def _dibao_followers(actor, household: Household, month: dt.date, result: LifeResult) -> None:
    for follow in DIBAO_FOLLOWERS:
        for enrolment, who, old, new in follow(actor, household, month):
            # "not affected" no longer holds; a transfer (a move within the county) stays, this follows it
            result.effects = [
                e for e in result.effects if not (e.enrolment_id == enrolment.pk and e.outcome == Outcome.UNCHANGED)
            ]
            stop = not new
            result.effects.append(
                Effect(
                    enrolment.programme_id,
                    Outcome.STOP if stop else Outcome.REEVALUATE,
                    who,
                    said(
                        f"残疾人生活补贴随低保调整（§5c），{month:%Y年%m月}起" + ("停发" if stop else f"每月 {new} 元"),
                        f"The disability living subsidy follows dibao (§5c), from {month:%Y-%m}: "
                        + ("stopped" if stop else f"{new} a month"),
                    ),
                    enrolment.pk,
                    enrolment.case_id,
                    last_month=add_months(month, -1) if stop else None,
                    from_month=month,
                    old_amount=old,
                    new_amount=new or ZERO,
                )
            )


class _Rollback(Exception):
    """Raised inside a preview's transaction to undo it, carrying the result."""


def preview(apply, **kwargs) -> LifeResult:
    """Run a report's ``apply`` function in a transaction and roll it back: the effects it would have."""
    try:
        with transaction.atomic():
            result = apply(**kwargs)
            raise _Rollback(result)
    except _Rollback as done:
        return done.args[0]


def _membership(actor, person: Person) -> Membership:
    membership = Membership.objects.filter(person=person, end_date__isnull=True).select_related("household").first()
    if membership is None or not covers(actor, membership.household.area_id):
        raise NotFound(field="person")
    return membership


def _details(details: str) -> str:
    return text_clean(details, field="details", zh_label="情况说明", en_label="Details", max_length=100, required=True)


def _paid_or_queued(enrolment: Enrolment) -> bool:
    """A one-off already put in a payroll (a ledger payment not reversed by a bank return)."""
    payments = LedgerEntry.objects.filter(enrolment=enrolment, kind=EntryKind.PAYMENT).count()
    return payments > LedgerEntry.objects.filter(enrolment=enrolment, kind=EntryKind.REVERSAL).count()


def _person_programmes(actor, person: Person, event_month: dt.date, reason: str, result: LifeResult) -> None:
    """The person's own enrolments after a death or a move out of the county: monthly ones stop after the event's
    month, one-offs not yet paid are held, the funeral waiver is paid."""
    stop_from = add_months(event_month, 1)
    for e in (
        Enrolment.objects.filter(person=person, status__in=LIVE_STATUSES)
        .select_for_update()
        .select_related("programme")
        .order_by("pk")
    ):
        once = SHAPES[e.programme_id].payment == "once" if e.programme_id in SHAPES else False
        if once:
            if e.programme_id == "funeral":
                rule = said(
                    "殡葬费用减免付给殡仪馆，照常发放（§5d）",
                    "The funeral waiver is paid to the funeral home as decided (§5d)",
                )
                result.effects.append(Effect(e.programme_id, Outcome.UNCHANGED, person.name, rule, e.pk, e.case_id))
            elif _paid_or_queued(e):
                rule = said("一次性救助已列入发放表，不再变更", "Already in a payroll: unchanged")
                result.effects.append(Effect(e.programme_id, Outcome.UNCHANGED, person.name, rule, e.pk, e.case_id))
            elif e.status == EnrolmentStatus.SUSPENDED:
                rule = said("一次性救助已暂缓发放", "Already held")
                result.effects.append(Effect(e.programme_id, Outcome.UNCHANGED, person.name, rule, e.pk, e.case_id))
            else:
                enrolment_change_record(
                    e,
                    amount=e.monthly_amount,
                    month=e.start_month,
                    actor=actor,
                    reason=f"暂缓发放，待核实：{reason}",
                    status=EnrolmentStatus.SUSPENDED,
                    kind=ChangeKind.SUSPEND,
                )
                rule = said(
                    "尚未发放的一次性救助暂缓发放，核实后发放或撤销",
                    "A one-off not yet paid is held until checked, then paid or cancelled",
                )
                result.effects.append(
                    Effect(
                        e.programme_id,
                        Outcome.HOLD,
                        person.name,
                        rule,
                        e.pk,
                        e.case_id,
                        from_month=e.start_month,
                        old_amount=e.monthly_amount,
                        new_amount=e.monthly_amount,
                    )
                )
            continue
        if e.end_month is not None and e.end_month < stop_from:
            rule = said("已定于此前停发", "Already ending earlier")
            result.effects.append(
                Effect(e.programme_id, Outcome.UNCHANGED, person.name, rule, e.pk, e.case_id, last_month=e.end_month)
            )
            continue
        first_unpaid = max(stop_from, e.start_month)
        old = e.monthly_amount
        e.end_month = add_months(first_unpaid, -1)
        enrolment_change_record(
            e,
            amount=Decimal("0.00"),
            month=first_unpaid,
            actor=actor,
            reason=f"{reason}，{first_unpaid:%Y年%m月}起停发",
            status=EnrolmentStatus.TERMINATED,
            kind=ChangeKind.TERMINATE,
        )
        # a report made after a payroll already paid the months now stopped: the difference is to recover
        overpaid = overpaid_since(e, first_unpaid)
        if overpaid > 0:
            Overpayment.objects.create(enrolment=e, amount=overpaid, reason=reason[:200], created_by=actor)
        result.effects.append(
            Effect(
                e.programme_id,
                Outcome.STOP,
                person.name,
                said(*PERSON_RULES.get(e.programme_id, DEFAULT_PERSON_RULE)),
                e.pk,
                e.case_id,
                last_month=e.end_month if e.end_month >= e.start_month else None,
                from_month=first_unpaid,
                old_amount=old,
                new_amount=Decimal("0.00"),
                overpaid=overpaid or None,
            )
        )


def _household_programmes(
    actor, household: Household, kind: str, month: dt.date, details: str, on: dt.date, who: str, result: LifeResult
) -> None:
    """Each programme paid to the household gets one change report from ``month``: the household is re-evaluated
    as the registry now holds it (dibao: [D21 §31])."""
    token = _REPORT_FOLLOWS.set(True)
    try:
        _household_reports(actor, household, kind, month, details, on, who, result)
    finally:
        _REPORT_FOLLOWS.reset(token)


def _household_reports(
    actor, household: Household, kind: str, month: dt.date, details: str, on: dt.date, who: str, result: LifeResult
) -> None:
    for e in Enrolment.objects.filter(household=household, person__isnull=True, status__in=LIVE_STATUSES).order_by(
        "pk"
    ):
        old = e.monthly_amount
        effective = max(month, e.start_month)
        report = change_report_record(
            actor=actor, enrolment=e, kind=kind, effective_month=effective, details=details[:150], on=on
        )
        result.effects.append(
            Effect(
                e.programme_id,
                Outcome.REEVALUATE,
                who,
                said(
                    f"按变化后的家庭重新测算，{effective:%Y年%m月}起：{_outcome(report.outcome, 'zh-hans')}",
                    f"Re-evaluated with the household as it now is, from {effective:%Y-%m}: {_outcome(report.outcome, 'en')}",
                ),
                e.pk,
                e.case_id,
                from_month=effective,
                old_amount=old,
                new_amount=report.new_amount,
                overpaid=_report_overpaid(report),
            )
        )
        if e.programme_id == "dibao":
            _dibao_followers(actor, household, effective, result)


def _outcome(kind: str, language: str) -> str:
    with translation.override(language):
        return str(ChangeKind(kind).label)


def _report_overpaid(report) -> Decimal | None:
    o = Overpayment.objects.filter(report=report).first()
    return o.amount if o else None


def _withdraw_open_cases(actor, person: Person, reason: str, on: dt.date, result: LifeResult) -> None:
    """The person's own open applications (tekun, or a single-person enrolment) are withdrawn."""
    for case in Case.objects.filter(applicant=person, state__in=wf.OPEN_STATES).order_by("pk"):
        if case.programme_id not in ("tekun", "children") and not case.enrolment_id:
            continue  # a household's application stays with the household (a child's is the child's own)
        case_move(actor=actor, case=case, move="withdraw", data={"reason": reason[:200]}, on=on)
        result.effects.append(
            Effect(
                case.programme_id,
                Outcome.WITHDRAW,
                person.name,
                said("本人的在办申请撤回", "The person's open application is withdrawn"),
                case_id=case.pk,
            )
        )


def _leave_every_programme(
    actor, person, membership, on: dt.date, what: str, details: str, kind, event, result: LifeResult, day_key: str
) -> LifeResult:
    """What a death or a move out of the county does to every programme, from the month after ``on``: the person's
    own stop (paid to that month), the household's re-evaluated through a change report of ``kind``, the person's
    open applications withdrawn; one audit row (``event``) naming what was stopped, reported and held."""
    month = month_start(on)
    _person_programmes(actor, person, month, f"{on:%Y-%m-%d} {what}：{details}", result)
    _household_programmes(
        actor,
        membership.household,
        kind,
        add_months(month, 1),
        f"{person.name}于{on:%Y-%m-%d}{what}：{details}",
        on,
        person.name,
        result,
    )
    _withdraw_open_cases(actor, person, f"申请人于{on:%Y-%m-%d}{what}", on, result)
    audit_record(
        actor=actor,
        action=event,
        target=person,
        area_code=membership.household.area_id,
        household_id=membership.household_id,
        new={day_key: on, "stopped": result.stopped, "reported": result.reported, "held": _held(result)},
    )
    return result


def _death(*, actor, person: Person, died_on: dt.date, details: str) -> LifeResult:
    perm_require(actor, Perm.CASE_CREATE)
    date_range_check(died_on, field="died_on", zh_label="死亡日期", en_label="Date of death")
    details = _details(details)
    membership = _membership(actor, person)
    person = Person.objects.get(pk=person.pk)  # as recorded now, not as the caller last read it
    if person.deceased:
        raise Conflict("已登记死亡", "The death is already recorded", field="person")
    if died_on < person.birth_date:
        raise ApplicationError("死亡日期不能早于出生日期", "The date of death is before the birth", field="died_on")
    person_update(actor=actor, person=person, data={"died_on": died_on})
    result = LifeResult(LifeEvent.DEATH)
    return _leave_every_programme(
        actor,
        person,
        membership,
        died_on,
        "死亡",
        details,
        ReportKind.DEATH,
        BenefitEvent.DEATH_RECORD,
        result,
        "died_on",
    )


def _held(result: LifeResult) -> list[str]:
    return result.by_outcome(Outcome.HOLD)


@action
def person_death_record(*, actor, person: Person, died_on: dt.date, details: str) -> LifeResult:
    """Record a death once for every programme (module docstring): the registry keeps the date of death; the
    person's monthly programmes are paid to the month of death; unpaid one-offs are held; the household's dibao is
    re-evaluated from the next month; the person's open applications are withdrawn."""
    return _death(actor=actor, person=person, died_on=died_on, details=details)


def person_death_preview(*, actor, person: Person, died_on: dt.date, details: str) -> LifeResult:
    return preview(_death, actor=actor, person=person, died_on=died_on, details=details)


def _move_out(*, actor, person: Person, on: dt.date, details: str) -> LifeResult:
    perm_require(actor, Perm.CASE_CREATE)
    date_range_check(on, field="on", zh_label="迁出日期", en_label="Date of moving out")
    details = _details(details)
    membership = _membership(actor, person)
    if person.deceased:
        raise Conflict("此人已登记死亡", "The person is recorded as dead", field="person")
    if Membership.objects.filter(household=membership.household, end_date__isnull=True).count() == 1:
        raise ApplicationError(
            "此人是本户唯一成员：全户迁出请终止本户的各项保障",
            "The only member: end the household's programmes instead",
            field="person",
        )
    member_leave(actor=actor, person=person, on=on, reason=f"迁出本县：{details}"[:100])
    result = LifeResult(LifeEvent.MOVE_OUT)
    return _leave_every_programme(
        actor, person, membership, on, "迁出本县", details, ReportKind.MOVE, BenefitEvent.MOVE_OUT, result, "on"
    )


@action
def person_move_out(*, actor, person: Person, on: dt.date, details: str) -> LifeResult:
    """A member moves out of the county: leaves the household; the person's monthly programmes are paid to the
    month of the move; unpaid one-offs are held; the household's dibao is re-evaluated without the person from the
    next month; the person's open applications are withdrawn."""
    return _move_out(actor=actor, person=person, on=on, details=details)


def person_move_out_preview(*, actor, person: Person, on: dt.date, details: str) -> LifeResult:
    return preview(_move_out, actor=actor, person=person, on=on, details=details)


def _move_within(
    *, actor, person: Person, to_household: Household, relation: str, on: dt.date, details: str
) -> LifeResult:
    perm_require(actor, Perm.CASE_CREATE)
    date_range_check(on, field="on", zh_label="迁移日期", en_label="Date of the move")
    details = _details(details)
    membership = _membership(actor, person)
    if not covers(actor, to_household.area_id):
        raise NotFound(field="to_household")
    if person.deceased:
        raise Conflict("此人已登记死亡", "The person is recorded as dead", field="person")
    old_household = membership.household
    person_move(actor=actor, person=person, to_household=to_household, relation=relation, on=on, reason=details)
    result = LifeResult(LifeEvent.MOVE_WITHIN)
    area = to_household.area_id
    # the veterans' roster lists the person where they now live (its payments follow below, as every programme's)
    VeteranEntitlement.objects.filter(person=person).update(household=to_household, area_code=area)
    for e in (
        Enrolment.objects.filter(person=person, status__in=LIVE_STATUSES)
        .select_for_update()
        .select_related("programme")
        .order_by("pk")
    ):
        e.household, e.area_code = to_household, area
        e.save(update_fields=["household", "area_code"])
        result.effects.append(
            Effect(
                e.programme_id,
                Outcome.TRANSFER,
                person.name,
                said(
                    f"随本人转入 {to_household.area.full_name}，金额不变",
                    f"Follows the person to {to_household.area.full_name}, amount unchanged",
                ),
                e.pk,
                e.case_id,
                old_amount=e.monthly_amount,
                new_amount=e.monthly_amount,
            )
        )
    for case in Case.objects.filter(applicant=person, state__in=wf.OPEN_STATES).order_by("pk"):
        if case.programme_id != "tekun":
            continue  # a household's application stays with the household
        case.household, case.area_code = to_household, area
        case.save(update_fields=["household", "area_code"])
        result.effects.append(
            Effect(
                case.programme_id,
                Outcome.TRANSFER,
                person.name,
                said("在办申请转由迁入地办理", "The open application moves with the person"),
                case_id=case.pk,
            )
        )
    month = add_months(month_start(on), 1)
    text = f"{person.name}于{on:%Y-%m-%d}迁移：{details}"
    _household_programmes(actor, old_household, ReportKind.MEMBERS, month, text, on, old_household.head_name, result)
    _household_programmes(actor, to_household, ReportKind.MEMBERS, month, text, on, to_household.head_name, result)
    audit_record(
        actor=actor,
        action=BenefitEvent.MOVE_WITHIN,
        target=person,
        area_code=area,
        household_id=to_household.pk,
        old={"household": old_household.pk},
        new={"household": to_household.pk, "on": on, "transferred": result.by_outcome(Outcome.TRANSFER)},
    )
    return result


@action
def person_move_within(
    *, actor, person: Person, to_household: Household, relation: str, on: dt.date, details: str
) -> LifeResult:
    """A member moves to another household in the county (another township, or the same): the person's
    programmes and open tekun application follow the person to the new household and its area; both households'
    dibao are re-evaluated from the next month."""
    return _move_within(
        actor=actor, person=person, to_household=to_household, relation=relation, on=on, details=details
    )


def person_move_within_preview(
    *, actor, person: Person, to_household: Household, relation: str, on: dt.date, details: str
) -> LifeResult:
    return preview(
        _move_within, actor=actor, person=person, to_household=to_household, relation=relation, on=on, details=details
    )


CHANGE_KINDS = (ReportKind.INCOME, ReportKind.MEMBERS)


def _change(*, actor, household: Household, kind: str, effective_month: dt.date, details: str) -> LifeResult:
    perm_require(actor, Perm.CASE_CREATE)
    if not covers(actor, household.area_id):
        raise NotFound(field="household")
    if kind not in CHANGE_KINDS:
        raise ApplicationError(
            "变化类型应为收入变化或家庭成员变化", "The kind is income or members", field="kind", code="invalid_choice"
        )
    details = _details(details)
    month = month_start(
        date_range_check(effective_month, field="effective_month", zh_label="起始月", en_label="Effective month")
    )
    result = LifeResult(LifeEvent.CHANGE)
    live = (
        Enrolment.objects.filter(household=household, status__in=LIVE_STATUSES)
        .select_related("person", "programme")
        .order_by("pk")
    )
    for e in live:
        if e.person_id is None:
            continue  # re-evaluated below, once each
        if SHAPES.get(e.programme_id) and SHAPES[e.programme_id].procedure.through_case:
            old = e.monthly_amount
            effective = max(month, e.start_month)
            report = change_report_record(
                actor=actor, enrolment=e, kind=kind, effective_month=effective, details=details
            )
            result.effects.append(
                Effect(
                    e.programme_id,
                    Outcome.REEVALUATE,
                    e.person.name,
                    said(
                        f"按变化后的家庭重新测算，{effective:%Y年%m月}起：{_outcome(report.outcome, 'zh-hans')}",
                        f"Re-evaluated with the household as it now is, from {effective:%Y-%m}: {_outcome(report.outcome, 'en')}",
                    ),
                    e.pk,
                    e.case_id,
                    from_month=effective,
                    old_amount=old,
                    new_amount=report.new_amount,
                )
            )
        else:
            result.effects.append(
                Effect(
                    e.programme_id,
                    Outcome.UNCHANGED,
                    e.person.name,
                    said(
                        "按年龄、残疾或身份发放，不以家庭收入为条件", "Paid by age, disability or status, not by income"
                    )
                    if SHAPES[e.programme_id].payment == "monthly"
                    else said("一次性救助已核定", "A one-off already decided"),
                    e.pk,
                    e.case_id,
                    old_amount=e.monthly_amount,
                    new_amount=e.monthly_amount,
                )
            )
    _household_programmes(actor, household, kind, month, details, timezone.localdate(), household.head_name, result)
    audit_record(
        actor=actor,
        action=BenefitEvent.HOUSEHOLD_CHANGE,
        target=household,
        area_code=household.area_id,
        household_id=household.pk,
        new={"kind": kind, "month": month, "reported": result.reported},
    )
    return result


@action
def household_change_record(*, actor, household: Household, kind: str, effective_month: dt.date, details: str):
    """A change in the household's income or members, reported once: every programme that depends on it (dibao,
    tekun) is re-evaluated from ``effective_month``; the others are shown unaffected with the reason."""
    return _change(actor=actor, household=household, kind=kind, effective_month=effective_month, details=details)


def household_change_preview(*, actor, household: Household, kind: str, effective_month: dt.date, details: str):
    return preview(
        _change, actor=actor, household=household, kind=kind, effective_month=effective_month, details=details
    )


@action
def oneoff_hold_release(*, actor, enrolment: Enrolment, pay: bool, reason: str, on: dt.date) -> Enrolment:
    """A one-off held by a death or a move: pay it after all (the next payroll pays it) or cancel it."""
    perm_require(actor, Perm.CASE_DECIDE)
    if not covers(actor, enrolment.area_code):
        raise NotFound(field="enrolment")
    reason = text_clean(reason, field="reason", zh_label="理由", en_label="Reason", max_length=100, required=True)
    e = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if SHAPES.get(e.programme_id) is None or SHAPES[e.programme_id].payment != "once":
        raise ApplicationError("只有一次性救助可以这样处理", "Only a one-off payment", field="enrolment")
    if e.status != EnrolmentStatus.SUSPENDED:
        raise Conflict("该笔救助没有暂缓发放", "This payment is not held", field="enrolment")
    month = max(month_start(on), e.start_month)
    if pay:
        e.end_month = month
        enrolment_change_record(
            e,
            amount=e.monthly_amount,
            month=month,
            actor=actor,
            reason=f"核实后发放：{reason}",
            status=EnrolmentStatus.ACTIVE,
            kind=ChangeKind.RESUME,
        )
    else:
        enrolment_terminate(e, month=e.start_month, on=on, actor=actor, reason=f"核实后撤销：{reason}")
    audit_record(
        actor=actor,
        action=BenefitEvent.HOLD_RELEASE,
        target=e,
        area_code=e.area_code,
        household_id=e.household_id,
        new={"pay": pay, "reason": reason, "month": month},
    )
    return e
