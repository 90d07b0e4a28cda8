from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from doudi.core.errors import ApplicationError
from doudi.core.validation import id_or_none

from . import actions, scope, twofactor
from .events import AccountEvent
from .middleware import session_remember
from .models import ApiToken, HardwareTokenDevice
from .policy import policy_current
from .roles import Perm
from .scope import areas_visible, perm_require

# The events of the system administrator's own work, shown as an account's record on its page.
STAFF_MANAGE_EVENTS = (
    AccountEvent.STAFF_CREATE,
    AccountEvent.STAFF_UPDATE,
    AccountEvent.STAFF_ACTIVATE,
    AccountEvent.STAFF_DEACTIVATE,
    AccountEvent.STAFF_PASSWORD_RESET,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class StaffForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50, required=False)
    area = forms.ChoiceField(label=gettext_lazy("所属区划"))
    phone = forms.CharField(label=gettext_lazy("电话"), max_length=20, required=False)
    password = forms.CharField(label=gettext_lazy("初始密码"), widget=forms.PasswordInput)


@login_required
def staff_list(request):
    perm_require(request.user, Perm.STAFF_MANAGE)
    areas = areas_visible(request.user).filter(level__in=["county", "township", "village"])
    form = StaffForm(request.POST or None)
    form.fields["area"].choices = [
        (a.code, f"{a.parent.name} · {a.name}" if a.level == "village" and a.parent_id else a.name)
        for a in areas.select_related("parent")
    ]
    if request.method == "POST" and form.is_valid():
        try:
            actions.staff_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                area_code=form.cleaned_data["area"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
            )
        except ApplicationError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, _("已创建账号。该账号尚无角色，请安全管理员授予角色后方可办理业务。"))
            return redirect("staff_list")
    staff = scope.visible(request.user, "accounts.Staff").select_related("area").order_by("area_id", "username")
    return render(request, "accounts/staff_list.html", {"staff": staff, "form": form})


@login_required
@require_POST
def staff_toggle(request, pk: int):
    perm_require(request.user, Perm.STAFF_MANAGE)
    staff = scope.get_actionable(request.user, "accounts.Staff", pk)
    if staff.pk == request.user.pk:
        messages.error(request, _("不能停用该账号"))
    else:
        try:
            actions.staff_set_active(actor=request.user, staff=staff, active=not staff.is_active)
        except ApplicationError as e:
            messages.error(request, e.message)
    return redirect("staff_list")


class StaffEditForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50, required=False)
    area = forms.ChoiceField(label=gettext_lazy("所属区划"))
    phone = forms.CharField(label=gettext_lazy("电话"), max_length=20, required=False)
    is_active = forms.BooleanField(label=gettext_lazy("启用（可以登录）"), required=False)


@login_required
def staff_edit(request, pk: int):
    """The system administrator edits one staff account of their area, and may reset its password. The account's
    record here is the system administrator's own kind of event (created, edited, enabled, password reset)."""
    perm_require(request.user, Perm.STAFF_MANAGE)
    staff = scope.get_actionable(request.user, "accounts.Staff", pk)
    areas = areas_visible(request.user).filter(level__in=["county", "township", "village"]).select_related("parent")
    initial = {f: getattr(staff, f) for f in ("full_name", "phone", "is_active")} | {"area": staff.area_id}
    form = StaffEditForm(request.POST or None, initial=initial)
    form.fields["area"].choices = [(a.code, f"{a.parent.name if a.parent else ''} {a.name}".strip()) for a in areas]
    if request.method == "POST" and form.is_valid():
        try:
            actions.staff_update(actor=request.user, staff=staff, data=form.cleaned_data)
        except ApplicationError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, _("已保存"))
            return redirect("staff_list")
    history = (
        scope.audit_visible(request.user)
        .filter(target_type="staff", target_id=str(staff.pk), action__in=STAFF_MANAGE_EVENTS)
        .select_related("actor")
        .order_by("-id")[:20]
    )
    return render(
        request,
        "accounts/staff_edit.html",
        {
            "s": staff,
            "form": form,
            "history": history,
            "self": staff == request.user,
        },
    )


@login_required
@require_POST
@never_cache
def staff_password_reset(request, pk: int):
    """A one-time password, shown on this answer only (not stored, not audited, not cached)."""
    perm_require(request.user, Perm.STAFF_MANAGE)
    staff = scope.get_actionable(request.user, "accounts.Staff", pk)
    try:
        password = actions.staff_password_reset(actor=request.user, staff=staff)
    except ApplicationError as e:
        messages.error(request, e.message)
        return redirect("staff_edit", pk=staff.pk)
    return render(request, "accounts/password_reset_done.html", {"s": staff, "password": password})


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=gettext_lazy("原密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=gettext_lazy("新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label=gettext_lazy("再次输入新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


@login_required
@never_cache
def password_change(request):
    """Everyone changes their own password here; after an administrator's reset, nothing else opens until they do."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.password_change(actor=request.user, **form.cleaned_data)
        except ApplicationError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            update_session_auth_hash(request, request.user)  # this session stays logged in; others end
            session_remember(request, request.user)  # under its new key
            messages.success(request, _("密码已修改"))
            return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "forced": request.user.must_change_password,
            "expired": request.user.password_expired(),
            "max_age": policy_current().password_max_age_days,
            "rules": password_validators_help_texts(),
        },
    )


@login_required
def tokens(request):
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token = ApiToken.objects.filter(user=request.user, pk=id_or_none(request.POST.get("revoke"))).first()
            if token:
                actions.token_revoke(actor=request.user, token=token)
        else:
            try:
                _token, new_key = actions.token_create(actor=request.user, name=request.POST.get("name", "API"))
            except ApplicationError as e:
                messages.error(request, e.message)
    return render(
        request, "accounts/tokens.html", {"tokens": request.user.api_tokens.order_by("-created_at"), "new_key": new_key}
    )


@login_required
@never_cache
def second_factor(request):
    """Pass the second factor for this session — or, with no device yet, enrol the authenticator app first."""
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}) or not next_url.startswith(
        "/"
    ):
        next_url = "/"
    user = request.user
    device = twofactor.totp_device(user)
    if device is None and not twofactor.has_device(user):
        pending = twofactor.enrolment_start(user)
        error = None
        if request.method == "POST":
            try:
                codes = twofactor.enrolment_confirm(user=user, device=pending, token=request.POST.get("token", ""))
            except ApplicationError as e:
                error = e.message
            else:
                otp_login(request, pending)
                return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
        qr = segno.make(pending.config_url, error="m").svg_inline(scale=4, dark="#1f2d3d")
        secret = base64.b32encode(bytes.fromhex(pending.key)).decode().rstrip("=")
        return render(
            request,
            "accounts/second_factor.html",
            {"enrol": True, "qr": qr, "secret": secret, "error": error, "next": next_url},
        )
    error = None
    if request.method == "POST":
        found = twofactor.verify(user=user, token=request.POST.get("token", ""))
        if found is not None:
            otp_login(request, found)
            return redirect(next_url)
        error = _("动态口令或备用码不正确")
    token = HardwareTokenDevice.objects.filter(user=user, confirmed=True).exists()
    return render(
        request, "accounts/second_factor.html", {"enrol": False, "error": error, "next": next_url, "token": token}
    )


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working), for a person who passed the second factor."""
    if not request.user.is_verified():
        return redirect("second_factor")
    codes = twofactor.recovery_codes_renew(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/"})
