"""/api/v1 for a household's move to another township of the county (doudi/benefits/transfers.py): the moves
the caller's township may see, asking for one, and accepting, sending back or withdrawing it — the same actions,
scope and audit as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Router, Schema

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import household_get, perm_require
from doudi.api.schemas import ErrorOut
from doudi.api.types import Day, Key, Text
from doudi.benefits import transfers
from doudi.benefits.models import Transfer, TransferState

router = Router(tags=["transfers"])
REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class TransferOut(Schema):
    id: int
    household_id: int
    from_area: str
    to_area: str
    moved_on: dt.date
    address: str
    reason: str
    state: Literal[tuple(TransferState.values)]
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    note: str


class TransferIn(Schema):
    to_area: Text(12, required=True, description="a village code of another township of the county")
    moved_on: Day
    address: Text(200) = ""
    reason: Text(200, required=True)


class DecisionIn(Schema):
    note: Text(200) = ""


def _out(t: Transfer) -> dict:
    return {
        "id": t.pk,
        "household_id": t.household_id,
        "from_area": t.from_area_id,
        "to_area": t.to_area_id,
        "moved_on": t.moved_on,
        "address": t.address,
        "reason": t.reason,
        "state": t.state,
        "requested_at": t.requested_at,
        "decided_at": t.decided_at,
        "note": t.note,
    }


@router.get("/transfers", response={200: list[TransferOut], **REFUSALS}, summary="Moves in and out of your area")
def transfer_list(request, state: Literal[tuple(["", *TransferState.values])] = ""):
    perm_require(request.user, Perm.REGISTRY_VIEW)
    qs = transfers.transfers_visible(request.user)
    if state:
        qs = qs.filter(state=state)
    return [_out(t) for t in qs[:500]]


@router.post(
    "/households/{household_id}/transfers",
    response={201: TransferOut, **REFUSALS},
    summary="Ask to move a household to another township of the county",
)
def transfer_request(request, household_id: Key, body: TransferIn):
    perm_require(request.user, Perm.REGISTRY_EDIT)
    t = transfers.transfer_request(
        actor=request.user,
        household=household_get(request.user, household_id),
        to_area=body.to_area,
        moved_on=body.moved_on,
        address=body.address,
        reason=body.reason,
    )
    return 201, _out(t)


@router.post(
    "/transfers/{transfer_id}/{verb}",
    response={200: TransferOut, **REFUSALS},
    summary="Accept (the township moved to), send back with a note (the same), or withdraw (the township left)",
)
def transfer_decide(request, transfer_id: Key, verb: Literal["accept", "refuse", "withdraw"], body: DecisionIn):
    perm_require(request.user, Perm.REGISTRY_EDIT)
    t = scope.get_visible(request.user, "benefits.Transfer", transfer_id)
    if verb == "accept":
        t = transfers.transfer_accept(actor=request.user, transfer=t, note=body.note)
    elif verb == "refuse":
        t = transfers.transfer_refuse(actor=request.user, transfer=t, note=body.note)
    else:
        t = transfers.transfer_withdraw(actor=request.user, transfer=t)
    return _out(t)
