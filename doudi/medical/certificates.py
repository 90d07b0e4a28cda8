"""The disability two subsidies (残疾人两项补贴, domain.md §5c): the disabled persons' federation's certificates
imported (the county's verification centre loads a department's file: ``verification.load``), reviewed by the
federation (recorded by the county reviewer: ``case.county_review``), then approved by civil affairs
(``case.decide``). Approval writes the category and grade to the registry and puts the subsidies in payment as the
disability rules decide; ``disability_follow_dibao`` keeps the living subsidy in step with dibao month by month — a
household that left dibao stops it from the month after its last dibao month, a dibao household with a disabled
member gets it — using the same rules.

A file is checked whole first (the verification readers, as the settlement file): any refused row refuses the file
with row and column in Chinese; the certificate number is sealed at rest."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace

from django.db.models import Q
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.benefits.actions import benefit_grant, grant_record
from doudi.benefits.life import dibao_followed_by_report
from doudi.cases.actions.enrolments import enrolment_change_record
from doudi.cases.amounts import NO_PAYMENT, amount_for
from doudi.cases.models import ChangeKind, Enrolment, EnrolmentChange, EnrolmentStatus
from doudi.core.actions import action
from doudi.core.errors import Conflict, NotFound
from doudi.core.money import ZERO, add_months, month_start
from doudi.core.validation import text_clean
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.inputs import HouseholdInput
from doudi.programmes.rules.registry_input import household_input
from doudi.registry.actions import household_refresh
from doudi.registry.choices import DisabilityKind
from doudi.registry.models import Household, Membership, Person
from doudi.verification.loads import RowError, rows_check, table_read
from doudi.verification.schemas import COMMON, DATE, INT, TEXT, DatasetKind, Department, Element, ElementClass

from .events import MedicalEvent
from .models import CertificateBatch, CertificateState, DisabilityCertificate
from .settlements import people_in_scope, row_person, rows_refused

C = ElementClass
LIVE = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED, EnrolmentStatus.GRADUAL_EXIT)

CERTIFICATE_FILE = DatasetKind(
    code="disability_certificate",
    department=Department.DISABLED_FEDERATION,
    zh="残疾人证",
    en="Disability certificates",
    elements=(
        *COMMON,
        Element(
            "number",
            "残疾人证号",
            "Certificate number",
            TEXT,
            C.STATUS,
            sensitive=True,
            max_length=30,
            aliases=("残疾证号", "证号"),
        ),
        Element(
            "kind",
            "残疾类别",
            "Category",
            "choice",
            C.STATUS,
            choices=tuple((k.value, str(k.label)) for k in DisabilityKind),
            aliases=("类别",),
        ),
        Element("grade", "残疾等级", "Grade", INT, C.STATUS, aliases=("等级",)),
        Element("issued_on", "发证日期", "Issued on", DATE, C.STATUS, aliases=("发证时间",)),
        Element(
            "valid_until", "有效期至", "Valid until", TEXT, C.STATUS, max_length=10, aliases=("有效期", "有效期限")
        ),
        # when the person applied at the township with the certificate: paid from that month (domain.md §5c);
        # a file without it is taken as applied on the day it is imported
        Element("applied_on", "申请日期", "Application date", DATE, C.STATUS, required=False, aliases=("申请时间",)),
    ),
)


@dataclass
class CertificateIn:
    row: int
    person: Person
    household: Household
    number: str
    kind: str
    grade: int
    issued_on: dt.date
    valid_until: dt.date
    applied_on: dt.date


def _valid_until(text: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _check(actor, rows: list[dict], on: dt.date) -> tuple[list[CertificateIn], list[RowError]]:
    errors: list[RowError] = []
    people = people_in_scope(actor, {r["_id"].number for r in rows if r.get("_id") and r["_id"].number})
    pending = set(
        DisabilityCertificate.objects.filter(
            state__in=[CertificateState.IMPORTED, CertificateState.REVIEWED],
            person_id__in=[m.person_id for m in people.values()],
        ).values_list("person_id", flat=True)
    )
    seen: dict[int, int] = {}
    out = []
    for r in rows:
        row, bad = r["_row"], len(errors)
        member, ok = row_person(row, r, people, errors)
        if ok and member.person_id in seen:
            errors.append(RowError(row, "公民身份号码", f"与第{seen[member.person_id]}行是同一人"))
        elif ok and member.person_id in pending:
            errors.append(RowError(row, "公民身份号码", "此人已有待审核的残疾人证"))
        if member is not None:
            seen.setdefault(member.person_id, row)
        until = None
        if r.get("valid_until"):
            until = _valid_until(r["valid_until"])
            if until is None:
                errors.append(RowError(row, "有效期至", f"日期格式应为YYYY-MM-DD，实际为“{r['valid_until']}”"))
            elif until < on:
                errors.append(RowError(row, "有效期至", f"证件已于{until:%Y-%m-%d}过期"))
            elif r.get("issued_on") and until <= dt.date.fromisoformat(r["issued_on"]):
                errors.append(RowError(row, "有效期至", "有效期应晚于发证日期"))
        applied = dt.date.fromisoformat(r["applied_on"]) if r.get("applied_on") else on
        if r.get("issued_on") and applied < dt.date.fromisoformat(r["issued_on"]):
            errors.append(RowError(row, "申请日期", "申请日期不能早于发证日期（凭证申请）"))
        if (
            len(errors) > bad
            or member is None
            or until is None
            or any(k not in r for k in ("number", "kind", "grade", "issued_on"))
        ):
            continue
        out.append(
            CertificateIn(
                row=row,
                person=member.person,
                household=member.household,
                number=r["number"],
                kind=r["kind"],
                grade=r["grade"],
                issued_on=dt.date.fromisoformat(r["issued_on"]),
                valid_until=until,
                applied_on=applied,
            )
        )
    return out, errors


@action
def certificate_import(*, actor, filename: str, content: bytes, on: dt.date | None = None) -> CertificateBatch:
    """Import the federation's certificate file whole: each certificate waits for the federation's review."""
    perm_require(actor, Perm.VERIFICATION_LOAD)
    on = on or timezone.localdate()
    header, rows = table_read(filename, content)
    parsed = rows_check(CERTIFICATE_FILE, header, rows, as_of=on)
    certificates, errors = _check(actor, parsed.rows, on)
    errors = sorted(parsed.errors + errors, key=lambda e: e.row)
    if errors:
        raise rows_refused(errors)
    batch = CertificateBatch.objects.create(
        file_name=filename[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        rows=len(certificates),
        area_prefix=actor.scope_prefix,
        loaded_by=actor,
    )
    DisabilityCertificate.objects.bulk_create(
        [
            DisabilityCertificate(
                batch=batch,
                person=c.person,
                household=c.household,
                area_code=c.household.area_id,
                number=c.number,
                kind=c.kind,
                grade=c.grade,
                issued_on=c.issued_on,
                valid_until=c.valid_until,
                applied_on=c.applied_on,
            )
            for c in certificates
        ]
    )
    audit_record(
        actor=actor,
        action=MedicalEvent.CERTIFICATE_IMPORT,
        kind=EventKind.BATCH,
        target=batch,
        area_code=actor.scope_prefix.ljust(12, "0")[:12],
        new={"file_name": batch.file_name, "sha256": batch.sha256, "certificates": batch.rows},
    )
    return batch


def _locked(actor, certificate: DisabilityCertificate, state: str) -> DisabilityCertificate:
    if not covers(actor, certificate.area_code):
        raise NotFound()
    certificate = DisabilityCertificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.state != state:
        raise Conflict(
            f"该证件当前状态为“{certificate.get_state_display()}”，不能办理此步骤",
            "The certificate is not at this step",
            field="state",
        )
    return certificate


@action
def certificate_review(*, actor, certificate: DisabilityCertificate, passed: bool, note: str = "", on=None):
    """The federation's review (10 working days, domain.md §5c): the category and grade confirmed, or not."""
    perm_require(actor, Perm.CASE_COUNTY_REVIEW)
    certificate = _locked(actor, certificate, CertificateState.IMPORTED)
    note = text_clean(note, field="note", zh_label="审核意见", en_label="Note", max_length=200, required=not passed)
    certificate.state = CertificateState.REVIEWED if passed else CertificateState.REJECTED
    certificate.reviewed_by, certificate.reviewed_on = actor, on or timezone.localdate()
    certificate.review_note = note
    certificate.save(update_fields=["state", "reviewed_by", "reviewed_on", "review_note"])
    audit_record(
        actor=actor,
        action=MedicalEvent.CERTIFICATE_REVIEW,
        target=certificate,
        area_code=certificate.area_code,
        household_id=certificate.household_id,
        new={"state": certificate.state, "grade": certificate.grade, "note": note},
    )
    return certificate


def _dibao_in(household_ids, month: dt.date) -> set[int]:
    return set(
        Enrolment.objects.filter(programme_id="dibao", household_id__in=household_ids, start_month__lte=month)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=month))
        .exclude(status=EnrolmentStatus.TERMINATED, end_month__isnull=True)
        .values_list("household_id", flat=True)
    )


def _tekun_in(person_ids, month: dt.date) -> set[int]:
    return set(
        Enrolment.objects.filter(programme_id="tekun", person_id__in=person_ids, start_month__lte=month)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=month))
        .values_list("person_id", flat=True)
    )


def disability_facts(household: Household, month: dt.date, *, dibao: bool, tekun: set[int]) -> HouseholdInput:
    """The household as the registry holds it, with its dibao enrolment and its members' tekun in ``month``."""
    facts = household_input(household)
    members = [replace(m, receives_tekun=True) if m.person_id in tekun else m for m in facts.members]
    return replace(facts, members=members, enrolled=("dibao",) if dibao else ())


def disability_facts_in(household: Household, person_id: int, month: dt.date) -> HouseholdInput:
    """The household in ``month`` as the disability rules read it: its dibao enrolment then (the living subsidy is
    for a dibao household's disabled members) and the person's tekun then (a tekun recipient gets neither). Every
    grant of the subsidies decides on these facts: the certificate's approval, the person page's and the API's."""
    return disability_facts(
        household, month, dibao=bool(_dibao_in([household.pk], month)), tekun=_tekun_in([person_id], month)
    )


@action
def certificate_decide(*, actor, certificate: DisabilityCertificate, approve: bool, on=None):
    """Civil affairs approves (or refuses) after the federation's review. Approval writes the certificate to the
    registry (category, grade, sealed number) and, where the rules give the person a subsidy, grants it from the
    month of application (domain.md §5c: ``certificate.applied_on``): each month from then to the decision's at
    the amount the rules give on that month's dibao and tekun enrolments, paid as arrears by the next payroll. A
    person already receiving it is owed what the new grade gives from the month of application too, where that is
    more (``_raise_from_application``); where the new grade gives less, the amount follows it from the decision's
    month — a delay in deciding is never recovered from the person."""
    perm_require(actor, Perm.CASE_DECIDE)
    certificate = _locked(actor, certificate, CertificateState.REVIEWED)
    on = on or timezone.localdate()
    certificate.decided_by, certificate.decided_on = actor, on
    certificate.state = CertificateState.APPROVED if approve else CertificateState.REFUSED
    person = Person.objects.select_for_update().get(pk=certificate.person_id)
    old = {"disability_kind": person.disability_kind, "disability_grade": person.disability_grade}
    if approve:
        person.disability_kind, person.disability_grade = certificate.kind, certificate.grade
        person.disability_card = certificate.number
        person.save(update_fields=["disability_kind", "disability_grade", "disability_card"])
        household_refresh(certificate.household)
        month = month_start(on)
        live = Enrolment.objects.filter(programme_id="disability", person=person, status__in=LIVE).first()
        if live is None:
            facts = disability_facts_in(certificate.household, person.pk, month)
            decision = evaluate("disability", facts, on)
            line = next(x for m, x in zip(facts.members, decision.members, strict=True) if m.person_id == person.pk)
            if line.amount and line.amount > 0:
                certificate.enrolment = benefit_grant(
                    actor=actor,
                    programme="disability",
                    household=certificate.household,
                    person=person,
                    on=on,
                    facts=facts,
                    applied_on=min(certificate.applied_on, on),
                    facts_in=lambda m: disability_facts_in(certificate.household, person.pk, m),
                )
        else:
            certificate.enrolment = live
    certificate.save(update_fields=["state", "decided_by", "decided_on", "enrolment"])
    if approve and certificate.enrolment is not None and live is not None:
        _raise_from_application(actor, certificate, live, month)
        _follow(actor, [certificate.household], month)
    audit_record(
        actor=actor,
        action=MedicalEvent.CERTIFICATE_DECIDE,
        target=certificate,
        area_code=certificate.area_code,
        household_id=certificate.household_id,
        old=old,
        new={
            "approve": approve,
            "disability_kind": certificate.kind if approve else old["disability_kind"],
            "disability_grade": certificate.grade if approve else old["disability_grade"],
            "enrolment": certificate.enrolment_id,
        },
    )
    return certificate


def _raise_from_application(actor, certificate: DisabilityCertificate, enrolment: Enrolment, decision_month) -> int:
    """The months from the application's (or the enrolment's start, if later) to the one before the decision's,
    each at what the rules give on that month's facts with the new grade where that is more than the amount
    history says — the next payroll pays the difference as arrears (generation pays every month's amount less
    what was paid for it). Months suspended or after the end stay unpaid; a lower amount is never backdated.
    Returns the number of changes recorded."""
    first = max(month_start(certificate.applied_on), enrolment.start_month)
    history = list(enrolment.changes.order_by("from_month", "id"))
    target = {}
    month = first
    while month < decision_month:
        latest = None
        for c in history:
            if c.from_month > month:
                break
            latest = c
        if latest is not None and latest.kind not in NO_PAYMENT:
            facts = disability_facts_in(certificate.household, certificate.person_id, month)
            decision = evaluate("disability", facts, month)
            line = next(
                x for m, x in zip(facts.members, decision.members, strict=True) if m.person_id == certificate.person_id
            )
            target[month] = max(line.amount or ZERO, amount_for(history, month))
        month = add_months(month, 1)
    recorded = 0
    for month, amount in sorted(target.items()):  # ascending: each change holds until the next month's says
        if amount != amount_for(history, month):
            change = enrolment_change_record(
                enrolment,
                amount=amount,
                month=month,
                actor=actor,
                reason=f"残疾等级变更为{certificate.grade}级（{certificate.applied_on:%Y-%m-%d}申请），自申请当月起按新等级核定（补发）",
            )
            history = sorted([*history, change], key=lambda c: (c.from_month, c.id))
            recorded += 1
    return recorded


@dataclass
class FollowResult:
    month: dt.date
    started: int = 0
    changed: int = 0
    stopped: int = 0
    people: list = field(default_factory=list)  # (enrolment, name, amount before, amount from the month)


def _follow(actor, households: list[Household], month: dt.date, result: FollowResult | None = None) -> FollowResult:
    result = result or FollowResult(month=month)
    ids = [h.pk for h in households]
    dibao = _dibao_in(ids, month)
    people = Membership.objects.filter(household_id__in=ids, end_date__isnull=True).values_list("person_id", flat=True)
    tekun = _tekun_in(list(people), month)
    live = {
        e.person_id: e
        for e in Enrolment.objects.filter(programme_id="disability", household_id__in=ids, status__in=LIVE)
        .select_for_update()
        .order_by("pk")
    }
    history: dict[int, list] = {}
    for c in EnrolmentChange.objects.filter(enrolment__in=live.values()).order_by("from_month", "id"):
        history.setdefault(c.enrolment_id, []).append(c)
    for h in households:
        facts = disability_facts(h, month, dibao=h.pk in dibao, tekun=tekun)
        decision = evaluate("disability", facts, month)
        for member, line in zip(facts.members, decision.members, strict=True):
            amount = line.amount or ZERO
            enrolment = live.get(member.person_id)
            if enrolment is None:
                if (
                    amount > 0
                    and not Enrolment.objects.filter(
                        programme_id="disability", person_id=member.person_id, start_month=month
                    ).exists()
                ):
                    started = grant_record(
                        actor=actor,
                        programme="disability",
                        household=h,
                        person=Person.objects.get(pk=member.person_id),
                        on=month,
                        month=month,
                        amount=amount,
                        decision=decision.as_dict(),
                        note="低保家庭残疾人：生活补贴随低保纳入",
                    )
                    result.started += 1
                    result.people.append((started, member.name, None, amount))
                continue
            before = amount_for(history.get(enrolment.pk, []), month)
            if enrolment.start_month > month or before == amount:
                continue
            result.people.append((enrolment, member.name, before, amount))
            if amount > 0:
                enrolment_change_record(
                    enrolment, amount=amount, month=month, actor=actor, reason="两项补贴随低保（或残疾等级）调整"
                )
                result.changed += 1
            else:
                enrolment.end_month = add_months(month, -1)
                enrolment_change_record(
                    enrolment,
                    amount=ZERO,
                    month=month,
                    actor=actor,
                    reason="不再符合两项补贴条件（退出低保），次月起停发",
                    status=EnrolmentStatus.TERMINATED,
                    kind=ChangeKind.TERMINATE,
                )
                result.stopped += 1
    return result


def disability_follow_household(actor, household: Household, month: dt.date) -> list:
    """One household's subsidies follow its dibao from ``month``: a change report's (or a death's) re-evaluation
    of dibao calls it (registered with doudi/benefits/life.py), inside the report's transaction."""
    return _follow(actor, [household], month_start(month)).people


def disability_watch_dibao(*, actor, enrolment: Enrolment, on: dt.date) -> None:
    """The cases app's watcher (doudi/cases/watchers.py): a dibao enrolment begun by its procedure's approval, or
    ended by a review's termination, takes its household's two subsidies with it in the same transaction — the
    living subsidy from the first month on dibao, dropped from the first month off it. A change report re-evaluating
    dibao runs the followers itself (benefits.life) and this leaves it to them; a household without a disabled
    member costs one query."""
    _watch_batch(changes=[(actor, enrolment, on)])


def _follow_month(enrolment: Enrolment, on: dt.date) -> dt.date:
    if enrolment.status not in LIVE and enrolment.end_month is not None:
        return add_months(enrolment.end_month, 1)  # the first month off dibao
    return max(enrolment.start_month, month_start(on))


def _watch_batch(*, changes) -> None:
    """Dibao enrolments changed (one, or many together: ``cases.watchers.enrolments_changed_together``): the
    households with a disabled member follow from each one's month, in one pass per month; each household whose
    subsidies changed is audited."""
    if dibao_followed_by_report():
        return
    dibao = [(actor, e, on) for actor, e, on in changes if e.programme_id == "dibao"]
    if not dibao:
        return
    disabled = set(
        Membership.objects.filter(
            household_id__in={e.household_id for _a, e, _on in dibao},
            end_date__isnull=True,
            person__disability_grade__isnull=False,
        ).values_list("household_id", flat=True)
    )
    by_month: dict[dt.date, dict[int, tuple]] = {}
    for actor, e, on in dibao:
        if e.household_id in disabled:
            by_month.setdefault(_follow_month(e, on), {})[e.household_id] = (actor, e)
    for month, chosen in by_month.items():
        households = list(Household.objects.filter(pk__in=chosen).order_by("pk"))
        for household in households:
            actor, enrolment = chosen[household.pk]
            result = _follow(actor, [household], month)
            if result.started or result.changed or result.stopped:
                audit_record(
                    actor=actor if getattr(actor, "pk", None) else None,
                    action=MedicalEvent.DISABILITY_FOLLOW,
                    target=household,
                    area_code=household.area_id,
                    household_id=household.pk,
                    new={
                        "month": month,
                        "dibao_enrolment": enrolment.pk,
                        "started": result.started,
                        "changed": result.changed,
                        "stopped": result.stopped,
                    },
                )


disability_watch_dibao.batch = _watch_batch


@action
def disability_follow_dibao(*, actor, month: dt.date) -> FollowResult:
    """Month by month, the subsidies of every household of the actor's area with a disabled member follow its dibao
    enrolment in ``month``: started for a new dibao household's disabled member, the living subsidy dropped (or the
    whole payment stopped) from the first month the household is no longer on dibao. Rerun, it changes nothing."""
    perm_require(actor, Perm.CASE_DECIDE)
    month = month_start(month)
    prefix = actor.scope_prefix
    households = list(
        Household.objects.filter(
            area__code__startswith=prefix,
            memberships__end_date__isnull=True,
            memberships__person__disability_grade__isnull=False,
        )
        .distinct()
        .order_by("pk")
    )
    result = FollowResult(month=month)
    for start in range(0, len(households), 500):
        _follow(actor, households[start : start + 500], month, result)
    audit_record(
        actor=actor,
        action=MedicalEvent.DISABILITY_FOLLOW,
        kind=EventKind.BATCH,
        label=f"两项补贴随低保调整 {month:%Y-%m}",
        area_code=prefix.ljust(12, "0")[:12],
        new={"month": month, "started": result.started, "changed": result.changed, "stopped": result.stopped},
    )
    return result
