"""Medical assistance settlements (domain.md §4): the hospital's or the insurer's settlement file imported, or one
claim entered by hand; each claim matched to a person of the registry by ID number (the blind index, as the
registry search does), its assistance computed by the medical rules against that person's calendar year — the
assistance and the deductible used by earlier claims carried forward claim by claim in date order — and paid
once through the payroll (``benefits.actions.benefit_grant``), the explanation stored with the claim.

A file is checked whole before anything is saved (the verification readers: CSV in UTF-8 or GBK, or .xlsx); any
refused row refuses the file, with row and column in Chinese. A settlement number already recorded is refused,
so a file imported twice never pays twice (and the database holds each number once). Claims already recorded for
the year come first: what was paid is never recomputed; new claims follow in discharge-date order."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.benefits.actions import benefit_grant
from doudi.cases.models import Enrolment
from doudi.core.actions import action
from doudi.core.crypto import blind_index
from doudi.core.errors import ApplicationError
from doudi.core.money import ZERO, month_start
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.inputs import Claim, HouseholdInput
from doudi.programmes.rules.registry_input import household_input
from doudi.registry.models import Household, Membership, Person
from doudi.verification.ids import ID_CHECKSUM, ID_MISSING
from doudi.verification.loads import MAX_ERRORS_SHOWN, RowError, rows_check, table_read
from doudi.verification.models import MonitoringEntry, Tier
from doudi.verification.schemas import COMMON, DATE, MONEY, TEXT, DatasetKind, Department, Element, ElementClass

from .events import MedicalEvent
from .models import Settlement, SettlementBatch

C = ElementClass
YES_NO = (("yes", "是"), ("no", "否"))

SETTLEMENT_FILE = DatasetKind(
    code="medical_settlement",
    department=Department.MEDICAL_INSURANCE,
    zh="医疗费用结算",
    en="Medical settlements",
    elements=(
        Element(
            "number",
            "结算单号",
            "Settlement number",
            TEXT,
            C.EXPENDITURE,
            max_length=40,
            aliases=("结算编号", "结算流水号", "单据号"),
        ),
        *COMMON,
        Element("hospital", "医疗机构", "Hospital", TEXT, C.EXPENDITURE, aliases=("医院", "医院名称", "定点医疗机构")),
        Element("admitted_on", "入院日期", "Admission date", DATE, C.EXPENDITURE, aliases=("住院日期",)),
        Element(
            "discharged_on", "出院日期", "Discharge date", DATE, C.EXPENDITURE, aliases=("结算日期", "出院结算日期")
        ),
        Element("total_cost", "医疗总费用", "Total cost", MONEY, C.EXPENDITURE, aliases=("总费用", "医疗费用总额")),
        Element(
            "insurance_paid",
            "医保报销",
            "Insurance paid",
            MONEY,
            C.EXPENDITURE,
            aliases=("医保支付", "基本医保等报销", "统筹支付"),
        ),
        Element(
            "in_scope_oop",
            "政策范围内自付",
            "In-scope out-of-pocket",
            MONEY,
            C.EXPENDITURE,
            aliases=("政策范围内个人自付", "合规自付费用", "政策范围内自付费用"),
        ),
        Element(
            "serious_disease",
            "重特大疾病",
            "Listed serious disease",
            "choice",
            C.EXPENDITURE,
            required=False,
            choices=YES_NO,
            aliases=("是否重特大疾病",),
        ),
    ),
)
HEADER = [e.zh for e in SETTLEMENT_FILE.elements]
FIELD_OF = {e.zh: e.code for e in SETTLEMENT_FILE.elements}
REQUIRED = tuple(e.code for e in SETTLEMENT_FILE.elements if e.required and e.code != "name")


@dataclass
class ClaimIn:
    """One checked claim, matched to its person."""

    row: int
    number: str
    person: Person
    household: Household
    hospital: str
    admitted_on: dt.date
    discharged_on: dt.date
    total_cost: Decimal
    insurance_paid: Decimal
    in_scope_oop: Decimal
    serious_disease: bool


def people_in_scope(actor, numbers: set[str]) -> dict[str, Membership]:
    """ID number → the current membership of the person holding it, only within the actor's area."""
    by_index = {blind_index(n, domain="id_number"): n for n in numbers}
    found: dict[str, Membership] = {}
    keys = list(by_index)
    for start in range(0, len(keys), 900):
        for m in Membership.objects.filter(
            person__id_index__in=keys[start : start + 900], end_date__isnull=True
        ).select_related("person", "household"):
            if covers(actor, m.household.area_id):
                found[by_index[m.person.id_index]] = m
    return found


def row_person(
    row: int, r: dict, people: dict[str, Membership], errors: list[RowError]
) -> tuple[Membership | None, bool]:
    """The registry member a file's row names (``people`` from ``people_in_scope``) and whether the row's ID
    number and name hold: an error naming the row and the field is added for a missing ID number, a wrong check
    digit, a number not registered in the actor's area, or a name other than the registered one (the member is
    still returned then)."""
    ident = r.get("_id")
    if ident is None or ident.note == ID_MISSING:
        errors.append(RowError(row, "公民身份号码", "不能为空"))
        return None, False
    if ident.note == ID_CHECKSUM:
        errors.append(RowError(row, "公民身份号码", "校验位不正确，请核对身份证号"))
        return None, False
    member = people.get(ident.number)
    if member is None:
        errors.append(RowError(row, "公民身份号码", "在您辖区的登记人员中找不到此身份证号"))
        return None, False
    if r.get("name") and r["name"] != member.person.name:
        errors.append(RowError(row, "姓名", f"与登记的姓名“{member.person.name}”不一致"))
        return member, False
    return member, True


def _claims_check(actor, rows: list[dict]) -> tuple[list[ClaimIn], list[RowError]]:
    """The checks beyond the file's schema: the person in the registry and the actor's area, the name, the dates
    and amounts consistent, and each settlement number new."""
    errors: list[RowError] = []
    numbers = {r["_id"].number for r in rows if r.get("_id") and r["_id"].number}
    people = people_in_scope(actor, numbers)
    recorded = dict(
        Settlement.objects.filter(number__in=[r["number"] for r in rows if "number" in r]).values_list(
            "number", "created_at"
        )
    )
    seen: dict[str, int] = {}
    claims = []
    for r in rows:
        row, bad = r["_row"], len(errors)
        member, _ok = row_person(row, r, people, errors)
        number = r.get("number")
        if number:
            if number in seen:
                errors.append(RowError(row, "结算单号", f"与第{seen[number]}行重复"))
            elif number in recorded:
                day = timezone.localdate(recorded[number])
                errors.append(RowError(row, "结算单号", f"已于{day:%Y-%m-%d}导入，不重复救助"))
            seen.setdefault(number, row)
        admitted, discharged = r.get("admitted_on"), r.get("discharged_on")
        if admitted and discharged and admitted > discharged:
            errors.append(RowError(row, "入院日期", "入院日期晚于出院日期"))
        total = Decimal(r.get("total_cost", "0"))
        paid, oop = Decimal(r.get("insurance_paid", "0")), Decimal(r.get("in_scope_oop", "0"))
        if all(k in r for k in ("total_cost", "insurance_paid", "in_scope_oop")) and paid + oop > total:
            errors.append(RowError(row, "政策范围内自付", "医保报销与政策范围内自付之和超过医疗总费用"))
        if len(errors) > bad or member is None or any(k not in r for k in REQUIRED):
            continue  # refused here, or by the file's schema (rows_check)
        claims.append(
            ClaimIn(
                row=row,
                number=number,
                person=member.person,
                household=member.household,
                hospital=r["hospital"],
                admitted_on=dt.date.fromisoformat(admitted),
                discharged_on=dt.date.fromisoformat(discharged),
                total_cost=total,
                insurance_paid=paid,
                in_scope_oop=oop,
                serious_disease=r.get("serious_disease") == "yes",
            )
        )
    return claims, errors


def rows_refused(errors: list[RowError]) -> ApplicationError:
    shown = errors[:MAX_ERRORS_SHOWN]
    return ApplicationError(
        f"{len(errors)}处数据有误，整个文件未导入。{'；'.join(str(e) for e in shown[:5])}",
        f"{len(errors)} problems; nothing was imported (row and column in the list)",
        field="file",
        code="bad_rows",
        extra={"errors": [e.as_dict() for e in shown], "error_count": len(errors)},
    )


def _covering(programme: str, month: dt.date):
    return Enrolment.objects.filter(programme_id=programme, start_month__lte=month).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month)
    )


def edge_family_on(household_id: int, on: dt.date) -> bool:
    """On the low-income register as an edge family (低保边缘家庭) on that day: entered on or before it, not left
    by then (the register follows income and assets; domain.md §6)."""
    return (
        MonitoringEntry.objects.filter(household_id=household_id, tier=Tier.EDGE, entered_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .exists()
    )


def claim_facts(claim: ClaimIn, *, assisted: Decimal, deductible_used: Decimal) -> HouseholdInput:
    """The household as the registry holds it, with what the registry does not: its enrolment on dibao in the
    month of discharge (or, if none, its place on the register as an edge family on the day of discharge), the
    claimant's tekun, and the claim with the person's year so far."""
    month = month_start(claim.discharged_on)
    facts = household_input(claim.household)
    dibao = _covering("dibao", month).filter(household=claim.household).exists()
    edge = not dibao and edge_family_on(claim.household.pk, claim.discharged_on)
    tekun = _covering("tekun", month).filter(person=claim.person).exists()
    members = [
        replace(m, receives_tekun=True) if m.person_id == claim.person.pk and tekun else m for m in facts.members
    ]
    index = next(m.index for m in members if m.person_id == claim.person.pk)
    return replace(
        facts,
        members=members,
        enrolled=("dibao",) if dibao else ("edge",) if edge else (),
        claim=Claim(index, claim.in_scope_oop, claim.serious_disease, assisted, deductible_used, claim.discharged_on),
    )


def _year_so_far(claims: list[ClaimIn]) -> dict[tuple[int, int], list[Decimal]]:
    """(person, year) → [assisted, deductible used] by the claims recorded before."""
    keys = {(c.person.pk, c.discharged_on.year) for c in claims}
    out: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    rows = (
        Settlement.objects.filter(person_id__in={k[0] for k in keys}, year__in={k[1] for k in keys})
        .values("person_id", "year")
        .annotate(assisted=Sum("amount"), deductible=Sum("deductible_applied"))
    )
    for r in rows:
        out[(r["person_id"], r["year"])] = [r["assisted"], r["deductible"]]
    return out


def _settle(
    actor, claims: list[ClaimIn], *, on: dt.date, batch: SettlementBatch | None, progress=None
) -> list[Settlement]:
    """Compute and record each claim in date order per person, and pay those with assistance; inside the calling
    action's transaction. The people are locked (in primary-key order) so two imports cannot both use the same
    remainder of a person's cap."""
    list(Person.objects.filter(pk__in=sorted({c.person.pk for c in claims})).select_for_update().order_by("pk"))
    so_far = _year_so_far(claims)
    out = []
    for c in sorted(claims, key=lambda c: (c.person.pk, c.discharged_on, c.admitted_on, c.number)):
        year = so_far[(c.person.pk, c.discharged_on.year)]
        facts = claim_facts(c, assisted=year[0], deductible_used=year[1])
        decision = evaluate("medical", facts, c.discharged_on)
        enrolment = None
        if decision.eligible:
            enrolment = benefit_grant(
                actor=actor,
                programme="medical",
                household=c.household,
                person=c.person,
                on=on,
                facts=facts,
                note=f"医疗救助：结算单号 {c.number}，{c.hospital}"[:150],
            )
        result = decision.result or {}
        out.append(
            Settlement.objects.create(
                number=c.number,
                batch=batch,
                person=c.person,
                household=c.household,
                area_code=c.household.area_id,
                hospital=c.hospital,
                admitted_on=c.admitted_on,
                discharged_on=c.discharged_on,
                year=c.discharged_on.year,
                total_cost=c.total_cost,
                insurance_paid=c.insurance_paid,
                in_scope_oop=c.in_scope_oop,
                serious_disease=c.serious_disease,
                group=result.get("group") or "",
                assisted_before=year[0],
                deductible_before=year[1],
                deductible_applied=result.get("deductible_applied", ZERO),
                amount=decision.amount,
                cap_left=result.get("cap_left", ZERO),
                decision=decision.as_dict(),
                enrolment=enrolment,
                created_by=actor,
            )
        )
        year[0] += decision.amount
        year[1] += result.get("deductible_applied", ZERO)
        if progress is not None:
            progress(len(out), len(claims))
    return out


def file_rows(filename: str, content: bytes) -> int:
    """How many rows the file has (read, not checked): a large file is imported in the background."""
    return len(table_read(filename, content)[1])


def _file_claims(actor, filename: str, content: bytes, on: dt.date) -> list[ClaimIn]:
    """Every row of the file checked (schema, person, dates, amounts, numbers new); any refused row refuses all."""
    header, rows = table_read(filename, content)
    parsed = rows_check(SETTLEMENT_FILE, header, rows, as_of=on)
    claims, errors = _claims_check(actor, parsed.rows)
    errors = sorted(parsed.errors + errors, key=lambda e: e.row)
    if errors:
        raise rows_refused(errors)
    return claims


@action
def settlement_import(
    *,
    actor,
    filename: str,
    content: bytes,
    on: dt.date | None = None,
    batch_id: str | None = None,
    progress=None,
) -> SettlementBatch:
    """Import a settlement file whole: every row checked first (schema, person, dates, amounts, numbers new), then
    every claim computed and paid in one transaction, or nothing at all. ``batch_id`` (a background job's) makes
    a rerun of a job that finished its transaction return that batch instead of refusing the numbers as known."""
    perm_require(actor, Perm.CASE_DECIDE)
    if batch_id and (done := SettlementBatch.objects.filter(batch_id=batch_id).first()) is not None:
        return done
    on = on or timezone.localdate()
    claims = _file_claims(actor, filename, content, on)
    batch = SettlementBatch.objects.create(
        file_name=filename[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        rows=len(claims),
        area_prefix=actor.scope_prefix,
        loaded_by=actor,
        batch_id=batch_id or str(uuid.uuid4()),
    )
    settled = _settle(actor, claims, on=on, batch=batch, progress=progress)
    batch.paid = sum(1 for s in settled if s.amount > 0)
    batch.total = sum((s.amount for s in settled), ZERO)
    batch.save(update_fields=["paid", "total"])
    audit_record(
        actor=actor,
        action=MedicalEvent.SETTLEMENT_IMPORT,
        kind=EventKind.BATCH,
        target=batch,
        area_code=actor.scope_prefix.ljust(12, "0")[:12],
        batch_id=batch.batch_id,
        new={
            "file_name": batch.file_name,
            "sha256": batch.sha256,
            "claims": batch.rows,
            "paid": batch.paid,
            "total": batch.total,
        },
    )
    return batch


def settlement_import_check(*, actor, filename: str, content: bytes, on: dt.date | None = None) -> int:
    """The checks of ``settlement_import`` alone, saving nothing (a large file is checked while the person waits,
    then computed and paid in the background): the number of claims, or the refusal naming rows and columns."""
    perm_require(actor, Perm.CASE_DECIDE)
    return len(_file_claims(actor, filename, content, on or timezone.localdate()))


@action
def settlement_enter(*, actor, data: dict, on: dt.date | None = None) -> Settlement:
    """One claim entered by hand (the fields of a file's row, by code): the same checks as a file's row, each
    refusal naming its field."""
    perm_require(actor, Perm.CASE_DECIDE)
    on = on or timezone.localdate()
    raw = tuple(data.get(e.code) for e in SETTLEMENT_FILE.elements)
    parsed = rows_check(SETTLEMENT_FILE, HEADER, [raw], as_of=on)
    claims, errors = _claims_check(actor, parsed.rows)
    errors = parsed.errors + errors
    if errors:
        first = errors[0]
        raise ApplicationError(
            f"{first.column}：{first.message}",
            f"{first.column}: {first.message}",
            field=FIELD_OF.get(first.column, "id_number"),
            extra={"errors": [e.as_dict() for e in errors]},
        )
    settlement = _settle(actor, claims, on=on, batch=None)[0]
    audit_record(
        actor=actor,
        action=MedicalEvent.SETTLEMENT_ENTER,
        target=settlement,
        area_code=settlement.area_code,
        household_id=settlement.household_id,
        new={
            "number": settlement.number,
            "amount": settlement.amount,
            "deductible_applied": settlement.deductible_applied,
            "cap_left": settlement.cap_left,
        },
    )
    return settlement
