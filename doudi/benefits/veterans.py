"""Veterans' periodic payments (优抚, domain.md §5e): the roster of entitled people, their monthly payment
through the same payroll, ledger and bank files as every monthly programme, suspension in prison, the year's new
standards from 1 August, and the one-off grants.

- ``veteran_enter`` (the township) records a person's category, the grade and cause of a disabled serviceman's
  disability (因战、因公、因病: illness only grades 1–6), certificate, start month and own account;
  ``veteran_decide`` (the county, not the one who entered it) approves it, which puts a monthly category
  into payment from its start month at the amount the policy engine gives (rules/veterans.py), with every later
  standard change already in its amount history; a former Kuomintang war veteran gets no monthly payment.
- ``veteran_correct`` (the county) corrects a disabled serviceman's cause and grade from a month (the certificate
  read again, a reassessed grade, or the cause given to everyone entered before causes were recorded): the amount
  history follows the table from that month, increases paid as arrears, what was paid beyond it to recover.
- ``veteran_suspend`` records the day a prison term began: nothing is paid from that month (what was already paid
  for it is recorded to recover); ``veteran_resume`` records the release: paid again from the month after, the
  months inside never.
- ``veterans_uprate`` brings every payment in the area to the table in force in a month (run in August, or when
  the new table is approved late: the months since 1 August are paid as arrears).
- ``veterans_grants_run`` makes the year's one-off grant of a kind to everyone it applies to, in one transaction:
  killed, it leaves nothing; run again, it adds only those not yet granted (a database constraint), so nobody is
  ever granted twice.
- A death (benefits/life.py) stops the monthly payment after the month of death, as for every programme."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, ensure_not_maker, perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.cases.actions.enrolments import enrolment_change_record
from doudi.cases.amounts import NO_PAYMENT, amount_for, overpaid_since
from doudi.cases.models import ChangeKind, Enrolment, EnrolmentStatus, Overpayment
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.core.idnumber import account_mask
from doudi.core.money import ZERO, add_months, month_start
from doudi.core.validation import date_range_check, text_clean
from doudi.payments.models import ACCOUNT_HOLDER_MAX, Payroll, PayrollLine
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.decision import Decision
from doudi.programmes.rules.inputs import PrisonTerm, Veteran
from doudi.programmes.rules.registry_input import household_input
from doudi.programmes.rules.veterans import month_in_prison, monthly_amount
from doudi.programmes.selectors import params_in_force
from doudi.programmes.shapes.veterans import (
    CATEGORY_CODES,
    GRANT_CODES,
    GRANTS,
    amount_param,
    category_label,
    cause_grades,
    cause_label,
    disabled_label,
    grant_applies,
    grant_label,
)
from doudi.registry.models import Membership, Person

from .actions import grant_record
from .events import VeteranEvent
from .models import VeteranEntitlement, VeteranGrant, VeteranPrisonTerm, VeteranState
from .payees import LinesMoved, lines_pay_to

PROGRAMME = "veterans"


def _today() -> dt.date:
    return timezone.localdate()


def _area(entitlement: VeteranEntitlement) -> str:
    return entitlement.area_code


def table_amount(entitlement: VeteranEntitlement, month: dt.date) -> Decimal | None:
    """The entitlement's monthly amount in the table in force in ``month`` (None: no monthly payment)."""
    params = params_in_force(PROGRAMME, month, entitlement.area_code).values
    return monthly_amount(params, entitlement.category, entitlement.grade, entitlement.cause or None)


def veteran_facts(entitlement: VeteranEntitlement) -> Veteran:
    terms = tuple(PrisonTerm(t.started_on, t.released_on) for t in entitlement.prison_terms.all())
    return Veteran(entitlement.category, entitlement.grade, terms, entitlement.cause or None)


def entitlement_label(entitlement: VeteranEntitlement, en: bool = False) -> str:
    """ "因公三级残疾军人" for a disabled serviceman, else the category's name."""
    if entitlement.category == "disabled" and entitlement.grade:
        return disabled_label(entitlement.cause or None, entitlement.grade, en)
    return category_label(entitlement.category, en)


def disabled_check(grade, cause) -> tuple[int, str]:
    """A disabled serviceman's grade (1–10) and cause (war, duty, illness; illness only grades 1–6), each refused
    naming its field."""
    if not isinstance(grade, int) or isinstance(grade, bool) or not 1 <= grade <= 10:
        raise ApplicationError("残疾军人须填写伤残等级（1至10级）", "A grade from 1 to 10 is needed", field="grade")
    if not cause_grades(cause):
        raise ApplicationError(
            "残疾军人须选择伤残性质（因战、因公或因病）",
            "Choose the cause of the disability (war, duty or illness)",
            field="cause",
        )
    if grade not in cause_grades(cause):
        raise ApplicationError(
            f"伤残性质：{cause_label(cause)}致残只有一至六级享受伤残抚恤金，{grade}级不能选“因病”",
            f"Cause: a disability from illness carries a pension at grades 1 to 6 only, not grade {grade}",
            field="cause",
        )
    return grade, cause


def veteran_decision(entitlement: VeteranEntitlement, month: dt.date) -> Decision:
    """The policy engine's decision for the entitled person in ``month``, on the household as the registry holds
    it (the person's death date included) with the entitlement's category, grade and prison terms."""
    facts = household_input(entitlement.household)
    for member in facts.members:
        member.veteran = veteran_facts(entitlement) if member.person_id == entitlement.person_id else None
    return evaluate(PROGRAMME, facts, month)


def _person_line(decision: Decision) -> Decimal:
    """The entitled person's amount: the only member given a category (``veteran_decision``)."""
    return sum((line.amount or ZERO for line in decision.members if line.detail.get("category")), ZERO)


def _bring_up_to_date(e: Enrolment, entitlement: VeteranEntitlement, first: dt.date, last: dt.date, actor) -> int:
    """Record a change of amount in each month from ``first`` to ``last`` where the table in force differs from
    the amount history (the new table from 1 August), for a payment in force (the callers pass only active ones);
    an ended payment is left alone from the month it ended."""
    changes = list(e.changes.order_by("from_month", "id"))
    terms = [PrisonTerm(t.started_on, t.released_on) for t in entitlement.prison_terms.all()]
    recorded = 0
    month = first
    while month <= last:
        if any(c.kind == ChangeKind.TERMINATE and c.from_month <= month for c in changes):
            break
        if any(month_in_prison(term, month) for term in terms):  # suspended: never paid
            month = add_months(month, 1)
            continue
        current = amount_for(changes, month)  # a suspension recorded for a later month pays nothing: replaced
        wanted = table_amount(entitlement, month)
        if wanted is not None and current != wanted:
            changes.append(
                enrolment_change_record(
                    e, amount=wanted, month=month, actor=actor, reason=f"优抚标准调整：{month:%Y年%m月}起"
                )
            )
            changes.sort(key=lambda c: (c.from_month, c.id))  # a later change already recorded stays later
            recorded += 1
        month = add_months(month, 1)
    return recorded


def _check_account(bank_account: str, account_holder: str) -> tuple[str, str]:
    account = (bank_account or "").replace(" ", "")
    if account and not (account.isdigit() and 12 <= len(account) <= 30):
        raise ApplicationError("银行账号应为12至30位数字", "The account is 12 to 30 digits", field="bank_account")
    holder = text_clean(
        account_holder,
        field="account_holder",
        zh_label="账户名",
        en_label="Account holder",
        max_length=ACCOUNT_HOLDER_MAX,
    )
    if holder and not account:
        raise ApplicationError("填写账户名时须填写银行账号", "An account holder needs an account", field="bank_account")
    return account, holder


@action
def veteran_enter(
    *,
    actor,
    person: Person,
    category: str,
    grade: int | None,
    start_month: dt.date,
    cause: str | None = None,
    certificate_no: str = "",
    bank_account: str = "",
    account_holder: str = "",
) -> VeteranEntitlement:
    """The township enters an entitled person (procedure step 1); the county approves it (``veteran_decide``)."""
    perm_require(actor, Perm.CASE_CREATE)
    membership = Membership.objects.filter(person=person, end_date__isnull=True).select_related("household").first()
    if membership is None or not covers(actor, membership.household.area_id):
        raise NotFound(field="person")
    if category not in CATEGORY_CODES:
        raise ApplicationError("请选择优抚类别", "Choose the category", field="category")
    if category == "disabled":
        grade, cause = disabled_check(grade, cause)
    elif grade not in (None, ""):
        raise ApplicationError("只有残疾军人填写伤残等级", "Only a disabled serviceman has a grade", field="grade")
    elif cause not in (None, ""):
        raise ApplicationError("只有残疾军人填写伤残性质", "Only a disabled serviceman has a cause", field="cause")
    else:
        grade, cause = None, ""
    start = month_start(
        date_range_check(start_month, field="start_month", zh_label="发放起始月", en_label="Start month")
    )
    certificate = text_clean(
        certificate_no, field="certificate_no", zh_label="证件编号", en_label="Certificate", max_length=40
    )
    account, holder = _check_account(bank_account, account_holder)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.deceased or person.died_on:
        raise ApplicationError("此人已登记死亡", "The person is recorded as dead", field="person")
    if VeteranEntitlement.objects.filter(person=person).exclude(state=VeteranState.REFUSED).exists():
        raise Conflict("此人已登记为优抚对象", "Already on the veterans' roster", field="person")
    entitlement = VeteranEntitlement.objects.create(
        person=person,
        household=membership.household,
        area_code=membership.household.area_id,
        category=category,
        grade=grade,
        cause=cause,
        certificate_no=certificate,
        start_month=start,
        bank_account=account,
        account_holder=holder,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=VeteranEvent.ENTER,
        target=entitlement,
        area_code=entitlement.area_code,
        household_id=entitlement.household_id,
        new={"person": person.pk, "category": category, "grade": grade, "cause": cause, "start_month": start},
    )
    return entitlement


def _locked(actor, entitlement: VeteranEntitlement) -> VeteranEntitlement:
    perm_require(actor, Perm.CASE_DECIDE)
    if not covers(actor, entitlement.area_code):
        raise NotFound(field="entitlement")
    return VeteranEntitlement.objects.select_for_update().select_related("household", "person").get(pk=entitlement.pk)


@action
def veteran_decide(
    *, actor, entitlement: VeteranEntitlement, approve: bool, on: dt.date, reason: str = ""
) -> VeteranEntitlement:
    """The county approves (or refuses, with the reason) an entered person. Approval of a monthly category puts
    it into payment from its start month (paid as arrears for past months by the next payroll)."""
    v = _locked(actor, entitlement)
    ensure_not_maker(actor, v.created_by_id, what="entitlement")
    if v.state != VeteranState.PENDING:
        raise Conflict("已审批", "Already decided", field="entitlement")
    date_range_check(on, field="on", zh_label="审批日期", en_label="Decision date")
    if not approve:
        v.refusal_reason = text_clean(
            reason, field="reason", zh_label="不予批准理由", en_label="Reason", max_length=200, required=True
        )
        v.state, v.decided_by = VeteranState.REFUSED, actor
        v.save(update_fields=["state", "decided_by", "refusal_reason"])
    else:
        if amount_param(v.category, v.grade, v.cause or None) is not None:
            decision = veteran_decision(v, v.start_month)
            amount = _person_line(decision)
            if amount <= 0:
                reasons = "；".join(r["zh"] for r in decision.reasons_ineligible) or "本月没有可发放的金额"
                raise ApplicationError(f"不能纳入发放：{reasons}", "Nothing to pay", field="start_month")
            v.enrolment = grant_record(
                actor=actor,
                programme=PROGRAMME,
                household=v.household,
                person=v.person,
                on=on,
                month=v.start_month,
                amount=amount,
                decision=decision.as_dict(),
                note=f"优抚对象：{entitlement_label(v)}",
            )
            _bring_up_to_date(v.enrolment, v, add_months(v.start_month, 1), month_start(_today()), actor)
        v.state, v.decided_by = VeteranState.APPROVED, actor
        v.save(update_fields=["state", "decided_by", "enrolment"])
    audit_record(
        actor=actor,
        action=VeteranEvent.DECIDE,
        target=v,
        area_code=v.area_code,
        household_id=v.household_id,
        new={"approved": bool(approve), "reason": v.refusal_reason, "start_month": v.start_month},
    )
    return v


@action
def veteran_correct(
    *, actor, entitlement: VeteranEntitlement, grade: int, cause: str, from_month: dt.date, reason: str
) -> VeteranEntitlement:
    """The county corrects a disabled serviceman's grade and cause of disability from ``from_month`` (the
    certificate read again, a reassessed grade, or the cause given to everyone entered before causes were
    recorded). An approved payment follows the table of the new cause and grade from that month to this one
    (prison months left unpaid): an increase for months already paid is paid as arrears by the next payroll, and
    what was paid beyond the new amount is recorded to recover. Pending, the entry is corrected before approval."""
    v = _locked(actor, entitlement)
    if v.category != "disabled":
        raise ApplicationError("只有残疾军人有伤残性质和等级", "Only a disabled serviceman has a cause", field="cause")
    if v.state == VeteranState.REFUSED:
        raise Conflict("已不予批准，不能更正", "Refused: nothing to correct", field="entitlement")
    grade, cause = disabled_check(grade, cause)
    month = month_start(
        date_range_check(from_month, field="from_month", zh_label="更正起始月", en_label="Corrected from")
    )
    today = month_start(_today())
    if month < v.start_month or month > today:
        raise ApplicationError(
            f"更正起始月应在发放起始月（{v.start_month:%Y-%m}）至本月之间",
            f"The month is from the start month ({v.start_month:%Y-%m}) to this month",
            field="from_month",
        )
    reason = text_clean(reason, field="reason", zh_label="更正理由", en_label="Reason", max_length=200, required=True)
    if (grade, cause) == (v.grade, v.cause):
        raise ApplicationError("伤残性质和等级与现登记的相同", "The cause and grade are as recorded", field="cause")
    old = {"grade": v.grade, "cause": v.cause}
    v.grade, v.cause = grade, cause
    v.save(update_fields=["grade", "cause"])
    recorded, overpaid = 0, ZERO
    if v.state == VeteranState.APPROVED and v.enrolment_id is not None:
        e = Enrolment.objects.select_for_update().get(pk=v.enrolment_id)
        shown, before = e.monthly_amount, overpaid_since(e, month)
        recorded = _bring_up_to_date(e, v, month, today, actor)
        if e.status == EnrolmentStatus.ACTIVE:
            e.monthly_amount = amount_for(list(e.changes.order_by("from_month", "id")), today)
        else:
            e.monthly_amount = shown  # suspended or ended: as it was until resumed
        e.save(update_fields=["monthly_amount"])
        overpaid = _recover(e, month, f"更正伤残性质和等级：{month:%Y年%m月}起", actor, already=before)
    audit_record(
        actor=actor,
        action=VeteranEvent.CORRECT,
        target=v,
        area_code=v.area_code,
        household_id=v.household_id,
        old=old,
        new={
            "grade": grade,
            "cause": cause,
            "month": month,
            "reason": reason,
            "changed": recorded,
            "overpaid": overpaid,
        },
    )
    return v


OWN_ACCOUNT_PAYEE = "付给本人账户的"  # how the notes of a veteran's new account name their lines


@dataclass
class AccountChange:
    """A veteran's own account changed, and what became of the payroll lines that pay them (``lines_pay_to``)."""

    entitlement: VeteranEntitlement
    lines: LinesMoved

    def notes(self) -> list[dict]:
        return self.lines.notes(to_zh=OWN_ACCOUNT_PAYEE)


@action
def veteran_account_change(
    *, actor, entitlement: VeteranEntitlement, bank_account: str, account_holder: str, reason: str
) -> AccountChange:
    """The county records the person's new own account (a new bank card, a bank closed): the monthly payment and
    the one-off grants are paid to it from the next payroll generated, and the lines of draft veterans' payrolls
    take it now; lines a checker or approver has seen keep the old one and are counted, as for a funeral home's
    account (``payees.lines_pay_to``). The audit event holds the old and new account masked, and the reason."""
    v = _locked(actor, entitlement)
    if v.state == VeteranState.REFUSED:
        raise Conflict("已不予批准，不能修改收款账户", "Refused: no account to change", field="entitlement")
    if not (bank_account or "").strip():
        raise ApplicationError("请填写新的银行账号", "Enter the new account", field="bank_account")
    account, holder = _check_account(bank_account, account_holder)
    holder = holder or v.person.name
    reason = text_clean(reason, field="reason", zh_label="变更原因", en_label="Reason", max_length=200, required=True)
    if (account, holder) == (v.bank_account, v.account_holder or v.person.name):
        raise ApplicationError(
            "银行账号和账户名与现登记的相同", "The account and holder are as recorded", field="bank_account"
        )
    # masked, and the holder only as changed or not: the audit holds references, not the personal data
    old = {"bank_account": account_mask(v.bank_account) if v.bank_account else ""}
    holder_changed = holder != (v.account_holder or v.person.name)
    v.bank_account, v.account_holder = account, holder
    v.save(update_fields=["bank_account", "account_holder"])
    enrolments = [v.enrolment_id, *v.grants.values_list("enrolment_id", flat=True)]
    moved = lines_pay_to(
        PayrollLine.objects.filter(enrolment_id__in=[e for e in enrolments if e], payroll__programme_id=PROGRAMME),
        account,
        holder,
    )
    audit_record(
        actor=actor,
        action=VeteranEvent.ACCOUNT,
        target=v,
        area_code=v.area_code,
        household_id=v.household_id,
        old=old,
        new={
            "bank_account": account_mask(account),
            "holder_changed": holder_changed,
            "reason": reason,
            **moved.audited(),
        },
    )
    return AccountChange(entitlement=v, lines=moved)


def _recover(e: Enrolment, month: dt.date, reason: str, actor, *, already: Decimal = ZERO) -> Decimal:
    """Record to recover what was paid for ``month`` and later beyond the amount history now (less ``already``,
    what was overpaid before this change); the amount recorded, or 0."""
    overpaid = overpaid_since(e, month) - already
    if overpaid > 0:
        Overpayment.objects.create(enrolment=e, amount=overpaid, reason=reason, created_by=actor)
    return overpaid


def _live_enrolment(v: VeteranEntitlement, *, status: str) -> Enrolment:
    if v.state != VeteranState.APPROVED or v.enrolment_id is None:
        raise ApplicationError("此人没有按月发放的优抚金", "No monthly payment to change", field="entitlement")
    e = Enrolment.objects.select_for_update().get(pk=v.enrolment_id)
    if e.status != status:
        zh = {"active": "优抚金不在发放中", "suspended": "优抚金没有中止"}[status]
        raise Conflict(zh, "Not in that state", field="entitlement")
    return e


@action
def veteran_suspend(
    *, actor, entitlement: VeteranEntitlement, started_on: dt.date, note: str = ""
) -> VeteranPrisonTerm:
    """A prison term began on ``started_on``: nothing is paid from that month until the month after release.
    Recorded late, the months already paid are an overpayment to recover."""
    v = _locked(actor, entitlement)
    started_on = date_range_check(started_on, field="started_on", zh_label="服刑起始日期", en_label="Start")
    if started_on > _today():
        raise ApplicationError("服刑起始日期不能晚于今天", "The start is in the future", field="started_on")
    note = text_clean(note, field="note", zh_label="说明", en_label="Note", max_length=200)
    e = _live_enrolment(v, status=EnrolmentStatus.ACTIVE)
    month = max(month_start(started_on), e.start_month)
    last = v.prison_terms.order_by("-released_on").first()
    if last is not None and last.released_on and started_on <= last.released_on:
        raise ApplicationError("与上一次服刑期间重叠", "Overlaps the previous term", field="started_on")
    term = VeteranPrisonTerm.objects.create(entitlement=v, started_on=started_on, note=note, created_by=actor)
    later = list(
        e.changes.filter(from_month__gt=month).exclude(kind__in=NO_PAYMENT).values_list("from_month", flat=True)
    )
    reason = f"服刑期间中止抚恤：{started_on:%Y-%m-%d}起"
    for from_month in [month, *sorted(set(later))]:  # a change recorded for a later month must not pay either
        enrolment_change_record(
            e,
            amount=e.monthly_amount,
            month=from_month,
            actor=actor,
            reason=reason,
            status=EnrolmentStatus.SUSPENDED,
            kind=ChangeKind.SUSPEND,
        )
    overpaid = _recover(e, month, reason, actor)
    audit_record(
        actor=actor,
        action=VeteranEvent.SUSPEND,
        target=v,
        area_code=v.area_code,
        household_id=v.household_id,
        new={"started_on": started_on, "month": month, "overpaid": overpaid, "note": note},
    )
    return term


@action
def veteran_resume(*, actor, entitlement: VeteranEntitlement, released_on: dt.date) -> Enrolment:
    """Released on ``released_on``: paid again from the month after, at the table in force then (and each later
    table); the months inside, the month of release included, are never paid."""
    v = _locked(actor, entitlement)
    released_on = date_range_check(released_on, field="released_on", zh_label="刑满释放日期", en_label="Released on")
    if released_on > _today():
        raise ApplicationError("释放日期不能晚于今天", "The release is in the future", field="released_on")
    term = v.prison_terms.select_for_update().filter(released_on__isnull=True).first()
    if term is None:
        raise Conflict("没有未结束的服刑期间", "No open prison term", field="entitlement")
    if released_on < term.started_on:
        raise ApplicationError("释放日期不能早于服刑起始日期", "Before the term began", field="released_on")
    e = _live_enrolment(v, status=EnrolmentStatus.SUSPENDED)
    term.released_on = released_on
    term.save(update_fields=["released_on"])
    month = add_months(month_start(released_on), 1)
    amount = table_amount(v, month)
    enrolment_change_record(
        e,
        amount=amount,
        month=month,
        actor=actor,
        reason=f"刑满释放（{released_on:%Y-%m-%d}），{month:%Y年%m月}起恢复",
        status=EnrolmentStatus.ACTIVE,
        kind=ChangeKind.RESUME,
    )
    _bring_up_to_date(e, v, add_months(month, 1), month_start(_today()), actor)
    audit_record(
        actor=actor,
        action=VeteranEvent.RESUME,
        target=v,
        area_code=v.area_code,
        household_id=v.household_id,
        new={"released_on": released_on, "month": month, "amount": amount},
    )
    return e


@dataclass
class UprateResult:
    month: dt.date
    changed: int = 0
    checked: int = 0


@action
def veterans_uprate(*, actor, month: dt.date, area_prefix: str | None = None) -> UprateResult:
    """Bring every monthly payment in the area to the table in force in ``month`` (a change from that month
    where it differs). Run again, it changes nothing. Payments suspended or ended are left alone."""
    perm_require(actor, Perm.CASE_DECIDE)
    prefix = actor.scope_prefix if area_prefix is None else area_prefix
    if not covers(actor, prefix):
        raise NotFound(field="area")
    month = month_start(date_range_check(month, field="month", zh_label="月份", en_label="Month"))
    result = UprateResult(month=month)
    rows = (
        VeteranEntitlement.objects.filter(
            area_code__startswith=prefix, state=VeteranState.APPROVED, enrolment__status=EnrolmentStatus.ACTIVE
        )
        .select_related("enrolment")
        .order_by("enrolment_id")
    )
    locked = {e.pk: e for e in Enrolment.objects.filter(pk__in=rows.values("enrolment_id")).select_for_update()}
    for v in rows:
        result.checked += 1
        result.changed += _bring_up_to_date(locked[v.enrolment_id], v, month, month, actor)
    audit_record(
        actor=actor,
        action=VeteranEvent.UPRATE,
        kind=EventKind.BATCH,
        label=f"优抚标准调整 {month:%Y-%m}",
        area_code=prefix.ljust(12, "0")[:12] if prefix else "",
        new={"month": month, "changed": result.changed, "paid": result.checked},
    )
    return result


@dataclass
class GrantRunResult:
    kind: str
    year: int
    month: dt.date
    batch_id: str
    added: int = 0
    already: int = 0
    total: Decimal = ZERO


def grant_candidates(prefix: str, kind: str):
    """Approved entitlements in the area that ``kind`` applies to, alive, and not suspended or ended."""
    qs = VeteranEntitlement.objects.filter(
        area_code__startswith=prefix, state=VeteranState.APPROVED, person__deceased=False, person__died_on__isnull=True
    ).exclude(enrolment__status__in=[EnrolmentStatus.SUSPENDED, EnrolmentStatus.TERMINATED])
    categories = next(cats for code, *_rest, cats in GRANTS if code == kind)
    return qs.filter(category__in=categories) if categories else qs


@action
def veterans_grants_run(
    *, actor, kind: str, year: int, month: dt.date, area_prefix: str | None = None
) -> GrantRunResult:
    """The year's one-off grant of ``kind`` to everyone in the area it applies to, paid by the veterans' payroll
    of ``month`` (in the year, or the December before: the Spring Festival visit is often paid before the festival). One transaction (killed, nothing is left); once per person, kind and year (a constraint)."""
    perm_require(actor, Perm.CASE_DECIDE)
    prefix = actor.scope_prefix if area_prefix is None else area_prefix
    if not covers(actor, prefix):
        raise NotFound(field="area")
    if kind not in GRANT_CODES:
        raise ApplicationError("请选择补助类型", "Choose the kind of grant", field="kind")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ApplicationError("年度应为2000至2100", "The year is 2000 to 2100", field="year")
    month = month_start(date_range_check(month, field="month", zh_label="发放月份", en_label="Month"))
    if not (month.year == year or (month.year == year - 1 and month.month == 12)):
        raise ApplicationError(
            "发放月份应在补助年度内（或上年12月，如春节前慰问）",
            "The month is in the grant's year (or the December before, as a Spring Festival visit)",
            field="month",
        )
    param = next(p for code, _zh, _en, p, _cats in GRANTS if code == kind)
    params = params_in_force(PROGRAMME, month, prefix.ljust(12, "0")[:12] if prefix else None).values
    amount = params[param]
    if amount <= 0:
        raise ApplicationError(f"{month:%Y-%m}的{grant_label(kind)}标准为0", "The grant's amount is 0", field="kind")
    result = GrantRunResult(kind=kind, year=year, month=month, batch_id=str(uuid.uuid4()))
    granted = set(VeteranGrant.objects.filter(kind=kind, year=year).values_list("entitlement_id", flat=True))
    for v in grant_candidates(prefix, kind).select_related("household", "person").order_by("pk"):
        if not grant_applies(kind, v.category):
            continue
        if v.pk in granted:
            result.already += 1
            continue
        enrolment = grant_record(
            actor=actor,
            programme=PROGRAMME,
            household=v.household,
            person=v.person,
            on=month,
            month=month,
            amount=amount,
            decision={"programme": PROGRAMME, "grant": kind, "year": year, "amount": str(amount)},
            note=f"{year}年{grant_label(kind)}",
        )
        enrolment.end_month = month  # paid once, in this month
        enrolment.save(update_fields=["end_month"])
        VeteranGrant.objects.create(
            entitlement=v,
            kind=kind,
            year=year,
            month=month,
            amount=amount,
            enrolment=enrolment,
            batch_id=result.batch_id,
            created_by=actor,
        )
        result.added += 1
        result.total += amount
    audit_record(
        actor=actor,
        action=VeteranEvent.GRANTS,
        kind=EventKind.BATCH,
        label=f"{year}年{grant_label(kind)}",
        area_code=prefix.ljust(12, "0")[:12] if prefix else "",
        new={
            "kind": kind,
            "year": year,
            "month": month,
            "amount": amount,
            "grants": result.added,
            "already": result.already,
            "total": result.total,
            "batch_id": result.batch_id,
        },
    )
    return result


def veterans_payees(payroll: Payroll) -> int:
    """The veterans' payroll pays each person to their own account where one was given (the household's
    otherwise): called by payroll generation in its transaction, before the anomaly checks and the bank file."""
    own: dict[int, VeteranEntitlement] = {}
    for v in VeteranEntitlement.objects.filter(enrolment__payroll_lines__payroll=payroll):
        if v.bank_account:
            own[v.enrolment_id] = v
    for g in VeteranGrant.objects.filter(enrolment__payroll_lines__payroll=payroll).select_related("entitlement"):
        if g.entitlement.bank_account:
            own[g.enrolment_id] = g.entitlement
    changed = []
    for line in PayrollLine.objects.filter(payroll=payroll, enrolment_id__in=own).select_related("enrolment__person"):
        v = own[line.enrolment_id]
        line.account = v.bank_account
        line.account_holder = v.account_holder or line.enrolment.person.name
        changed.append(line)
    PayrollLine.objects.bulk_update(changed, ["account", "account_holder"], batch_size=500)
    return len(changed)
