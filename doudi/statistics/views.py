"""Pages: the month's figures of one's area with the list behind each, and the year's targets."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.core.errors import ApplicationError
from doudi.core.labels import english, said
from doudi.core.money import add_months
from doudi.core.validation import DATE_MIN, int_clean, month_clean

from . import actions, monthly, selectors, tasks
from . import dashboard as dashboard_mod
from .catalogue import CATALOGUE, SECTIONS
from .rows import drill_rows


def _month(request) -> dt.date:
    raw = request.GET.get("month") or add_months(timezone.localdate().replace(day=1), -1).strftime("%Y-%m")
    return month_clean(raw, field="month", zh_label="统计月份", en_label="Month")


@login_required
def indicators(request):
    perm_require(request.user, Perm.STATS_VIEW)
    month = _month(request)
    area = request.GET.get("area") or ""
    live = request.GET.get("live") == "1"
    found = None if live else selectors.figures_from_snapshot(request.user, month, area=area or None)
    if found is not None:  # the background refresh's figures, with when they were computed
        items, computed_at = found
    else:  # computed now, set-based; and the area-year's snapshots queued so the next look reads them
        items, computed_at = selectors.figures(request.user, month, area=area or None), None
        prefix = scope.area_get(request.user, area).prefix if area else request.user.scope_prefix
        if not live and cache.add(f"statistics-refresh-{prefix}-{month.year}", 1, timeout=300):
            tasks.snapshots_refresh_enqueue(actor=None, prefix=prefix, year=month.year, area=area, asked=False)
    sections = []
    for letters, label in SECTIONS.items():
        rows = [f for f in items if f.indicator.section == letters]
        if rows:
            sections.append({"label": label, "rows": rows})
    townships = scope.areas_visible(request.user).filter(level__in=("county", "township")).order_by("code")
    return render(
        request,
        "statistics/indicators.html",
        {
            "sections": sections,
            "month": month,
            "previous_month": add_months(month, -1),
            "area": area,
            "areas": townships,
            "computed_at": computed_at,
        },
    )


@login_required
def indicator_list(request, code: str):
    perm_require(request.user, Perm.STATS_VIEW)
    month = _month(request)
    area = request.GET.get("area") or ""
    ytd = request.GET.get("ytd") == "1"
    ind = selectors.indicator_get(code)
    qs = selectors.drill_list(request.user, code, month, area=area or None, ytd=ytd)
    page = Paginator(qs.order_by("pk"), 100).get_page(request.GET.get("page"))
    rows = drill_rows(list(page.object_list))
    return render(
        request,
        "statistics/indicator_list.html",
        {
            "ind": ind,
            "name": list_title(ind),
            "unit": said(ind.unit_zh, ind.unit_en),
            "definition": said(ind.definition_zh, ind.definition_en),
            "figure": ind.recount(list(qs)) if page.paginator.num_pages == 1 else None,
            "rows": rows,
            "page": page,
            "month": month,
            "area": area,
            "ytd": ytd,
            "querystring": request.GET.urlencode(),
        },
    )


def list_title(ind) -> str:
    """The list's heading: a sub-item (其中：…) read on its own page says what it is part of (月末在办申请：县级审批中),
    not "of which" with nothing before it."""
    zh, en = ind.name_zh, ind.name_en
    if zh.startswith("其中："):
        zh = zh.removeprefix("其中：")
        parent = CATALOGUE.get(ind.code[:6] + "000000")
        if parent is not None and parent.code != ind.code:
            zh = f"{parent.name_zh}：{zh}"
            en = f"{parent.name_en}: {en.removeprefix('Of which ')}"
    return said(zh, en)


@login_required
def dashboard(request):
    """The bureau's or a township's dashboard: trends, per-capita subsidy against target, townships compared — from
    the precomputed snapshots, refreshed in the background when missing or older than the last approved payroll."""
    perm_require(request.user, Perm.STATS_VIEW)
    today = timezone.localdate()
    year = int_clean(
        request.GET.get("year"),
        field="year",
        zh_label="年度",
        en_label="Year",
        minimum=DATE_MIN.year,
        maximum=today.year,
        default=today.year,
    )
    area = request.GET.get("area") or ""
    prefix = scope.area_get(request.user, area).prefix if area else request.user.scope_prefix
    if request.method == "POST":  # "重新计算": queued at once (one per area and year at a time), then shown
        job = tasks.snapshots_refresh_enqueue(actor=request.user, prefix=prefix, year=year, area=area)
        messages.success(request, _("已提交后台重新计算（任务 #%(n)s），完成后刷新本页即可看到新数据") % {"n": job.pk})
        return redirect(f"{request.path}?{urlencode({'area': area, 'year': year})}")
    job = tasks.refresh_pending(prefix, year)
    if job is None and dashboard_mod.stale(prefix, dashboard_mod.months_of(year, today)):
        # missing, or older than the last payroll approved: queued for whoever looks, by the system (at most one
        # per area-year every five minutes, however many people look)
        if cache.add(f"statistics-refresh-{prefix}-{year}", 1, timeout=300):
            job = tasks.snapshots_refresh_enqueue(actor=None, prefix=prefix, year=year, area=area, asked=False)
    data = dashboard_mod.dashboard_data(request.user, prefix, year, today=today)
    data["area"] = area
    data["english"] = english()
    labels = data["spending_names_en"] if data["english"] else data["spending_names"]
    spending_rows = [
        {"month": r["month"], "cells": list(zip(data["spending_codes"], r["values"], strict=True)), "total": r["total"]}
        for r in data["spending"]
    ]
    return render(
        request,
        "statistics/dashboard.html",
        {
            "data": data,
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "area": area,
            "areas": scope.areas_visible(request.user).filter(level__in=("county", "township")).order_by("code"),
            "job": job,
            "map_choices": [(c, said(CATALOGUE[c].name_zh, CATALOGUE[c].name_en)) for c in dashboard_mod.COMPARE],
            "spending_labels": labels,
            "spending_rows": spending_rows,
            "may_refresh": request.user.has_role_perm(Perm.STATS_REFRESH),
        },
    )


@login_required
def monthly_report(request):
    """The monthly statistical report of the account's area as .xlsx (statistics/monthly.py)."""
    perm_require(request.user, Perm.STATS_VIEW)
    month = _month(request)
    data = monthly.monthly_report(month, user=request.user)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="monthly-{month:%Y-%m}.xlsx"'
    return response


@login_required
def targets(request):
    perm_require(request.user, Perm.STATS_VIEW)
    if request.method == "POST":
        try:
            actions.target_enter(
                actor=request.user,
                year=request.POST.get("year"),
                code=request.POST.get("code"),
                area_code=request.POST.get("area"),
                value=request.POST.get("value"),
                note=request.POST.get("note", ""),
            )
        except ApplicationError as e:
            messages.error(request, said(e.zh, e.en))
        else:
            messages.success(request, _("目标已录入，待另一名县级工作人员审批"))
            return redirect("statistics_targets")
    items = list(selectors.targets_visible(request.user)[:200])
    for t in items:
        ind = CATALOGUE.get(t.code)
        t.name = said(ind.name_zh, ind.name_en) if ind else t.code
        t.may_approve = (
            t.status == "draft"
            and request.user.has_role_perm(Perm.TARGETS_APPROVE)
            and t.created_by_id != request.user.pk
            and scope.covers(request.user, t.area_id)
        )
    return render(
        request,
        "statistics/targets.html",
        {
            "items": items,
            "choices": [(c, said(i.name_zh, i.name_en)) for c, i in sorted(CATALOGUE.items()) if i.target_kind],
            "areas": scope.areas_visible(request.user).filter(level__in=("county", "township")).order_by("code"),
            "year": timezone.localdate().year,
            "may_enter": request.user.has_role_perm(Perm.TARGETS_EDIT) and len(request.user.scope_prefix) == 6,
        },
    )


@login_required
@require_POST
def target_approve(request, pk: int):
    perm_require(request.user, Perm.TARGETS_APPROVE)
    actions.target_approve(actor=request.user, target_id=pk)
    messages.success(request, _("目标已批准"))
    return redirect("statistics_targets")
