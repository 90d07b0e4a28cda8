from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import household_get, perm_require
from doudi.api.types import AreaCode, Day, Key, Text
from doudi.core.api import JobOut, job_out

from . import actions, tasks
from .models import EvaluationRun, ParameterVersion, Programme
from .rules import PROGRAMMES, evaluate
from .rules.inputs import household_from_json
from .rules.registry_input import household_input

router = Router(tags=["programmes"])


ProgrammeCode = Literal[PROGRAMMES]


class EvaluateIn(Schema):
    """``household`` as in docs/policy.md (docs/household.schema.json)."""

    programme: ProgrammeCode
    on: Day | None = None
    household: dict[str, Any]


class VersionIn(Schema):
    """``values``: the programme's parameters (docs/policy.md); money as strings with at most two decimals,
    ratios and numbers as strings with at most four decimals."""

    area_code: AreaCode
    effective_from: Day
    values: dict[str, Any]
    note: Text(200) = ""


class RunIn(Schema):
    programme: ProgrammeCode
    on: Day
    area_code: Annotated[str, Field(pattern=r"^[0-9]{6,12}$")] | None = None


class StepOut(Schema):
    rule: str
    zh: str
    en: str
    value: Any = None


class MemberLineOut(Schema):
    name: str
    index: int
    counted: bool
    excluded_reason: str | None
    addon: str
    addon_rule: str | None
    income: str


class ReasonOut(Schema):
    code: str
    zh: str
    en: str


class DecisionOut(Schema):
    """A decision with its explanation, step by step (docs/policy.md); money as yuan strings with two decimals."""

    programme: str
    eligible: bool
    monthly_amount: str
    per_capita_income: str
    counted_members: int
    members: list[MemberLineOut]
    explanation: list[StepOut]
    reasons_ineligible: list[ReasonOut]
    extra: dict[str, Any] | None = None


class ProgrammeOut(Schema):
    code: str
    name_zh: str
    name_en: str
    kind: str
    unit: str


class VersionOut(Schema):
    id: int
    programme: str
    area_code: str
    effective_from: dt.date
    status: str
    values: dict[str, Any]
    note: str
    created_by: int | None
    approved_by: int | None


class RunOut(Schema):
    id: int
    programme: str
    on: dt.date
    area_prefix: str
    draft: int | None
    households: int
    summary: dict[str, Any] = Field(description="totals and, by township, who gains, loses or changes amount")


def version_out(v: ParameterVersion) -> dict:
    return {
        "id": v.pk,
        "programme": v.programme_id,
        "area_code": v.area_id,
        "effective_from": v.effective_from,
        "status": v.status,
        "values": v.values,
        "note": v.note,
        "created_by": v.created_by_id,
        "approved_by": v.approved_by_id,
    }


def run_out(r: EvaluationRun) -> dict:
    return {
        "id": r.pk,
        "programme": r.programme_id,
        "on": r.on,
        "area_prefix": r.area_prefix,
        "draft": r.draft_id,
        "households": r.households,
        "summary": r.summary,
    }


@router.post("/evaluate", response=DecisionOut, summary="Evaluate a household given as JSON (docs/policy.md)")
def evaluate_json(request, body: EvaluateIn):
    perm_require(request.user, Perm.EVALUATE)
    return evaluate(body.programme, household_from_json(body.household), body.on or timezone.localdate()).as_dict()


@router.get(
    "/households/{household_id}/decision/{programme}",
    response=DecisionOut,
    summary="What would this registered household get?",
)
def household_decision(request, household_id: Key, programme: ProgrammeCode, on: Day | None = None):
    perm_require(request.user, Perm.EVALUATE)
    h = household_get(request.user, household_id)
    return evaluate(programme, household_input(h), on or timezone.localdate()).as_dict()


@router.get("/programmes", response=list[ProgrammeOut])
def programme_list(request):
    perm_require(request.user, Perm.EVALUATE)
    return [
        {"code": p.code, "name_zh": p.name_zh, "name_en": p.name_en, "kind": p.kind, "unit": p.unit}
        for p in Programme.objects.all()
    ]


@router.get("/programmes/{code}/versions", response=list[VersionOut])
def version_list(request, code: ProgrammeCode):
    perm_require(request.user, Perm.EVALUATE)
    return [
        version_out(v) for v in scope.visible(request.user, "programmes.ParameterVersion").filter(programme_id=code)
    ]


@router.post("/programmes/{code}/versions", response={201: VersionOut}, summary="Draft a parameter version")
def version_create(request, code: ProgrammeCode, body: VersionIn):
    v = actions.parameter_version_create(
        actor=request.user,
        programme=code,
        area_code=body.area_code,
        effective_from=body.effective_from,
        values=body.values,
        note=body.note,
    )
    return Status(201, version_out(v))


def _version(request, pk) -> ParameterVersion:
    """A version the user may act on (inside their area); any other answers as missing."""
    return scope.get_actionable(request.user, "programmes.ParameterVersion", pk)


@router.post("/versions/{version_id}/approve", response=VersionOut)
def version_approve(request, version_id: Key):
    perm_require(request.user, Perm.PARAMETERS_APPROVE)
    return version_out(actions.parameter_version_approve(actor=request.user, version=_version(request, version_id)))


@router.post(
    "/versions/{version_id}/simulate",
    response={202: JobOut},
    summary="What-if: the registry under this draft, by township (a background job)",
)
def version_simulate(request, version_id: Key, on: Day | None = None):
    perm_require(request.user, Perm.PARAMETERS_EDIT)
    v = _version(request, version_id)
    return Status(
        202, job_out(tasks.evaluation_simulate_enqueue(actor=request.user, version=v, on=on or v.effective_from))
    )


@router.post(
    "/evaluation-runs", response={202: JobOut}, summary="Re-evaluate every household in an area (a background job)"
)
def run_create(request, body: RunIn):
    perm_require(request.user, Perm.EVALUATION_RUN)
    prefix = scope.area_get(request.user, body.area_code).prefix if body.area_code else None
    return Status(
        202,
        job_out(
            tasks.evaluation_run_enqueue(actor=request.user, programme=body.programme, on=body.on, area_prefix=prefix)
        ),
    )


@router.get("/evaluation-runs/{run_id}", response=RunOut)
def run_detail(request, run_id: Key):
    perm_require(request.user, Perm.EVALUATE)
    return run_out(scope.get_visible(request.user, "programmes.EvaluationRun", run_id))
