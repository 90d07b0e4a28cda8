from __future__ import annotations


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.cases.models import Overpayment
from doudi.programmes.models import Programme
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.money import money_parse
from doudi.core.uploads import import_max_bytes, upload_read
from doudi.core.validation import DATE_MAX, DATE_MIN, id_or_none, int_clean, month_clean

from . import actions, bankfiles, reports, tasks
from .models import Payroll, PayrollKind, PayrollLine


@login_required
def payroll_list(request):
    perm_require(request.user, Perm.PAYROLL_VIEW)
    payrolls = Payroll.objects.filter(area_prefix__startswith=request.user.scope_prefix[:6]).select_related(
        "programme", "generated_by", "approved_by"
    )[:100]
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
    perm_require(request.user, Perm.PAYROLL_GENERATE)
    try:
        month = month_clean(request.POST.get("month"), field="month", zh_label="发放月份", en_label="Month")
    except ApplicationError as e:
        messages.error(request, e.message)
        return redirect("payroll_list")
    programme, kind = request.POST.get("programme", "dibao"), request.POST.get("kind", "regular")
    if kind not in PayrollKind.values or not Programme.objects.filter(code=programme).exists():
        messages.error(request, "救助项目或发放类型无效 / Invalid programme or payroll kind")
        return redirect("payroll_list")
    task_id = tasks.task_start(actor=request.user, programme=programme, month=month, kind=kind)
    return render(request, "payments/progress.html", {"task_id": task_id, "progress": tasks.task_progress(task_id)})


@login_required
def payroll_progress(request, task_id: str):
    progress = tasks.task_progress(task_id)
    if progress is None:
        raise NotFound()
    if progress["state"] == "finished" and not request.htmx:
        return redirect("payroll_detail", pk=progress["payroll"])
    response = render(request, "payments/_progress.html", {"task_id": task_id, "progress": progress})
    if progress["state"] == "finished":
        response["HX-Redirect"] = f"/payments/{progress['payroll']}/"
    return response


@login_required
def payroll_detail(request, pk: int):
    perm_require(request.user, Perm.PAYROLL_VIEW)
    p = actions.payroll_get(request.user, pk)
    lines = PayrollLine.objects.filter(payroll=p).select_related("household").order_by("id")
    if request.GET.get("status"):
        lines = lines.filter(status=request.GET["status"])
    page = Paginator(lines, 50).get_page(request.GET.get("page"))
    totals = actions.payroll_totals(p)
    return render(
        request,
        "payments/payroll_detail.html",
        {
            "p": p,
            "page": page,
            "totals": totals,
            "agree": len(set(totals.values())) == 1,
            "anomalies": p.anomalies.select_related("line", "handled_by").order_by("status", "kind", "id")[:500],
            "open_anomalies": p.anomalies.filter(status="open").count(),
            "exports": p.exports.order_by("-id"),
            "returns": p.returns.order_by("-id"),
            "summary": reports.payroll_summary(p),
            "querystring": request.GET.urlencode(),
            "can_generate": request.user.has_role_perm(Perm.PAYROLL_GENERATE),
            "can_approve": request.user.has_role_perm(Perm.PAYROLL_APPROVE) and p.generated_by_id != request.user.pk,
        },
    )


@login_required
@require_POST
def payroll_action(request, pk: int, verb: str):
    p = actions.payroll_get(request.user, pk)
    try:
        if verb == "check":
            actions.payroll_check(actor=request.user, payroll=p)
        elif verb == "approve":
            actions.payroll_approve(actor=request.user, payroll=p)
        elif verb == "cancel":
            actions.payroll_cancel(actor=request.user, payroll=p, reason=request.POST.get("reason", ""))
        elif verb == "export":
            export = actions.payroll_export(actor=request.user, payroll=p, fmt=request.POST.get("fmt", "csv"))
            messages.success(request, _("已生成银行文件"))
            return redirect("bank_file", pk=export.pk)
        elif verb == "return":
            filename, content = upload_read(
                request, max_bytes=import_max_bytes(), zh_label="回盘文件", en_label="return file"
            )
            r = actions.bank_return_import(actor=request.user, payroll=p, filename=filename, content=content)
            messages.success(request, _("回盘：成功 %(a)s 笔，失败 %(b)s 笔") % {"a": r.paid, "b": r.failed})
        elif verb == "anomaly":
            anomaly = p.anomalies.filter(pk=id_or_none(request.POST.get("anomaly"))).first()
            if anomaly is None:
                raise ApplicationError("请选择要处理的异常", "Choose the anomaly to handle", field="anomaly")
            actions.anomaly_handle(
                actor=request.user,
                anomaly=anomaly,
                accept=request.POST.get("accept") == "1",
                reason=request.POST.get("reason", ""),
            )
        else:
            raise NotFound()
    except ApplicationError as e:
        messages.error(request, e.message)
    return redirect("payroll_detail", pk=pk)


@login_required
def bank_file(request, pk: int):
    from .models import BankExport

    export = BankExport.objects.select_related("payroll").filter(pk=pk).first()
    if export is None:
        raise NotFound()
    actions.payroll_get(request.user, export.payroll_id)
    perm_require(request.user, Perm.PAYROLL_APPROVE)
    path = bankfiles.bank_root() / str(export.payroll_id) / export.stored_name
    return FileResponse(open(path, "rb"), as_attachment=True, filename=export.stored_name)


@login_required
def recovery_list(request):
    perm_require(request.user, Perm.PAYROLL_VIEW)
    if request.method == "POST":
        o = Overpayment.objects.filter(
            pk=id_or_none(request.POST.get("overpayment")), enrolment__area_code__startswith=request.user.scope_prefix
        ).first()
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
                actor=request.user, overpayment=o, amount=amount, note=request.POST.get("note", "")
            )
        except ApplicationError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("已登记退回"))
        return redirect("recovery_list")
    from django.db.models import Sum

    items = (
        Overpayment.objects.filter(enrolment__area_code__startswith=request.user.scope_prefix)
        .select_related("enrolment__household")
        .annotate(recovered=Sum("recoveries__amount"))
        .order_by("status", "-id")
    )
    return render(
        request,
        "payments/recovery_list.html",
        {"items": items, "can_record": request.user.has_role_perm(Perm.PAYROLL_APPROVE)},
    )


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
    if request.GET.get("format") == "xlsx":
        import io

        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("发放统计")
        ws.append(["项目", "乡镇", "城乡", "发放月份", "户次", "人月", "金额"])
        for r in data["rows"]:
            ws.append(
                [
                    r["programme"],
                    r["township"],
                    r["hukou_type"],
                    r["month"].strftime("%Y-%m"),
                    r["households"],
                    r["person_months"],
                    float(r["amount"]),
                ]
            )
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="figures-{year}.xlsx"'
        return response
    return render(request, "payments/figures.html", {"data": data, "year": year})
