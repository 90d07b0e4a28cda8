"""Case pages: queues and dashboard, one-door application, the case page with its timeline and the buttons the
person may press, documents and PDFs, enrolments with amount history and change reports."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import household_get, perm_require
from doudi.audit.actions import access_record
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.money import money_parse
from doudi.core.uploads import document_max_bytes, upload_read
from doudi.core.validation import id_or_none, int_clean, month_clean
from doudi.programmes.models import Programme

from . import actions, pdf, selectors
from . import workflow as wf
from .documents import document_attach, document_path
from .models import Application, Case, Channel, Department, Document, DocumentKind, ReportKind
from .moves import available_moves, move_allowed

# The fields each move asks for (name, input type, label); validation is the action's.
MOVE_FIELDS = {
    "record_survey": [
        ("visit_date", "date", gettext_lazy("入户日期")),
        ("surveyors", "surveyors", gettext_lazy("调查人员（至少2人）")),
        ("findings", "textarea", gettext_lazy("调查情况")),
        ("applicant_confirmed", "checkbox", gettext_lazy("申请人已签字确认")),
        ("surveyors_confirmed", "checkbox", gettext_lazy("调查人员已签字确认")),
    ],
    "attach_verification": [("results", "textarea", gettext_lazy("核对结果"))],
    "township_opinion": [
        ("opinion", "textarea", gettext_lazy("审核意见")),
        ("recommends", "checkbox", gettext_lazy("同意（拟纳入保障）")),
    ],
    "record_objection": [
        ("received_on", "date", gettext_lazy("收到日期")),
        ("content", "textarea", gettext_lazy("异议内容")),
    ],
    "record_appraisal": [
        ("held_on", "date", gettext_lazy("评议日期")),
        ("attendance", "number", gettext_lazy("参会人数")),
        ("attendees", "textarea", gettext_lazy("参会人员")),
        ("supports", "checkbox", gettext_lazy("评议同意")),
        ("minutes", "textarea", gettext_lazy("评议记录")),
    ],
    "record_complaint": [("content", "textarea", gettext_lazy("投诉举报内容"))],
    "record_home_visit": [
        ("visited_on", "date", gettext_lazy("核查日期")),
        ("findings", "textarea", gettext_lazy("核查情况")),
    ],
    "extend": [("reason", "text", gettext_lazy("延期理由"))],
    "refuse": [("reason", "textarea", gettext_lazy("不予批准的理由（书面告知申请人）"))],
    "withdraw": [("reason", "text", gettext_lazy("撤回原因"))],
}


def _case(request, pk) -> Case:
    perm_require(request.user, Perm.CASE_VIEW)
    case = (
        selectors.cases_visible(request.user)
        .select_related("programme", "household__area", "applicant", "application", "created_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFound()
    return case


LIST_LIMIT = 200  # cases listed on one page (the counts are of all)


@login_required
def case_list(request):
    perm_require(request.user, Perm.CASE_VIEW)
    queue = request.GET.get("queue", "mine")
    queues = selectors.case_queues(request.user)
    if queue in queues:
        qs = queues[queue]
    else:
        qs = selectors.cases_visible(request.user).select_related("programme", "household", "applicant")
        if request.GET.get("state") in wf.STATES:
            qs = qs.filter(state=request.GET["state"])
    return render(
        request,
        "cases/case_list.html",
        {
            "cases": qs[:LIST_LIMIT],
            "queue": queue,
            "counts": {k: v.count() for k, v in queues.items()},
            "dashboard": selectors.case_counts(request.user),
            "today": timezone.localdate(),
            "states": wf.STATES,
            "state": request.GET.get("state", ""),
        },
    )


@login_required
def application_new(request, household_id: int):
    perm_require(request.user, Perm.CASE_CREATE)
    household = household_get(request.user, household_id)
    members = household.memberships.filter(end_date__isnull=True).select_related("person")
    ctx = {
        "household": household,
        "members": members,
        "programmes": Programme.objects.all(),
        "materials": wf.material_labels(),
        "departments": Department.choices,
        "channels": Channel.choices,
    }
    if request.method == "POST":
        p = request.POST
        referrals = [
            {"department": d, "need": n}
            for d, n in zip(p.getlist("ref_department"), p.getlist("ref_need"))
            if n.strip()
        ]
        try:
            applicant = members.get(person_id=id_or_none(p.get("applicant")) or 0).person
        except members.model.DoesNotExist:
            ctx["error"] = ApplicationError("请选择申请人", "Choose the applicant", field="applicant")
        else:
            try:
                app = actions.application_submit(
                    actor=request.user,
                    household=household,
                    applicant=applicant,
                    programmes=p.getlist("programmes"),
                    channel=p.get("channel", "window"),
                    materials=p.getlist("materials"),
                    relative_of_staff=bool(p.get("relative_of_staff")),
                    relative_note=p.get("relative_note", ""),
                    note=p.get("note", ""),
                    referrals=referrals,
                )
            except ApplicationError as e:
                ctx["error"] = e
            else:
                messages.success(request, _("已登记申请"))
                return redirect("application_detail", pk=app.pk)
        ctx["posted"] = p
    return render(request, "cases/application_new.html", ctx)


@login_required
def application_detail(request, pk: int):
    perm_require(request.user, Perm.CASE_VIEW)
    app = scope.get_visible(
        request.user, "cases.Application", pk, queryset=Application.objects.select_related("household", "applicant")
    )
    if request.method == "POST":
        try:
            if "issue_notice" in request.POST:
                actions.materials_notice_issue(actor=request.user, application=app)
                messages.success(request, _("已出具一次性告知书"))
            elif "add_materials" in request.POST:
                actions.materials_add(actor=request.user, application=app, items=request.POST.getlist("materials"))
                messages.success(request, _("已登记材料"))
            elif "answer" in request.POST:
                referral = app.referrals.filter(pk=id_or_none(request.POST.get("referral"))).first()
                if referral is None:
                    raise ApplicationError("请选择要答复的转办事项", "Choose the referral to answer", field="referral")
                actions.referral_answer(actor=request.user, referral=referral, answer=request.POST.get("answer", ""))
                messages.success(request, _("已登记部门答复"))
        except ApplicationError as e:
            messages.error(request, e.message)
        return redirect("application_detail", pk=pk)
    return render(
        request,
        "cases/application_detail.html",
        {
            "app": app,
            "missing": selectors.materials_missing(app),
            "materials": wf.material_labels(),
            "cases": app.cases.select_related("programme"),
            "notices": app.notices.order_by("-id"),
            "referrals": app.referrals.all(),
        },
    )


@login_required
def case_detail(request, pk: int):
    case = _case(request, pk)
    moves = available_moves(request.user, case)
    blocked = [
        (m, move_allowed(request.user, case, m)[1])
        for m in wf.moves_from(case.state)
        if m not in moves and request.user.has_role_perm(m.perm)
    ]
    surveyors = selectors.surveyors_for(case)
    preview = None
    if case.state in wf.OPEN_STATES:
        try:
            preview = selectors.case_decision(case, timezone.localdate()).as_dict()
        except ApplicationError as e:
            preview = {"error": e.message}
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "moves": [(m, MOVE_FIELDS.get(m.code, [])) for m in moves],
            "blocked": blocked,
            "events": case.events.select_related("actor"),
            "documents": case.documents.select_related("uploaded_by"),
            "document_kinds": DocumentKind.choices,
            "surveyors": surveyors,
            "preview": preview,
            "state": wf.STATES[case.state],
            "today": timezone.localdate(),
            "surveys": case.surveys.prefetch_related("surveyors"),
            "objections": case.objections.all(),
            "appraisals": case.appraisals.all(),
            "home_visits": case.home_visits.select_related("by"),
        },
    )


@login_required
@require_POST
def case_move_view(request, pk: int, move: str):
    case = _case(request, pk)
    data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "version")}
    data["surveyors"] = request.POST.getlist("surveyors")
    for flag in ("applicant_confirmed", "surveyors_confirmed", "recommends", "supports"):
        data[flag] = bool(request.POST.get(flag))
    try:  # the version the page was drawn from; without a readable one the move is made without the check
        version = int_clean(request.POST.get("version"), field="version", zh_label="版本", en_label="Version")
    except ApplicationError:
        version = None
    try:
        actions.case_move(actor=request.user, case=case, move=move, data=data, expected_version=version)
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已完成：%(move)s") % {"move": wf.MOVES[move].label})
    return redirect("case_detail", pk=pk)


@login_required
@require_POST
def document_upload(request, pk: int):
    case = _case(request, pk)
    try:
        filename, content = upload_read(request, max_bytes=document_max_bytes())
        document_attach(
            actor=request.user, case=case, kind=request.POST.get("kind", ""), filename=filename, content=content
        )
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已上传"))
    return redirect("case_detail", pk=pk)


@login_required
def document_download(request, pk: int):
    doc = Document.objects.select_related("case").filter(pk=pk).first()
    if doc is None:
        raise NotFound()
    case = _case(request, doc.case_id)
    access_record(
        actor=request.user, field="document", target=case, area_code=case.area_code, household_id=case.household_id
    )
    return FileResponse(open(document_path(doc), "rb"), content_type=doc.content_type, filename=doc.original_name)


PDFS = {
    "application": pdf.application_form,
    "survey": pdf.survey_record,
    "approval": pdf.approval_notice,
    "refusal": pdf.refusal_notice,
}


@login_required
def case_pdf(request, pk: int, kind: str):
    case = _case(request, pk)
    if (
        kind not in PDFS
        or (kind == "approval" and case.state != wf.CaseState.APPROVED)
        or (kind == "refusal" and case.state != wf.CaseState.REFUSED)
    ):
        raise NotFound()
    response = HttpResponse(PDFS[kind](case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="case-{case.pk}-{kind}.pdf"'
    return response


@login_required
def notice_pdf(request):
    """The public notice list of the cases in notice in one village/community (or the user's area)."""
    perm_require(request.user, Perm.CASE_VIEW)
    node, cases = selectors.cases_in_notice(request.user, request.GET.get("area"))
    start = min((c.notice_start for c in cases if c.notice_start), default=timezone.localdate())
    end = max((c.notice_end for c in cases if c.notice_end), default=start + dt.timedelta(days=wf.NOTICE_DAYS))
    response = HttpResponse(
        pdf.public_notice(cases, area_name=node.name, start=start, end=end), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="public-notice.pdf"'
    return response


@login_required
def termination_notice_pdf(request):
    """Recipients whose support ends, in notice now in the user's area (or one village)."""
    perm_require(request.user, Perm.CASE_VIEW)
    today = timezone.localdate()
    node, items = selectors.terminations_in_notice(request.user, request.GET.get("area"), today=today)
    start = min((e.termination_notice_start for e in items), default=today)
    end = max((e.termination_notice_end for e in items), default=today + dt.timedelta(days=wf.NOTICE_DAYS))
    response = HttpResponse(
        pdf.termination_notice(items, area_name=node.name, start=start, end=end), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="termination-notice.pdf"'
    return response


@login_required
def enrolment_list(request):
    perm_require(request.user, Perm.CASE_VIEW)
    qs = selectors.enrolments_visible(request.user).select_related("programme", "household", "person")
    if request.GET.get("status"):
        qs = qs.filter(status=request.GET["status"])
    return render(request, "cases/enrolment_list.html", {"enrolments": qs[:300], "status": request.GET.get("status")})


@login_required
def enrolment_detail(request, pk: int):
    perm_require(request.user, Perm.CASE_VIEW)
    e = (
        selectors.enrolments_visible(request.user)
        .select_related("programme", "household", "case")
        .filter(pk=pk)
        .first()
    )
    if e is None:
        raise NotFound()
    if request.method == "POST":
        p = request.POST
        try:
            month = month_clean(
                p.get("effective_month"), field="effective_month", zh_label="起始月", en_label="Effective month"
            )
            overpaid = (
                money_parse(
                    p["overpaid"], field="overpaid", zh_label="多发金额", en_label="Overpaid amount", positive=True
                )
                if p.get("overpaid", "").strip()
                else None
            )
            report = actions.change_report_record(
                actor=request.user,
                enrolment=e,
                kind=p.get("kind", ""),
                effective_month=month,
                details=p.get("details", ""),
                overpaid=overpaid,
            )
        except ApplicationError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("已登记变化：%(outcome)s") % {"outcome": report.get_outcome_display()})
        return redirect("enrolment_detail", pk=pk)
    return render(
        request,
        "cases/enrolment_detail.html",
        {
            "e": e,
            "changes": e.changes.select_related("actor", "case"),
            "reports": e.reports.order_by("-id"),
            "overpayments": e.overpayments.all(),
            "reviews": e.reviews.all(),
            "kinds": ReportKind.choices,
            "can_report": request.user.has_role_perm(Perm.CASE_CREATE),
        },
    )


@login_required
@require_POST
def daily_run(request):
    perm_require(request.user, Perm.CASES_DAILY)
    result = actions.dynamic_management_run(actor=request.user)
    messages.success(
        request,
        _("已生成复核 %(r)s 件，渐退期满终止 %(g)s 户")
        % {"r": result["reviews_opened"], "g": result["gradual_exits_ended"]},
    )
    return redirect("case_list")
