"""The verification report of a case (核对报告, MZ/T 072: verify → report → review).

Per member of the household, per source: what the department's newest data says, the monthly income or the asset
derived from it beside what the household declared, and the discrepancy flagged. The caseworker confirms or
disputes each finding; a confirmed income becomes the household's income record in the registry (so the policy
engine reads it: the check verifies, it does not decide [domain.md §6]); the applicant may object with evidence,
and the township re-checks within DOUDI_VERIFICATION_RECHECK_DAYS working days — an objection upheld takes the
figure back out."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import get_actionable, perm_require
from doudi.audit.actions import audit_record
from doudi.cases.models import Case, Document
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.core.validation import text_clean
from doudi.core.workdays import add_working_days
from doudi.registry.actions import record_add, record_delete, record_update
from doudi.registry.models import BusinessRole, FinancialAsset, Home, Income, Membership, Vehicle

from .events import VerificationEvent
from .models import DatasetRecord, Finding, FindingObjection, FindingState
from .schemas import KINDS

TWO = Decimal("0.01")
ZERO = Decimal("0.00")

# department kind → the registry income kind its monthly figure is (what a confirmation writes)
FEEDS = {"wage": "wage", "state_payroll": "wage", "pension": "pension", "unemployment": "unemployment_benefit"}
MONTHLY_ELEMENT = {
    "wage": "monthly_wage",
    "state_payroll": "monthly_pay",
    "pension": "monthly_pension",
    "unemployment": "monthly_benefit",
}


@dataclass
class Derived:
    what: str
    found_monthly: Decimal | None = None
    found_asset: Decimal | None = None
    income_kind: str = ""


def record_values(record: DatasetRecord) -> dict:
    """Every element of a record: the readable ones and the sealed (decrypted) ones."""
    return {**record.values, **(json.loads(record.sealed) if record.sealed else {})}


def _money(v) -> Decimal:
    return Decimal(v) if v not in (None, "") else ZERO


def both(zh: str, en: str) -> str:
    """A text the system writes, kept in both languages ("中文 / English"; shown with ``said``)."""
    return f"{zh} / {en}"


def _words(code) -> str:
    return str(code or "").replace("_", " ")


def derive(kind: str, rows: list[dict]) -> Derived:
    """What one source's rows (one person, one load) mean for the household (rule by rule)."""
    spec = KINDS[kind]
    first = rows[0]
    if kind in MONTHLY_ELEMENT:
        amounts = [_money(r.get(MONTHLY_ELEMENT[kind])) for r in rows]
        # wages over several months are averaged (monthly income averaged over the period [D21 §13])
        monthly = (sum(amounts) / len(amounts)).quantize(TWO)
        zh, en = {
            "wage": ("工资", "Wage"),
            "state_payroll": ("财政供养人员工资", "State payroll pay"),
            "pension": ("养老金", "Pension"),
            "unemployment": ("失业保险金", "Unemployment benefit"),
        }[kind]
        n = len(rows)
        return Derived(
            both(
                f"{zh} {monthly} 元/月" + (f"（{n}个月平均）" if n > 1 else ""),
                f"{en} {monthly} yuan a month" + (f" (average of {n} months)" if n > 1 else ""),
            ),
            monthly,
            None,
            FEEDS[kind],
        )
    if kind == "tax":
        annual = sum(_money(r.get("annual_income")) for r in rows)
        monthly = (annual / 12).quantize(TWO)
        return Derived(
            both(
                f"{first.get('year')}年度个人所得税收入额 {annual} 元（折合 {monthly} 元/月）",
                f"Income taxed in {first.get('year')}: {annual} yuan ({monthly} a month)",
            ),
            monthly,
        )
    if kind == "housing_fund":
        deposit, balance = _money(first.get("monthly_deposit")), _money(first.get("balance"))
        return Derived(
            both(f"住房公积金月缴存 {deposit} 元", f"Housing fund deposits {deposit} yuan a month"), None, balance
        )
    if kind == "social_insurance":
        scheme = first.get("scheme")
        with_employer = bool(first.get("employer"))
        return Derived(
            both(
                f"{dict(spec.element('scheme').choices).get(scheme, '')}缴费（{'单位参保' if with_employer else '个人缴费'}，{first.get('period')}）",
                f"Contributions, {_words(scheme)} ({'through an employer' if with_employer else 'own'}, {first.get('period')})",
            )
        )
    if kind == "real_estate":
        area = sum(_money(r.get("floor_area_m2")) for r in rows)
        return Derived(
            both(f"不动产 {len(rows)} 处，建筑面积合计 {area} 平方米", f"{len(rows)} properties, {area} m² in all")
        )
    if kind == "vehicle":
        price = sum(_money(r.get("price")) for r in rows)
        latest = max(r.get("registered_on", "") for r in rows)
        return Derived(
            both(f"机动车 {len(rows)} 辆，最近登记 {latest}", f"{len(rows)} vehicle(s), last registered {latest}"),
            None,
            price,
        )
    if kind == "business":
        roles = dict(spec.element("role").choices)
        return Derived(
            both(
                "；".join(f"{roles.get(r.get('role'), '')}（{r.get('registered_on')}）" for r in rows),
                "; ".join(f"{_words(r.get('role'))} ({r.get('registered_on')})" for r in rows),
            ),
            None,
            sum(_money(r.get("capital")) for r in rows),
        )
    if kind == "financial":
        balance = sum(_money(r.get("balance")) for r in rows)
        return Derived(
            both(f"金融资产 {len(rows)} 笔，余额合计 {balance} 元", f"{len(rows)} accounts, {balance} yuan in all"),
            None,
            balance,
        )
    if kind == "disability":
        kind_code = first.get("disability_kind")
        return Derived(
            both(
                f"残疾人证：{dict(spec.element('disability_kind').choices).get(kind_code)}{first.get('grade')}级",
                f"Disability certificate: {_words(kind_code)}, grade {first.get('grade')}",
            )
        )
    if kind == "medical":
        total, own = _money(first.get("total_cost")), _money(first.get("out_of_pocket"))
        return Derived(
            both(
                f"{first.get('year')}年度医疗总费用 {total} 元，个人自付 {own} 元",
                f"Medical costs in {first.get('year')}: {total} yuan, {own} out of pocket",
            )
        )
    if kind == "marriage":
        event = first.get("event")
        return Derived(
            both(
                f"{dict(spec.element('event').choices).get(event)} {first.get('event_date')}",
                f"{'Marriage' if event == 'married' else 'Divorce'} registered {first.get('event_date')}",
            )
        )
    if kind in ("death", "funeral"):
        day = first.get("death_date")
        return Derived(both(f"死亡 {day}", f"Died {day}"))
    if kind == "hukou":
        status = first.get("status")
        when = f" {first['event_date']}" if first.get("event_date") else ""
        return Derived(
            both(
                f"户籍状态：{dict(spec.element('status').choices).get(status)}{when}",
                f"Registration: {_words(status)}{when}",
            )
        )
    return Derived(both(spec.zh, spec.en))


def _declared(
    household_id: int, person, kind: str, derived: Derived, row: dict
) -> tuple[Decimal | None, Decimal | None, str]:
    """What the household declared for the same thing, and the discrepancy (empty when they agree)."""
    incomes = Income.objects.filter(household_id=household_id, person=person)
    if derived.income_kind:
        declared = sum((i.monthly for i in incomes.filter(kind=derived.income_kind)), ZERO)
        zh, en = ("财政供养人员", "On the state payroll") if kind == "state_payroll" else ("", "")
        if derived.found_monthly > declared:
            gap = (derived.found_monthly - declared).quantize(TWO)
            zh = "；".join(x for x in (zh, f"高于申报 {gap} 元/月") if x)
            en = "; ".join(x for x in (en, f"{gap} a month above the declaration") if x)
        return declared, None, both(zh, en) if zh else ""
    if kind == "tax":
        declared = sum((i.monthly for i in incomes.filter(kind__in=["wage", "business", "property"])), ZERO)
        flag = (
            f"纳税收入高于申报 {(derived.found_monthly - declared).quantize(TWO)} 元/月"
            if derived.found_monthly > declared
            else ""
        )
        return declared, None, flag
    if kind in ("housing_fund", "social_insurance"):
        if kind == "social_insurance" and not row.get("employer"):
            return None, None, ""  # a resident's own contribution says nothing about wages
        has_wage = incomes.filter(kind="wage").exists()
        return (
            None,
            None,
            "" if has_wage else both("有单位缴存/缴费记录，但未申报工资", "Paid through an employer, no wage declared"),
        )
    if kind == "vehicle":
        declared = Vehicle.objects.filter(household_id=household_id)
        value = sum((v.value for v in declared), ZERO)
        return None, value, "" if declared.exists() else both("申报无车辆", "No vehicle declared")
    if kind == "business":
        declared = BusinessRole.objects.filter(household_id=household_id, person=person).exists()
        return None, None, "" if declared else both("申报无经营主体身份", "No business role declared")
    if kind == "real_estate":
        homes = Home.objects.filter(household_id=household_id).count()
        return None, None, "" if homes else both("申报无房产", "No property declared")
    if kind == "financial":
        declared = sum((a.amount for a in FinancialAsset.objects.filter(household_id=household_id)), ZERO)
        gap = (derived.found_asset - declared).quantize(TWO)
        flag = both(f"高于申报 {gap} 元", f"{gap} yuan above the declaration") if gap > 0 else ""
        return None, declared, flag
    if kind in ("death", "funeral"):
        return None, None, "" if person.deceased else both("登记为在世", "Registered as alive")
    if kind == "hukou":
        if row.get("status") == "moved_out":
            return None, None, both("户籍已迁出", "Registration moved away")
        if row.get("status") == "deceased" and not person.deceased:
            return (
                None,
                None,
                both("户籍已注销（死亡），登记为在世", "Registration closed on death; registered as alive"),
            )
        return None, None, ""
    if kind == "disability":
        same = person.disability_grade == row.get("grade")
        grade = person.disability_grade
        return (
            None,
            None,
            "" if same else both(f"登记残疾等级为 {grade or '无'}", f"Registered grade: {grade or 'none'}"),
        )
    return None, None, ""


def newest_records(person_ids: list[int]) -> dict[tuple[int, str], list[DatasetRecord]]:
    """(person, kind) → the records of the newest load of that kind that mentions the person."""
    newest: dict[tuple[int, str], int] = {}
    grouped: dict[tuple[int, str], list[DatasetRecord]] = defaultdict(list)
    records = (
        DatasetRecord.objects.filter(person_id__in=person_ids)
        .select_related("load")
        .order_by("-load__as_of", "-load_id", "row")
    )
    for r in records:
        key = (r.person_id, r.load.kind)
        newest.setdefault(key, r.load_id)
        if r.load_id == newest[key]:
            grouped[key].append(r)
    return grouped


@action
def report_build(*, actor, case: Case) -> list[Finding]:
    """Findings for every member of the case's household from the newest data of each kind (a rerun adds only what
    is new: a finding already confirmed or disputed is never replaced)."""
    perm_require(actor, Perm.VERIFICATION_HANDLE)
    case = get_actionable(actor, "cases.Case", case.pk)
    members = {
        m.person_id: m.person
        for m in Membership.objects.filter(household=case.household, end_date__isnull=True).select_related("person")
    }
    made = []
    existing = set(Finding.objects.filter(case=case).values_list("record_id", flat=True))
    for (person_id, kind), records in sorted(newest_records(list(members)).items()):
        if records[0].pk in existing:
            continue
        person = members[person_id]
        rows = [record_values(r) for r in records]
        derived = derive(kind, rows)
        declared_monthly, declared_asset, flag = _declared(case.household_id, person, kind, derived, rows[0])
        made.append(
            Finding(
                case=case,
                household=case.household,
                person=person,
                record=records[0],
                kind=kind,
                what=derived.what[:400],
                found_monthly=derived.found_monthly,
                declared_monthly=declared_monthly,
                found_asset=derived.found_asset,
                declared_asset=declared_asset,
                income_kind=derived.income_kind,
                discrepancy=flag[:400],
            )
        )
    Finding.objects.bulk_create(made)
    audit_record(
        actor=actor,
        action=VerificationEvent.REPORT_BUILD,
        target=case,
        area_code=case.area_code,
        household_id=case.household_id,
        new={"findings": len(made), "discrepancies": sum(1 for f in made if f.discrepancy)},
    )
    return made


def _finding_for_update(actor, finding_id: int) -> Finding:
    perm_require(actor, Perm.VERIFICATION_HANDLE)
    finding = get_actionable(actor, "verification.Finding", finding_id, queryset=Finding.objects.select_for_update())
    return finding


def _feed(actor, finding: Finding) -> None:
    """Write the confirmed monthly income into the household's income record of that kind and member."""
    if not (finding.income_kind and finding.found_monthly is not None):
        return
    household = finding.household
    same = list(Income.objects.filter(household=household, person=finding.person, kind=finding.income_kind))
    if len(same) > 1:
        raise Conflict(
            "该成员有多条同类收入记录，请先在家庭登记信息中合并后再确认",
            "The member has several income records of this kind; merge them in the registry first",
            field="finding",
            code="several_records",
        )
    note = f"核对确认：{KINDS[finding.kind].zh}（数据截止 {finding.record.load.as_of:%Y-%m-%d}）"
    data = {
        "person": finding.person_id,
        "kind": finding.income_kind,
        "monthly": str(finding.found_monthly),
        "note": note,
    }
    if same:
        finding.declared_monthly = same[0].monthly
        record_update(actor=actor, household=household, kind="incomes", record_id=same[0].pk, data=data)
        finding.income_record_id = same[0].pk
    else:
        finding.income_record_id = record_add(actor=actor, household=household, kind="incomes", data=data).pk


def _unfeed(actor, finding: Finding) -> None:
    """Take a confirmed figure back out of the registry: back to what was declared."""
    if finding.state != FindingState.CONFIRMED or finding.income_record_id is None:
        return
    exists = Income.objects.filter(pk=finding.income_record_id, household=finding.household).first()
    if exists is None:
        return
    if finding.declared_monthly:
        data = {
            "person": finding.person_id,
            "kind": finding.income_kind,
            "monthly": str(finding.declared_monthly),
            "note": "核对结果未采用，恢复申报",
        }
        record_update(actor=actor, household=finding.household, kind="incomes", record_id=exists.pk, data=data)
    else:
        record_delete(actor=actor, household=finding.household, kind="incomes", record_id=exists.pk)


@action
def finding_confirm(*, actor, finding_id: int) -> Finding:
    finding = _finding_for_update(actor, finding_id)
    if finding.state == FindingState.CONFIRMED:
        return finding
    _feed(actor, finding)
    finding.state, finding.decided_by, finding.decided_on = FindingState.CONFIRMED, actor, timezone.localdate()
    finding.save()
    _audit(
        actor,
        finding,
        VerificationEvent.FINDING_CONFIRM,
        {"found_monthly": finding.found_monthly, "income_record": finding.income_record_id},
    )
    return finding


@action
def finding_dispute(*, actor, finding_id: int, reason: str) -> Finding:
    finding = _finding_for_update(actor, finding_id)
    reason = text_clean(reason, field="reason", zh_label="争议理由", en_label="Reason", max_length=200, required=True)
    _unfeed(actor, finding)
    finding.state, finding.note = FindingState.DISPUTED, reason
    finding.decided_by, finding.decided_on = actor, timezone.localdate()
    finding.save()
    _audit(actor, finding, VerificationEvent.FINDING_DISPUTE, {"reason": reason})
    return finding


@action
def objection_record(
    *, actor, finding_id: int, received_on: dt.date, content: str, evidence_id: int | None = None
) -> FindingObjection:
    """The applicant's objection to a finding, with evidence (a document of the case); the re-check is due in
    DOUDI_VERIFICATION_RECHECK_DAYS working days."""
    finding = _finding_for_update(actor, finding_id)
    if not isinstance(received_on, dt.date):
        raise ApplicationError(
            "请填写收到异议日期", "The date received is required", field="received_on", code="required"
        )
    if received_on > timezone.localdate():
        raise ApplicationError(
            "收到异议日期不能晚于今天",
            "The date received cannot be in the future",
            field="received_on",
            code="in_the_future",  # a business limit (today moves), not one the schema can state
        )
    content = text_clean(
        content,
        field="content",
        zh_label="异议内容",
        en_label="Objection",
        max_length=2000,
        required=True,
        multiline=True,  # the page's field is a textarea: the applicant's reasons, often several lines
    )
    evidence = None
    if evidence_id:
        evidence = Document.objects.filter(pk=evidence_id, case=finding.case).first()
        if evidence is None:
            raise NotFound("未找到该案件的这份材料", "No such document in this case", field="evidence")
    if finding.objections.filter(outcome="").exists():
        raise Conflict(
            "该项已有异议正在复查", "An objection to this finding is already being re-checked", field="finding"
        )
    due = add_working_days(received_on, settings.DOUDI_VERIFICATION_RECHECK_DAYS)
    objection = FindingObjection.objects.create(
        finding=finding,
        received_on=received_on,
        content=content,
        evidence=evidence,
        recheck_due=due.due,
        due_complete=due.calendar_complete,
        recorded_by=actor,
    )
    _audit(
        actor,
        finding,
        VerificationEvent.OBJECTION_RECORD,
        {"objection": objection.pk, "recheck_due": due.due.isoformat()},
    )
    return objection


@action
def objection_resolve(
    *, actor, objection_id: int, outcome: str, note: str, on: dt.date | None = None
) -> FindingObjection:
    """The township's re-check: an objection upheld takes the finding's figure out (disputed); rejected keeps it."""
    perm_require(actor, Perm.VERIFICATION_HANDLE)
    objection = FindingObjection.objects.select_related("finding").filter(pk=objection_id).first()
    if objection is None:
        raise NotFound()
    finding = _finding_for_update(actor, objection.finding_id)
    if objection.outcome:
        raise Conflict("该异议已有复查结论", "The objection has already been resolved", field="objection")
    if outcome not in (FindingObjection.Outcome.UPHELD, FindingObjection.Outcome.REJECTED):
        raise ApplicationError("请选择复查结论", "Choose an outcome", field="outcome", code="invalid_choice")
    note = text_clean(note, field="note", zh_label="复查说明", en_label="Note", max_length=200, required=True)
    if outcome == FindingObjection.Outcome.UPHELD:
        _unfeed(actor, finding)
        finding.state, finding.note = FindingState.DISPUTED, note
        finding.decided_by, finding.decided_on = actor, on or timezone.localdate()
        finding.save()
    objection.outcome, objection.outcome_note, objection.resolved_on = outcome, note, on or timezone.localdate()
    objection.save()
    _audit(
        actor,
        finding,
        VerificationEvent.OBJECTION_RESOLVE,
        {"objection": objection.pk, "outcome": outcome, "note": note},
    )
    return objection


def _audit(actor, finding: Finding, event, new: dict) -> None:
    audit_record(
        actor=actor,
        action=event,
        target=finding,
        area_code=finding.case.area_code,
        household_id=finding.household_id,
        label=f"{finding.household} {KINDS[finding.kind].zh}",
        new={
            "case": finding.case_id,
            "kind": finding.kind,
            **{k: str(v) if isinstance(v, Decimal) else v for k, v in new.items()},
        },
    )
