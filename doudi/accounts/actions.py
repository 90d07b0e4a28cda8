"""Staff accounts and API tokens. Only bureau administrators manage staff, within their own area."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from doudi.audit.actions import audit_record
from doudi.core.actions import action
from doudi.core.errors import ApplicationError
from doudi.core.validation import text_clean

from . import twofactor
from .events import AccountEvent
from .models import ApiToken, Staff
from .roles import Perm, Role
from .scope import area_get, perm_require

PHONE_MAX = 20


@action
def staff_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    area_code: str,
    full_name: str = "",
    phone: str = "",
    check_password: bool = True,
    password_hash: str = "",
) -> Staff:
    """Create a staff account. ``actor`` None is the system (set-up commands). ``password_hash`` (set-up only:
    many accounts with one password, hashed once by ``make_password``) stands for ``password``."""
    if password_hash and actor is not None:
        raise ApplicationError(
            "只有系统设置可以直接设定密码散列", "Only set-up may give a password hash", field="password"
        )
    if actor is not None:
        perm_require(actor, Perm.STAFF_MANAGE)
        area = area_get(actor, area_code)
    else:
        area = Staff.area.field.related_model.objects.filter(code=area_code).first()
        if area is None:
            raise ApplicationError(f"区划不存在：{area_code}", f"No such area: {area_code}", field="area")
    if role not in Role.values:
        raise ApplicationError(f"角色无效：{role}", f"Invalid role: {role}", field="role", code="invalid_choice")
    username = text_clean(
        username, field="username", zh_label="用户名", en_label="Username", max_length=150, required=True
    )
    full_name = text_clean(full_name, field="full_name", zh_label="姓名", en_label="Full name", max_length=50)
    phone = text_clean(phone, field="phone", zh_label="电话", en_label="Phone", max_length=20)
    if Staff.objects.filter(username=username).exists():
        raise ApplicationError("用户名已存在", "Username already exists", field="username", code="duplicate")
    if check_password:
        _password_check(password)
    staff = Staff(username=username, role=role, area=area, full_name=full_name, phone=phone)
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


def _last_admin_guard(staff: Staff, *, role: str, active: bool) -> None:
    """An administrator cannot lock out the last one: the last active bureau administrator keeps that role and
    stays active (otherwise nobody could manage staff, areas or the calendar again)."""
    if staff.role != Role.BUREAU_ADMIN or not staff.is_active or (role == Role.BUREAU_ADMIN and active):
        return
    others = Staff.objects.filter(role=Role.BUREAU_ADMIN, is_active=True).exclude(pk=staff.pk)
    if not others.exists():
        raise ApplicationError(
            "这是唯一在用的系统管理员账号，不能停用或改为其他角色；请先为另一人设置系统管理员角色",
            "This is the only active administrator: it cannot be deactivated or given another role; make someone "
            "else an administrator first",
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


STAFF_EDITABLE = ("full_name", "role", "area", "phone", "is_active")


@action
def staff_update(*, actor, staff: Staff, data: dict) -> Staff:
    """The administrator edits a staff account's name, role, area, phone and active state, within their own area
    (the new area too); the change is audited old and new. The username stays (it is in the audit trail)."""
    perm_require(actor, Perm.STAFF_MANAGE)
    area_get(actor, staff.area_id)
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
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
        "role": data.get("role", staff.role),
        "area": data.get("area", staff.area_id) or "",
        "is_active": bool(data.get("is_active", staff.is_active)),
    }
    if new["role"] not in Role.values:
        raise ApplicationError(
            f"角色无效：{new['role']}", f"Invalid role: {new['role']}", field="role", code="invalid_choice"
        )
    area = area_get(actor, new["area"])
    if staff.pk == actor.pk and (new["role"] != staff.role or not new["is_active"] or area.code != staff.area_id):
        raise ApplicationError(
            "不能修改自己的角色、所属区划或停用自己的账号，请由另一名管理员办理",
            "You cannot change your own role or area or deactivate yourself; ask another administrator",
            field="role",
            code="self_change",
        )
    _last_admin_guard(staff, role=new["role"], active=new["is_active"])
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


def _one_time_password() -> str:
    """12 characters without look-alikes (0/O, 1/l/I), grouped for reading aloud: e.g. "k7Qm-x4Tz-9bWr"."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@action
def staff_password_reset(*, actor, staff: Staff) -> str:
    """The administrator resets a staff member's password: a one-time password, returned to be shown once (never
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
