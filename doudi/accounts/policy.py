"""The security policy (密码与登录策略): password length, age and history, idle logout, one session per account, and
the roles that must pass a second factor. The security administrator sets it on a page (``policy_update``, audited);
until they do, the settings apply. The settings are also its floor — the policy may be stricter, never weaker:

- password length at least DOUDI_PASSWORD_MIN_LENGTH (at most 64);
- password age at most DOUDI_PASSWORD_MAX_AGE_DAYS days (0 there means no limit: then any age, 0 included);
- at least DOUDI_PASSWORD_HISTORY earlier passwords refused (at most the 20 that are kept);
- idle logout after at most DOUDI_SESSION_MINUTES, and not under 10 minutes;
- one session per account when DOUDI_SINGLE_SESSION is on;
- a second factor for every role of DOUDI_2FA_ROLES, and for any other the policy adds.

The policy is read once per request that asks for it (``PolicyMiddleware`` keeps it for the request) and once per
call elsewhere.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction

from doudi.audit.actions import audit_record
from doudi.core.errors import ApplicationError

from .events import AccountEvent
from .models import SecurityPolicy
from .roles import Perm, Role
from .scope import perm_require

IDLE_MIN = 10  # MLPS level 3 practice: idle sessions end; below ten minutes people cannot fill a form
LENGTH_MAX = 64
HISTORY_MAX = 20  # Staff.save keeps the last 20 password hashes
AGE_MAX = 3650


@dataclass(frozen=True)
class Policy:
    password_min_length: int
    password_max_age_days: int
    password_history: int
    idle_minutes: int
    single_session: bool
    second_factor_roles: tuple[str, ...]

    def second_factor_for(self, role: str) -> bool:
        return "all" in self.second_factor_roles or role in self.second_factor_roles


def policy_floor() -> Policy:
    """The settings: what applies with no policy set, and the weakest a policy may be."""
    return Policy(
        password_min_length=settings.DOUDI_PASSWORD_MIN_LENGTH,
        password_max_age_days=settings.DOUDI_PASSWORD_MAX_AGE_DAYS,
        password_history=settings.DOUDI_PASSWORD_HISTORY,
        idle_minutes=settings.SESSION_COOKIE_AGE // 60,
        single_session=settings.DOUDI_SINGLE_SESSION,
        second_factor_roles=tuple(settings.DOUDI_2FA_ROLES),
    )


_request = threading.local()


def _stored() -> Policy:
    row = SecurityPolicy.objects.order_by("pk").first()
    floor = policy_floor()
    if row is None:
        return floor
    # The settings may have been made stricter since the policy was saved: the stricter of the two applies.
    roles = tuple(dict.fromkeys([*floor.second_factor_roles, *row.second_factor_roles]))
    age = row.password_max_age_days
    if floor.password_max_age_days:
        age = min(age, floor.password_max_age_days) if age else floor.password_max_age_days
    return Policy(
        password_min_length=max(row.password_min_length, floor.password_min_length),
        password_max_age_days=age,
        password_history=max(row.password_history, floor.password_history),
        idle_minutes=min(row.idle_minutes, floor.idle_minutes),
        single_session=row.single_session or floor.single_session,
        second_factor_roles=roles,
    )


def policy_current() -> Policy:
    """The policy in force: read once per request (when first asked for), once per call elsewhere."""
    if not getattr(_request, "active", False):
        return _stored()
    if _request.policy is None:
        _request.policy = _stored()
    return _request.policy


class PolicyMiddleware:
    """Keeps the policy for the request once something asks for it (the validators, the session checks and the
    pages share it); a request that needs none — static files, the login page — reads nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request.active, _request.policy = True, None
        try:
            return self.get_response(request)
        finally:
            _request.active, _request.policy = False, None


def _int(data: dict, field: str, zh: str, en: str, low: int, high: int, bounds: tuple[int, int]) -> int:
    """``field`` as a whole number from ``low`` to ``high`` (the settings' floor); ``bounds`` are the field's own
    limits, which the API's schema states: a value inside them but weaker than the settings is refused as such
    (``below_floor``), not as malformed."""
    raw = str(data.get(field, "")).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ApplicationError(f"{zh}须为整数", f"{en} must be a whole number", field=field, code="invalid") from None
    if not low <= value <= high:
        raise ApplicationError(
            f"{zh}须在 {low} 至 {high} 之间（不得低于系统设置的要求）",
            f"{en} must be between {low} and {high} (no weaker than the settings)",
            field=field,
            code="below_floor" if bounds[0] <= value <= bounds[1] else "out_of_range",
        )
    return value


def policy_validate(data: dict) -> Policy:
    """The policy ``data`` asks for, or ApplicationError naming the first field weaker than the floor."""
    floor = policy_floor()
    length = _int(
        data,
        "password_min_length",
        "密码最短长度",
        "Minimum length",
        floor.password_min_length,
        LENGTH_MAX,
        (1, LENGTH_MAX),
    )
    age_high = floor.password_max_age_days or AGE_MAX
    age = _int(
        data,
        "password_max_age_days",
        "密码有效天数",
        "Password age",
        0 if not floor.password_max_age_days else 1,
        age_high,
        (0, AGE_MAX),
    )
    history = _int(
        data,
        "password_history",
        "不得重复使用的最近密码数",
        "Passwords remembered",
        floor.password_history,
        HISTORY_MAX,
        (0, HISTORY_MAX),
    )
    idle_high = max(floor.idle_minutes, 1)
    idle = _int(
        data, "idle_minutes", "无操作自动退出时间", "Idle logout", min(IDLE_MIN, idle_high), idle_high, (1, 1440)
    )
    single = bool(data.get("single_session"))
    if floor.single_session and not single:
        raise ApplicationError(
            "系统设置要求一个账号只能在一处登录，策略不能关闭",
            "The settings require one session per account; the policy cannot switch it off",
            field="single_session",
            code="below_floor",
        )
    roles = [r for r in data.get("second_factor_roles") or [] if r]
    unknown = [r for r in roles if r not in Role.values and r != "all"]
    if unknown:
        raise ApplicationError(
            f"角色无效：{'、'.join(unknown)}", f"Invalid role: {', '.join(unknown)}", field="second_factor_roles"
        )
    missing = [r for r in floor.second_factor_roles if r not in roles and "all" not in roles]
    if missing:
        names = "、".join(str(Role(r).label) if r in Role.values else r for r in missing)
        raise ApplicationError(
            f"系统设置要求这些角色使用第二重验证，策略不能取消：{names}",
            f"The settings require a second factor for these roles; the policy cannot drop them: {', '.join(missing)}",
            field="second_factor_roles",
            code="below_floor",
        )
    ordered = tuple(r for r in [*Role.values, "all"] if r in roles)
    return Policy(length, age, history, idle, single, ordered)


@transaction.atomic
def policy_update(*, actor, data: dict) -> Policy:
    """The security administrator sets the policy; old and new values are audited."""
    perm_require(actor, Perm.SECURITY_MANAGE)
    new = policy_validate(data)
    old = _stored()
    row = SecurityPolicy.objects.select_for_update().order_by("pk").first() or SecurityPolicy()
    values = asdict(new) | {"second_factor_roles": list(new.second_factor_roles)}
    for field, value in values.items():
        setattr(row, field, value)
    row.updated_by = actor
    row.save()
    before = asdict(old) | {"second_factor_roles": list(old.second_factor_roles)}
    changed = {k: v for k, v in values.items() if before[k] != v}
    if changed:
        audit_record(
            actor=actor,
            action=AccountEvent.POLICY_UPDATE,
            target=row,
            label=str(SecurityPolicy._meta.verbose_name),
            area_code=actor.area_id or "",
            old={k: before[k] for k in changed},
            new=changed,
        )
    if getattr(_request, "active", False):
        _request.policy = None  # read again, as saved, by the rest of this request
    return new
