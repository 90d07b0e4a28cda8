from __future__ import annotations

import io
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.core.xlsx import row_as_text

from .models import EventKind
from .selectors import audit_search

SENSITIVE_KEYS = {"id_number": "id", "bank_account": "account"}


def masked_json(value) -> str:
    """Audit values as JSON with ID numbers and bank accounts masked (the page and export never show them)."""
    from doudi.core.idnumber import account_mask, id_mask

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
    page = Paginator(audit_search(request.user, **params), settings.DOUDI_PAGE_SIZE * 2).get_page(
        request.GET.get("page")
    )
    for e in page.object_list:
        e.old_text, e.new_text = masked_json(e.old), masked_json(e.new)
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
    from openpyxl import Workbook

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
        ]
    )
    tz = timezone.get_current_timezone()
    for e in audit_search(request.user, **params).iterator(chunk_size=2000):
        ws.append(
            row_as_text(
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
