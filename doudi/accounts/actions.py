"""Staff accounts and API tokens. Only bureau administrators manage staff, within their own area."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from doudi.audit.actions import audit_record
from doudi.core.actions import action
from doudi.core.errors import ApplicationError
from doudi.core.validation import text_clean

from .events import AccountEvent
from .models import ApiToken, Staff
from .roles import Perm, Role
from .scope import area_get, perm_require


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
) -> Staff:
    """Create a staff account. ``actor`` None is the system (set-up commands)."""
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
        try:
            validate_password(password)
        except ValidationError as e:
            raise ApplicationError(
                "密码不够安全：" + "；".join(e.messages),
                "Password too weak: " + "; ".join(e.messages),
                field="password",
                code="weak_password",
            ) from None
    staff = Staff(username=username, role=role, area=area, full_name=full_name, phone=phone)
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


@action
def staff_set_active(*, actor, staff: Staff, active: bool) -> Staff:
    perm_require(actor, Perm.STAFF_MANAGE)
    area_get(actor, staff.area_id)
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
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
