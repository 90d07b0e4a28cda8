from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import areas_visible, covers, ensure_not_maker, household_get, perm_require
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.models import JobKind, JobState
from doudi.core.sealedfiles import read_plain
from doudi.core.validation import date_clean

from . import actions, tasks
from .exports import amount_labels, run_changes_xlsx
from .forms import ParameterForm, english
from .models import ChangeKind, EvaluationRun, ParameterVersion, Programme, VersionStatus
from .params import SPECS, params_parse
from .rules import HOUSEHOLD_PROGRAMMES, PROGRAMMES, evaluate
from .rules.registry_input import household_input
from .selectors import (
    ChangeFilter,
    change_filter_parse,
    run_change_counts,
    run_changes,
    run_changes_page,
    values_in_force,
    version_changes,
)
from .shapes.veterans import cause_headers, disabled_grid


def _date(value: str | None) -> dt.date:
    return date_clean(value, field="on", zh_label="测算日期", en_label="Date", default=timezone.localdate())


@login_required
def household_decision(request, pk: int, programme: str):
    """What would this household get? The decision with its explanation (printable)."""
    perm_require(request.user, Perm.EVALUATE)
    if programme not in HOUSEHOLD_PROGRAMMES:
        raise NotFound()
    household = household_get(request.user, pk)
    on = _date(request.GET.get("on"))
    ctx = {
        "household": household,
        "programme": Programme.objects.filter(code=programme).first(),
        "on": on,
        "programmes": HOUSEHOLD_PROGRAMMES,
        "code": programme,
    }
    try:
        ctx["decision"] = evaluate(programme, household_input(household), on).as_dict()
    except ApplicationError as e:
        ctx["error"] = e
    template = "programmes/_decision.html" if request.htmx else "programmes/decision.html"
    return render(request, template, ctx)


class VersionHeadForm(forms.Form):
    """Which programme, area and date a new version is for; the parameter fields follow from it."""

    effective_from = forms.DateField(
        label=gettext_lazy("生效日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("生效日期：不能为空"),
            "invalid": gettext_lazy("生效日期：应写成 YYYY-MM-DD"),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("说明/文件依据"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("如发文字号；最多200字"),
        error_messages={"max_length": gettext_lazy("说明/文件依据：最多200字")},
    )


@login_required
def programme_list(request):
    perm_require(request.user, Perm.EVALUATE)
    versions = scope.visible(request.user, "programmes.ParameterVersion").select_related(
        "programme", "area", "created_by", "approved_by"
    )
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": Programme.objects.all(),
            "versions": versions,
            "can_edit": request.user.has_role_perm(Perm.PARAMETERS_EDIT),
        },
    )


def _first_of_next_month() -> dt.date:
    today = timezone.localdate()
    return (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@login_required
def version_new(request):
    """Draft a version in a form generated from the programme's parameters, the values in force filled in."""
    perm_require(request.user, Perm.PARAMETERS_EDIT)
    programmes = list(Programme.objects.filter(code__in=SPECS))
    areas = list(areas_visible(request.user).filter(level__in=["county", "township"]).order_by("code"))
    if not programmes or not areas:
        raise NotFound()
    source = request.POST if request.method == "POST" else request.GET
    programme = source.get("programme") or programmes[0].code
    if programme not in {p.code for p in programmes}:
        programme = programmes[0].code
    area = next((a for a in areas if a.code == source.get("area")), None if source.get("area") else areas[0])
    if area is None:  # outside the account's area, or not a county or township: as if missing
        raise NotFound(field="area")
    on = date_clean(
        request.GET.get("effective_from"),
        field="effective_from",
        zh_label="生效日期",
        en_label="Effective date",
        default=_first_of_next_month(),
    )
    current = values_in_force(programme, on, area.code)
    head = VersionHeadForm(request.POST or None, initial={"effective_from": on})
    form = ParameterForm(programme, request.POST or None, current=current)
    if request.method == "POST" and head.is_valid() & form.is_valid():
        values = form.values
        if area.level == "township":  # an override keeps only what differs from the county's standard
            county = values_in_force(programme, head.cleaned_data["effective_from"], area.code[:6] + "000000") or {}
            values = {
                k: v for k, v in values.items() if county.get(k) != params_parse(programme, {k: v}, partial=True)[k]
            }
        try:
            v = actions.parameter_version_create(
                actor=request.user,
                programme=programme,
                area_code=area.code,
                effective_from=head.cleaned_data["effective_from"],
                values=values,
                note=head.cleaned_data["note"],
            )
        except ApplicationError as e:
            target = form if e.field in form.fields else head if e.field in head.fields else None
            (target or head).add_error(e.field if target else None, e.en if english() else e.zh)
        else:
            messages.success(request, _("已保存草稿，可先模拟再提交审批"))
            return redirect("version_detail", pk=v.pk)
    return render(
        request,
        "programmes/version_new.html",
        {
            "programmes": programmes,
            "areas": areas,
            "programme": programme,
            "area": area,
            "on": on,
            "head": head,
            "form": form,
            "has_current": current is not None,
            **_param_layout(programme, form),
        },
    )


def _param_layout(programme: str, form: ParameterForm) -> dict:
    """The veterans' disabled servicemen's pensions as the national table lays them out, grade × cause (因战、
    因公、因病), the other parameters after it; every other programme's parameters one after another."""
    if programme != "veterans":
        return {"fields": list(form)}
    en = english()
    bound = {name: form[name] for name in form.fields}
    grid = disabled_grid(bound, en=en)
    shown = {cell.name for _grade, cells in grid for cell in cells if cell is not None}
    return {
        "grid": grid,
        "grid_causes": cause_headers(en),
        "fields": [field for name, field in bound.items() if name not in shown],
    }


def _version(request, pk, *, act: bool = False):
    """A version the user may see (a county standard is seen from a township); ``act``: inside their area."""
    return scope.get_visible(
        request.user,
        "programmes.ParameterVersion",
        pk,
        act=act,
        queryset=ParameterVersion.objects.select_related("programme", "area", "created_by", "approved_by"),
    )


def _can_approve(request, v) -> bool:
    return (
        scope.covers(request.user, v.area_id)
        and request.user.has_role_perm(Perm.PARAMETERS_APPROVE)
        and v.status == VersionStatus.DRAFT
        and v.created_by_id != request.user.pk
    )


@login_required
def version_detail(request, pk: int):
    perm_require(request.user, Perm.EVALUATE)
    v = _version(request, pk)
    runs = scope.visible(request.user, "programmes.EvaluationRun").filter(draft=v).order_by("-id")[:5]
    inside = scope.covers(request.user, v.area_id)
    changes = version_changes(v, en=english())
    return render(
        request,
        "programmes/version_detail.html",
        {
            "version": v,
            "changes": changes,
            "changed": sum(c.changed for c in changes),
            "own": sorted(v.values),
            "runs": runs,
            "can_approve": _can_approve(request, v),
            "can_simulate": inside and request.user.has_role_perm(Perm.PARAMETERS_EDIT) and v.status == "draft",
        },
    )


@login_required
def version_approve(request, pk: int):
    """A confirmation page (the differences, the area and the effective date); approving is its POST."""
    perm_require(request.user, Perm.PARAMETERS_APPROVE)
    v = _version(request, pk, act=True)
    if v.status != VersionStatus.DRAFT:
        raise ApplicationError("只能批准草稿", "Only a draft can be approved", field="status", code="not_draft")
    ensure_not_maker(request.user, v.created_by_id, what="parameter version")
    if request.method == "POST":
        if request.POST.get("confirm") == v.effective_from.isoformat():
            actions.parameter_version_approve(actor=request.user, version=v)
            messages.success(request, _("已批准"))
            return redirect("version_detail", pk=pk)
        messages.error(request, _("请先核对差异并确认"))
        return redirect("version_approve", pk=pk)
    changes = version_changes(v, en=english())
    return render(
        request,
        "programmes/version_approve.html",
        {"version": v, "changes": changes, "changed": sum(c.changed for c in changes)},
    )


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


def _run(request, pk):
    return scope.get_visible(
        request.user,
        "programmes.EvaluationRun",
        pk,
        queryset=EvaluationRun.objects.select_related("draft", "programme", "base"),
    )


def _filters(request):
    """The list's filters from the query string, or the refusal naming the bad one (shown above the list)."""
    try:
        return change_filter_parse(request.GET, area_get=lambda code: scope.area_get(request.user, code)), None
    except NotFound:
        raise
    except ApplicationError as e:
        return ChangeFilter(), e


@login_required
def run_detail(request, pk: int):
    """Totals by township, then the households: who newly qualifies, who would lose, who gains or loses how much;
    filtered, sorted by the difference and paged by keyset."""
    perm_require(request.user, Perm.EVALUATE)
    run = _run(request, pk)
    f, error = _filters(request)
    qs = run_changes(run, scope_prefix=request.user.scope_prefix, f=f)
    rows, next_cursor = ([], "")
    if error is None:
        try:
            rows, next_cursor = run_changes_page(qs, order=f.order, after=request.GET.get("after", ""))
        except ApplicationError as e:
            error = e
    counts = run_change_counts(run_changes(run, scope_prefix=request.user.scope_prefix, f=f, kind=False))
    areas = list(
        areas_visible(request.user)
        .filter(code__startswith=run.area_prefix, level__in=["township", "village"])
        .order_by("code")
        .values_list("code", "name", "level")
    )
    names = {code: name for code, name, _level in areas}
    for r in rows:
        r.township_name, r.area_name = names.get(r.township_code, r.township_code), names.get(r.area_code, r.area_code)
    query = request.GET.copy()
    query.pop("after", None)
    summary = run.summary
    if len(request.user.scope_prefix) > len(run.area_prefix):  # a wider run seen from inside it: own part only
        summary = {
            "townships": [t for t in summary.get("townships", []) if covers(request.user, t["township"])],
            "totals": None,
        }
    baseline_of = EvaluationRun.objects.filter(base=run, draft__isnull=False).first() if run.draft_id is None else None
    return render(
        request,
        "programmes/run_detail.html",
        {
            "run": run,
            "summary": summary,
            "rows": rows,
            "next_cursor": next_cursor,
            "paged": bool(request.GET.get("after")),
            "filter": f,
            "error": error,
            "counts": counts,
            "kinds": [(k, label, counts["kinds"].get(k)) for k, label in ChangeKind.choices],
            "areas": areas,
            "query": query.urlencode(),
            "baseline_of": baseline_of,
            "amount_labels": amount_labels(run),
            "total": qs.count() if error is None else 0,
        },
    )


EXPORT_INLINE_MAX = 2_000  # rows written while the page waits (about a second); a longer list is a background job
FILTER_KEYS = ("area", "kind", "amount_min", "amount_max", "diff_min", "diff_max", "order")


@login_required
def run_export(request, pk: int):
    """The filtered list as .xlsx (amounts as numbers): at once for up to EXPORT_INLINE_MAX households, else as a
    background job whose page downloads the file when it is written."""
    perm_require(request.user, Perm.EVALUATE)
    run = _run(request, pk)
    f, error = _filters(request)
    if error is not None:
        raise error
    qs = run_changes(run, scope_prefix=request.user.scope_prefix, f=f)
    if qs.count() > EXPORT_INLINE_MAX:
        filters = {k: request.GET.get(k) for k in FILTER_KEYS}
        job = tasks.evaluation_export_enqueue(actor=request.user, run=run, filters=filters)
        return redirect("job_detail", pk=job.pk)
    content, _count = run_changes_xlsx(run, qs, order=f.order)
    return xlsx_response(content, f"evaluation-run-{run.pk}.xlsx")


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_file(user, job_id) -> bytes:
    """The file a finished export job wrote, for the person who asked for it only (anyone else: as missing)."""
    job = scope.job_get(user, job_id)
    path = tasks.export_path(job.pk)
    if job.kind != JobKind.EVALUATION_EXPORT or job.created_by_id != user.pk or job.state != JobState.FINISHED:
        raise NotFound()
    if not path.exists():
        raise NotFound("导出文件已不存在，请重新导出", "The exported file is gone; export again")
    return read_plain(path)


@login_required
def run_export_file(request, pk: int):
    perm_require(request.user, Perm.EVALUATE)
    return xlsx_response(export_file(request.user, pk), f"evaluation-export-{pk}.xlsx")


@login_required
def run_list(request):
    perm_require(request.user, Perm.EVALUATE)
    if request.method == "POST":
        job = tasks.evaluation_run_enqueue(
            actor=request.user, programme=request.POST.get("programme", "dibao"), on=_date(request.POST.get("on"))
        )
        return redirect("job_detail", pk=job.pk)
    runs = scope.visible(request.user, "programmes.EvaluationRun").select_related("programme", "created_by")
    programme = request.GET.get("programme", "")
    if programme in PROGRAMMES:
        runs = runs.filter(programme_id=programme)
    runs = runs[:50]
    return render(
        request,
        "programmes/run_list.html",
        {
            "runs": runs,
            "programmes": Programme.objects.filter(code__in=HOUSEHOLD_PROGRAMMES),
            "today": timezone.localdate(),
            "can_run": request.user.has_role_perm(Perm.EVALUATION_RUN),
            "programme": programme,
        },
    )
