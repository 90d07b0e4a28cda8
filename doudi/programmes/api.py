from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone, translation
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import household_get, perm_require
from doudi.api.types import AreaCode, Day, Key, Text
from doudi.core.api import JobOut, job_out
from doudi.core.money import MONEY_PATTERN

from . import actions, tasks, views
from .exports import run_changes_xlsx
from .models import ChangeKind, EvaluationRun, ParameterVersion, Programme
from .params import SPECS
from .rules import HOUSEHOLD_PROGRAMMES, PROGRAMMES, evaluate
from .rules.inputs import household_from_json
from .rules.registry_input import household_input
from .selectors import change_filter_parse, run_change_counts, run_changes, run_changes_page, version_changes

router = Router(tags=["programmes"])


ProgrammeCode = Literal[PROGRAMMES]
HouseholdProgramme = Literal[HOUSEHOLD_PROGRAMMES]


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
    programme: HouseholdProgramme
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

    programme: HouseholdProgramme
    eligible: bool
    monthly_amount: str
    per_capita_income: str
    counted_members: int
    members: list[MemberLineOut]
    explanation: list[StepOut]
    reasons_ineligible: list[ReasonOut]
    extra: dict[str, Any] | None = None


class ProgrammeDecisionOut(Schema):
    """A decision of a programme paid once (``amount``: temporary, medical, funeral) or per person each month
    (``monthly_amount`` and each member's ``amount``: elderly, children, disability), with its own result fields
    (docs/policy.md, "Every programme")."""

    programme: Literal[tuple(c for c in PROGRAMMES if c not in HOUSEHOLD_PROGRAMMES)]
    eligible: bool
    amount: str | None = None
    monthly_amount: str | None = None
    approval_level: Literal["township", "county"] | None = None
    fast_track: bool | None = None
    paperwork_working_days: int | None = None
    group: str | None = None
    deductible_applied: str | None = None
    cap_left: str | None = None
    payee: str | None = None
    services: list[dict[str, Any]] | None = None
    members: list[dict[str, Any]]
    explanation: list[StepOut]
    reasons_ineligible: list[ReasonOut]


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


@router.post(
    "/evaluate",
    response=DecisionOut | ProgrammeDecisionOut,
    summary="Evaluate a household given as JSON (docs/policy.md)",
)
def evaluate_json(request, body: EvaluateIn):
    perm_require(request.user, Perm.EVALUATE)
    return evaluate(body.programme, household_from_json(body.household), body.on or timezone.localdate()).as_dict()


@router.get(
    "/households/{household_id}/decision/{programme}",
    response=DecisionOut,
    summary="What would this registered household get?",
)
def household_decision(request, household_id: Key, programme: HouseholdProgramme, on: Day | None = None):
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


# ---- parameters as a schema; a version with its difference from the version in force ----------------------------
class ParameterSpecOut(Schema):
    """One parameter of a programme: how ``values`` gives it (docs/policy.md)."""

    name: str
    kind: Literal["money", "ratio", "number", "int", "bool", "choice", "list"]
    label_zh: str
    label_en: str
    unit_zh: str
    unit_en: str
    help_zh: str
    help_en: str
    minimum: str | None
    maximum: str | None
    greater_than_zero: bool
    choices: list[str]


class ParameterChangeOut(Schema):
    name: str
    label_zh: str
    label_en: str
    old: str = Field(description="the value in force, as shown (— when none)")
    new: str
    change: str = Field(description="the change, as shown; empty when unchanged")
    changed: bool


class VersionDetailOut(VersionOut):
    changes: list[ParameterChangeOut] = Field(description="field by field against the version in force")


@router.get("/programmes/{code}/parameters", response=list[ParameterSpecOut], summary="The programme's parameters")
def parameter_specs(request, code: ProgrammeCode):
    perm_require(request.user, Perm.EVALUATE)
    return [
        {
            "name": s.name,
            "kind": s.kind,
            "label_zh": s.zh,
            "label_en": s.en,
            "unit_zh": "%" if s.kind == "ratio" else s.unit,
            "unit_en": "%" if s.kind == "ratio" else s.unit_en,
            "help_zh": s.help,
            "help_en": s.help_en,
            "minimum": None if s.minimum is None else str(s.minimum),
            "maximum": None if s.maximum is None else str(s.maximum),
            "greater_than_zero": s.positive,
            "choices": list(s.choices),
        }
        for s in SPECS[code]
    ]


@router.get("/versions/{version_id}", response=VersionDetailOut, summary="A version and its difference")
def version_detail(request, version_id: Key):
    perm_require(request.user, Perm.EVALUATE)
    v = scope.get_visible(request.user, "programmes.ParameterVersion", version_id)
    zh, en = version_changes(v, en=False), version_changes(v, en=True)
    return {
        **version_out(v),
        "changes": [
            {
                "name": a.spec.name,
                "label_zh": a.spec.zh,
                "label_en": a.spec.en,
                "old": a.old,
                "new": a.new,
                "change": a.change,
                "changed": a.changed,
            }
            for a, _b in zip(zh, en, strict=True)
        ],
    }


# ---- a run's list of households ------------------------------------------------------------------------------------
SIGNED_MONEY = r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$"
AmountFilter = Annotated[str, Field(pattern=MONEY_PATTERN, max_length=15, description="元 / yuan, e.g. 300.00")]
SignedAmountFilter = Annotated[
    str, Field(pattern=SIGNED_MONEY, max_length=16, description="元，可为负 / yuan, may be negative, e.g. -50.00")
]


class ChangeOut(Schema):
    household_id: int
    head_name: str
    township_code: str
    area_code: str
    kind: Literal[tuple(ChangeKind.values)]
    kind_zh: str
    kind_en: str
    counted_members: int
    per_capita_income: Decimal
    before_amount: Decimal = Field(description="元：现行标准下（模拟）或上次测算（批量测算）/ yuan before")
    after_amount: Decimal = Field(description="元：草稿标准下或本次测算 / yuan after")
    difference: Decimal


class KindCountOut(Schema):
    households: int
    before: Decimal
    after: Decimal
    difference: Decimal


class ChangesOut(Schema):
    run: int
    base_run: int | None
    total: int = Field(description="households meeting the filters")
    counts: dict[str, KindCountOut] = Field(description="by change kind (the kind filter left out), and 'all'")
    items: list[ChangeOut]
    next: str | None = Field(description="pass as `after` for the next page; null on the last page")


class ChangesQuery(Schema):
    area: AreaCode | None = None
    kind: Literal[tuple(ChangeKind.values)] | None = None
    amount_min: AmountFilter | None = None
    amount_max: AmountFilter | None = None
    diff_min: SignedAmountFilter | None = None
    diff_max: SignedAmountFilter | None = None
    order: Literal["-difference", "difference", "area"] = "-difference"


def _changes(request, run_id, query: ChangesQuery):
    perm_require(request.user, Perm.EVALUATE)
    run = scope.get_visible(request.user, "programmes.EvaluationRun", run_id)
    f = change_filter_parse(query.dict(exclude_none=True), area_get=lambda code: scope.area_get(request.user, code))
    return run, f, run_changes(run, scope_prefix=request.user.scope_prefix, f=f)


def _kind_labels() -> dict:
    out = {}
    for k, label in ChangeKind.choices:
        with translation.override("zh-hans"):
            zh = str(label)
        with translation.override("en"):
            out[k] = (zh, str(label))
    return out


@router.get(
    "/evaluation-runs/{run_id}/households",
    response=ChangesOut,
    summary="A run's households: who newly qualifies, who would lose, who gains or loses how much (paged)",
)
def run_households(
    request,
    run_id: Key,
    query: Query[ChangesQuery],
    after: Annotated[str, Field(pattern=r"^-?[0-9]{1,15}_[0-9]{1,19}$", max_length=40)] | None = None,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
):
    run, f, qs = _changes(request, run_id, query)
    rows, cursor = run_changes_page(qs, order=f.order, after=after or "", limit=limit)
    counts = run_change_counts(run_changes(run, scope_prefix=request.user.scope_prefix, f=f, kind=False))
    labels = _kind_labels()
    return {
        "run": run.pk,
        "base_run": run.base_id,
        "total": qs.count(),
        "counts": {**counts["kinds"], "all": counts["total"]},
        "items": [
            {
                "household_id": r.household_id,
                "head_name": r.head_name,
                "township_code": r.township_code,
                "area_code": r.area_code,
                "kind": r.kind,
                "kind_zh": labels[r.kind][0],
                "kind_en": labels[r.kind][1],
                "counted_members": r.counted_members,
                "per_capita_income": r.per_capita_income,
                "before_amount": r.before_amount,
                "after_amount": r.after_amount,
                "difference": r.difference,
            }
            for r in rows
        ],
        "next": cursor or None,
    }


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/evaluation-runs/{run_id}/households.xlsx",
    response={200: None, 202: JobOut},
    summary="The same list, filtered, as .xlsx (amounts as numbers); a long list is a background job (202)",
    openapi_extra={
        "responses": {
            "200": {"description": ".xlsx", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}
        }
    },
)
def run_households_xlsx(request, run_id: Key, query: Query[ChangesQuery]):
    run, f, qs = _changes(request, run_id, query)
    if qs.count() > views.EXPORT_INLINE_MAX:
        job = tasks.evaluation_export_enqueue(actor=request.user, run=run, filters=query.dict(exclude_none=True))
        return Status(202, job_out(job))
    content, _count = run_changes_xlsx(run, qs, order=f.order)
    return views.xlsx_response(content, f"evaluation-run-{run.pk}.xlsx")


@router.get(
    "/evaluation-exports/{job_id}",
    response={200: None},
    summary="The .xlsx an export job wrote (for the person who asked for it)",
    openapi_extra={
        "responses": {
            "200": {"description": ".xlsx", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}
        }
    },
)
def evaluation_export_file(request, job_id: Key):
    perm_require(request.user, Perm.EVALUATE)
    return views.xlsx_response(views.export_file(request.user, job_id), f"evaluation-export-{job_id}.xlsx")
