"""Grants of the programmes beyond dibao and tekun, and the old-age allowance roster (docs/programmes.md).

A grant records the decision as an approved case with its explanation, and an enrolment with its amount history
from the month the programme's procedure says it pays from (its shape's ``pays_from``): a monthly programme
until it ends, a one-off payment for that one month. The payroll (doudi/payments) pays both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.cases.actions.enrolments import enrolment_change_record, enrolment_terminate
from doudi.cases.amounts import amount_for
from doudi.cases.models import (
    LIVE_STATUSES,
    Case,
    CaseKind,
    CaseState,
    ChangeKind,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    ReviewCategory,
)
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.core.idnumber import account_mask
from doudi.core.money import ZERO, add_months, month_start
from doudi.core.validation import date_range_check, text_clean
from doudi.payments.models import ACCOUNT_HOLDER_MAX
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.decision import Decision
from doudi.programmes.rules.inputs import HouseholdInput
from doudi.programmes.rules.registry_input import household_inputs
from doudi.programmes.selectors import params_in_force
from doudi.programmes.shapes import SHAPES
from doudi.registry.models import Household, Membership, Person

from .events import BenefitEvent
from .models import FuneralHome, Payee
from .payees import LinesMoved, home_lines_update
from .rosters import roster_lines_sync

# The programmes granted here (the others, dibao and tekun, are decided through the case procedure).
GRANTED = tuple(code for code, s in SHAPES.items() if not s.procedure.through_case)


def first_paid_month(programme: str, on: dt.date, applied_on: dt.date | None = None) -> dt.date:
    """The month a grant decided on ``on`` is first paid, from the programme's procedure (``pays_from``): the month
    after the decision, or the month of application (``applied_on``; the decision's own month when it is not
    given), or the decision's month (once, birthday_month)."""
    pays_from = SHAPES[programme].procedure.pays_from
    if pays_from == "month_after_approval":
        return add_months(on, 1)
    if pays_from == "month_of_application" and applied_on is not None:
        return month_start(applied_on)
    return month_start(on)


def applied_on_check(programme: str, applied_on: dt.date | None, on: dt.date) -> dt.date | None:
    """The application date of a grant decided on ``on``, checked: only a programme paid from the month of
    application takes one (domain.md §5c), on or before the decision."""
    if applied_on is None:
        return None
    if SHAPES[programme].procedure.pays_from != "month_of_application":
        raise ApplicationError(
            "申请日期：此项目不按申请月发放，无需填写",
            "Application date: this programme is not paid from the month of application",
            field="applied_on",
        )
    date_range_check(applied_on, field="applied_on", zh_label="申请日期", en_label="Application date")
    if applied_on > on:
        raise ApplicationError(
            f"申请日期 {applied_on:%Y-%m-%d} 不能晚于决定日期 {on:%Y-%m-%d}",
            f"The application date {applied_on:%Y-%m-%d} is after the decision date {on:%Y-%m-%d}",
            field="applied_on",
        )
    return applied_on


def _back_months(programme, facts_in, person: Person, first: dt.date, decided: dt.date, amount: Decimal):
    """What each month from the month of application ``first`` to the decision's month ``decided`` pays: the rules
    on that month's facts (``facts_in(month)``) and parameters, the decision's ``amount`` in its own month. The
    list starts at the first month that pays anything (a month before it pays nothing, so payment starts there)."""
    schedule = []
    for m in _months(first, add_months(decided, -1)):
        facts = facts_in(m)
        try:
            decision = evaluate(programme, facts, m)
        except ApplicationError:  # no parameters in force yet that month: nothing was due
            schedule.append((m, ZERO))
            continue
        line = next((x for f, x in zip(facts.members, decision.members) if f.person_id == person.pk), None)
        got = line.amount if decision.eligible and line is not None and line.amount else ZERO
        schedule.append((m, max(got, ZERO)))
    schedule.append((decided, amount))
    while schedule and schedule[0][1] <= 0:
        schedule.pop(0)
    return schedule


def _months(first: dt.date, last: dt.date):
    m = month_start(first)
    while m <= last:
        yield m
        m = add_months(m, 1)


def grant_record(
    *,
    actor,
    programme,
    household: Household,
    person: Person,
    on,
    month,
    amount,
    decision: dict,
    note="",
    area_code="",
    case: Case | None = None,
):
    """The approved case and the enrolment with its first change, for an action that has checked the grant;
    inside the calling action's transaction. ``area_code``: the area that handles and pays it when it is not the
    household's (temporary assistance applied for where the hardship happened). ``case``: the application being
    approved (a child's, children_applications.py), approved here instead of a new case."""
    once = SHAPES[programme].payment == "once"
    area_code = area_code or household.area_id
    decided = {
        "state": CaseState.APPROVED,
        "state_since": on,
        "decided_by": actor,
        "decided_on": on,
        "decision_amount": amount,
        "decision_explanation": decision,  # the whole decision, as a procedure's case keeps it (explanation inside)
        "payment_start": month,
    }
    if case is None:
        case = Case.objects.create(
            kind=CaseKind.NEW,
            programme_id=programme,
            household=household,
            applicant=person,
            area_code=area_code,
            created_by=actor,
            accepted_on=on,
            **decided,
        )
    else:
        for name, value in {**decided, "step_due": None, "total_due": None}.items():
            setattr(case, name, value)
        case.save()
    enrolment = Enrolment.objects.create(
        programme_id=programme,
        household=household,
        person=person,
        case=case,
        area_code=area_code,
        status=EnrolmentStatus.ACTIVE,
        start_month=month,
        end_month=month if once else None,
        monthly_amount=amount,
        counted_members=1,
        review_category=ReviewCategory.STABLE,
        next_review_due=add_months(month, 12),
    )
    EnrolmentChange.objects.create(
        enrolment=enrolment,
        kind=ChangeKind.START,
        from_month=month,
        old_amount=None,
        new_amount=amount,
        reason=(note or SHAPES[programme].name_zh)[:200],
        case=case,
        actor=actor,
    )
    return enrolment


def _check_grant(actor, programme: str, household: Household, person: Person):
    perm_require(actor, Perm.CASE_DECIDE)
    if programme not in GRANTED:
        raise ApplicationError(
            f"{programme} 须经审核审批程序办理", f"{programme} is decided through the case procedure", field="programme"
        )
    if not covers(actor, household.area_id):
        raise NotFound(field="household")
    if not Membership.objects.filter(household=household, person=person, end_date__isnull=True).exists():
        raise ApplicationError("此人不是该户现有成员", "The person is not a current member", field="person")


def _check_eligible(decision: Decision):
    if not decision.eligible:
        reasons = "；".join(r["zh"] for r in decision.reasons_ineligible) or "不符合条件"
        raise ApplicationError(f"不符合条件：{reasons}", "Not eligible", field="programme", code="not_eligible")


def _member_amount(decision: Decision, facts: HouseholdInput, person: Person) -> Decimal:
    """A grant's amount: the person's own line for a programme paid per person each month, else the amount."""
    if SHAPES[decision.programme].payment == "once":
        return decision.amount
    for member, line in zip(facts.members, decision.members, strict=True):
        if member.person_id == person.pk and line.amount is not None and line.amount > 0:
            return line.amount
    raise ApplicationError("此人没有可发放的金额", "Nothing to pay this person", field="person", code="not_eligible")


def funeral_death_unrecorded() -> ApplicationError:
    """The refusal of a funeral waiver for a person whose death is not recorded (the pages show it with a link to
    the person's page, where the death is reported)."""
    return ApplicationError(
        "逝者尚未登记死亡：请先在其个人页面登记死亡（各救助项目同时处理），再办理殡葬费用减免",
        "The death is not recorded yet: record it on the person's page first (it acts on every programme)",
        field="person",
        code="death_unrecorded",
    )


def funeral_already_waived() -> Conflict:
    """The refusal of a second funeral waiver for the same deceased (domain.md §5d: one waiver per deceased)."""
    return Conflict(
        "每位逝者只减免一次，已办理过殡葬费用减免",
        "One waiver per deceased: already waived",
        field="person",
        code="already_waived",
    )


def _funeral_death(person: Person, facts: HouseholdInput, on: dt.date) -> dt.date | None:
    """A funeral waiver is for a death already recorded (the death report acts on every other programme at once:
    life.person_death_record, by the township). A death recorded before dates were kept gets its date from the
    funeral's facts; returns that date, if it was set here."""
    member = next((m for m in facts.members if m.person_id == person.pk), None)
    died_on = member.died_on if member else None
    person = Person.objects.get(pk=person.pk)  # as recorded now, not as the caller last read it
    if died_on is not None and person.died_on is not None and died_on != person.died_on:
        raise ApplicationError(
            f"死亡日期与登记的 {person.died_on:%Y-%m-%d} 不一致",
            f"The date of death differs from the one recorded, {person.died_on:%Y-%m-%d}",
            field="died_on",
        )
    if person.died_on is None and died_on is not None:
        if not person.birth_date <= died_on <= on:
            raise ApplicationError(
                "死亡日期应在出生日期和决定日期之间", "The date of death is out of range", field="died_on"
            )
        Person.objects.filter(pk=person.pk).update(died_on=died_on)  # audited with the grant
        return died_on
    return None


def _funeral_check(person: Person, funeral_home: FuneralHome | None) -> None:
    """Before the rules decide a funeral waiver: the funeral home named, no waiver yet for the deceased, and the
    death recorded. The person's row is locked first, so two grants at the same time cannot both pass."""
    if funeral_home is None:
        raise ApplicationError("须选择殡仪馆（减免款付给殡仪馆）", "Choose the funeral home", field="funeral_home")
    deceased = Person.objects.select_for_update().filter(pk=person.pk).values_list("deceased", flat=True).first()
    if Enrolment.objects.filter(programme_id="funeral", person=person).exists():
        raise funeral_already_waived()
    if not deceased:
        raise funeral_death_unrecorded()


@action
def benefit_grant(
    *,
    actor,
    programme: str,
    household: Household,
    person: Person,
    on: dt.date,
    facts: HouseholdInput,
    funeral_home: FuneralHome | None = None,
    note: str = "",
    applied_on: dt.date | None = None,
    facts_in=None,
    case: Case | None = None,
) -> Enrolment:
    """Approve a programme for a person on ``on`` and put it in payment: the policy engine decides on ``facts``
    (the household as the registry holds it — ``registry_input.household_input`` — with the event or the facts the
    registry does not hold: a hardship, a claim, the funeral's services, the parents' situations). Paid monthly
    from the month its procedure says, or once (temporary, medical, funeral). A funeral waiver is paid to
    ``funeral_home`` and only once per deceased; a monthly programme once per person at a time.

    A programme paid from the month of application (the disability subsidies, domain.md §5c) takes the date the
    person applied, ``applied_on``: it is paid from that month, each month before the decision's at the amount the
    rules give on that month's facts (``facts_in(month)``: the household then, e.g. on dibao or not; ``facts`` when
    not given) and parameters, from the first month that pays anything; the next payroll pays those months as
    arrears (doudi/payments/generation.py pays every month from the start not yet paid)."""
    date_range_check(on, field="on", zh_label="决定日期", en_label="Decision date")
    applied_on = applied_on_check(programme, applied_on, on)
    _check_grant(actor, programme, household, person)
    if facts.household_id != household.pk:
        raise ApplicationError(
            "测算所用的家庭与申请家庭不一致", "The facts are of another household", field="household"
        )
    if programme == "funeral":
        _funeral_check(person, funeral_home)
    decision = evaluate(programme, facts, on)
    _check_eligible(decision)
    note = text_clean(note, field="note", zh_label="说明", en_label="Note", max_length=150) if note else ""
    month = first_paid_month(programme, on, applied_on)
    dated = None
    amount = _member_amount(decision, facts, person)
    schedule = []
    if month < month_start(on):
        schedule = _back_months(programme, facts_in or (lambda m: facts), person, month, month_start(on), amount)
        month = schedule[0][0]
    existing = Enrolment.objects.filter(programme_id=programme, person=person)
    if programme == "funeral":
        dated = _funeral_death(person, facts, on)
    elif (
        SHAPES[programme].payment == "monthly"
        and existing.filter(
            status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED, EnrolmentStatus.GRADUAL_EXIT]
        ).exists()
    ):
        raise Conflict("此人已在发放此项目", "Already receives this programme", field="person")
    enrolment = grant_record(
        actor=actor,
        programme=programme,
        household=household,
        person=person,
        on=on,
        month=month,
        amount=amount,
        decision=decision.as_dict(),
        note=note,
        case=case,
    )
    in_force = amount
    for m, owed in schedule:
        if owed != in_force:  # a month before the decision paid another amount (e.g. not yet on dibao)
            enrolment_change_record(
                enrolment, amount=owed, month=m, actor=actor, reason="按申请当月起各月情况核定（补发）"
            )
            in_force = owed
    if funeral_home is not None:
        Payee.objects.create(enrolment=enrolment, funeral_home=funeral_home)
    audit_record(
        actor=actor,
        action=BenefitEvent.GRANT,
        target=enrolment,
        area_code=household.area_id,
        household_id=household.pk,
        new={
            "programme": programme,
            "person": person.pk,
            "amount": amount,
            "month": month,
            **({"applied_on": applied_on, "arrears_months": len(schedule) - 1} if applied_on else {}),
            "once": SHAPES[programme].payment == "once",
            "payee": funeral_home.name if funeral_home else "household",
            **({"died_on": dated} if dated else {}),
        },
    )
    return enrolment


def _funeral_home_fields(
    *, name: str, bank_account: str, account_holder: str, other_than: FuneralHome | None = None
) -> tuple[str, str, str]:
    """A funeral home's name, account and holder as typed, cleaned, or the refusal naming the field: the name
    (at most 100 characters) not another home's (``other_than``: the home being changed), the holder (at most
    ``ACCOUNT_HOLDER_MAX``: a payroll line carries it into the bank file), the account 12 to 30 digits
    once its spaces are taken out."""
    name = text_clean(name, field="name", zh_label="殡仪馆名称", en_label="Name", max_length=100, required=True)
    holder = text_clean(
        account_holder,
        field="account_holder",
        zh_label="账户名",
        en_label="Account holder",
        max_length=ACCOUNT_HOLDER_MAX,
        required=True,
    )
    account = (bank_account or "").replace(" ", "")
    if not (account.isdigit() and 12 <= len(account) <= 30):
        raise ApplicationError("银行账号应为12至30位数字", "The account is 12 to 30 digits", field="bank_account")
    others = FuneralHome.objects.filter(name=name)
    if other_than is not None:
        others = others.exclude(pk=other_than.pk)
    if others.exists():
        raise Conflict("已有同名殡仪馆", "A funeral home of that name exists", field="name")
    return name, account, holder


@action
def funeral_home_create(*, actor, name: str, area_code: str, bank_account: str, account_holder: str) -> FuneralHome:
    perm_require(actor, Perm.CASE_DECIDE)
    if not covers(actor, area_code):
        raise NotFound(field="area_code")
    name, account, holder = _funeral_home_fields(name=name, bank_account=bank_account, account_holder=account_holder)
    home = FuneralHome.objects.create(name=name, area_code=area_code, bank_account=account, account_holder=holder)
    audit_record(
        actor=actor, action=BenefitEvent.FUNERAL_HOME_CREATE, target=home, area_code=area_code, new={"name": name}
    )
    return home


FUNERAL_HOME_PAYEE = "付给该殡仪馆的"  # how the notes of a funeral home's new account name its lines


@dataclass
class FuneralHomeUpdate:
    """A funeral home changed, and what became of the payroll lines that pay it (``payees.lines_pay_to``)."""

    home: FuneralHome
    changed: list[str]  # the fields changed: name, bank_account, account_holder
    lines: LinesMoved = field(default_factory=LinesMoved)

    def notes(self) -> list[dict]:
        return self.lines.notes(to_zh=FUNERAL_HOME_PAYEE)


@action
def funeral_home_update(
    *, actor, home: FuneralHome, name: str | None, bank_account: str | None, account_holder: str | None
) -> FuneralHomeUpdate:
    """Rename a funeral home or change its account or holder (None: as the locked row has it — the page's account
    box left empty, a field the API's caller left out). The county approver, or a township's for its own
    township's homes: a home of an area above the account's is seen and chosen, never changed, and answers as
    missing. The same checks as adding one; a change that changes nothing is refused. A new account or holder
    reaches the lines of draft funeral payrolls that pay the home, not those a checker or approver has already
    seen (docs/programmes.md, "Basic funeral fee waiver"). The audit event holds the old and new name, holder and
    account, the account masked."""
    perm_require(actor, Perm.CASE_DECIDE)
    home = FuneralHome.objects.select_for_update().filter(pk=home.pk).first()
    if home is None or not covers(actor, home.area_code):
        raise NotFound(field="funeral_home")
    name, account, holder = _funeral_home_fields(
        name=home.name if name is None else name,
        bank_account=home.bank_account if bank_account is None else bank_account,
        account_holder=home.account_holder if account_holder is None else account_holder,
        other_than=home,
    )
    before = {"name": home.name, "bank_account": home.bank_account, "account_holder": home.account_holder}
    after = {"name": name, "bank_account": account, "account_holder": holder}
    changed = [k for k in after if after[k] != before[k]]
    if not changed:
        raise ApplicationError(
            "没有修改任何内容（名称、银行账号和账户名与原来相同）",
            "Nothing was changed: the name, account and holder are as they were",
            code="unchanged",
        )
    home.name, home.bank_account, home.account_holder = name, account, holder
    home.save(update_fields=["name", "bank_account", "account_holder"])
    result = FuneralHomeUpdate(home=home, changed=changed)
    if "bank_account" in changed or "account_holder" in changed:
        result.lines = home_lines_update(home)
    audit_record(
        actor=actor,
        action=BenefitEvent.FUNERAL_HOME_UPDATE,
        target=home,
        area_code=home.area_code,
        old={**before, "bank_account": account_mask(before["bank_account"])},  # never the full account
        new={
            **after,
            "bank_account": account_mask(account),
            **result.lines.audited(),
        },
    )
    return result


@dataclass
class RosterResult:
    month: dt.date
    added: int = 0
    changed: int = 0
    stopped: int = 0
    paid: int = 0
    total: Decimal = ZERO
    added_people: list[int] = field(default_factory=list)


@action
def elderly_roster_build(*, actor, month: dt.date, area_prefix: str | None = None) -> RosterResult:
    """The old-age allowance roster for ``month`` from the registry (domain.md §5a): everyone whose birthday
    reaching the first bracket falls in or before the month is evaluated; a new 80-year-old is enrolled in the
    birthday month, a bracket reached or December's remainder becomes a change of amount from the month, and a
    death (or a move out of the area) stops payment from the month. Each village's roster for the month then holds
    the people paid, for the village to confirm before the payroll pays them (rosters.py). Rerun for the same
    month, it changes nothing."""
    perm_require(actor, Perm.CASE_DECIDE)
    prefix = actor.scope_prefix if area_prefix is None else area_prefix
    if not covers(actor, prefix):
        raise NotFound(field="area")
    month = date_range_check(month_start(month), field="month", zh_label="名册月份", en_label="Month")
    params = params_in_force("elderly", month, area=prefix.ljust(12, "0") if prefix else None).values
    last_birth = add_months(dt.date(month.year - params["age_1"], month.month, 1), 1)  # born before this
    households = list(
        Household.objects.filter(
            area__code__startswith=prefix,
            memberships__end_date__isnull=True,
            memberships__person__birth_date__lt=last_birth,
        )
        .distinct()
        .defer("phone", "bank_account")  # sealed, and not needed to enrol
        .order_by("pk")
    )
    wanted: dict[int, tuple[Household, Person, Decimal, dict]] = {}
    inputs = household_inputs(households)
    for h, hin in zip(households, inputs, strict=True):
        d = evaluate("elderly", hin, month)
        for member, line in zip(hin.members, d.members, strict=True):
            if line.amount and line.amount > 0:
                wanted[member.person_id] = (h, member.person_id, line.amount, d.as_dict())
    # only to enrol the new ones: their sealed columns are left unread (each costs a decryption)
    people = Person.objects.defer("id_number", "disability_card", "diagnosis").in_bulk([w[1] for w in wanted.values()])
    result = RosterResult(month=month)
    active = {
        e.person_id: e
        for e in Enrolment.objects.filter(
            programme_id="elderly", area_code__startswith=prefix, status=EnrolmentStatus.ACTIVE
        ).select_for_update()
    }
    changes: dict[int, list] = {}
    for c in EnrolmentChange.objects.filter(enrolment__in=active.values()).order_by("from_month", "id"):
        changes.setdefault(c.enrolment_id, []).append(c)
    paid: list[tuple[Enrolment, Decimal]] = []
    for person_id, (h, _pid, amount, decision) in sorted(wanted.items()):
        enrolment = active.get(person_id)
        if enrolment is None:
            if Enrolment.objects.filter(programme_id="elderly", person_id=person_id, start_month=month).exists():
                continue  # enrolled this month and already stopped: a rerun leaves it
            enrolment = grant_record(
                actor=actor,
                programme="elderly",
                household=h,
                person=people[person_id],
                on=month,
                month=month,
                amount=amount,
                decision=decision,
                note="高龄津贴名册：年满规定年龄当月纳入",
            )
            result.added += 1
            result.added_people.append(person_id)
        elif amount_for(changes.get(enrolment.pk, []), month) != amount:
            enrolment_change_record(
                enrolment, amount=amount, month=month, actor=actor, reason=f"高龄津贴名册：{month:%Y年%m月}金额"
            )
            result.changed += 1
        result.paid += 1
        result.total += amount
        paid.append((enrolment, amount))
    for person_id, enrolment in active.items():
        if person_id not in wanted and enrolment.start_month <= month:
            enrolment.end_month = add_months(month, -1)
            enrolment_change_record(
                enrolment,
                amount=ZERO,
                month=month,
                actor=actor,
                reason="高龄津贴名册：死亡或迁出，停发",
                status=EnrolmentStatus.TERMINATED,
                kind=ChangeKind.TERMINATE,
            )
            result.stopped += 1
    synced = roster_lines_sync(month=month, prefix=prefix, paid=paid)
    audit_record(
        actor=actor,
        action=BenefitEvent.ROSTER_BUILD,
        kind=EventKind.BATCH,
        label=f"高龄津贴名册 {month:%Y-%m}",
        area_code=prefix.ljust(12, "0")[:12] if prefix else "",
        new={
            "month": month,
            "added": result.added,
            "changed": result.changed,
            "stopped": result.stopped,
            "paid": result.paid,
            "total": result.total,
            "rosters": synced.rosters,
            "lines_added": synced.lines_added,
            "lines_removed": synced.lines_removed,
            "reopened": synced.reopened,
        },
    )
    return result


@action
def benefit_stop(*, actor, enrolment: Enrolment, month: dt.date, reason: str, on: dt.date) -> Enrolment:
    """Stop a granted monthly programme (old-age allowance, disability subsidies, children's allowance) from
    ``month``: the last month paid is the one before; the ending is publicly noticed [D21 §28] and audited."""
    perm_require(actor, Perm.CASE_DECIDE)
    if not covers(actor, enrolment.area_code):
        raise NotFound(field="enrolment")
    if enrolment.programme_id not in GRANTED or SHAPES[enrolment.programme_id].payment != "monthly":
        raise ApplicationError(
            "此项目须经审核审批程序或变化报告终止",
            "This programme ends through its procedure or a change report",
            field="enrolment",
        )
    reason = text_clean(reason, field="reason", zh_label="停发理由", en_label="Reason", max_length=100, required=True)
    month = month_start(date_range_check(month, field="month", zh_label="停发起始月", en_label="Month"))
    e = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if e.status not in LIVE_STATUSES:
        raise Conflict("该项目已停发", "Already stopped", field="enrolment")
    if month < e.start_month:
        raise ApplicationError("停发月份不能早于开始发放的月份", "Before payment started", field="month")
    enrolment_terminate(e, month=month, on=on, actor=actor, reason=f"停发：{reason}")
    audit_record(
        actor=actor,
        action=BenefitEvent.STOP,
        target=e,
        area_code=e.area_code,
        household_id=e.household_id,
        new={"programme": e.programme_id, "month": month, "reason": reason},
    )
    return e
