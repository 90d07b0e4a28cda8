from __future__ import annotations

import datetime as dt
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts.roles import Perm
from doudi.accounts.scope import areas_visible, household_get, perm_require
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.validation import date_clean

from . import actions, batch
from .models import EvaluationRun, ParameterVersion, Programme
from .params import SPECS
from .rules import PROGRAMMES, evaluate
from .rules.registry_input import household_input


def _date(value: str | None) -> dt.date:
    return date_clean(value, field="on", zh_label="测算日期", en_label="Date", default=dt.date.today())


@login_required
def household_decision(request, pk: int, programme: str):
    """What would this household get? The decision with its explanation (printable)."""
    perm_require(request.user, Perm.EVALUATE)
    if programme not in PROGRAMMES:
        raise NotFound()
    household = household_get(request.user, pk)
    on = _date(request.GET.get("on"))
    ctx = {
        "household": household,
        "programme": Programme.objects.filter(code=programme).first(),
        "on": on,
        "programmes": PROGRAMMES,
        "code": programme,
    }
    try:
        ctx["decision"] = evaluate(programme, household_input(household), on).as_dict()
    except ApplicationError as e:
        ctx["error"] = e
    template = "programmes/_decision.html" if request.htmx else "programmes/decision.html"
    return render(request, template, ctx)


class VersionForm(forms.Form):
    programme = forms.ChoiceField(label=gettext_lazy("救助项目"))
    area = forms.ChoiceField(label=gettext_lazy("适用区划（县为默认，乡镇为覆盖）"))
    effective_from = forms.DateField(label=gettext_lazy("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    values = forms.CharField(label=gettext_lazy("参数值（JSON）"), widget=forms.Textarea(attrs={"rows": 14}))
    note = forms.CharField(label=gettext_lazy("说明/文件依据"), required=False, max_length=200)


@login_required
def programme_list(request):
    perm_require(request.user, Perm.EVALUATE)
    versions = ParameterVersion.objects.filter(area__code__startswith=request.user.scope_prefix[:6]).select_related(
        "programme", "area", "created_by", "approved_by"
    )
    form = None
    if request.user.has_role_perm(Perm.PARAMETERS_EDIT):
        programme = request.GET.get("programme", "dibao")
        latest = versions.filter(programme_id=programme, status="approved", area__level="county").first()
        initial = {
            "programme": programme,
            "values": json.dumps(latest.values if latest else {}, ensure_ascii=False, indent=2),
        }
        form = VersionForm(request.POST or None, initial=initial)
        form.fields["programme"].choices = [(p.code, p.name_zh) for p in Programme.objects.all()]
        form.fields["area"].choices = [
            (a.code, a.name) for a in areas_visible(request.user).filter(level__in=["county", "township"])
        ]
        if request.method == "POST" and form.is_valid():
            try:
                values = json.loads(form.cleaned_data["values"])
                if not isinstance(values, dict):
                    raise ValueError
            except ValueError:
                form.add_error("values", _("参数值须为JSON对象 / values must be a JSON object"))
            else:
                try:
                    v = actions.parameter_version_create(
                        actor=request.user,
                        programme=form.cleaned_data["programme"],
                        area_code=form.cleaned_data["area"],
                        effective_from=form.cleaned_data["effective_from"],
                        values=values,
                        note=form.cleaned_data["note"],
                    )
                except ApplicationError as e:
                    form.add_error("values", e.message)
                else:
                    messages.success(request, _("已保存草稿，可先模拟再提交审批"))
                    return redirect("version_detail", pk=v.pk)
    return render(
        request,
        "programmes/programme_list.html",
        {"programmes": Programme.objects.all(), "versions": versions, "form": form},
    )


def _version(request, pk):
    v = (
        ParameterVersion.objects.select_related("programme", "area")
        .filter(pk=pk, area__code__startswith=request.user.scope_prefix[:6])
        .first()
    )
    if v is None:
        raise NotFound()
    return v


@login_required
def version_detail(request, pk: int):
    perm_require(request.user, Perm.EVALUATE)
    v = _version(request, pk)
    specs = {s.name: s for s in SPECS[v.programme_id]}
    rows = [
        (specs[k].zh if k in specs else k, specs[k].en if k in specs else "", k, val) for k, val in v.values.items()
    ]
    runs = EvaluationRun.objects.filter(draft=v).order_by("-id")[:5]
    return render(
        request,
        "programmes/version_detail.html",
        {
            "version": v,
            "rows": rows,
            "runs": runs,
            "can_approve": request.user.has_role_perm(Perm.PARAMETERS_APPROVE)
            and v.status == "draft"
            and v.created_by_id != request.user.pk,
            "can_simulate": request.user.has_role_perm(Perm.PARAMETERS_EDIT) and v.status == "draft",
        },
    )


@login_required
@require_POST
def version_approve(request, pk: int):
    v = _version(request, pk)
    actions.parameter_version_approve(actor=request.user, version=v)
    messages.success(request, _("已批准"))
    return redirect("version_detail", pk=pk)


@login_required
@require_POST
def version_withdraw(request, pk: int):
    v = _version(request, pk)
    actions.parameter_version_withdraw(actor=request.user, version=v)
    messages.success(request, _("已撤回"))
    return redirect("version_detail", pk=pk)


@login_required
@require_POST
def version_simulate(request, pk: int):
    v = _version(request, pk)
    on = _date(request.POST.get("on") or v.effective_from.isoformat())
    run = batch.evaluation_run(actor=request.user, programme=v.programme_id, on=on, draft=v, compare=True)
    return redirect("run_detail", pk=run.pk)


@login_required
def run_detail(request, pk: int):
    perm_require(request.user, Perm.EVALUATE)
    run = (
        EvaluationRun.objects.filter(pk=pk, area_prefix__startswith=request.user.scope_prefix)
        .select_related("draft", "programme")
        .first()
    )
    if run is None:
        raise NotFound()
    return render(request, "programmes/run_detail.html", {"run": run, "summary": run.summary})


@login_required
def run_list(request):
    perm_require(request.user, Perm.EVALUATE)
    if request.method == "POST":
        run = batch.evaluation_run(
            actor=request.user, programme=request.POST.get("programme", "dibao"), on=_date(request.POST.get("on"))
        )
        return redirect("run_detail", pk=run.pk)
    runs = EvaluationRun.objects.filter(area_prefix__startswith=request.user.scope_prefix).select_related(
        "programme", "created_by"
    )[:50]
    return render(
        request,
        "programmes/run_list.html",
        {"runs": runs, "programmes": Programme.objects.all(), "today": dt.date.today()},
    )
