"""/api/v1 for the basic funeral fee waiver (docs/programmes.md, "Basic funeral fee waiver"): the funeral homes the
caller may choose, adding one and changing one; the waivers of the caller's area; a deceased person's waiver,
previewed (the rules' decision with each service's cap and waived amount, nothing written) or granted. Thin, over
doudi/benefits/funeral.py: the same checks, scope and audit as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.benefits import actions, funeral
from doudi.core.errors import ApplicationError
from doudi.core.idnumber import account_mask
from doudi.core.validation import month_clean
from doudi.payments.models import ACCOUNT_HOLDER_MAX
from doudi.programmes.api import ReasonOut, StepOut
from doudi.programmes.rules.inputs import FUNERAL_SERVICES

from .schemas import ErrorOut, LinesMovedOut, lines_moved_out
from .types import AREA_CODE_PATTERN, MONTH_PATTERN, Account, Key, Money, Text

router = Router(tags=["funeral"])
REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class FuneralHomeOut(Schema):
    id: int
    name: str
    area_code: str
    bank_account: str = Field(description="masked: the last 4 digits")
    account_holder: str


class FuneralHomeIn(Schema):
    name: Text(100, required=True)
    area_code: Annotated[str, Field(pattern=AREA_CODE_PATTERN, description="the county or a township of yours")]
    bank_account: Account
    account_holder: Text(ACCOUNT_HOLDER_MAX, required=True)


class FuneralHomePatch(Schema):
    """What to change; a field left out (or null) stays as it is."""

    name: Text(100, required=True) | None = None
    bank_account: Account | None = None
    account_holder: Text(ACCOUNT_HOLDER_MAX, required=True) | None = None


class FuneralHomeUpdateOut(FuneralHomeOut, LinesMovedOut):
    changed: list[str] = Field(description="the fields changed: name, bank_account, account_holder")


class WaiverOut(Schema):
    enrolment_id: int
    person_id: int
    name: str
    died_on: dt.date | None
    area_code: str
    township: str
    village: str
    funeral_home: str
    amount: str = Field(description="yuan, two decimals")
    month: dt.date = Field(description="the month whose funeral payroll pays it")
    status: str = Field(description="active (not paid yet), suspended (held), ended (paid), terminated")
    payroll_state: str = Field(description="its payroll's state (draft … reconciled); empty: not in a payroll yet")


class ServiceIn(Schema):
    kind: Literal[FUNERAL_SERVICES]
    fee: Money
    days: Annotated[int, Field(ge=0, le=funeral.DAYS_MAX, description="cold storage: the days, 1 or more")] = 0


class WaiverIn(Schema):
    funeral_home_id: Key | None = Field(None, description="required to grant; a preview may leave it out")
    services: list[ServiceIn] = Field(min_length=1, max_length=len(FUNERAL_SERVICES))
    note: Text(150) = ""
    preview: bool = False


class ServiceLineOut(Schema):
    kind: str
    fee: str
    days: int
    cap: str | None = Field(description="the most waived (cold storage: a day); null: not a basic service")
    cap_days: int | None = Field(description="cold storage: the days waived at most")
    waived: str


class WaiverPreviewOut(Schema):
    person_id: int
    eligible: bool
    amount: str
    month: dt.date
    services: list[ServiceLineOut]
    explanation: list[StepOut]
    reasons_ineligible: list[ReasonOut]


class WaiverGrantOut(Schema):
    enrolment_id: int
    person_id: int
    funeral_home_id: int
    amount: str
    month: dt.date
    explanation: list[StepOut]


def _home(h) -> dict:
    return {
        "id": h.pk,
        "name": h.name,
        "area_code": h.area_code,
        "bank_account": account_mask(h.bank_account),
        "account_holder": h.account_holder,
    }


@router.get("/funeral-homes", response={200: list[FuneralHomeOut], **REFUSALS})
def funeral_homes(request):
    """The funeral homes of your area and of the areas above it (the county's)."""
    perm_require(request.user, Perm.CASE_VIEW)
    return [_home(h) for h in funeral.funeral_homes(request.user)]


@router.post("/funeral-homes", response={201: FuneralHomeOut, **REFUSALS})
def funeral_home_create(request, body: FuneralHomeIn):
    perm_require(request.user, Perm.CASE_DECIDE)
    area = scope.area_get(request.user, body.area_code)
    home = actions.funeral_home_create(
        actor=request.user,
        name=body.name,
        area_code=area.code,
        bank_account=body.bank_account,
        account_holder=body.account_holder,
    )
    return Status(201, _home(home))


@router.patch(
    "/funeral-homes/{home_id}",
    response={200: FuneralHomeUpdateOut, **REFUSALS},
    summary="Change a funeral home's name, account or holder (a home of your own area)",
)
def funeral_home_update(request, home_id: Key, body: FuneralHomePatch):
    """A home of an area above yours (the county's, for a township) is yours to choose, not to change: 404 as a
    missing one. A new account or holder reaches the lines of draft funeral payrolls that pay the home; lines of
    checked or approved payrolls keep the old one (counted, with their payrolls and ``notes``)."""
    perm_require(request.user, Perm.CASE_DECIDE)
    home = funeral.funeral_home_get(request.user, home_id, field="home_id", change=True)
    result = actions.funeral_home_update(  # a field left out or null: as it is
        actor=request.user,
        home=home,
        name=body.name,
        bank_account=body.bank_account,
        account_holder=body.account_holder,
    )
    return {
        **_home(result.home),
        "changed": result.changed,
        **lines_moved_out(result.lines, to_zh=actions.FUNERAL_HOME_PAYEE),
    }


@router.get(
    "/funeral-waivers",
    response={200: list[WaiverOut], **REFUSALS},
    summary="Funeral waivers in the caller's area, the latest month first, a page at a time",
)
def funeral_waivers(
    request,
    month: Annotated[str, Field(pattern=f"({MONTH_PATTERN})|^$", description="YYYY-MM: the month paid")] = "",
    area: Annotated[
        str, Field(pattern=r"^([0-9]{12})?$", description="a township or village code of 12 digits inside yours")
    ] = "",
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Field(ge=1, le=1000)] = 1000,
):
    perm_require(request.user, Perm.CASE_VIEW)
    m = month_clean(month, field="month", zh_label="发放月份", en_label="Month paid") if month else None
    rows = funeral.waiver_rows(funeral.waivers(request.user, month=m, area=area)[offset : offset + limit])
    return [
        {
            "enrolment_id": r.enrolment.pk,
            "person_id": r.person.pk,
            "name": r.person.name,
            "died_on": r.person.died_on,
            "area_code": r.enrolment.area_code,
            "township": r.township,
            "village": r.village,
            "funeral_home": r.funeral_home,
            "amount": f"{r.amount:.2f}",
            "month": r.month,
            "status": r.enrolment.status,
            "payroll_state": r.payroll_state,
        }
        for r in rows
    ]


@router.post(
    "/people/{person_id}/funeral-waiver",
    response={200: WaiverPreviewOut, 201: WaiverGrantOut, **REFUSALS},
    summary="A deceased person's funeral waiver: previewed (200, nothing written) or granted (201)",
)
def funeral_waiver(request, person_id: Key, body: WaiverIn):
    """The rules decide on the services (each kind once; cold storage with its days); granted today, paid to the
    funeral home through the funeral payroll of this month. A death not recorded answers 400 `death_unrecorded`, a
    second waiver 409 `already_waived`, a person or funeral home outside your area 404."""
    perm_require(request.user, Perm.CASE_DECIDE)
    person = scope.person_get(request.user, person_id)
    services = funeral.services_check(
        [
            funeral.ServiceIn(s.kind, s.fee, s.days, f"services.{i}.fee", f"services.{i}.days")
            for i, s in enumerate(body.services)
        ]
    )
    today = timezone.localdate()
    if body.preview:
        result = funeral.funeral_preview(actor=request.user, person=person, services=services, on=today)
        decision = result.decision.as_dict()
        return Status(
            200,
            {
                "person_id": person.pk,
                "eligible": result.eligible,
                "amount": f"{result.amount:.2f}",
                "month": result.month,
                "services": [
                    {
                        "kind": line.kind,
                        "fee": f"{line.fee:.2f}",
                        "days": line.days,
                        "cap": None if line.cap is None else f"{line.cap:.2f}",
                        "cap_days": line.cap_days,
                        "waived": f"{line.waived:.2f}",
                    }
                    for line in result.lines
                ],
                "explanation": decision["explanation"],
                "reasons_ineligible": decision["reasons_ineligible"],
            },
        )
    if body.funeral_home_id is None:
        raise ApplicationError(
            "请选择殡仪馆（减免款付给殡仪馆）", "Choose the funeral home", field="funeral_home_id", code="required"
        )
    home = funeral.funeral_home_get(request.user, body.funeral_home_id, field="funeral_home_id")
    e = funeral.funeral_waive(
        actor=request.user, person=person, funeral_home=home, services=services, note=body.note, on=today
    )
    return Status(
        201,
        {
            "enrolment_id": e.pk,
            "person_id": person.pk,
            "funeral_home_id": home.pk,
            "amount": f"{e.monthly_amount:.2f}",
            "month": e.start_month,
            "explanation": e.case.decision_explanation.get("explanation", []),
        },
    )
