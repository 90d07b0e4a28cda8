"""Pages of a household's move to another township: the request (from the household's page), the list of moves
in and out, one move with the family and what it receives, and accepting, sending back or withdrawing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, household_get, perm_require
from doudi.cases.models import LIVE_STATUSES, Enrolment
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.validation import date_clean

from . import selectors as benefit_selectors
from . import transfers
from .models import Transfer, TransferState


@login_required
def transfer_new(request, pk: int):
    """The township the household leaves asks the township it moves to."""
    perm_require(request.user, Perm.REGISTRY_EDIT)
    household = household_get(request.user, pk)
    ctx = {
        "household": household,
        "destinations": transfers.destinations(request.user),
        "form": request.POST,
        "today": timezone.localdate(),
        "pending": household.transfers.filter(state=TransferState.PENDING).first(),
    }
    if request.method == "POST":
        p = request.POST
        try:
            moved_on = date_clean(p.get("moved_on"), field="moved_on", zh_label="迁移日期", en_label="Date of the move")
            t = transfers.transfer_request(
                actor=request.user,
                household=household,
                to_area=p.get("to_area", ""),
                moved_on=moved_on,
                address=p.get("address", ""),
                reason=p.get("reason", ""),
            )
        except ApplicationError as e:
            ctx["error"] = e
            return render(request, "benefits/transfer_new.html", ctx, status=e.status_code)
        messages.success(request, _("已提交迁移申请，待迁入地乡镇（街道）接收"))
        return redirect("transfer_detail", pk=t.pk)
    return render(request, "benefits/transfer_new.html", ctx)


@login_required
def transfer_list(request):
    """Moves into the account's area waiting for it, then every move in or out, newest first."""
    perm_require(request.user, Perm.REGISTRY_VIEW)
    visible = transfers.transfers_visible(request.user).select_related(
        "household", "from_area__parent", "to_area__parent", "requested_by", "decided_by"
    )
    prefix = request.user.scope_prefix
    for t in (rows := list(visible[:200])):
        t.incoming = t.to_area_id.startswith(prefix) and not t.from_area_id.startswith(prefix)
    return render(
        request,
        "benefits/transfer_list.html",
        {"incoming": transfers.transfers_incoming(request.user), "transfers": rows},
    )


@login_required
def transfer_detail(request, pk: int):
    perm_require(request.user, Perm.REGISTRY_VIEW)
    t = scope.get_visible(
        request.user,
        "benefits.Transfer",
        pk,
        queryset=Transfer.objects.select_related(
            "household", "from_area__parent", "to_area__parent", "requested_by", "decided_by"
        ),
    )
    members = t.household.memberships.filter(end_date__isnull=True).select_related("person").order_by("id")
    programmes = benefit_selectors.label_one_offs(
        Enrolment.objects.filter(household=t.household, status__in=LIVE_STATUSES)
        .select_related("programme", "person")
        .order_by("pk")
    )
    user = request.user
    can_edit = (
        user.has_role_perm(Perm.REGISTRY_EDIT)
        and len(user.scope_prefix) == transfers.TOWNSHIP
        and t.state == TransferState.PENDING
    )
    return render(
        request,
        "benefits/transfer_detail.html",
        {
            "t": t,
            "members": members,
            "programmes": programmes,
            "can_decide": can_edit and covers(user, t.to_area_id) and not covers(user, t.from_area_id),
            "can_withdraw": can_edit and covers(user, t.from_area_id),
            "household_here": covers(user, t.household.area_id),
        },
    )


@login_required
@require_POST
def transfer_action(request, pk: int, verb: str):
    perm_require(request.user, Perm.REGISTRY_EDIT)
    t = scope.get_visible(request.user, "benefits.Transfer", pk)
    note = request.POST.get("note", "")
    try:
        if verb == "accept":
            transfers.transfer_accept(actor=request.user, transfer=t, note=note)
            messages.success(request, _("已接收，该家庭及其救助项目已转入本乡镇（街道）"))
        elif verb == "refuse":
            transfers.transfer_refuse(actor=request.user, transfer=t, note=note)
            messages.success(request, _("已退回迁出地"))
        elif verb == "withdraw":
            transfers.transfer_withdraw(actor=request.user, transfer=t)
            messages.success(request, _("已撤回迁移申请"))
        else:
            raise NotFound(field="verb")
    except ApplicationError as e:
        if isinstance(e, NotFound):
            raise
        messages.error(request, e.message)
    return redirect("transfer_detail", pk=t.pk)
