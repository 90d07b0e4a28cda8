"""The children's allowance pages (children.py): a child's parents' situations and study with the rules' decision
on them and the grant (county), a review raised for a child with its reasons and decision, and the township's and
county's list of children paid with its .xlsx. Views parse, call one action or selector, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.cases.models import CaseKind, Enrolment
from doudi.core.errors import ApplicationError
from doudi.core.labels import explanation_lines
from doudi.core.money import add_months, month_start
from doudi.core.uploads import import_max_bytes, upload_read

from . import children, children_applications, children_roster, previews
from .models import ParentRole, ParentSituation, ParentStatus, StudyProof

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def child_situations(request, pk: int):
    """A child's parents' situations and study, recorded and ended here (township caseworker); the rules'
    decision today on them; the county grants the allowance from here."""
    perm_require(request.user, Perm.CASE_VIEW)
    person = scope.person_get(request.user, pk)
    today = timezone.localdate()
    ctx: dict = {"person": person, "today": today, "form": request.POST}
    if request.method == "POST":
        try:
            done = _post(request, person, today)
        except ApplicationError as e:
            ctx["error"] = e
        else:
            messages.success(request, done)
            return redirect("child_situations", pk=person.pk)
    decision, line = children.child_decision(person, today)
    live = Enrolment.objects.filter(programme_id=children.PROGRAMME, person=person, status__in=children.LIVE_STATUSES)
    ctx.update(
        situations=ParentSituation.objects.filter(child=person)
        .select_related("recorded_by")
        .order_by("parent", "-since"),
        proofs=StudyProof.objects.filter(child=person).order_by("-since"),
        roles=ParentRole.choices,
        statuses=ParentStatus.choices,
        decision=decision,
        line=line,
        lines=explanation_lines(decision.as_dict() if decision else None),
        enrolment=live.first(),
        reviews=children.children_reviews_open(request.user).filter(applicant=person),
        can_record=request.user.has_role_perm(Perm.CASE_CREATE),
        can_decide=request.user.has_role_perm(Perm.CASE_DECIDE),
        first_month=add_months(month_start(today), 1),
    )
    application = children_applications.application_open(request.user, person, today)
    ctx.update(
        application=application,
        can_apply=request.user.has_role_perm(Perm.CASE_HANDLE) and application is None and ctx["enrolment"] is None,
    )
    return render(request, "benefits/child_situations.html", ctx)


def _post(request, person, today) -> str:
    p, user, verb = request.POST, request.user, request.POST.get("verb")
    if verb == "record":
        perm_require(user, Perm.CASE_CREATE)
        children.parent_situation_record(
            actor=user,
            child=person,
            parent=p.get("parent", ""),
            status=p.get("status", ""),
            since=p.get("since", ""),
            evidence=p.get("evidence", ""),
            on=today,
        )
        return _("已登记父母情况")
    if verb == "end":
        perm_require(user, Perm.CASE_CREATE)
        situation = ParentSituation.objects.filter(pk=_id(p.get("situation")), child=person).first()
        if situation is None:
            raise Http404
        children.parent_situation_end(
            actor=user, situation=situation, until=p.get("until", ""), reason=p.get("end_reason", ""), on=today
        )
        return _("已登记情形结束")
    if verb == "study":
        perm_require(user, Perm.CASE_CREATE)
        children.study_proof_record(
            actor=user,
            child=person,
            school=p.get("school", ""),
            since=p.get("since", ""),
            evidence=p.get("evidence", ""),
            on=today,
        )
        return _("已登记在读证明")
    if verb == "study_end":
        perm_require(user, Perm.CASE_CREATE)
        proof = StudyProof.objects.filter(pk=_id(p.get("proof")), child=person).first()
        if proof is None:
            raise Http404
        children.study_proof_end(actor=user, proof=proof, until=p.get("until", ""), on=today)
        return _("已登记就读结束")
    if verb == "apply":
        perm_require(user, Perm.CASE_HANDLE)
        case = children_applications.children_application_record(
            actor=user,
            child=person,
            accepted_on=p.get("accepted_on", ""),
            applied_by=p.get("applied_by", ""),
            note=p.get("note", ""),
            on=today,
        )
        return _("已受理申请，乡镇调查核实期限至 %(d)s") % {"d": f"{case.step_due:%Y-%m-%d}"}
    if verb == "grant":
        perm_require(user, Perm.CASE_DECIDE)
        children.children_grant(
            actor=user,
            person=person,
            on=today,
            in_institution=p.get("in_institution") == "1",
            note=p.get("note", ""),
        )
        return _("已核定并纳入发放")
    raise Http404


def _id(value) -> int:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else 0


@login_required
def children_review(request, pk: int):
    """A review of a child's allowance: the reasons raised, the recorded facts and the rules on them today, and
    the decision to continue or to stop from the next month."""
    perm_require(request.user, Perm.CASE_VIEW)
    case = scope.get_visible(
        request.user,
        "cases.Case",
        pk,
        queryset=scope.visible(request.user, "cases.Case").filter(kind=CaseKind.REVIEW, programme_id="children"),
    )
    today = timezone.localdate()
    ctx: dict = {"case": case, "today": today}
    if request.method == "POST":
        try:
            result = children.children_review_decide(
                actor=request.user,
                case=case,
                outcome=request.POST.get("outcome", ""),
                reason=request.POST.get("reason", ""),
                on=today,
            )
        except ApplicationError as e:
            ctx["error"] = e
        else:
            if result.stopped_from:
                messages.success(request, _("已决定停发，自 %(m)s 起不再发放") % {"m": f"{result.stopped_from:%Y-%m}"})
            else:
                messages.success(request, _("已决定继续保障"))
            return redirect("children_review", pk=case.pk)
    person = case.applicant
    # continuing pays from the next month: the rules as they will stand then (an 18th birthday this month counts)
    decision, line = children.child_decision(person, add_months(month_start(today), 1))
    ctx.update(
        person=person,
        reasons=[e for e in case.events.all() if e.data.get("trigger")],
        events=case.events.select_related("actor").all(),
        decision=decision,
        line=line,
        lines=explanation_lines(decision.as_dict() if decision else None),
        situations=ParentSituation.objects.filter(child=person).order_by("parent", "-since"),
        proofs=StudyProof.objects.filter(child=person).order_by("-since"),
        enrolment=case.enrolment,
        stop_month=add_months(month_start(today), 1),
        can_decide=request.user.has_role_perm(Perm.CASE_DECIDE) and case.state in children.OPEN_STATES,
    )
    return render(request, "benefits/children_review.html", ctx)


@login_required
def children_applications_list(request):
    """The children's applications open in the account's area, nearest due date first: those waiting on the
    account's own step (the township's investigation, the county's decision) by default, or every step."""
    perm_require(request.user, Perm.CASE_VIEW)
    today = timezone.localdate()
    mine = children_applications.waiting_state(request.user)
    step = request.GET.get("step", mine or "")
    if step not in children_applications.WAITING:
        step = ""
    rows = children_applications.application_rows(request.user, today=today, state=step or None)
    ctx = {
        "rows": rows,
        "today": today,
        "step": step,
        "steps": [(s, children_applications.step_text(s)) for s in children_applications.WAITING],
        "overdue": sum(1 for r in rows if r.overdue),
    }
    return render(request, "benefits/children_applications.html", ctx)


@login_required
def children_application(request, pk: int):
    """One child's application: who applied and when, its step and due date, the timeline, the rules on the
    recorded facts today; the township submits it to the county with its opinion (or, at its step, withdraws it
    with a reason), the county approves or refuses it with a written reason."""
    perm_require(request.user, Perm.CASE_VIEW)
    case = scope.get_visible(request.user, "cases.Case", pk, queryset=children_applications.applications(request.user))
    today = timezone.localdate()
    ctx: dict = {"case": case, "today": today, "form": request.POST}
    if request.method == "POST":
        try:
            done = _application_post(request, case, today)
        except ApplicationError as e:
            ctx["error"] = e
        else:
            messages.success(request, done)
            return redirect("children_application", pk=case.pk)
    person = case.applicant
    decision, line = children.child_decision(person, today)
    events = list(case.events.select_related("actor"))
    for e in events:
        e.label = children_applications.event_text(e.move)
    opened = next((e for e in events if e.move == "create"), None)
    user = request.user
    ctx.update(
        person=person,
        events=events,
        applied_by=opened.data.get("applied_by", "") if opened else "",
        step=children_applications.step_text(case.state),
        overdue=case.step_due is not None and today > case.step_due,
        decision=decision,
        line=line,
        lines=explanation_lines(decision.as_dict() if decision else None),
        enrolment=Enrolment.objects.filter(case=case).first(),
        situations=ParentSituation.objects.filter(child=person).order_by("parent", "-since"),
        proofs=StudyProof.objects.filter(child=person).order_by("-since"),
        first_month=add_months(month_start(today), 1),
        can_submit=user.has_role_perm(Perm.CASE_SUBMIT) and case.state == children_applications.TOWNSHIP,
        can_decide=user.has_role_perm(Perm.CASE_DECIDE) and case.state == children_applications.COUNTY,
        can_withdraw=children_applications.may_withdraw(user, case),
    )
    return render(request, "benefits/children_application.html", ctx)


def _application_post(request, case, today) -> str:
    p, user, verb = request.POST, request.user, request.POST.get("verb")
    if verb == "submit":
        perm_require(user, Perm.CASE_SUBMIT)
        c = children_applications.children_application_submit(
            actor=user, case=case, opinion=p.get("opinion", ""), on=today
        )
        return _("已报县审批，县级审批期限至 %(d)s") % {"d": f"{c.step_due:%Y-%m-%d}"}
    if verb == "decide":
        perm_require(user, Perm.CASE_DECIDE)
        out = children_applications.children_application_decide(
            actor=user,
            case=case,
            outcome=p.get("outcome", ""),
            reason=p.get("reason", ""),
            in_institution=p.get("in_institution") == "1",
            on=today,
        )
        if out.enrolment is not None:
            return _("已批准，自 %(m)s 起发放") % {"m": f"{out.enrolment.start_month:%Y-%m}"}
        return _("已决定不予批准")
    if verb == "withdraw":
        perm_require(user, Perm.CASE_HANDLE)
        children_applications.children_application_withdraw(
            actor=user, case=case, reason=p.get("withdraw_reason", ""), on=today
        )
        return _("已撤回申请")
    raise Http404


def _list_ctx(request):
    perm_require(request.user, Perm.CASE_VIEW)
    today = timezone.localdate()
    rows = children.children_list(request.user, on=today)
    soon = add_months(month_start(today), 4)
    return {
        "rows": rows,
        "today": today,
        "upcoming": [r for r in rows if month_start(today) <= r.turns_18 < soon],
        "total": sum((r.amount for r in rows), children.ZERO),
        "orphans": sum(1 for r in rows if r.kind == "orphan"),
        "de_facto": sum(1 for r in rows if r.kind == "de_facto"),
        "reviews": children.children_reviews_open(request.user)[:50],
        "applications": children_applications.application_rows(request.user, today=today),
        "can_run": request.user.has_role_perm(Perm.CASES_DAILY),
        "can_import": request.user.has_role_perm(Perm.CASE_DECIDE),
    }


@login_required
def children_allowance(request):
    """Who is paid the children's allowance in the account's area: category, scattered or in an institution, the
    amount, the next review and the 18th birthday; the upcoming 18th birthdays; the open reviews."""
    return render(request, "benefits/children_list.html", _list_ctx(request))


@login_required
def children_export(request):
    perm_require(request.user, Perm.CASE_VIEW)
    rows = children.children_list(request.user, on=timezone.localdate())
    response = HttpResponse(children_roster.roster_xlsx(rows), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="children.xlsx"'
    return response


@login_required
@require_POST
def children_reviews_run(request):
    perm_require(request.user, Perm.CASES_DAILY)
    try:
        raised = children.children_reviews_run(actor=request.user, on=timezone.localdate())
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已检查，新立复核 %(n)s 件") % {"n": sum(raised.values())})
    return redirect("children_allowance")


@login_required
def children_import(request):
    """The filled-in roster uploaded, then previewed (new, changed, stopped, errors by row and column), then
    confirmed: all of it in one transaction, or nothing; or cancelled. The file kept for the preview is removed
    either way (previews.py)."""
    perm_require(request.user, Perm.CASE_DECIDE)
    today = timezone.localdate()
    ctx: dict = {"today": today}
    if request.method == "POST" and request.POST.get("token"):
        if request.POST.get("cancel"):
            previews.preview_drop(request.user, "children", request.POST["token"])
            messages.info(request, _("已取消导入，未作任何更改"))
            return redirect("children_import")
        content = previews.preview_take(request.user, "children", request.POST["token"])
        if content is None:
            ctx["error"] = ApplicationError(
                "预览已过期，请重新上传", "The preview has expired: upload again", field="file"
            )
            return render(request, "benefits/children_import.html", ctx, status=400)
        try:
            result = children_roster.children_roster_import(actor=request.user, content=content, on=today)
        except ApplicationError as e:
            ctx["error"] = e
            return render(request, "benefits/children_import.html", ctx, status=400)
        messages.success(
            request,
            _("已导入：新增 %(a)s 人，变化 %(c)s 人，停发 %(s)s 人")
            % {"a": len(result.new), "c": len(result.changed), "s": len(result.stopped)},
        )
        return redirect("children_allowance")
    if request.method == "POST":
        try:
            _name, content = upload_read(
                request, max_bytes=import_max_bytes(), zh_label="填好的名册文件", en_label="filled-in roster"
            )
            ctx["result"] = children_roster.children_roster_preview(actor=request.user, content=content, on=today)
        except ApplicationError as e:
            ctx["error"] = e
            return render(request, "benefits/children_import.html", ctx, status=400)
        if ctx["result"].errors:
            return render(request, "benefits/children_import.html", ctx, status=400)
        ctx["token"] = previews.preview_keep(request.user, "children", content)
    return render(request, "benefits/children_import.html", ctx)
