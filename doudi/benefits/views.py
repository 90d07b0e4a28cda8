"""Temporary assistance pages: the 12349 hotline's calls, applications, paying first, approval by amount and the
paperwork after paying first (docs/programmes.md). Views parse, call one action or selector, and render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.areas.models import Area, AreaLevel
from doudi.cases.models import Department
from doudi.core.errors import ApplicationError
from doudi.core.labels import said
from doudi.core.validation import id_or_none

from . import selectors, temporary
from .models import CallOutcome, TemporaryState


def notes_show(request, notes: list[dict]) -> None:
    """A change's notes (``LinesMoved.notes``: the payroll lines a new account reached or left) as messages, in
    the reader's language: what reached the lines as done, what was left as a warning."""
    for note in notes:
        add = messages.success if note["code"] == "lines_updated" else messages.warning
        add(request, said(note["zh"], note["en"]))


KINDS = (
    ("emergency", gettext_lazy("急难型（意外、火灾、突发重病）")),
    ("expenditure", gettext_lazy("支出型（突发教育、医疗等支出）")),
)


@login_required
def temporary_list(request):
    perm_require(request.user, Perm.CASE_VIEW)
    return render(
        request,
        "benefits/temporary_list.html",
        {
            "paperwork": selectors.paperwork_open(request.user)[:50],
            "items": selectors.temporary_list(request.user)[:100],
            "calls": selectors.call_list(request.user)[:30],
            "today": timezone.localdate(),
            "can_create": request.user.has_role_perm(Perm.CASE_CREATE),
        },
    )


@login_required
def hotline_call(request):
    """12349: record a call; an application continues on the application form, prefilled."""
    perm_require(request.user, Perm.CASE_CREATE)
    ctx = {
        "outcomes": CallOutcome.choices,
        "departments": Department.choices,
        "areas": scope.areas_visible(request.user).filter(level="village").order_by("code"),
        "form": request.POST,
    }
    if request.method == "POST":
        p = request.POST
        try:
            call = temporary.hotline_call_record(
                actor=request.user,
                caller_name=p.get("caller_name", ""),
                caller_phone=p.get("caller_phone", ""),
                area_code=p.get("area_code", ""),
                need=p.get("need", ""),
                outcome=p.get("outcome", ""),
                department=p.get("department", ""),
                note=p.get("note", ""),
            )
        except ApplicationError as e:
            ctx["error"] = e
        else:
            messages.success(request, _("已登记来电"))
            if call.outcome == CallOutcome.APPLICATION:
                return redirect(f"{reverse('temporary_new')}?call={call.pk}")
            return redirect("temporary_list")
    return render(request, "benefits/hotline_call.html", ctx)


@login_required
def temporary_new(request):
    perm_require(request.user, Perm.CASE_CREATE)
    source = request.POST if request.method == "POST" else request.GET
    call = None
    if source.get("call"):
        call = selectors.call_get(request.user, id_or_none(source.get("call")) or 0)
    household, away, error = None, None, None
    if source.get("household"):
        household = scope.household_get(request.user, id_or_none(source.get("household")) or 0)
    elif source.get("id_number"):
        # applying where the hardship happened, away from the household's township: found by the whole ID number
        try:
            away = temporary.applicant_by_id_number(request.user, source.get("id_number"))
        except ApplicationError as e:
            error = e
        else:
            household = away.household
    members = []
    if away is not None:
        members = [away]  # only the applicant: the rest of a household outside one's area is not shown
    elif household is not None:
        members = household.memberships.filter(end_date__isnull=True).select_related("person")
    # the places one may name: one's own area's townships and villages (the call's place first when there is one)
    areas = list(
        Area.objects.filter(
            code__startswith=request.user.scope_prefix, level__in=[AreaLevel.TOWNSHIP, AreaLevel.VILLAGE]
        )
        .select_related("parent__parent__parent")
        .order_by("code")
    )
    ctx = {
        "call": call,
        "household": household,
        "away": away,
        "members": members,
        "kinds": KINDS,
        "form": source,
        "today": timezone.localdate(),
        "areas": areas,
        "can_register": request.user.has_role_perm(Perm.REGISTRY_EDIT),
        "hardship_area": source.get("hardship_area")
        or (call.area_code if call else (household.area_id if household and away is None else "")),
        "error": error,
    }
    if request.method == "POST" and household is not None and "kind" in request.POST:
        p = request.POST
        person = next((m.person for m in members if str(m.person_id) == p.get("applicant")), None)
        try:
            if person is None:
                raise ApplicationError("请选择申请人", "Choose the applicant", field="applicant")
            try:
                day = dt.date.fromisoformat(p.get("hardship_date", ""))
            except ValueError:
                raise ApplicationError(
                    "困难发生日期格式应为 YYYY-MM-DD", "The date is YYYY-MM-DD", field="hardship_date"
                ) from None
            ta = temporary.temporary_apply(
                actor=request.user,
                household=household,
                person=person,
                kind=p.get("kind", ""),
                cause=p.get("cause", ""),
                hardship_date=day,
                loss=p.get("loss") or "0",
                rigid_expenses=p.get("rigid_expenses") or "0",
                reimbursed=p.get("reimbursed") or "0",
                call=call,
                hardship_area=p.get("hardship_area") or None,
            )
        except ApplicationError as e:
            ctx["error"] = e
        else:
            messages.success(request, _("已登记临时救助申请"))
            return redirect("temporary_detail", pk=ta.pk)
    return render(request, "benefits/temporary_new.html", ctx)


def _moves(user, ta) -> dict:
    """The buttons this person may press now (the actions refuse the rest)."""
    township = ta.approval_level == "township"
    awaiting = ta.state == TemporaryState.AWAITING
    return {
        "pay_first": awaiting and ta.fast_track and user.has_role_perm(Perm.CASE_TOWNSHIP_REVIEW),
        "decide": awaiting
        and user.has_role_perm(Perm.CASE_TOWNSHIP_REVIEW if township else Perm.CASE_DECIDE)
        and scope.covers(user, ta.area_code),
        "paperwork": ta.state == TemporaryState.PAID_FIRST and user.has_role_perm(Perm.CASE_HANDLE),
    }


@login_required
def temporary_detail(request, pk: int):
    perm_require(request.user, Perm.CASE_VIEW)
    ta = selectors.temporary_get(request.user, pk)
    return render(
        request,
        "benefits/temporary_detail.html",
        {
            "ta": ta,
            "moves": _moves(request.user, ta),
            "today": timezone.localdate(),
            "hardship_area": Area.objects.filter(code=ta.hardship_area_code).first(),
        },
    )


@login_required
@require_POST
def temporary_action(request, pk: int, verb: str):
    ta = scope.get_actionable(request.user, "benefits.TemporaryAssistance", pk)
    p = request.POST
    try:
        if verb == "pay-first":
            temporary.temporary_pay_first(actor=request.user, ta=ta)
            messages.success(request, _("已先行救助，请在期限内补办手续"))
        elif verb == "approve":
            temporary.temporary_decide(actor=request.user, ta=ta, approve=True)
            messages.success(request, _("已批准发放"))
        elif verb == "refuse":
            temporary.temporary_decide(actor=request.user, ta=ta, approve=False, reason=p.get("reason", ""))
            messages.success(request, _("已决定不予救助"))
        elif verb == "paperwork":
            temporary.temporary_paperwork_complete(actor=request.user, ta=ta, record=p.get("record", ""))
            messages.success(request, _("补办手续已完成"))
        else:
            raise Http404
    except ApplicationError as e:
        return render(
            request,
            "benefits/temporary_detail.html",
            {"ta": selectors.temporary_get(request.user, pk), "moves": _moves(request.user, ta), "error": e},
            status=e.status_code if e.status_code in (403, 404, 409) else 400,
        )
    return redirect("temporary_detail", pk=pk)
