"""/api/v1 for verification: kinds and their schemas, loads, requests to departments, a case's findings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Router, Schema
from ninja.responses import Status

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.api.schemas import ErrorOut
from doudi.api.types import Day, Key, Text
from doudi.cases.models import Case
from doudi.core.idnumber import id_mask
from doudi.core.labels import said
from doudi.core.uploads import base64_upload

from . import alerts, discovery, monitoring, report, requests, selectors, visits
from .loads import dataset_load
from .models import AlertRule, AlertState, DiscoveryRule, DiscoveryState, Finding, Tier
from .schemas import KINDS, Department

router = Router(tags=["verification"])
REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
LIST_LIMIT = 500


class ElementOut(Schema):
    code: str
    name: str
    type: str
    element_class: str
    sensitive: bool
    required: bool
    choices: list[str]


class KindOut(Schema):
    code: str
    name: str
    department: str
    elements: list[ElementOut]


class LoadOut(Schema):
    id: int
    kind: str
    department: str
    version: int
    as_of: dt.date
    file_name: str
    rows: int
    matched: int
    unmatched: int
    request: str | None


class LoadIn(Schema):
    kind: Literal[tuple(KINDS)]
    as_of: Day
    file_name: Text(200, required=True, description="ends in .csv, .xlsx or .parquet")
    content_base64: Annotated[str, Field(max_length=200_000_000, description="the file, base64")]
    request_id: Key | None = None


class RequestIn(Schema):
    department: Literal[tuple(Department.values)]
    case_ids: Annotated[list[Key], Field(min_length=1, max_length=LIST_LIMIT)]


class SubjectOut(Schema):
    name: str
    id_number_masked: str
    household_id: int


class RequestOut(Schema):
    id: int
    reference: str
    department: str
    kinds: list[str]
    case_id: int | None
    state: str
    sent_on: dt.date
    due_on: dt.date
    overdue: bool = Field(description="still unanswered after the deadline (working days)")
    answered_on: dt.date | None = Field(None, description="the day the last answer file was loaded")
    answered_late: bool = Field(False, description="answered after the deadline")
    subjects: list[SubjectOut]


class FindingOut(Schema):
    id: int
    person: str
    kind: str
    what: str
    found_monthly: Decimal | None
    declared_monthly: Decimal | None
    found_asset: Decimal | None
    declared_asset: Decimal | None
    discrepancy: str
    state: str
    match_method: str = Field(description="how the department's record was matched: id, id15 or fuzzy")
    match_probability: float | None = Field(None, description="a fuzzy match's probability")


class DisputeIn(Schema):
    reason: Text(200, required=False) = ""


def _load_out(load) -> dict:
    return {
        "id": load.pk,
        "kind": load.kind,
        "department": load.department,
        "version": load.version,
        "as_of": load.as_of,
        "file_name": load.file_name,
        "rows": load.rows,
        "matched": load.matched,
        "unmatched": load.unmatched,
        "request": load.request.reference if load.request_id else None,
    }


def _request_out(req) -> dict:
    return {
        "id": req.pk,
        "reference": req.reference,
        "department": req.department,
        "kinds": req.kinds,
        "case_id": req.case_id,
        "state": req.state,
        "sent_on": req.sent_on,
        "due_on": req.due_on,
        "overdue": requests.is_overdue(req),
        "answered_on": req.answered_on,
        "answered_late": req.answered_late,
        "subjects": [
            {"name": s.person.name, "id_number_masked": id_mask(s.person.id_number), "household_id": s.household_id}
            for s in req.subjects.select_related("person")
        ],
    }


def _finding_out(f: Finding) -> dict:
    return {
        "id": f.pk,
        "person": f.person.name,
        "kind": f.kind,
        "what": f.what,
        "found_monthly": f.found_monthly,
        "declared_monthly": f.declared_monthly,
        "found_asset": f.found_asset,
        "declared_asset": f.declared_asset,
        "discrepancy": f.discrepancy,
        "state": f.state,
        "match_method": f.record.match_method,
        "match_probability": f.record.match_probability,
    }


@router.get("/verification/kinds", response=list[KindOut], summary="Dataset kinds and their declared schemas")
def kind_list(request):
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    return [
        {
            "code": k.code,
            "name": k.label,
            "department": k.department,
            "elements": [
                {
                    "code": e.code,
                    "name": e.label,
                    "type": e.type,
                    "element_class": e.cls,
                    "sensitive": e.sensitive,
                    "required": e.required,
                    "choices": [c for c, _label in e.choices],
                }
                for e in k.elements
            ],
        }
        for k in KINDS.values()
    ]


@router.get("/verification/loads", response={200: list[LoadOut], **REFUSALS})
def load_list(request):
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    loads = scope.visible(request.user, "verification.DatasetLoad").select_related("request").order_by("-id")
    return [_load_out(x) for x in loads[:LIST_LIMIT]]


@router.post("/verification/loads", response={201: LoadOut, **REFUSALS}, summary="Load a department's file")
def load_create(request, body: LoadIn):
    perm_require(request.user, Perm.VERIFICATION_LOAD)
    content = base64_upload(body.content_base64, file_name=body.file_name, kinds=("csv", "xlsx", "parquet"))
    req = None
    if body.request_id is not None:
        req = scope.get_actionable(request.user, "verification.VerificationRequest", body.request_id)
    load = dataset_load(
        actor=request.user, kind=body.kind, as_of=body.as_of, filename=body.file_name, content=content, request=req
    )
    return Status(201, _load_out(load))


@router.get("/verification/loads/{load_id}", response={200: LoadOut, **REFUSALS})
def load_detail(request, load_id: Key):
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    return _load_out(scope.get_visible(request.user, "verification.DatasetLoad", load_id))


@router.post("/verification/requests", response={201: RequestOut, **REFUSALS}, summary="Request a department's data")
def request_create(request, body: RequestIn):
    req = requests.request_send(actor=request.user, department=body.department, case_ids=body.case_ids)
    return Status(201, _request_out(req))


@router.get("/verification/requests/{request_id}", response={200: RequestOut, **REFUSALS})
def request_detail(request, request_id: Key):
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    return _request_out(scope.get_visible(request.user, "verification.VerificationRequest", request_id))


@router.get("/cases/{case_id}/verification", response={200: list[FindingOut], **REFUSALS})
def findings_list(request, case_id: Key):
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    case = scope.get_visible(request.user, "cases.Case", case_id)
    return [_finding_out(f) for f in Finding.objects.filter(case=case).select_related("person", "record")]


@router.post("/cases/{case_id}/verification", response={200: list[FindingOut], **REFUSALS}, summary="Build the report")
def findings_build(request, case_id: Key):
    perm_require(request.user, Perm.VERIFICATION_HANDLE)
    case = scope.get_actionable(request.user, "cases.Case", case_id, queryset=Case.objects.select_related("household"))
    report.report_build(actor=request.user, case=case)
    return [_finding_out(f) for f in Finding.objects.filter(case=case).select_related("person", "record")]


class ObjectionIn(Schema):
    received_on: Day
    content: Text(2000, required=True, multiline=True)
    evidence_id: Key | None = Field(None, description="a document of the finding's case: the applicant's evidence")


class ObjectionResolveIn(Schema):
    outcome: Literal["upheld", "rejected"]
    note: Text(200, required=True)


class ObjectionOut(Schema):
    id: int
    finding_id: int
    received_on: dt.date
    content: str
    evidence_id: int | None
    recheck_due: dt.date = Field(description="the township's re-check is due (working days after it was received)")
    due_complete: bool = Field(description="false when the holiday calendar does not reach the due date")
    outcome: str = Field(description="'' while re-checked, upheld or rejected")
    outcome_note: str
    resolved_on: dt.date | None
    finding_state: str


def _objection_out(o) -> dict:
    return {
        "id": o.pk,
        "finding_id": o.finding_id,
        "received_on": o.received_on,
        "content": o.content,
        "evidence_id": o.evidence_id,
        "recheck_due": o.recheck_due,
        "due_complete": o.due_complete,
        "outcome": o.outcome,
        "outcome_note": o.outcome_note,
        "resolved_on": o.resolved_on,
        "finding_state": Finding.objects.values_list("state", flat=True).get(pk=o.finding_id),
    }


# before /verification/findings/{finding_id}/{verb}: the first route that matches a path answers it
@router.post(
    "/verification/findings/{finding_id}/objections",
    response={201: ObjectionOut, **REFUSALS},
    summary="Record the applicant's objection to a finding",
)
def objection_create(request, finding_id: Key, body: ObjectionIn):
    """The applicant's objection to a finding with its evidence (a document attached to the case); the re-check
    is due in DOUDI_VERIFICATION_RECHECK_DAYS working days from the day it was received. One open at a time (409)."""
    perm_require(request.user, Perm.VERIFICATION_HANDLE)
    o = report.objection_record(
        actor=request.user,
        finding_id=finding_id,
        received_on=body.received_on,
        content=body.content,
        evidence_id=body.evidence_id,
    )
    return Status(201, _objection_out(o))


@router.post(
    "/verification/objections/{objection_id}/resolve",
    response={200: ObjectionOut, **REFUSALS},
    summary="The re-check's outcome of an objection",
)
def objection_resolve(request, objection_id: Key, body: ObjectionResolveIn):
    """upheld: the finding's figure is not used (disputed; a confirmed figure is taken back out); rejected: kept."""
    perm_require(request.user, Perm.VERIFICATION_HANDLE)
    o = report.objection_resolve(actor=request.user, objection_id=objection_id, outcome=body.outcome, note=body.note)
    return _objection_out(o)


@router.post("/verification/findings/{finding_id}/{verb}", response={200: FindingOut, **REFUSALS})
def finding_verb(request, finding_id: Key, verb: Literal["confirm", "dispute"], body: DisputeIn | None = None):
    perm_require(request.user, Perm.VERIFICATION_HANDLE)
    if verb == "confirm":
        f = report.finding_confirm(actor=request.user, finding_id=finding_id)
    else:
        f = report.finding_dispute(actor=request.user, finding_id=finding_id, reason=body.reason if body else "")
    return _finding_out(f)


class AlertOut(Schema):
    id: int
    rule: str
    state: str
    person: str
    household_id: int
    area_code: str
    detail: str
    held: bool
    load_id: int
    case_id: int | None
    reason: str
    enrolment_id: int | None = Field(description="the enrolment in payment the alert concerns")
    entry_id: int | None = Field(
        description="for a household on the low-income register that is not paid: its register entry"
    )
    tier: str | None = Field(description="that entry's tier (edge, rigid, relapse)")


class AlertsIn(Schema):
    alert_ids: Annotated[list[Key], Field(min_length=1, max_length=LIST_LIMIT)]
    reason: Text(200) = ""


class AlertsDone(Schema):
    count: int
    case_ids: list[int]


@router.get("/verification/alerts", response={200: list[AlertOut], **REFUSALS}, summary="Alerts in my area")
def alert_list(
    request,
    state: Literal[tuple(AlertState.values)] = AlertState.OPEN,
    rule: Literal[tuple(AlertRule.values)] | None = None,
):
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    qs = scope.visible(request.user, "verification.Alert").filter(state=state).select_related("person", "entry")
    if rule:
        qs = qs.filter(rule=rule)
    return [
        {
            "id": a.pk,
            "rule": a.rule,
            "state": a.state,
            "person": a.person.name,
            "household_id": a.household_id,
            "area_code": a.area_code,
            "detail": said(a.detail),
            "held": a.held,
            "load_id": a.load_id,
            "case_id": a.case_id,
            "reason": a.reason,
            "enrolment_id": a.enrolment_id,
            "entry_id": a.entry_id,
            "tier": a.entry.tier if a.entry_id else None,
        }
        for a in qs.order_by("-id")[:LIST_LIMIT]
    ]


@router.post(
    "/verification/alerts/{verb}", response={200: AlertsDone, **REFUSALS}, summary="resolve | review | leave (bulk)"
)
def alert_verb(request, verb: Literal["resolve", "review", "leave"], body: AlertsIn):
    """resolve: checked, nothing to change; review: a review case per enrolment (alerts on enrolled households);
    leave: the register households of the alerts (not paid) leave their edge, rigid-expense and relapse-risk
    tiers with the reason (``count``: entries closed)."""
    if verb == "leave":
        return {
            "count": alerts.alerts_leave_register(actor=request.user, alert_ids=body.alert_ids, reason=body.reason),
            "case_ids": [],
        }
    if verb == "resolve":
        return {
            "count": alerts.alerts_resolve(actor=request.user, alert_ids=body.alert_ids, reason=body.reason),
            "case_ids": [],
        }
    cases = alerts.alerts_to_review(actor=request.user, alert_ids=body.alert_ids)
    return {"count": len(cases), "case_ids": [c.pk for c in cases]}


class AlertToKnowOut(Schema):
    id: int
    rule: str
    rule_label: str
    person: str
    household_id: int
    household: str = Field(description="the household as its head's name")
    area_code: str
    source: str = Field(description="the department's data that raised it")
    as_of: dt.date = Field(description="that data's as-of date")
    held: bool = Field(description="payment held until the township has checked")


@router.get(
    "/verification/village-alerts",
    response={200: list[AlertToKnowOut], **REFUSALS},
    summary="Open alerts of my village (for the village cadre's visits)",
)
def alerts_to_know_list(request):
    """What the township is checking about which family of the account's village, to bear in mind at the next
    visit (the cadre's home page shows the same): the rule and the source, not the departments' figures, which
    stay with civil affairs."""
    perm_require(request.user, Perm.DISCOVERY_VISIT)
    return [
        {
            "id": a.pk,
            "rule": a.rule,
            "rule_label": str(a.get_rule_display()),
            "person": a.person.name,
            "household_id": a.household_id,
            "household": a.household.head_name,
            "area_code": a.area_code,
            "source": str(a.load.kind_label),
            "as_of": a.load.as_of,
            "held": a.held,
        }
        for a in selectors.alerts_to_know(request.user)[:LIST_LIMIT]
    ]


class DiscoveryOut(Schema):
    id: int
    rule: str
    rule_label: str
    state: str
    person: str
    household_id: int
    area_code: str
    reason: str
    assets_over: bool
    assets_reason: str
    assigned_to: str | None
    visit_due: dt.date
    visited_on: dt.date | None
    outcome_note: str
    application_id: int | None
    load_id: int


class VisitIn(Schema):
    outcome: Literal[tuple(v for v in DiscoveryState.values if v != DiscoveryState.OPEN)]
    note: Text(200) = ""
    application_id: Key | None = None
    visited_on: Day | None = None


def _discovery_out(d) -> dict:
    return {
        "id": d.pk,
        "rule": d.rule,
        "rule_label": str(d.get_rule_display()),
        "state": d.state,
        "person": d.person.name,
        "household_id": d.household_id,
        "area_code": d.area_code,
        "reason": said(d.reason),
        "assets_over": d.assets_over,
        "assets_reason": said(d.assets_reason),
        "assigned_to": str(d.assigned_to) if d.assigned_to_id else None,
        "visit_due": d.visit_due,
        "visited_on": d.visited_on,
        "outcome_note": d.outcome_note,
        "application_id": d.application_id,
        "load_id": d.load_id,
    }


@router.get(
    "/verification/discoveries", response={200: list[DiscoveryOut], **REFUSALS}, summary="Active discovery in my area"
)
def discovery_list(
    request,
    state: Literal[tuple(DiscoveryState.values)] = DiscoveryState.OPEN,
    rule: Literal[tuple(DiscoveryRule.values)] | None = None,
    mine: bool = False,
):
    perm_require(request.user, Perm.DISCOVERY_VIEW)
    qs = scope.visible(request.user, "verification.Discovery").filter(state=state)
    if rule:
        qs = qs.filter(rule=rule)
    if mine:
        qs = qs.filter(assigned_to=request.user)
    return [
        _discovery_out(d)
        for d in qs.select_related("person", "assigned_to").order_by("assets_over", "visit_due", "id")[:LIST_LIMIT]
    ]


@router.post(
    "/verification/discoveries/{discovery_id}/visit",
    response={200: DiscoveryOut, **REFUSALS},
    summary="Record a discovery visit's outcome",
)
def discovery_visit(request, discovery_id: Key, body: VisitIn):
    d = discovery.discovery_visit(
        actor=request.user,
        discovery_id=discovery_id,
        outcome=body.outcome,
        note=body.note,
        application_id=body.application_id,
        visited_on=body.visited_on,
    )
    return _discovery_out(d)


class AssignIn(Schema):
    cadre_id: Key
    reason: Text(200)
    visit_due: Day | None = None


class AssignOut(Schema):
    id: int
    discovery_id: int | None
    entry_id: int | None
    from_cadre: str | None
    to_cadre: str
    visit_due: dt.date
    reason: str


def _assignment_out(a) -> dict:
    return {
        "id": a.pk,
        "discovery_id": a.discovery_id,
        "entry_id": a.entry_id,
        "from_cadre": str(a.from_cadre) if a.from_cadre_id else None,
        "to_cadre": str(a.to_cadre),
        "visit_due": a.visit_due,
        "reason": a.reason,
    }


@router.post(
    "/verification/discoveries/{discovery_id}/assign",
    response={200: AssignOut, **REFUSALS},
    summary="Give a discovery's visit to a village cadre of its township",
)
def discovery_assign(request, discovery_id: Key, body: AssignIn):
    a = visits.visit_assign(
        actor=request.user,
        discovery_id=discovery_id,
        cadre_id=body.cadre_id,
        reason=body.reason,
        visit_due=body.visit_due,
    )
    return _assignment_out(a)


@router.post(
    "/verification/monitoring/{entry_id}/assign",
    response={200: AssignOut, **REFUSALS},
    summary="Give a register household's home visit to a village cadre of its township",
)
def monitoring_assign(request, entry_id: Key, body: AssignIn):
    a = visits.visit_assign(
        actor=request.user, entry_id=entry_id, cadre_id=body.cadre_id, reason=body.reason, visit_due=body.visit_due
    )
    return _assignment_out(a)


class MonitoringOut(Schema):
    id: int
    household_id: int
    tier: str
    tier_label: str
    area_code: str
    entered_on: dt.date
    entry_reason: str
    left_on: dt.date | None
    leave_reason: str
    discovery_id: int | None


class MonitoringIn(Schema):
    household_id: Key
    tier: Literal[tuple(monitoring.MANUAL_TIERS)]
    reason: Text(200)
    discovery_id: Key | None = None


class LeaveIn(Schema):
    reason: Text(200)


def _entry_out(m) -> dict:
    return {
        "id": m.pk,
        "household_id": m.household_id,
        "tier": m.tier,
        "tier_label": str(m.get_tier_display()),
        "area_code": m.area_code,
        "entered_on": m.entered_on,
        "entry_reason": said(m.entry_reason),
        "left_on": m.left_on,
        "leave_reason": said(m.leave_reason) if m.leave_reason else "",
        "discovery_id": m.discovery_id,
    }


@router.get(
    "/verification/monitoring",
    response={200: list[MonitoringOut], **REFUSALS},
    summary="The low-income register of my area",
)
def monitoring_list(
    request, tier: Literal[tuple(Tier.values)] | None = None, status: Literal["in", "left", "all"] = "in"
):
    perm_require(request.user, Perm.DISCOVERY_VIEW)
    qs = scope.visible(request.user, "verification.MonitoringEntry")
    if tier:
        qs = qs.filter(tier=tier)
    if status != "all":
        qs = qs.filter(left_on__isnull=status == "in")
    return [_entry_out(m) for m in qs.order_by("-entered_on", "-id")[:LIST_LIMIT]]


@router.post(
    "/verification/monitoring", response={200: MonitoringOut, **REFUSALS}, summary="Enter a household in a tier"
)
def monitoring_enter(request, body: MonitoringIn):
    m = monitoring.monitoring_enter(
        actor=request.user,
        household_id=body.household_id,
        tier=body.tier,
        reason=body.reason,
        discovery_id=body.discovery_id,
    )
    return _entry_out(m)


@router.post(
    "/verification/monitoring/{entry_id}/leave",
    response={200: MonitoringOut, **REFUSALS},
    summary="Take a household out of a tier",
)
def monitoring_leave(request, entry_id: Key, body: LeaveIn):
    return _entry_out(monitoring.monitoring_leave(actor=request.user, entry_id=entry_id, reason=body.reason))
