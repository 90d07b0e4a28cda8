"""Area scope: the one place that decides which areas, households and people a staff account may see.

Every page, API endpoint, export and search gets its querysets from here; the helpers that fetch one
object raise NotFound for anything outside the account's subtree (so existence is not revealed).
"""

from __future__ import annotations

from django.db.models import QuerySet

from doudi.areas.models import Area
from doudi.core.errors import NotFound, PermissionDenied


def perm_require(user, perm: str) -> None:
    if not (user and user.is_authenticated and user.has_role_perm(perm)):
        raise PermissionDenied("您的角色无权执行此操作", "Your role may not do this", code="forbidden_role")


def areas_visible(user) -> QuerySet[Area]:
    return Area.objects.filter(code__startswith=user.scope_prefix)


def area_in_scope(user, code: str) -> bool:
    return bool(code) and code.startswith(user.scope_prefix)


def area_get(user, code: str) -> Area:
    if not area_in_scope(user, code):
        raise NotFound(field="area")
    try:
        return Area.objects.get(code=code)
    except Area.DoesNotExist:
        raise NotFound("区划代码不存在", "No such area code", field="area") from None


def households_visible(user) -> QuerySet:
    from doudi.registry.models import Household

    return Household.objects.filter(area__code__startswith=user.scope_prefix)


def household_get(user, pk) -> "Household":  # noqa: F821
    try:
        return households_visible(user).select_related("area").get(pk=pk)
    except (ValueError, TypeError):
        raise NotFound() from None
    except households_visible(user).model.DoesNotExist:
        raise NotFound() from None


def persons_visible(user) -> QuerySet:
    """People whose current household is in scope."""
    from doudi.registry.models import Person

    return Person.objects.filter(
        memberships__end_date__isnull=True, memberships__household__area__code__startswith=user.scope_prefix
    )


def person_get(user, pk) -> "Person":  # noqa: F821
    try:
        return persons_visible(user).get(pk=pk)
    except (ValueError, TypeError):
        raise NotFound() from None
    except persons_visible(user).model.DoesNotExist:
        raise NotFound() from None


def audit_visible(user) -> QuerySet:
    from doudi.audit.models import AuditEvent

    qs = AuditEvent.objects.all()
    if user.area_id and user.area.level != "province":
        qs = qs.filter(area_code__startswith=user.scope_prefix) | qs.filter(
            actor__area__code__startswith=user.scope_prefix
        )
    return qs


def ensure_not_maker(user, maker_id: int | None, *, what: str = "object") -> None:
    """Nobody approves what they created (maker-checker). Later workflows call this before approving."""
    if maker_id is not None and user.pk == maker_id:
        raise PermissionDenied(
            "不能审批自己创建的事项", f"You cannot approve a {what} you created", code="maker_checker"
        )
