"""Area scope: the one place that decides which objects a staff account may see and act on.

Every kind of object that belongs to an area is listed in ``SCOPED`` with the field that holds its area and how
far it reaches:

- ``INSIDE``: visible only inside the account's subtree (a household of 汉阳镇 to 汉阳镇's staff and the county's).
- ``WIDER``: also visible, read-only, to accounts *below* the object's area (a county payroll to a township's
  finance officer, a county standard to a township caseworker) — but never acted on by them, and a payroll is
  shown to them only as their part (``payroll_part``).

Pages, API endpoints, exports and searches take their querysets from ``visible()`` and fetch one object with
``get_visible()`` (read) or ``get_actionable()`` (write). Both raise ``NotFound`` for anything outside, exactly as
for an id that does not exist, so an object's existence is never revealed. Permission checks come first
(``perm_require``), so a refusal for the role never depends on whether the id exists.

Models are named by label and fetched from the app registry when asked for, so this module sits below every
app that owns those models (the import layers in pyproject.toml).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.apps import apps
from django.db.models import Q, QuerySet

from doudi.core.errors import NotFound, PermissionDenied
from doudi.core.models import BackgroundJob, JobKind

from .roles import Perm

# Significant digits of a 12-digit area code at each level above a village (province, prefecture, county, township).
ANCESTOR_LENGTHS = (2, 4, 6, 9)


class Reach(Enum):
    INSIDE = "inside"
    WIDER = "wider"


class Holds(Enum):
    CODE = "code"  # a full 12-digit area code (padded with zeros above village level)
    PREFIX = "prefix"  # the significant digits of an area (511425 = the county)


@dataclass(frozen=True)
class Scope:
    field: str
    holds: Holds = Holds.CODE
    reach: Reach = Reach.INSIDE


I, W = Reach.INSIDE, Reach.WIDER
SCOPED: dict[str, Scope] = {
    "areas.Area": Scope("code", reach=W),  # the account's own area and its ancestors are named on its pages
    "accounts.Staff": Scope("area__code"),
    "registry.Household": Scope("area__code"),
    "registry.Person": Scope("memberships__household__area__code"),  # through the current membership
    "cases.Application": Scope("area_code"),
    "cases.Referral": Scope("application__area_code"),
    "cases.Case": Scope("area_code"),
    "cases.Document": Scope("case__area_code"),
    "cases.Enrolment": Scope("area_code"),
    "cases.Overpayment": Scope("enrolment__area_code"),
    "programmes.ParameterVersion": Scope("area__code", reach=W),
    "programmes.EvaluationRun": Scope("area_prefix", holds=Holds.PREFIX),
    "payments.Payroll": Scope("area_prefix", holds=Holds.PREFIX, reach=W),
    "payments.PayrollLine": Scope("area_code"),
    "payments.Anomaly": Scope("line__area_code"),
    "payments.BankExport": Scope("payroll__area_prefix", holds=Holds.PREFIX),
    "payments.BankReturn": Scope("payroll__area_prefix", holds=Holds.PREFIX),
    "payments.Recovery": Scope("overpayment__enrolment__area_code"),
    "benefits.HotlineCall": Scope("area_code"),
    "benefits.TemporaryAssistance": Scope("area_code"),
    "benefits.ElderlyRoster": Scope("area_code"),
    "benefits.ElderlyRosterLine": Scope("roster__area_code"),
    "benefits.Transfer": Scope("from_area__code"),  # and the township it moves to: see scope_q
    "benefits.ParentSituation": Scope("area_code"),
    "benefits.StudyProof": Scope("area_code"),
    "benefits.VeteranEntitlement": Scope("area_code"),
    "benefits.VeteranGrant": Scope("entitlement__area_code"),
    # a funeral home of the county is chosen (never changed) by the townships' staff as a waiver's payee
    "benefits.FuneralHome": Scope("area_code", reach=W),
    "medical.Settlement": Scope("area_code"),
    "medical.SettlementBatch": Scope("area_prefix", holds=Holds.PREFIX),
    "medical.PremiumSubsidy": Scope("area_code"),
    "medical.DisabilityCertificate": Scope("area_code"),
    "statistics.Target": Scope("area__code", reach=W),  # a township is held to the county's targets
    "verification.DatasetLoad": Scope("area_prefix", holds=Holds.PREFIX),
    "verification.DatasetRecord": Scope("area_code"),
    "verification.VerificationRequest": Scope("area_prefix", holds=Holds.PREFIX),
    "verification.Finding": Scope("case__area_code"),
    "verification.Alert": Scope("area_code"),
    "verification.Discovery": Scope("area_code"),
    "verification.MonitoringEntry": Scope("area_code"),
    "verification.VisitAssignment": Scope("area_code"),
    "audit.AuditEvent": Scope("area_code"),  # see audit_visible: also what the area's own staff did
}


def perm_require(user, perm: str) -> None:
    if not (user and user.is_authenticated and user.has_role_perm(perm)):
        raise PermissionDenied("您的角色无权执行此操作", "Your role may not do this", code="forbidden_role")


def _ancestors(prefix: str, holds: Holds) -> list[str]:
    """The areas above ``prefix`` (an account's subtree), as the field holds them."""
    shorter = [prefix[:n] for n in ANCESTOR_LENGTHS if n < len(prefix)]
    return [p.ljust(12, "0") for p in shorter] if holds is Holds.CODE else shorter


def scope_q(user, label: str, *, act: bool = False) -> Q:
    """The condition an object of kind ``label`` meets when ``user`` may see it (``act``: may act on it)."""
    scope = SCOPED[label]
    prefix = user.scope_prefix
    q = Q(**{f"{scope.field}__startswith": prefix})
    if scope.reach is Reach.WIDER and not act:
        q |= Q(**{f"{scope.field}__in": _ancestors(prefix, scope.holds)})
    if label == "registry.Person":
        q &= Q(memberships__end_date__isnull=True)
    if label == "benefits.Transfer":  # a move between townships is the business of both
        q |= Q(to_area__code__startswith=prefix)
    return q


def visible(user, label: str, *, act: bool = False) -> QuerySet:
    """Every object of kind ``label`` the account may see (``act``: act on)."""
    model = apps.get_model(label)
    if label == "audit.AuditEvent":
        return audit_visible(user)
    qs = model.objects.filter(scope_q(user, label, act=act))
    return qs.distinct() if label == "registry.Person" else qs


def get_visible(user, label: str, pk, *, queryset: QuerySet | None = None, act: bool = False):
    """One object the account may see, or NotFound (exactly as for an id that does not exist)."""
    qs = (queryset if queryset is not None else apps.get_model(label).objects).filter(scope_q(user, label, act=act))
    try:
        obj = qs.filter(pk=pk).first()
    except (ValueError, TypeError):
        obj = None
    if obj is None:
        raise NotFound()
    return obj


def get_actionable(user, label: str, pk, *, queryset: QuerySet | None = None):
    """One object the account may act on: inside its subtree. A wider object answers NotFound."""
    return get_visible(user, label, pk, queryset=queryset, act=True)


def covers(user, area: str) -> bool:
    """Whether ``area`` (a code or a prefix) lies inside the account's subtree."""
    return bool(area) and area.startswith(user.scope_prefix)


def is_wider(user, prefix: str) -> bool:
    """Whether an object of area ``prefix`` lies above the account's area (seen only as the account's part)."""
    return not covers(user, prefix)


# ---- areas ----------------------------------------------------------------------------------------------------
def areas_visible(user) -> QuerySet:
    """The areas in the account's subtree (what it may choose, search and manage)."""
    return apps.get_model("areas.Area").objects.filter(code__startswith=user.scope_prefix)


def area_in_scope(user, code: str) -> bool:
    return covers(user, code)


def area_get(user, code: str):
    """An area of the account's subtree; outside and unknown codes answer alike."""
    area = apps.get_model("areas.Area").objects.filter(code=code).first() if area_in_scope(user, code) else None
    if area is None:
        raise NotFound("区划不存在，或不在您的管辖区域内", "No such area, or outside your area", field="area")
    return area


# ---- the registry -------------------------------------------------------------------------------------------
def households_visible(user) -> QuerySet:
    return visible(user, "registry.Household")


def household_get(user, pk):
    return get_visible(
        user, "registry.Household", pk, queryset=apps.get_model("registry.Household").objects.select_related("area")
    )


def persons_visible(user) -> QuerySet:
    """People whose current household is in scope."""
    return visible(user, "registry.Person")


def person_get(user, pk):
    return get_visible(user, "registry.Person", pk)


# ---- background jobs -------------------------------------------------------------------------------------------
def jobs_visible(user) -> QuerySet:
    """Background jobs the account started, and those of its subtree whose results its role may see."""
    needs = {
        JobKind.PAYROLL_GENERATE: Perm.PAYROLL_VIEW,
        JobKind.EVALUATION_RUN: Perm.EVALUATE,
        JobKind.EVALUATION_SIMULATE: Perm.EVALUATE,
        JobKind.STATISTICS_REFRESH: Perm.STATS_VIEW,
        JobKind.MEDICAL_IMPORT: Perm.CASE_VIEW,
    }
    kinds = [kind for kind, perm in needs.items() if user.has_role_perm(perm)]
    return BackgroundJob.objects.filter(
        Q(created_by=user) | Q(area_prefix__startswith=user.scope_prefix, kind__in=kinds)
    )


def job_get(user, pk) -> BackgroundJob:
    try:
        job = jobs_visible(user).filter(pk=pk).first()
    except (ValueError, TypeError):
        job = None
    if job is None:
        raise NotFound()
    return job


# ---- the audit trail ------------------------------------------------------------------------------------------
def audit_visible(user) -> QuerySet:
    """Events about the account's area, and what staff of its area did. Province-level accounts see all."""
    qs = apps.get_model("audit.AuditEvent").objects.all()
    if user.area_id and user.area.level != "province":
        prefix = user.scope_prefix
        qs = qs.filter(Q(area_code__startswith=prefix) | Q(actor__area__code__startswith=prefix))
    return qs


# ---- maker-checker ------------------------------------------------------------------------------------------------
def ensure_not_maker(user, maker_id: int | None, *, what: str = "object") -> None:
    """Nobody approves what they created (maker-checker). The case workflow and payroll approval call this."""
    if maker_id is not None and user.pk == maker_id:
        raise PermissionDenied(
            "不能审批自己创建的事项", f"You cannot approve a {what} you created", code="maker_checker"
        )
