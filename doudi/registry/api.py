from __future__ import annotations

from typing import Annotated, Literal

from ninja import Router
from ninja.responses import Status
from pydantic import Field

from doudi.accounts.roles import Perm
from doudi.accounts.scope import household_get, perm_require, person_get
from doudi.api.schemas import (
    FullNumberOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdPage,
    HouseholdPatch,
    MemberIn,
    MoveIn,
    PersonOut,
    PersonPatch,
    RecordIn,
    RecordOut,
)
from doudi.api.types import Key, Text
from doudi.audit.actions import access_record, jsonable, snapshot
from doudi.core.idnumber import account_mask, id_mask

from . import actions, selectors
from .models import RECORD_MODELS

router = Router(tags=["registry"])
RecordKind = Literal[tuple(RECORD_MODELS)]
MAX_OFFSET = 1_000_000
MAX_LIMIT = 500


def person_out(p, membership=None) -> dict:
    return {
        **{f: getattr(p, f) for f in PersonOut.model_fields if hasattr(p, f) and f not in ("relation",)},
        "id_number_masked": id_mask(p.id_number),
        "relation": membership.relation if membership else None,
        "household_id": membership.household_id if membership else None,
    }


def household_summary(h) -> dict:
    return {
        "id": h.pk,
        "area_code": h.area_id,
        "hukou_type": h.hukou_type,
        "hukou_place": h.hukou_place,
        "residence_permit": h.residence_permit,
        "head_name": h.head_name,
        "member_count": h.member_count,
        "phone": h.phone,
    }


def household_out(h) -> dict:
    overview = selectors.household_overview(h)
    records = []
    for kind, model in RECORD_MODELS.items():
        for r in model.objects.filter(household=h).order_by("id"):
            records.append({"kind": kind, "id": r.pk, "fields": jsonable(snapshot(r, exclude=("id", "household")))})
    return {
        **household_summary(h),
        "address": h.address,
        "bank_name": h.bank_name,
        "bank_account_masked": account_mask(h.bank_account),
        "account_holder": h.account_holder,
        "members": [person_out(m.person, m) for m in overview["members"]],
        "records": records,
    }


@router.get("/households", response=HouseholdPage, summary="Search households (name, ID number, phone, area)")
def household_list(
    request,
    q: Text(100) = "",
    area: Annotated[str, Field(pattern=r"^[0-9]{0,12}$")] = "",
    hukou_type: Literal["", "urban", "rural"] = "",
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = 50,
):
    """``offset`` 0–1,000,000 and ``limit`` 1–500 (rows per page)."""
    perm_require(request.user, Perm.REGISTRY_VIEW)
    qs = selectors.household_search(request.user, q=q, area=area, hukou_type=hukou_type)
    return {
        "count": qs.count(),
        "offset": offset,
        "limit": limit,
        "items": [household_summary(h) for h in qs[offset : offset + limit]],
    }


@router.post("/households", response={201: HouseholdOut}, summary="Register a household with its members")
def household_create(request, body: HouseholdIn):
    data = body.dict()
    members = data.pop("members")
    area = data.pop("area_code")
    h = actions.household_register(actor=request.user, area_code=area, data=data, members=members)
    return Status(201, household_out(h))


@router.get("/households/{household_id}", response=HouseholdOut)
def household_detail(request, household_id: Key):
    perm_require(request.user, Perm.REGISTRY_VIEW)
    return household_out(household_get(request.user, household_id))


@router.patch("/households/{household_id}", response=HouseholdOut)
def household_patch(request, household_id: Key, body: HouseholdPatch):
    h = household_get(request.user, household_id)
    data = body.dict(exclude_unset=True)
    for name in ("area_code", "hukou_type", "residence_permit"):  # always set: null leaves them as they are
        if data.get(name, "") is None:
            del data[name]
    h = actions.household_update(actor=request.user, household=h, data=data)
    return household_out(household_get(request.user, h.pk))


@router.post("/households/{household_id}/members", response={201: PersonOut})
def member_create(request, household_id: Key, body: MemberIn):
    h = household_get(request.user, household_id)
    p = actions.member_add(actor=request.user, household=h, data=body.dict())
    return Status(201, person_out(p, p.memberships.get(end_date__isnull=True)))


@router.post("/households/{household_id}/records/{kind}", response={201: RecordOut})
def record_create(request, household_id: Key, kind: RecordKind, body: RecordIn):
    h = household_get(request.user, household_id)
    r = actions.record_add(
        actor=request.user, household=h, kind=kind, data={k: v for k, v in body.dict().items() if v is not None}
    )
    return Status(201, {"kind": kind, "id": r.pk, "fields": jsonable(snapshot(r, exclude=("id", "household")))})


@router.delete("/households/{household_id}/records/{kind}/{record_id}", response={204: None})
def record_remove(request, household_id: Key, kind: RecordKind, record_id: Key):
    h = household_get(request.user, household_id)
    actions.record_delete(actor=request.user, household=h, kind=kind, record_id=record_id)
    return Status(204, None)


@router.get("/people/{person_id}", response=PersonOut)
def person_detail(request, person_id: Key):
    perm_require(request.user, Perm.REGISTRY_VIEW)
    p = person_get(request.user, person_id)
    return person_out(p, p.memberships.get(end_date__isnull=True))


@router.get(
    "/people/{person_id}/id-number",
    response=FullNumberOut,
    summary="The full ID number (each call is written to the audit trail)",
)
def person_id_number(request, person_id: Key):
    perm_require(request.user, Perm.PII_FULL)
    p = person_get(request.user, person_id)
    m = p.memberships.select_related("household").get(end_date__isnull=True)
    access_record(
        actor=request.user, target=p, field="id_number", area_code=m.household.area_id, household_id=m.household_id
    )
    return {"id_number": p.id_number}


@router.patch("/people/{person_id}", response=PersonOut)
def person_patch(request, person_id: Key, body: PersonPatch):
    p = person_get(request.user, person_id)
    p = actions.person_update(actor=request.user, person=p, data=body.dict(exclude_unset=True))
    return person_out(p, p.memberships.get(end_date__isnull=True))


@router.post("/people/{person_id}/move", response=PersonOut)
def person_move(request, person_id: Key, body: MoveIn):
    p = person_get(request.user, person_id)
    target = household_get(request.user, body.to_household)
    m = actions.person_move(
        actor=request.user, person=p, to_household=target, relation=body.relation, on=body.on, reason=body.reason
    )
    return person_out(p, m)
