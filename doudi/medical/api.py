"""/api/v1/medical: settlements (list, one, import a file, enter one), the premium roster and a person's annual
statement — the same actions and selectors as the pages, the same area scope and audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.api.schemas import ErrorOut
from doudi.api.types import Day, Key, Money, Text
from doudi.core.errors import ApplicationError
from doudi.core.money import fmt
from doudi.core.uploads import base64_upload

from . import certificates, premiums, selectors, settlements
from .models import CertificateState, Settlement

router = Router(tags=["medical"])
REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
LIST_LIMIT = 500
Year = Annotated[int, Field(ge=2015, le=2100, description="calendar year")]


class SettlementOut(Schema):
    id: int
    number: str
    person_id: int
    household_id: int
    name: str
    hospital: str
    admitted_on: dt.date
    discharged_on: dt.date
    year: int
    total_cost: Decimal
    insurance_paid: Decimal
    in_scope_out_of_pocket: Decimal
    serious_disease: bool
    group: str
    assisted_before: Decimal
    deductible_used_before: Decimal
    deductible_applied: Decimal
    amount: Decimal
    cap_left: Decimal
    enrolment_id: int | None
    explanation: list[dict]


class SettlementIn(Schema):
    number: Text(40, required=True)
    name: Text(50, required=True)
    id_number: Text(18, required=True)
    hospital: Text(100, required=True)
    admitted_on: Day
    discharged_on: Day
    total_cost: Money
    insurance_paid: Money
    in_scope_out_of_pocket: Money
    serious_disease: bool = False


class ImportIn(Schema):
    file_name: Text(200, required=True, description="ends in .csv or .xlsx")
    content_base64: Annotated[str, Field(max_length=200_000_000, description="the file, base64")]


class ImportOut(Schema):
    id: int
    file_name: str
    rows: int
    paid: int
    total: Decimal


class RosterIn(Schema):
    year: Year


class PremiumRosterOut(Schema):
    year: int
    added: int
    total: Decimal


class PremiumOut(Schema):
    group: str
    amount: Decimal


class StatementOut(Schema):
    person_id: int
    name: str
    year: int
    claims: list[SettlementOut]
    premium: PremiumOut | None
    total_cost: Decimal
    insurance_paid: Decimal
    in_scope_out_of_pocket: Decimal
    deductible_applied: Decimal
    assisted: Decimal
    total_paid: Decimal


def _out(s: Settlement) -> dict:
    return {
        "id": s.pk,
        "number": s.number,
        "person_id": s.person_id,
        "household_id": s.household_id,
        "name": s.person.name,
        "hospital": s.hospital,
        "admitted_on": s.admitted_on,
        "discharged_on": s.discharged_on,
        "year": s.year,
        "total_cost": s.total_cost,
        "insurance_paid": s.insurance_paid,
        "in_scope_out_of_pocket": s.in_scope_oop,
        "serious_disease": s.serious_disease,
        "group": s.group,
        "assisted_before": s.assisted_before,
        "deductible_used_before": s.deductible_before,
        "deductible_applied": s.deductible_applied,
        "amount": s.amount,
        "cap_left": s.cap_left,
        "enrolment_id": s.enrolment_id,
        "explanation": s.decision.get("explanation", []),
    }


@router.get("/medical/settlements", response={200: list[SettlementOut], **REFUSALS}, summary="The area's settlements")
def settlement_list(request, year: Query[Year | None] = None):
    perm_require(request.user, Perm.CASE_VIEW)
    qs = selectors.settlement_list(request.user, year=year).order_by("-discharged_on", "-id")
    return [_out(s) for s in qs[:LIST_LIMIT]]


@router.get("/medical/settlements/{settlement_id}", response={200: SettlementOut, **REFUSALS})
def settlement_detail(request, settlement_id: Key):
    perm_require(request.user, Perm.CASE_VIEW)
    return _out(selectors.settlement_get(request.user, settlement_id))


@router.post("/medical/settlements", response={201: SettlementOut, **REFUSALS}, summary="Enter one settlement")
def settlement_create(request, body: SettlementIn):
    perm_require(request.user, Perm.CASE_DECIDE)
    data = body.dict()
    data["in_scope_oop"] = data.pop("in_scope_out_of_pocket")
    data = {k: fmt(v) if isinstance(v, Decimal) else v for k, v in data.items()}
    data["serious_disease"] = "yes" if body.serious_disease else "no"
    s = settlements.settlement_enter(actor=request.user, data=data)
    return Status(201, _out(s))


@router.post("/medical/settlement-imports", response={201: ImportOut, **REFUSALS}, summary="Import a settlement file")
def settlement_import(request, body: ImportIn):
    perm_require(request.user, Perm.CASE_DECIDE)
    content = base64_upload(body.content_base64, file_name=body.file_name)
    batch = settlements.settlement_import(actor=request.user, filename=body.file_name, content=content)
    return Status(
        201,
        {"id": batch.pk, "file_name": batch.file_name, "rows": batch.rows, "paid": batch.paid, "total": batch.total},
    )


@router.post(
    "/medical/premium-rosters", response={201: PremiumRosterOut, **REFUSALS}, summary="Build the premium roster"
)
def premium_roster(request, body: RosterIn):
    perm_require(request.user, Perm.CASE_DECIDE)
    roster = premiums.premium_roster_build(actor=request.user, year=body.year)
    return Status(201, {"year": roster.year, "added": roster.added, "total": roster.total})


@router.get(
    "/medical/statements/{person_id}/{year}",
    response={200: StatementOut, **REFUSALS},
    summary="A person's annual statement",
)
def statement(request, person_id: Key, year: Year):
    perm_require(request.user, Perm.CASE_VIEW)
    if year > timezone.localdate().year:
        raise ApplicationError("年度不能晚于今年", "The year cannot be in the future", field="year")
    st = selectors.statement_get(request.user, person_id, year)
    return {
        "person_id": st.person.pk,
        "name": st.person.name,
        "year": st.year,
        "claims": [_out(c) for c in st.claims],
        "premium": {"group": st.premium.group, "amount": st.premium.amount} if st.premium else None,
        "total_cost": st.total_cost,
        "insurance_paid": st.insurance_paid,
        "in_scope_out_of_pocket": st.in_scope_oop,
        "deductible_applied": st.deductible,
        "assisted": st.assisted,
        "total_paid": st.total_paid,
    }


class CertificateOut(Schema):
    id: int
    person_id: int
    household_id: int
    name: str
    kind: str
    grade: int
    issued_on: dt.date
    valid_until: dt.date
    applied_on: dt.date
    state: str
    review_note: str
    enrolment_id: int | None


class ReviewIn(Schema):
    note: Text(200) = ""


def _cert(c) -> dict:
    return {
        "id": c.pk,
        "person_id": c.person_id,
        "household_id": c.household_id,
        "name": c.person.name,
        "kind": c.kind,
        "grade": c.grade,
        "issued_on": c.issued_on,
        "valid_until": c.valid_until,
        "applied_on": c.applied_on,
        "state": c.state,
        "review_note": c.review_note,
        "enrolment_id": c.enrolment_id,
    }


@router.get(
    "/medical/certificates", response={200: list[CertificateOut], **REFUSALS}, summary="Disability certificates"
)
def certificate_list(request, state: Query[Literal[tuple(CertificateState.values)] | None] = None):
    perm_require(request.user, Perm.CASE_VIEW)
    return [_cert(c) for c in selectors.certificate_list(request.user, state=state)[:LIST_LIMIT]]


@router.post(
    "/medical/certificate-imports",
    response={201: list[CertificateOut], **REFUSALS},
    summary="Import the federation's certificate file",
)
def certificate_import(request, body: ImportIn):
    perm_require(request.user, Perm.VERIFICATION_LOAD)
    content = base64_upload(body.content_base64, file_name=body.file_name)
    batch = certificates.certificate_import(actor=request.user, filename=body.file_name, content=content)
    return Status(201, [_cert(c) for c in batch.certificates.select_related("person")])


@router.post(
    "/medical/certificates/{certificate_id}/{verb}",
    response={200: CertificateOut, **REFUSALS},
    summary="Review (pass, reject) or decide (approve, refuse) a certificate",
)
def certificate_move(
    request, certificate_id: Key, verb: Literal["pass", "reject", "approve", "refuse"], body: ReviewIn
):
    c = scope.get_actionable(request.user, "medical.DisabilityCertificate", certificate_id)
    if verb in ("pass", "reject"):
        c = certificates.certificate_review(actor=request.user, certificate=c, passed=verb == "pass", note=body.note)
    else:
        c = certificates.certificate_decide(actor=request.user, certificate=c, approve=verb == "approve")
    return _cert(c)
