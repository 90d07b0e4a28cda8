from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery, Sum
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.areas.models import Area
from doudi.core.cells import xlsx_row
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.money import money_parse
from doudi.core.uploads import import_max_bytes, upload_get
from doudi.core.validation import DATE_MAX, DATE_MIN, id_or_none, int_clean, month_clean
from doudi.core.views import job_response
from doudi.programmes.models import Programme

from . import actions, bankfiles, reports, selectors, tasks, totals, workflow
from .banklayouts import LAYOUTS
from .models import LineStatus, Recovery


@login_required
def payroll_list(request):
    perm_require(request.user, Perm.PAYROLL_VIEW)
    payrolls = list(
        selectors.payrolls_visible(request.user).select_related("programme", "generated_by", "approved_by")[:100]
    )
    part = selectors.parts(request.user, payrolls)
    for p in payrolls:
        p.part = part[p.pk]
    return render(
        request,
        "payments/payroll_list.html",
        {
            "payrolls": payrolls,
            "programmes": Programme.objects.all(),
            "this_month": timezone.localdate().strftime("%Y-%m"),
        },
    )


@login_required
@require_POST
def payroll_start(request):
    """Queue the generation; the page (or the htmx box on the payroll list) then follows the job."""
    perm_require(request.user, Perm.PAYROLL_GENERATE)
    month = month_clean(request.POST.get("month"), field="month", zh_label="发放月份", en_label="Month")
    job = tasks.payroll_generate_enqueue(
        actor=request.user,
        programme=request.POST.get("programme", "dibao"),
        month=month,
        kind=request.POST.get("kind", "regular"),
    )
    if not request.htmx:
        return redirect("job_detail", pk=job.pk)
    return job_response(request, job)  # only the box, never a whole page inside it


@login_required
def payroll_detail(request, pk: int):
    """The whole payroll for the finance office of its area; for an account below it (a township seeing the
    county's payroll), only that account's part: its lines, their totals and anomalies, and no actions."""
    perm_require(request.user, Perm.PAYROLL_VIEW)
    user = request.user
    p = selectors.payroll_get(user, pk)
    whole = selectors.is_whole(user, p)
    lines = selectors.lines_visible(user, p).order_by("id")
    paginator = Paginator(lines, 50)
    if request.GET.get("status") in LineStatus.values:
        paginator = Paginator(lines.filter(status=request.GET["status"]), 50)
    elif whole:
        paginator.count = p.line_count  # stored: no count of a million lines to show a page of 50
    page = paginator.get_page(request.GET.get("page"))
    names = _area_names({line.area_code for line in page})
    for line in page:
        line.area_name = names.get(line.area_code, line.area_code)
    ctx = {
        "p": p,
        "page": page,
        "whole": whole,
        "part": selectors.part_summary(user, p),
        "anomalies": selectors.anomalies_visible(user, p)
        .select_related("line", "handled_by")
        .order_by("status", "kind", "id")[:500],
        "querystring": request.GET.urlencode(),
        "moves": workflow.available_moves(user, p),
        "maker": p.generated_by_id == user.pk,
        "confirm": _payroll_confirmations(p),
    }
    if whole:  # the totals as stored when last computed (generation, approval, export, bank return)
        ctx.update(
            totals=totals.stored(p),
            exports=p.exports.select_related("layout").order_by("-id"),
            returns=p.returns.order_by("-id"),
            layouts=list(LAYOUTS.values()),
        )
    return render(request, "payments/payroll_detail.html", ctx)


def _payroll_confirmations(p) -> dict[str, str]:
    """What the irreversible buttons ask before they act, naming the payroll and its totals."""
    title = selectors.payroll_title(p)
    return {
        "approve": _("确认审批%(title)s？审批后不能修改，可导出银行文件发放。") % {"title": title},
        "export": _("确认导出%(title)s的银行文件？文件含完整账号，导出记入审计日志。") % {"title": title},
        "cancel": _("确认作废%(title)s？全部冲销，不能恢复。") % {"title": title},
    }


@login_required
@require_POST
def payroll_action(request, pk: int, verb: str):
    move = workflow.MOVES.get(verb)
    if move is None:
        raise NotFound()
    perm_require(request.user, move.perm)
    p = selectors.payroll_get(request.user, pk, act=True)
    try:
        if verb == "check":
            actions.payroll_check(actor=request.user, payroll=p)
        elif verb == "approve":
            actions.payroll_approve(actor=request.user, payroll=p)
        elif verb == "cancel":
            actions.payroll_cancel(actor=request.user, payroll=p, reason=request.POST.get("reason", ""))
        elif verb == "export":
            export = actions.payroll_export(
                actor=request.user,
                payroll=p,
                fmt=request.POST.get("fmt") or None,
                layout=request.POST.get("layout") or None,
            )
            messages.success(request, _("已生成银行文件"))
            return redirect("bank_file", pk=export.pk)
        elif verb == "return":
            filename, upload = upload_get(
                request, max_bytes=import_max_bytes(), zh_label="回盘文件", en_label="return file"
            )
            r = actions.bank_return_import(actor=request.user, payroll=p, filename=filename, content=upload)
            messages.success(request, _("回盘：成功 %(a)s 笔，失败 %(b)s 笔") % {"a": r.paid, "b": r.failed})
        elif verb == "anomaly":
            anomaly = p.anomalies.filter(pk=id_or_none(request.POST.get("anomaly"))).first()
            if anomaly is None:
                raise ApplicationError("请选择要处理的异常", "Choose the anomaly", field="anomaly")
            actions.anomaly_handle(
                actor=request.user,
                anomaly=anomaly,
                accept=request.POST.get("accept") == "1",
                reason=request.POST.get("reason", ""),
            )
    except ApplicationError as e:
        messages.error(request, e.message)
    return redirect("payroll_detail", pk=pk)


@login_required
def bank_file(request, pk: int):
    perm_require(request.user, Perm.PAYROLL_APPROVE)
    export = scope.get_visible(request.user, "payments.BankExport", pk)
    return FileResponse(
        actions.bank_file_open(actor=request.user, export=export),
        as_attachment=True,
        filename=bankfiles.download_name(export),
    )


@login_required
def recovery_list(request):
    perm_require(request.user, Perm.PAYROLL_VIEW)
    if request.method == "POST":
        perm_require(request.user, Perm.PAYROLL_APPROVE)
        o = (
            scope.visible(request.user, "cases.Overpayment")
            .filter(pk=id_or_none(request.POST.get("overpayment")))
            .first()
        )
        try:
            if o is None:
                raise NotFound()
            amount = money_parse(
                request.POST.get("amount", ""),
                field="amount",
                zh_label="退回金额",
                en_label="Amount repaid",
                positive=True,
            )
            actions.repayment_record(
                actor=request.user,
                overpayment=o,
                amount=amount,
                note=request.POST.get("note", ""),
                on=request.POST.get("on") or None,
            )
        except ApplicationError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("已登记退回"))
        return redirect("recovery_list")
    items = (
        scope.visible(request.user, "cases.Overpayment")
        .select_related("enrolment__household")
        .order_by("status", "-id")
    )
    page = Paginator(items, settings.DOUDI_PAGE_SIZE).get_page(request.GET.get("page"))
    # what was recovered, for the rows of this page only (one query with a subquery per row shown)
    recovered = (
        Recovery.objects.filter(overpayment=OuterRef("pk"))
        .order_by()
        .values("overpayment")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    page.object_list = list(page.object_list.annotate(recovered=Subquery(recovered)))
    return render(
        request,
        "payments/recovery_list.html",
        {
            "items": page.object_list,
            "page": page,
            "querystring": request.GET.urlencode(),
            "can_record": request.user.has_role_perm(Perm.PAYROLL_APPROVE),
            "today": timezone.localdate(),
        },
    )


def _area_names(codes: set[str]) -> dict[str, str]:
    """Areas by their names for the codes a page shows (one query for the page)."""
    return dict(Area.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


@login_required
def figures(request):
    perm_require(request.user, Perm.PAYROLL_VIEW)
    year = int_clean(
        request.GET.get("year"),
        field="year",
        zh_label="年度",
        en_label="Year",
        minimum=DATE_MIN.year,
        maximum=DATE_MAX.year,
        default=timezone.localdate().year,
    )
    data = reports.paid_figures(request.user, year=year, programme=request.GET.get("programme") or None)
    names = _area_names({r["township"] for r in data["rows"]})
    programmes = {p.code: p.name for p in Programme.objects.all()}
    for r in data["rows"]:
        r["township_name"] = names.get(r["township"], r["township"])
        r["programme_name"] = programmes.get(r["programme"], r["programme"])
    for t in data["per_capita"].values():
        t["programme_name"] = programmes.get(t["programme"], t["programme"])
    if request.GET.get("format") == "xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("发放统计")
        ws.append(["项目", "乡镇", "城乡", "发放月份", "户次", "人月", "金额"])
        for r in data["rows"]:
            ws.append(
                xlsx_row(
                    ws,
                    [
                        r["programme"],
                        r["township"],
                        r["hukou_type"],
                        r["month"].strftime("%Y-%m"),
                        r["households"],
                        r["person_months"],
                        r["amount"],
                    ],
                )
            )  # amount: Decimal, a number
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="figures-{year}.xlsx"'
        return response
    return render(request, "payments/figures.html", {"data": data, "year": year})
