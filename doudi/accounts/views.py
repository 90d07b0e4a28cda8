from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.core.errors import ApplicationError
from doudi.core.validation import id_or_none

from . import actions, scope
from .models import ApiToken
from .roles import Perm, Role
from .scope import areas_visible, perm_require


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class StaffForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50, required=False)
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=Role.choices)
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
                role=form.cleaned_data["role"],
                area_code=form.cleaned_data["area"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
            )
        except ApplicationError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, _("已创建账号"))
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
        actions.staff_set_active(actor=request.user, staff=staff, active=not staff.is_active)
    return redirect("staff_list")


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
