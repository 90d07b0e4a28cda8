from __future__ import annotations

import io
import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.core.cells import xlsx_row
from doudi.core.idnumber import account_mask, id_mask
from doudi.core.models import BackgroundJob, JobKind, JobState

from .actions import audit_record
from .chain import audit_head_write
from .events import ChainEvent, action_label
from .models import AuditArchive, AuditEvent, AuditSeal, AuditVerification, EventKind
from .selectors import audit_search
from .tasks import audit_verify_enqueue

SENSITIVE_KEYS = {"id_number": "id", "bank_account": "account"}


def masked_json(value) -> str:
    """Audit values as JSON with ID numbers and bank accounts masked (the page and export never show them)."""

    def walk(v):
        if isinstance(v, dict):
            return {
                k: (
                    id_mask(x)
                    if SENSITIVE_KEYS.get(k) == "id" and isinstance(x, str)
                    else account_mask(x)
                    if SENSITIVE_KEYS.get(k) == "account" and isinstance(x, str)
                    else walk(x)
                )
                for k, x in v.items()
            }
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return json.dumps(walk(value), ensure_ascii=False) if value else ""


FILTERS = ("actor", "target", "action", "kind", "date_from", "date_to")


@login_required
def audit_list(request):
    perm_require(request.user, Perm.AUDIT_VIEW)
    params = {k: request.GET.get(k, "").strip() for k in FILTERS}
    page = Paginator(
        audit_search(scope.visible(request.user, "audit.AuditEvent"), **params), settings.DOUDI_PAGE_SIZE * 2
    ).get_page(request.GET.get("page"))
    for e in page.object_list:
        e.old_text, e.new_text = masked_json(e.old), masked_json(e.new)
        e.action_label = action_label(e.action)
    return render(
        request,
        "audit/audit_list.html",
        {
            "page": page,
            "params": params,
            "kinds": EventKind.choices,
            "querystring": request.GET.urlencode(),
            "can_export": request.user.has_role_perm(Perm.AUDIT_EXPORT),
        },
    )


@login_required
def audit_export(request):
    """The filtered audit trail as .xlsx (auditors)."""
    perm_require(request.user, Perm.AUDIT_EXPORT)
    params = {k: request.GET.get(k, "").strip() for k in FILTERS}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志 Audit")
    ws.append(
        [
            "时间 Time",
            "类别 Kind",
            "操作人 Actor",
            "操作 Action",
            "对象类型 Target type",
            "对象编号 Target id",
            "对象 Target",
            "区划 Area",
            "原值 Old",
            "新值 New",
            "请求编号 Request",
            "批次 Batch",
            "事项 Event",
        ]
    )
    tz = timezone.get_current_timezone()
    for e in audit_search(scope.visible(request.user, "audit.AuditEvent"), **params).iterator(chunk_size=2000):
        ws.append(
            xlsx_row(
                ws,
                [
                    e.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                    e.kind,
                    e.actor_label,
                    e.action,
                    e.target_type,
                    e.target_id,
                    e.target_label,
                    e.area_code,
                    masked_json(e.old),
                    masked_json(e.new),
                    e.request_id,
                    e.batch_id,
                    action_label(e.action),
                ],
            )
        )
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="audit.xlsx"'
    return response


HEAD_LINES = 10


def _verification_pending() -> BackgroundJob | None:
    """The chain verification queued or running now, if any (whoever asked for it)."""
    return (
        BackgroundJob.objects.filter(kind=JobKind.AUDIT_VERIFY, state__in=(JobState.QUEUED, JobState.RUNNING))
        .order_by("-id")
        .first()
    )


@login_required
def audit_chain(request):
    """The audit administrator's view of the chain (``doudi audit verify|head|archive``): what is sealed, the head,
    the heads recorded day by day, the archives, the last verification and when it ran; verify the whole chain
    (in the background: a job, whose result this page shows once it ends), or record today's head. Both are
    audited."""
    perm_require(request.user, Perm.AUDIT_CHAIN)
    heads_file = Path(settings.DOUDI_AUDIT_HEAD_FILE)
    if request.method == "POST":
        if request.POST.get("do") == "head":
            line = audit_head_write(heads_file)
            with transaction.atomic():
                audit_record(
                    actor=request.user,
                    action=ChainEvent.HEAD,
                    target_type="audit_chain",
                    label=line.split()[1],
                    area_code=request.user.area_id or "",
                    new={"head": line},
                )
            messages.success(request, _("已记录今天的审计链头"))
            return redirect("audit_chain")
        if _verification_pending() is None:  # one at a time: a second click while one runs queues nothing
            audit_verify_enqueue(actor=request.user)
        messages.success(request, _("已开始在后台校验整条审计链，完成后结果显示在本页"))
        return redirect("audit_chain")
    last = AuditSeal.objects.order_by("-seq").values("seq", "mac", "sealed_at").first()
    heads = heads_file.read_text().splitlines()[-HEAD_LINES:] if heads_file.exists() else []
    pending = _verification_pending()
    latest = BackgroundJob.objects.filter(kind=JobKind.AUDIT_VERIFY).order_by("-id").first()
    return render(
        request,
        "audit/audit_chain.html",
        {
            "report": AuditVerification.objects.select_related("by").first(),
            "pending": pending,
            "failed": latest if latest is not None and latest.state == JobState.FAILED else None,
            "sealed": AuditSeal.objects.count(),
            "unsealed": AuditEvent.objects.filter(seal__isnull=True).count(),
            "last": last,
            "heads": [line.split() for line in reversed(heads)],
            "archives": AuditArchive.objects.order_by("-last_seq")[:20],
            "retention_days": settings.DOUDI_AUDIT_RETENTION_DAYS,
        },
    )
