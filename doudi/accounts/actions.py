"""Staff accounts and API tokens, within the actor's own area. The three separated administrators (三员分立):

- the system administrator creates accounts (with no role), edits their name, area and phone, deactivates them
  and resets passwords;
- the security administrator grants and withdraws roles (``staff_role_set``), resets a second factor and unlocks a
  locked login;
- neither does the other's work, and no account holds two of the three administrators' roles (``_duty_check``,
  and the database constraint on Staff)."""

from __future__ import annotations

import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from doudi.audit.actions import audit_record
from doudi.core.actions import action
from doudi.core.errors import ApplicationError
from doudi.core.validation import text_clean

from . import twofactor
from .events import AccountEvent
from .models import NO_ROLE, ApiToken, Staff
from .roles import ADMIN_ROLES, Perm, Role
from .scope import area_get, perm_require

PHONE_MAX = 20


@action
def staff_create(
    *,
    actor,
    username: str,
    password: str,
    area_code: str,
    role: str = NO_ROLE,
    full_name: str = "",
    phone: str = "",
    check_password: bool = True,
    password_hash: str = "",
) -> Staff:
    """Create a staff account. The system administrator creates it with no role: it does nothing until the security
    administrator grants one. ``actor`` None is the system (set-up commands, the demo), which may give the role at
    once. ``password_hash`` (set-up only: many accounts with one password, hashed once by ``make_password``)
    stands for ``password``."""
    if password_hash and actor is not None:
        raise ApplicationError(
            "只有系统设置可以直接设定密码散列", "Only set-up may give a password hash", field="password"
        )
    if actor is not None:
        perm_require(actor, Perm.STAFF_MANAGE)
        area = area_get(actor, area_code)
        if role != NO_ROLE:
            raise ApplicationError(
                "系统管理员创建的账号没有角色，须由安全管理员授予角色",
                "An account the system administrator creates has no role; the security administrator grants one",
                field="role",
                code="role_by_security_admin",
            )
    else:
        area = Staff.area.field.related_model.objects.filter(code=area_code).first()
        if area is None:
            raise ApplicationError(f"区划不存在：{area_code}", f"No such area: {area_code}", field="area")
    _role_check(role)
    username = text_clean(
        username, field="username", zh_label="用户名", en_label="Username", max_length=150, required=True
    )
    full_name = text_clean(full_name, field="full_name", zh_label="姓名", en_label="Full name", max_length=50)
    phone = text_clean(phone, field="phone", zh_label="电话", en_label="Phone", max_length=20)
    if Staff.objects.filter(username=username).exists():
        raise ApplicationError("用户名已存在", "Username already exists", field="username", code="duplicate")
    if check_password:
        _password_check(password)
    staff = Staff(
        username=username,
        role=role,
        admin_duty=role if role in ADMIN_ROLES else "",
        area=area,
        full_name=full_name,
        phone=phone,
    )
    if password_hash:
        staff.set_password_hash(password_hash)
    else:
        staff.set_password(password)
    staff.save()
    audit_record(
        actor=actor,
        action=AccountEvent.STAFF_CREATE,
        target=staff,
        area_code=area.code,
        new={"username": username, "role": role, "area": area.code, "full_name": full_name},
    )
    return staff


def _password_check(password: str, user=None) -> None:
    zh = _password_problems(password, user, "zh-hans")
    if zh:
        en = _password_problems(password, user, "en")  # the messages again, in the other language
        raise ApplicationError(
            "密码不够安全：" + "；".join(zh),
            "Password too weak: " + "; ".join(en),
            field="password",
            code="weak_password",
        ) from None


def _password_problems(password: str, user, language: str) -> list[str]:
    with translation.override(language):
        try:
            validate_password(password, user)
        except ValidationError as e:
            return [str(m) for m in e.messages]
    return []


def role_name(role: str, language: str = "zh-hans") -> str:
    with translation.override(language):
        return str(Role(role).label) if role in Role.values else ("无角色" if language != "en" else "no role")


def _role_check(role: str) -> None:
    if role != NO_ROLE and role not in Role.values:
        raise ApplicationError(f"角色无效：{role}", f"Invalid role: {role}", field="role", code="invalid_choice")


def _duty_check(staff: Staff, role: str) -> None:
    """三员分立: an account made one of the three administrators stays that one (or has no role); it never holds
    another administrator's role nor a business role, so one account can never do two of the three jobs."""
    duty = staff.admin_duty
    if duty and role not in (duty, NO_ROLE):
        raise ApplicationError(
            f"三员分立：该账号是{role_name(duty)}账号，不能再担任{role_name(role)}；请为该工作另建账号",
            f"Separation of the three administrators: this is a {role_name(duty, 'en')} account and cannot also be "
            f"{role_name(role, 'en')}; create another account for that work",
            field="role",
            code="one_of_three",
        )
    if not duty and role in ADMIN_ROLES and staff.role != NO_ROLE:
        raise ApplicationError(
            f"三员分立：该账号担任{role_name(staff.role)}，不能同时担任{role_name(role)}；请先撤销原角色或另建账号",
            f"Separation of duties: this account is {role_name(staff.role, 'en')} and cannot also be "
            f"{role_name(role, 'en')}; withdraw its role first or create another account",
            field="role",
            code="one_of_three",
        )


def _last_admin_guard(staff: Staff, *, role: str, active: bool) -> None:
    """Nobody locks out the last of an administrator: the last active system administrator, security administrator
    and audit administrator each keeps that role and stays active (otherwise nobody could do that work again)."""
    if staff.role not in ADMIN_ROLES or not staff.is_active or (role == staff.role and active):
        return
    others = Staff.objects.filter(role=staff.role, is_active=True).exclude(pk=staff.pk)
    if not others.exists():
        label = role_name(staff.role)
        raise ApplicationError(
            f"这是唯一在用的{label}账号，不能停用或撤销其角色；请先为另一个账号授予{label}角色",
            f"This is the only active {role_name(staff.role, 'en')} account: it cannot be deactivated or lose its "
            "role; grant that role to another account first",
            field="role" if active else "is_active",
            code="last_admin",
        )


@action
def staff_set_active(*, actor, staff: Staff, active: bool) -> Staff:
    perm_require(actor, Perm.STAFF_MANAGE)
    area_get(actor, staff.area_id)
    _last_admin_guard(staff, role=staff.role, active=active)
    if staff.is_active != active:
        staff.is_active = active
        staff.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=AccountEvent.STAFF_ACTIVATE if active else AccountEvent.STAFF_DEACTIVATE,
            target=staff,
            area_code=staff.area_id,
            old={"is_active": not active},
            new={"is_active": active},
        )
    return staff


STAFF_EDITABLE = ("full_name", "area", "phone", "is_active")


@action
def staff_update(*, actor, staff: Staff, data: dict) -> Staff:
    """The system administrator edits a staff account's name, area, phone and active state, within their own area
    (the new area too); the change is audited old and new. The username stays (it is in the audit trail). The role
    is not theirs to give: a move to another area withdraws it (what it may see would change), and the security
    administrator grants it again."""
    perm_require(actor, Perm.STAFF_MANAGE)
    area_get(actor, staff.area_id)
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    if "role" in data and (data["role"] or NO_ROLE) != staff.role:
        raise ApplicationError(
            "角色由安全管理员授予，系统管理员不能修改",
            "Roles are granted by the security administrator, not the system administrator",
            field="role",
            code="role_by_security_admin",
        )
    new = {
        "full_name": text_clean(
            data.get("full_name", staff.full_name),
            field="full_name",
            zh_label="姓名",
            en_label="Full name",
            max_length=50,
        ),
        "phone": text_clean(
            data.get("phone", staff.phone), field="phone", zh_label="电话", en_label="Phone", max_length=PHONE_MAX
        ),
        "area": data.get("area", staff.area_id) or "",
        "is_active": bool(data.get("is_active", staff.is_active)),
    }
    area = area_get(actor, new["area"])
    if staff.pk == actor.pk and (not new["is_active"] or area.code != staff.area_id):
        raise ApplicationError(
            "不能修改自己的所属区划或停用自己的账号，请由另一名系统管理员办理",
            "You cannot change your own area or deactivate yourself; ask another system administrator",
            field="area",
            code="self_change",
        )
    moved = area.code != staff.area_id
    role = NO_ROLE if moved else staff.role
    _last_admin_guard(staff, role=role, active=new["is_active"])
    old = {f: (staff.area_id if f == "area" else getattr(staff, f)) for f in STAFF_EDITABLE}
    new["area"] = area.code
    changed = {f: new[f] for f in STAFF_EDITABLE if new[f] != old[f]}
    if not changed:
        return staff
    for f, value in changed.items():
        if f == "area":
            staff.area = area
        else:
            setattr(staff, f, value)
    if role != staff.role:
        old["role"], changed["role"] = staff.role, role
        staff.role = role
    staff.save()
    audit_record(
        actor=actor,
        action=AccountEvent.STAFF_UPDATE,
        target=staff,
        area_code=area.code,
        old={f: old[f] for f in changed},
        new=changed,
    )
    return staff


@action
def staff_role_set(*, actor, staff: Staff, role: str) -> Staff:
    """The security administrator grants ``role`` to an account of their area, or withdraws it (``role`` empty).
    Never their own; never a second of the three administrators' roles to one account (三员分立); never the last
    active holder of an administrator's role away. ``actor`` None is the system (``doudi staff role``)."""
    if actor is not None:
        perm_require(actor, Perm.ROLES_ASSIGN)
        area_get(actor, staff.area_id)
        if staff.pk == actor.pk:
            raise ApplicationError(
                "不能修改自己的角色，请由另一名安全管理员办理",
                "You cannot change your own role; ask another security administrator",
                field="role",
                code="self_change",
            )
    role = role or NO_ROLE
    _role_check(role)
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    if role == staff.role:
        return staff
    _duty_check(staff, role)
    _last_admin_guard(staff, role=role, active=staff.is_active)
    old = staff.role
    staff.role = role
    if role in ADMIN_ROLES:
        staff.admin_duty = role
    staff.save(update_fields=["role", "admin_duty"])
    audit_record(
        actor=actor,
        action=AccountEvent.ROLE_SET,
        target=staff,
        area_code=staff.area_id,
        old={"role": old},
        new={"role": role},
    )
    return staff


@action
def staff_unlock(*, actor, staff: Staff) -> int:
    """The security administrator ends a login lock-out (django-axes) before its cool-off; returns the failures
    cleared."""
    perm_require(actor, Perm.SECURITY_MANAGE)
    area_get(actor, staff.area_id)
    cleared = axes_reset(username=staff.username)
    audit_record(
        actor=actor,
        action=AccountEvent.UNLOCK,
        target=staff,
        area_code=staff.area_id,
        new={"attempts_cleared": cleared},
    )
    return cleared


def _one_time_password() -> str:
    """12 characters without look-alikes (0/O, 1/l/I), grouped for reading aloud: e.g. "k7Qm-x4Tz-9bWr"."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@action
def staff_password_reset(*, actor, staff: Staff) -> str:
    """The system administrator resets a staff member's password: a one-time password, returned to be shown once (never
    stored or audited), which the person must change at their next login. Their API tokens stay; their open
    sessions end (the password hash changes)."""
    perm_require(actor, Perm.STAFF_MANAGE)
    area_get(actor, staff.area_id)
    if staff.pk == actor.pk:
        raise ApplicationError(
            "请在“修改密码”页修改自己的密码", "Change your own password on the password page", code="self_reset"
        )
    password = _one_time_password()
    staff.set_password(password)
    staff.must_change_password = True
    staff.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=actor,
        action=AccountEvent.STAFF_PASSWORD_RESET,
        target=staff,
        area_code=staff.area_id,
        new={"must_change_password": True},
    )
    return password


@action
def password_change(*, actor, old_password: str, new_password: str, new_password2: str) -> Staff:
    """Anyone changes their own password: the current one, the new one twice, Django's password validators."""
    if not actor.check_password(old_password or ""):
        raise ApplicationError("原密码不正确", "The current password is wrong", field="old_password", code="wrong")
    if not new_password:
        raise ApplicationError("请填写新密码", "Enter the new password", field="new_password", code="required")
    if new_password != new_password2:
        raise ApplicationError(
            "两次输入的新密码不一致", "The two new passwords differ", field="new_password2", code="mismatch"
        )
    if new_password == old_password:
        raise ApplicationError(
            "新密码不能与原密码相同", "The new password must differ from the current one", field="new_password"
        )
    try:
        _password_check(new_password, actor)
    except ApplicationError as e:
        e.field = "new_password"
        raise
    actor.set_password(new_password)
    was_forced = actor.must_change_password
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=actor,
        action=AccountEvent.PASSWORD_CHANGE,
        target=actor,
        area_code=actor.area_id or "",
        new={"after_reset": was_forced},
    )
    return actor


@action
def token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """Create an API token for ``actor`` and return it with the plain key (shown once, never stored)."""
    name = text_clean(name, field="name", zh_label="令牌名称", en_label="Token name", max_length=100) or "API"
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=actor, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
    audit_record(
        actor=actor,
        action=AccountEvent.TOKEN_CREATE,
        target=token,
        label=f"{actor.username}:{token.name}",
        area_code=actor.area_id or "",
        new={"name": token.name, "prefix": token.prefix},
    )
    return token, key


@action
def token_revoke(*, actor, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        perm_require(actor, Perm.STAFF_MANAGE)
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit_record(
        actor=actor, action=AccountEvent.TOKEN_REVOKE, target=token, label=token.prefix, area_code=actor.area_id or ""
    )


def token_authenticate(key: str) -> Staff | None:
    token = (
        ApiToken.objects.select_related("user", "user__area")
        .filter(key_hash=ApiToken.hash_key(key), revoked=False)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if twofactor.second_factor_required(token.user) and not twofactor.has_device(token.user):
        return None  # a role that needs a second factor, with none enrolled (or reset): its tokens do not open
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
