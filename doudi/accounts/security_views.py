"""The security administrator's pages (安全管理员): the password and login policy, the accounts of their area with
the role each holds (grant or withdraw it, reset a second factor, end a lock-out), and the list of keys (ids and
dates only). Nothing else: no household, no case, no payroll, no audit trail."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Q, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import devices_for_user

from doudi.core.errors import ApplicationError
from doudi.core.keys import KeyFileError, provider

from . import actions, scope, twofactor
from .events import AccountEvent
from .models import NO_ROLE, HardwareTokenDevice
from .policy import policy_current, policy_floor, policy_update
from .roles import Perm, Role
from .scope import perm_require

# The events of the security administrator's own work, shown as an account's record on its page.
SECURITY_EVENTS = (
    AccountEvent.ROLE_SET,
    AccountEvent.OTP_RESET,
    AccountEvent.OTP_TOKEN,
    AccountEvent.UNLOCK,
    AccountEvent.OTP_ENROL,
    AccountEvent.OTP_FAILED,
)

Q_MAX = 50  # the account search box


class PolicyForm(forms.Form):
    password_min_length = forms.IntegerField(label=gettext_lazy("密码最短长度（字符）"))
    password_max_age_days = forms.IntegerField(label=gettext_lazy("密码有效天数（到期须修改）"))
    password_history = forms.IntegerField(label=gettext_lazy("不得重复使用的最近密码数"))
    idle_minutes = forms.IntegerField(label=gettext_lazy("无操作自动退出（分钟）"))
    single_session = forms.BooleanField(label=gettext_lazy("一个账号只能在一处登录"), required=False)
    second_factor_roles = forms.MultipleChoiceField(
        label=gettext_lazy("须使用第二重验证（动态口令）的角色"),
        choices=[*Role.choices, ("all", gettext_lazy("所有角色"))],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


@login_required
def security_policy(request):
    """The policy, with the settings' floor beside each value; saving it is audited old and new."""
    perm_require(request.user, Perm.SECURITY_MANAGE)
    current = policy_current()
    initial = {
        "password_min_length": current.password_min_length,
        "password_max_age_days": current.password_max_age_days,
        "password_history": current.password_history,
        "idle_minutes": current.idle_minutes,
        "single_session": current.single_session,
        "second_factor_roles": list(current.second_factor_roles),
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            policy_update(actor=request.user, data=form.cleaned_data)
        except ApplicationError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, _("安全策略已保存，即时生效"))
            return redirect("security_policy")
    floor = policy_floor()
    return render(
        request,
        "accounts/security_policy.html",
        {
            "form": form,
            "floor": floor,
            "floor_roles": [Role(r).label for r in floor.second_factor_roles if r in Role.values],
            "floor_all": "all" in floor.second_factor_roles,
        },
    )


def locked_usernames(usernames: list[str]) -> set[str]:
    cooloff = dt.timedelta(hours=settings.AXES_COOLOFF_TIME) if settings.AXES_COOLOFF_TIME else None
    locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, username__in=usernames)
    if cooloff:
        locked = locked.filter(attempt_time__gte=timezone.now() - cooloff)
    return set(locked.values_list("username", flat=True))


@login_required
def security_accounts(request):
    """The accounts of the area: role, second factor, lock-out; those without a role first."""
    perm_require(request.user, Perm.ROLES_ASSIGN)
    # a username or a name is short: the box takes Q_MAX characters and the search reads no more (a pattern of
    # tens of thousands of characters is more than SQLite's LIKE takes)
    q = request.GET.get("q", "").strip()[:Q_MAX]
    qs = scope.visible(request.user, "accounts.Staff").select_related("area")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if request.GET.get("norole"):
        qs = qs.filter(role=NO_ROLE)
    waiting_first = Case(When(role=NO_ROLE, then=Value(0)), default=Value(1))
    qs = qs.order_by("-is_active", waiting_first, "area_id", "username")
    page = Paginator(qs, settings.DOUDI_PAGE_SIZE * 2).get_page(request.GET.get("page"))
    people = list(page.object_list)
    with_device = {d.user_id for d in _confirmed_devices([s.pk for s in people])}
    locked = locked_usernames([s.username for s in people])
    policy = policy_current()
    for s in people:
        s.has_device = s.pk in with_device
        s.locked = s.username in locked
        s.requires_2fa = bool(s.role) and policy.second_factor_for(s.role)
    return render(
        request,
        "accounts/security_accounts.html",
        {"page": page, "people": people, "q": q, "q_max": Q_MAX, "norole": bool(request.GET.get("norole"))},
    )


def _confirmed_devices(user_ids: list[int]):
    from django_otp.plugins.otp_static.models import StaticDevice  # noqa: PLC0415  (otp models load after apps)
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415

    yield from TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).only("user_id")
    yield from StaticDevice.objects.filter(user_id__in=user_ids, confirmed=True).only("user_id")


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=gettext_lazy("角色"), choices=[(NO_ROLE, gettext_lazy("无角色（撤销）")), *Role.choices], required=False
    )


@login_required
def security_account(request, pk: int):
    """One account: grant or withdraw its role; reset its second factor; end its lock-out; its security record."""
    perm_require(request.user, Perm.ROLES_ASSIGN)
    staff = scope.get_actionable(request.user, "accounts.Staff", pk)
    form = RoleForm(request.POST or None, initial={"role": staff.role})
    if request.method == "POST" and form.is_valid():
        try:
            actions.staff_role_set(actor=request.user, staff=staff, role=form.cleaned_data["role"])
        except ApplicationError as e:
            form.add_error("role", e.message)
        else:
            messages.success(request, _("角色已保存"))
            return redirect("security_account", pk=staff.pk)
    history = (
        scope.audit_visible(request.user)
        .filter(target_type="staff", target_id=str(staff.pk), action__in=SECURITY_EVENTS)
        .select_related("actor")
        .order_by("-id")[:20]
    )
    return render(
        request,
        "accounts/security_account.html",
        {
            "s": staff,
            "form": form,
            "history": history,
            "self": staff == request.user,
            "has_device": any(True for _ in devices_for_user(staff, confirmed=True)),
            "token": HardwareTokenDevice.objects.filter(user=staff).first(),
            "requires_2fa": bool(staff.role) and policy_current().second_factor_for(staff.role),
            "locked": staff.username in locked_usernames([staff.username]),
        },
    )


@login_required
@require_POST
def security_second_factor_reset(request, pk: int):
    perm_require(request.user, Perm.SECURITY_MANAGE)
    staff = scope.get_actionable(request.user, "accounts.Staff", pk)
    if staff.pk == request.user.pk:
        messages.error(request, _("不能重置自己的第二重验证，请由另一名安全管理员办理"))
    else:
        twofactor.second_factor_reset(actor=request.user, staff=staff)
        messages.success(request, _("已重置第二重验证：该工作人员下次登录时重新绑定动态口令"))
    return redirect("security_account", pk=staff.pk)


class TokenForm(forms.Form):
    serial = forms.CharField(label=gettext_lazy("令牌序列号"), max_length=32)
    seed = forms.CharField(
        label=gettext_lazy("种子密钥（十六进制）"),
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    code = forms.CharField(
        label=gettext_lazy("令牌当前口令"), max_length=8, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )


@login_required
def security_token_bind(request, pk: int):
    """Bind a GM/T 0021 hardware token to the account (its serial, the vendor's seed, the code it shows now)."""
    perm_require(request.user, Perm.SECURITY_MANAGE)
    staff = scope.get_actionable(request.user, "accounts.Staff", pk)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.hardware_token_bind(actor=request.user, staff=staff, **form.cleaned_data)
        except ApplicationError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, _("已绑定国密动态令牌：该工作人员此后登录可输入令牌上的口令"))
            return redirect("security_account", pk=staff.pk)
    return render(request, "accounts/security_token.html", {"s": staff, "form": form})


@login_required
@require_POST
def security_unlock(request, pk: int):
    perm_require(request.user, Perm.SECURITY_MANAGE)
    staff = scope.get_actionable(request.user, "accounts.Staff", pk)
    cleared = actions.staff_unlock(actor=request.user, staff=staff)
    messages.success(request, _("已解除登录锁定（清除%(n)d条失败记录）") % {"n": cleared})
    return redirect("security_account", pk=staff.pk)


@login_required
def security_keys(request):
    """The keys' ids, purposes and dates — never the keys (as ``doudi keys list``)."""
    perm_require(request.user, Perm.SECURITY_MANAGE)
    error = None
    try:
        keys = provider().key_ids()
    except KeyFileError as e:
        keys, error = [], str(e)
    current = {}
    for k in keys:
        current[k.get("purpose")] = k.get("id")  # the newest of each purpose is the one in use
    for k in keys:
        k["current"] = current.get(k.get("purpose")) == k.get("id")
    return render(request, "accounts/security_keys.html", {"keys": keys, "error": error})
