"""Veterans' periodic payments pages (veterans.py): the roster with filters, entering a person, a person's
entitlement with its amount history, prison terms, grants and the county's decisions, and the year's amounts
table with its import (preview, then a draft version approved as every parameter version is). Views parse, call
one action or selector, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.areas.models import Area
from doudi.core.errors import ApplicationError
from doudi.core.labels import english
from doudi.core.money import month_start
from doudi.core.uploads import import_max_bytes, upload_read
from doudi.core.validation import date_clean, id_or_none, int_clean, month_clean
from doudi.payments.models import EntryKind, LedgerEntry
from doudi.programmes.shapes.veterans import (
    CATEGORIES,
    CAUSES,
    GRANTS,
    category_label,
    cause_headers,
    cause_label,
    grant_label,
)

from . import selectors, veterans
from .amounts import amounts_confirm, amounts_preview, amounts_split, amounts_table
from .models import VeteranState
from .selectors import STATUSES, status_of
from .views import notes_show


def _label(rows, code):
    return dict(rows).get(code, code)


def _causes() -> list[tuple[str, str]]:
    return [(c, en if english() else zh) for c, zh, en, _grades in CAUSES]


def _grade(request):
    grade = request.POST.get("grade") or None
    return (
        int_clean(grade, field="grade", zh_label="伤残等级", en_label="Grade", minimum=1, maximum=10) if grade else None
    )


@login_required
def veterans_roster(request):
    """The area's entitled people with filters; the county brings payments to the month's table and runs the
    year's one-off grants here."""
    perm_require(request.user, Perm.CASE_VIEW)
    today = timezone.localdate()
    ctx: dict = {"can_decide": request.user.has_role_perm(Perm.CASE_DECIDE)}
    if request.method == "POST":
        perm_require(request.user, Perm.CASE_DECIDE)
        try:
            month = month_clean(request.POST.get("month", ""), field="month", zh_label="月份", en_label="Month")
            if request.POST.get("do") == "grants":
                result = veterans.veterans_grants_run(
                    actor=request.user, kind=request.POST.get("kind", ""), year=month.year, month=month
                )
                messages.success(
                    request,
                    _("已发放%(kind)s：新发放%(added)s人，合计%(total)s元；已发放过的%(already)s人不再发放")
                    % {
                        "kind": grant_label(result.kind, english()),
                        "added": result.added,
                        "total": f"{result.total:.2f}",
                        "already": result.already,
                    },
                )
            else:
                result = veterans.veterans_uprate(actor=request.user, month=month)
                messages.success(
                    request,
                    _("已按%(month)s标准核对%(checked)s人，调整%(changed)s人")
                    % {"month": f"{month:%Y-%m}", "checked": result.checked, "changed": result.changed},
                )
            return redirect("veterans_roster")
        except ApplicationError as e:
            ctx["error"] = e
    f = {k: (request.GET.get(k) or "").strip()[:30] for k in ("category", "cause", "status", "area", "q")}
    rows = list(selectors.veterans_list(request.user, **f)[:500])
    names = dict(Area.objects.filter(code__in={v.area_code for v in rows}).values_list("code", "name"))
    for v in rows:
        v.area_name = names.get(v.area_code, "")
        v.status = status_of(v)
        v.status_label = _label(STATUSES, v.status)
        v.category_label = category_label(v.category, english())
        v.cause_label = cause_label(v.cause, english()) if v.cause else ""
    ctx.update(
        rows=rows,
        filters=f,
        categories=[(c, en if english() else zh) for c, zh, en, _p in CATEGORIES],
        causes=_causes(),
        statuses=list(STATUSES),
        areas=scope.areas_visible(request.user).filter(level__in=("township", "village")).order_by("code"),
        grants=[(c, en if english() else zh) for c, zh, en, _p, _c in GRANTS],
        month=month_start(today),
        can_enter=request.user.has_role_perm(Perm.CASE_CREATE),
    )
    return render(request, "benefits/veterans_roster.html", ctx, status=400 if "error" in ctx else 200)


@login_required
def veteran_new(request):
    """The township enters a person: category, a disabled serviceman's grade and cause, certificate, start month
    and own account."""
    perm_require(request.user, Perm.CASE_CREATE)
    person_id = id_or_none(request.GET.get("person") or request.POST.get("person"))
    if person_id is None:
        raise Http404
    person = scope.person_get(request.user, person_id)
    ctx: dict = {
        "person": person,
        "categories": [(c, en if english() else zh) for c, zh, en, _p in CATEGORIES],
        "grades": range(1, 11),
        "causes": _causes(),
        "data": request.POST,
    }
    if request.method == "POST":
        try:
            v = veterans.veteran_enter(
                actor=request.user,
                person=person,
                category=request.POST.get("category", ""),
                grade=_grade(request),
                cause=request.POST.get("cause") or None,
                start_month=month_clean(
                    request.POST.get("start_month", ""), field="start_month", zh_label="发放起始月", en_label="Start"
                ),
                certificate_no=request.POST.get("certificate_no", ""),
                bank_account=request.POST.get("bank_account", ""),
                account_holder=request.POST.get("account_holder", ""),
            )
        except ApplicationError as e:
            ctx["error"] = e
        else:
            messages.success(request, _("已登记，待县级审批"))
            return redirect("veteran_detail", pk=v.pk)
    return render(request, "benefits/veteran_new.html", ctx, status=400 if "error" in ctx else 200)


@login_required
def veteran_detail(request, pk: int):
    perm_require(request.user, Perm.CASE_VIEW)
    v = selectors.veteran_get(request.user, pk)
    v.status = status_of(v)
    v.status_label = _label(STATUSES, v.status)
    v.category_label = category_label(v.category, english())
    v.cause_label = cause_label(v.cause, english()) if v.cause else ""
    changes = list(v.enrolment.changes.order_by("from_month", "id")) if v.enrolment else []
    enrolment_ids = [v.enrolment_id] if v.enrolment_id else []
    grants = list(v.grants.select_related("enrolment").all())
    for g in grants:
        g.label = grant_label(g.kind, english())
        enrolment_ids.append(g.enrolment_id)
    payments = list(
        LedgerEntry.objects.filter(enrolment_id__in=enrolment_ids, kind__in=[EntryKind.PAYMENT, EntryKind.REVERSAL])
        .select_related("payroll")
        .order_by("-month", "-id")[:60]
    )
    can_decide = request.user.has_role_perm(Perm.CASE_DECIDE) and scope.covers(request.user, v.area_code)
    ctx = {
        "v": v,
        "changes": changes,
        "terms": list(v.prison_terms.all()),
        "grants": grants,
        "payments": payments,
        "can_decide": can_decide and v.state == VeteranState.PENDING and v.created_by_id != request.user.pk,
        "can_suspend": can_decide and v.status == "active",
        "can_resume": can_decide and v.status == "suspended",
        "can_correct": can_decide and v.category == "disabled" and v.state != VeteranState.REFUSED,
        "can_change_account": can_decide and v.state != VeteranState.REFUSED,
        "grades": range(1, 11),
        "causes": _causes(),
        "today": timezone.localdate(),
    }
    if request.GET.get("error"):
        ctx["error_text"] = request.GET["error"][:200]
    return render(request, "benefits/veteran_detail.html", ctx)


@login_required
@require_POST
def veteran_action(request, pk: int, verb: str):
    """approve, refuse (the county), suspend (a prison term began), resume (released), correct (a disabled
    serviceman's cause and grade), account (the person's new own account)."""
    if verb not in ("approve", "refuse", "suspend", "resume", "correct", "account"):
        raise Http404
    perm_require(request.user, Perm.CASE_DECIDE)
    v = scope.get_actionable(request.user, "benefits.VeteranEntitlement", pk)
    today = timezone.localdate()
    try:
        if verb in ("approve", "refuse"):
            veterans.veteran_decide(
                actor=request.user,
                entitlement=v,
                approve=verb == "approve",
                on=today,
                reason=request.POST.get("reason", ""),
            )
        elif verb == "suspend":
            day = date_clean(
                request.POST.get("started_on", ""),
                field="started_on",
                zh_label="服刑起始日期",
                en_label="In prison from",
            )
            veterans.veteran_suspend(
                actor=request.user, entitlement=v, started_on=day, note=request.POST.get("note", "")
            )
        elif verb == "account":
            change = veterans.veteran_account_change(
                actor=request.user,
                entitlement=v,
                bank_account=request.POST.get("bank_account", ""),
                account_holder=request.POST.get("account_holder", ""),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("已保存"))
            notes_show(request, change.notes())
            return redirect("veteran_detail", pk=v.pk)
        elif verb == "correct":
            veterans.veteran_correct(
                actor=request.user,
                entitlement=v,
                grade=_grade(request),
                cause=request.POST.get("cause", ""),
                from_month=month_clean(
                    request.POST.get("from_month", ""),
                    field="from_month",
                    zh_label="更正起始月",
                    en_label="Corrected from",
                ),
                reason=request.POST.get("reason", ""),
            )
        else:
            day = date_clean(
                request.POST.get("released_on", ""),
                field="released_on",
                zh_label="刑满释放日期",
                en_label="Released on",
            )
            veterans.veteran_resume(actor=request.user, entitlement=v, released_on=day)
    except ApplicationError as e:
        messages.error(request, e.en if english() else e.zh)
        return redirect("veteran_detail", pk=v.pk)
    messages.success(request, _("已保存"))
    return redirect("veteran_detail", pk=v.pk)


@login_required
def veterans_amounts(request):
    """The year's amounts table: each category's monthly amount and each grant in the table in force on a date;
    county reviewers load the veterans affairs department's table here (preview, then a
    draft version that a county approver approves on the version's page)."""
    perm_require(request.user, Perm.CASE_VIEW)
    today = timezone.localdate()
    ctx: dict = {"can_load": request.user.has_role_perm(Perm.PARAMETERS_EDIT)}
    try:
        on = date_clean(request.GET.get("on") or today.isoformat(), field="on", zh_label="日期", en_label="Date")
    except ApplicationError as e:
        ctx["error"], on = e, today
    if request.method == "POST":
        perm_require(request.user, Perm.PARAMETERS_EDIT)
        try:
            if request.POST.get("token"):
                version = amounts_confirm(actor=request.user, token=request.POST["token"])
                messages.success(request, _("已生成参数草稿，待县级审批人审批后生效"))
                return redirect(reverse("version_detail", args=[version.pk]))
            name, content = upload_read(
                request, max_bytes=import_max_bytes(), zh_label="优抚标准文件", en_label="amounts file"
            )
            preview = ctx["preview"] = amounts_preview(actor=request.user, filename=name, content=content)
            ctx["preview_grid"], ctx["preview_rows"] = amounts_split(preview.rows, en=english())
        except ApplicationError as e:
            ctx["error"] = e
    grid, rows = amounts_split(amounts_table(on, en=english()), en=english())
    ctx.update(on=on, grid=grid, table=rows, causes=cause_headers(english()))
    return render(request, "benefits/veterans_amounts.html", ctx, status=400 if "error" in ctx else 200)
