"""The three administrators' API (三员分立), the same separation as their pages: the system administrator's staff
accounts, the security administrator's roles, policy, unlock and second-factor reset, the audit administrator's
chain status and verification. Each operation asks for its own permission, which only one of the three holds;
the session must have passed the second factor and a token opens only for an account with a device
(accounts/middleware.py, accounts/actions.py ``token_authenticate``), as for every API operation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from django.conf import settings
from django_otp import devices_for_user
from ninja import Field, Router, Schema

from doudi.api.types import AREA_CODE_PATTERN, LINE_PATTERN, Key, Text
from doudi.audit.models import AuditEvent, AuditSeal, AuditVerification
from doudi.audit.tasks import audit_verify_enqueue
from doudi.core.api import JobOut, job_out
from doudi.core.errors import ApplicationError
from doudi.core.models import BackgroundJob, JobKind, JobState

from . import actions, scope, twofactor
from .models import NO_ROLE
from .policy import LENGTH_MAX, policy_current, policy_floor, policy_update
from .roles import Perm, Role
from .scope import perm_require
from .security_views import locked_usernames

router = Router(tags=["administration"])

ROLE_CHOICES = Literal[("", *Role.values)]
SECOND_FACTOR_CHOICES = Literal[(*Role.values, "all")]


class StaffOut(Schema):
    id: int
    username: str
    full_name: str
    area_code: str
    role: str = Field(description="empty: no role yet (the security administrator grants one)")
    is_active: bool


class StaffSecurityOut(StaffOut):
    second_factor: bool = Field(description="a confirmed second-factor device is enrolled")
    locked: bool = Field(description="locked out after failed logins")


class HardwareTokenIn(Schema):
    serial: Annotated[str, Field(min_length=4, max_length=32, pattern=r"^[0-9A-Za-z-]+$")]
    seed: Annotated[
        str,
        Field(
            min_length=32, max_length=128, pattern=r"^[0-9A-Fa-f]+$", description="the vendor's seed key, hexadecimal"
        ),
    ]
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$", description="the code the token shows now")]


class StaffIn(Schema):
    username: Annotated[str, Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")]
    password: Annotated[str, Field(min_length=1, max_length=128, pattern=LINE_PATTERN)]
    area_code: Annotated[str, Field(pattern=AREA_CODE_PATTERN)]
    full_name: Text(50) = ""
    phone: Text(20) = ""


class StaffPatch(Schema):
    full_name: Text(50) | None = None
    area_code: Annotated[str, Field(pattern=AREA_CODE_PATTERN)] | None = None
    phone: Text(20) | None = None
    is_active: bool | None = None


class RoleIn(Schema):
    role: ROLE_CHOICES = Field(description="the role to grant; empty withdraws it")


class PolicyIO(Schema):
    password_min_length: Annotated[int, Field(ge=1, le=LENGTH_MAX)]
    password_max_age_days: Annotated[int, Field(ge=1, le=3650)]
    password_history: Annotated[int, Field(ge=0, le=20)]
    idle_minutes: Annotated[int, Field(ge=1, le=1440)]
    single_session: bool
    second_factor_roles: Annotated[list[SECOND_FACTOR_CHOICES], Field(max_length=20)]


class PolicyOut(PolicyIO):
    floor: PolicyIO = Field(description="the settings: the weakest the policy may be")


class UnlockOut(Schema):
    attempts_cleared: int


class VerificationOut(Schema):
    ok: bool
    checked: int
    first_seq: int
    last_seq: int
    head_mac: str
    problems: list[str]
    started_at: dt.datetime
    finished_at: dt.datetime
    by: str | None


class ChainOut(Schema):
    sealed: int
    unsealed: int
    head_seq: int | None
    head_mac: str | None
    heads_recorded: int = Field(description="lines in the daily head file")
    retention_days: int
    last_verification: VerificationOut | None
    verification_job: JobOut | None = Field(description="the verification queued or running now, if any")


def _staff_out(s) -> dict:
    return {
        "id": s.pk,
        "username": s.username,
        "full_name": s.full_name,
        "area_code": s.area_id,
        "role": s.role or "",
        "is_active": s.is_active,
    }


def _policy_out(p) -> dict:
    return {
        "password_min_length": p.password_min_length,
        "password_max_age_days": p.password_max_age_days,
        "password_history": p.password_history,
        "idle_minutes": p.idle_minutes,
        "single_session": p.single_session,
        "second_factor_roles": list(p.second_factor_roles),
    }


# ---- the system administrator: staff accounts ----------------------------------------------------------------------
@router.get("/staff", response=list[StaffOut], summary="Staff accounts of my area (system administrator)")
def staff_list(
    request, offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0, limit: Annotated[int, Field(ge=1, le=500)] = 100
):
    perm_require(request.user, Perm.STAFF_MANAGE)
    qs = scope.visible(request.user, "accounts.Staff").order_by("area_id", "username")
    return [_staff_out(s) for s in qs[offset : offset + limit]]


@router.post("/staff", response={201: StaffOut}, summary="Create a staff account, with no role (system administrator)")
def staff_create(request, body: StaffIn):
    perm_require(request.user, Perm.STAFF_MANAGE)
    s = actions.staff_create(
        actor=request.user,
        username=body.username,
        password=body.password,
        area_code=body.area_code,
        full_name=body.full_name,
        phone=body.phone,
    )
    return 201, _staff_out(s)


@router.patch("/staff/{staff_id}", response=StaffOut, summary="Change a staff account (system administrator)")
def staff_patch(request, staff_id: Key, body: StaffPatch):
    perm_require(request.user, Perm.STAFF_MANAGE)
    staff = scope.get_actionable(request.user, "accounts.Staff", staff_id)
    data = body.dict(exclude_none=True)
    if "area_code" in data:
        data["area"] = data.pop("area_code")
    if "is_active" in data and staff.pk == request.user.pk and not data["is_active"]:
        data.pop("is_active")  # nobody deactivates their own account (as on the page)
    return _staff_out(actions.staff_update(actor=request.user, staff=staff, data=data))


# ---- the security administrator: roles, policy, lock-outs, second factors -----------------------------------------
def _security_out(s, locked: set[str]) -> dict:
    return {
        **_staff_out(s),
        "second_factor": any(True for _ in devices_for_user(s, confirmed=True)),
        "locked": s.username in locked,
    }


@router.get(
    "/security/accounts",
    response=list[StaffSecurityOut],
    summary="Accounts of my area with role, second factor and lock-out (security administrator)",
)
def security_accounts(
    request,
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Field(ge=1, le=200)] = 100,
):
    perm_require(request.user, Perm.ROLES_ASSIGN)
    people = list(
        scope.visible(request.user, "accounts.Staff").order_by("area_id", "username")[offset : offset + limit]
    )
    locked = locked_usernames([s.username for s in people])
    return [_security_out(s, locked) for s in people]


@router.put(
    "/security/accounts/{staff_id}/role",
    response=StaffSecurityOut,
    summary="Grant or withdraw an account's role (security administrator)",
)
def security_role_set(request, staff_id: Key, body: RoleIn):
    perm_require(request.user, Perm.ROLES_ASSIGN)
    staff = scope.get_actionable(request.user, "accounts.Staff", staff_id)
    staff = actions.staff_role_set(actor=request.user, staff=staff, role=body.role or NO_ROLE)
    return _security_out(staff, locked_usernames([staff.username]))


@router.post(
    "/security/accounts/{staff_id}/unlock",
    response=UnlockOut,
    summary="End a login lock-out (security administrator)",
)
def security_unlock(request, staff_id: Key):
    perm_require(request.user, Perm.SECURITY_MANAGE)
    staff = scope.get_actionable(request.user, "accounts.Staff", staff_id)
    return {"attempts_cleared": actions.staff_unlock(actor=request.user, staff=staff)}


@router.post(
    "/security/accounts/{staff_id}/second-factor-reset",
    response=StaffSecurityOut,
    summary="Reset an account's second factor: it enrols again at its next login (security administrator)",
)
def security_second_factor_reset(request, staff_id: Key):
    perm_require(request.user, Perm.SECURITY_MANAGE)
    staff = scope.get_actionable(request.user, "accounts.Staff", staff_id)
    if staff.pk == request.user.pk:
        raise ApplicationError(
            "不能重置自己的第二重验证，请由另一名安全管理员办理",
            "You cannot reset your own second factor: ask another security administrator",
            field="staff_id",
            code="own_second_factor",
        )
    twofactor.second_factor_reset(actor=request.user, staff=staff)
    return _security_out(staff, locked_usernames([staff.username]))


@router.post(
    "/security/accounts/{staff_id}/hardware-token",
    response=StaffSecurityOut,
    summary="Bind a GM/T 0021 (SM3) hardware one-time-password token: serial, seed, and its current code"
    " (security administrator)",
)
def security_token_bind(request, staff_id: Key, body: HardwareTokenIn):
    perm_require(request.user, Perm.SECURITY_MANAGE)
    staff = scope.get_actionable(request.user, "accounts.Staff", staff_id)
    twofactor.hardware_token_bind(actor=request.user, staff=staff, serial=body.serial, seed=body.seed, code=body.code)
    return _security_out(staff, locked_usernames([staff.username]))


@router.get("/security/policy", response=PolicyOut, summary="The password and login policy (security administrator)")
def security_policy(request):
    perm_require(request.user, Perm.SECURITY_MANAGE)
    return {**_policy_out(policy_current()), "floor": _policy_out(policy_floor())}


@router.put(
    "/security/policy",
    response=PolicyOut,
    summary="Change the policy; never weaker than the settings (security administrator)",
)
def security_policy_set(request, body: PolicyIO):
    perm_require(request.user, Perm.SECURITY_MANAGE)
    policy = policy_update(actor=request.user, data=body.dict())
    return {**_policy_out(policy), "floor": _policy_out(policy_floor())}


# ---- the audit administrator: the chain ---------------------------------------------------------------------------
def _pending():
    return (
        BackgroundJob.objects.filter(kind=JobKind.AUDIT_VERIFY, state__in=(JobState.QUEUED, JobState.RUNNING))
        .order_by("-id")
        .first()
    )


@router.get(
    "/audit/chain", response=ChainOut, summary="The audit chain: sealed, head, last verification (audit administrator)"
)
def audit_chain(request):
    perm_require(request.user, Perm.AUDIT_CHAIN)
    head = AuditSeal.objects.order_by("-seq").values("seq", "mac").first()
    heads_file = Path(settings.DOUDI_AUDIT_HEAD_FILE)
    v = AuditVerification.objects.select_related("by").first()
    pending = _pending()
    return {
        "sealed": AuditSeal.objects.count(),
        "unsealed": AuditEvent.objects.filter(seal__isnull=True).count(),
        "head_seq": head["seq"] if head else None,
        "head_mac": head["mac"] if head else None,
        "heads_recorded": len(heads_file.read_text().splitlines()) if heads_file.exists() else 0,
        "retention_days": settings.DOUDI_AUDIT_RETENTION_DAYS,
        "last_verification": None
        if v is None
        else {
            "ok": v.ok,
            "checked": v.checked,
            "first_seq": v.first_seq,
            "last_seq": v.last_seq,
            "head_mac": v.head_mac,
            "problems": v.problems,
            "started_at": v.started_at,
            "finished_at": v.finished_at,
            "by": v.by.username if v.by else None,
        },
        "verification_job": job_out(pending) if pending else None,
    }


@router.post(
    "/audit/chain/verify",
    response={202: JobOut},
    summary="Verify the whole chain in the background; poll the job, then read /audit/chain (audit administrator)",
)
def audit_chain_verify(request):
    perm_require(request.user, Perm.AUDIT_CHAIN)
    job = _pending() or audit_verify_enqueue(actor=request.user)
    job.refresh_from_db()
    return 202, job_out(job)
