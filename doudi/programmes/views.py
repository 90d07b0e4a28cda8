from __future__ import annotations

import datetime as dt
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import areas_visible, household_get, perm_require
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.validation import date_clean

from . import actions, tasks
from .models import EvaluationRun, ParameterVersion, Programme
from .params import SPECS
from .rules import PROGRAMMES, evaluate
from .rules.registry_input import household_input


def _date(value: str | None) -> dt.date:
    return date_clean(value, field="on", zh_label="测算日期", en_label="Date", default=timezone.localdate())


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
    versions = scope.visible(request.user, "programmes.ParameterVersion").select_related(
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
        form.fields["programme"].choices = [(p.code, p.name) for p in Programme.objects.all()]
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


def _version(request, pk, *, act: bool = False):
    """A version the user may see (a county standard is seen from a township); ``act``: inside their area."""
    return scope.get_visible(
        request.user,
        "programmes.ParameterVersion",
        pk,
        act=act,
        queryset=ParameterVersion.objects.select_related("programme", "area"),
    )


@login_required
def version_detail(request, pk: int):
    perm_require(request.user, Perm.EVALUATE)
    v = _version(request, pk)
    specs = {s.name: s for s in SPECS[v.programme_id]}
    rows = [
        (specs[k].zh if k in specs else k, specs[k].en if k in specs else "", k, val) for k, val in v.values.items()
    ]
    runs = scope.visible(request.user, "programmes.EvaluationRun").filter(draft=v).order_by("-id")[:5]
    inside = scope.covers(request.user, v.area_id)
    return render(
        request,
        "programmes/version_detail.html",
        {
            "version": v,
            "rows": rows,
            "runs": runs,
            "can_approve": inside
            and request.user.has_role_perm(Perm.PARAMETERS_APPROVE)
            and v.status == "draft"
            and v.created_by_id != request.user.pk,
            "can_simulate": inside and request.user.has_role_perm(Perm.PARAMETERS_EDIT) and v.status == "draft",
        },
    )


@login_required
@require_POST
def version_approve(request, pk: int):
    perm_require(request.user, Perm.PARAMETERS_APPROVE)
    v = _version(request, pk, act=True)
    actions.parameter_version_approve(actor=request.user, version=v)
    messages.success(request, _("已批准"))
    return redirect("version_detail", pk=pk)


@login_required
@require_POST
def version_withdraw(request, pk: int):
    perm_require(request.user, Perm.PARAMETERS_EDIT)
    v = _version(request, pk, act=True)
    actions.parameter_version_withdraw(actor=request.user, version=v)
    messages.success(request, _("已撤回"))
    return redirect("version_detail", pk=pk)


@login_required
@require_POST
def version_simulate(request, pk: int):
    perm_require(request.user, Perm.PARAMETERS_EDIT)
    v = _version(request, pk, act=True)
    on = _date(request.POST.get("on") or v.effective_from.isoformat())
    job = tasks.evaluation_simulate_enqueue(actor=request.user, version=v, on=on)
    return redirect("job_detail", pk=job.pk)


@login_required
def run_detail(request, pk: int):
    perm_require(request.user, Perm.EVALUATE)
    run = scope.get_visible(
        request.user,
        "programmes.EvaluationRun",
        pk,
        queryset=EvaluationRun.objects.select_related("draft", "programme"),
    )
    return render(request, "programmes/run_detail.html", {"run": run, "summary": run.summary})


@login_required
def run_list(request):
    perm_require(request.user, Perm.EVALUATE)
    if request.method == "POST":
        job = tasks.evaluation_run_enqueue(
            actor=request.user, programme=request.POST.get("programme", "dibao"), on=_date(request.POST.get("on"))
        )
        return redirect("job_detail", pk=job.pk)
    runs = scope.visible(request.user, "programmes.EvaluationRun").select_related("programme", "created_by")[:50]
    return render(
        request,
        "programmes/run_list.html",
        {
            "runs": runs,
            "programmes": Programme.objects.all(),
            "today": timezone.localdate(),
            "can_run": request.user.has_role_perm(Perm.EVALUATION_RUN),
        },
    )
