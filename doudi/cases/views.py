"""Case pages: queues and dashboard, one-door application, the case page with its timeline and the buttons the
person may press, documents and PDFs, enrolments with amount history and change reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import areas_visible, household_get, perm_require
from doudi.audit.actions import access_record
from doudi.benefits import children_applications
from doudi.benefits import selectors as benefit_selectors
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.money import money_parse
from doudi.core.sealedfiles import open_plain
from doudi.core.uploads import document_max_bytes, upload_read
from doudi.core.validation import id_or_none, int_clean, month_clean
from doudi.core.workdays import calendar_years, years_missing
from doudi.programmes.models import Programme
from doudi.programmes.shapes import CASE_PROGRAMMES, ONE_OFF_PROGRAMMES

from . import actions, exports, pdf, selectors
from . import workflow as wf
from .documents import document_attach, document_path
from .models import (
    LIVE_STATUSES,
    Application,
    Case,
    CaseKind,
    Channel,
    Department,
    Document,
    DocumentKind,
    EnrolmentStatus,
    ReportKind,
)
from .moves import available_moves, move_allowed, own_procedure_refuse

# The fields each move asks for (name, input type, label); validation is the action's.
MOVE_FIELDS = {
    "record_survey": [
        ("visit_date", "date", gettext_lazy("入户日期")),
        ("surveyors", "surveyors", gettext_lazy("调查人员（至少2人）")),
        ("findings", "textarea", gettext_lazy("调查情况")),
        ("applicant_confirmed", "checkbox", gettext_lazy("申请人已签字确认")),
        ("surveyors_confirmed", "checkbox", gettext_lazy("调查人员已签字确认")),
    ],
    "attach_verification": [("results", "textarea", gettext_lazy("核对结果摘要"))],
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

# A line under a field, where its label alone could mislead.
MOVE_HELP = {
    ("record_survey", "surveyors"): gettext_lazy("勾选参加入户调查的本乡镇工作人员，至少2人"),
    ("attach_verification", "results"): gettext_lazy(
        "在此录入核对结论；核对报告原件请在下方“材料”处上传，类型选“核对报告”"
    ),
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
    cases = list(qs.defer(*selectors.UNSEALED_CASES)[:LIST_LIMIT])  # names only: nothing decrypted
    years = calendar_years()
    gaps = sorted(
        {
            y
            for c in cases
            for start, due, complete in (
                (c.state_since, c.step_due, c.step_due_complete),
                (c.accepted_on or c.state_since, c.total_due, c.total_due_complete),
            )
            if not complete
            for y in (years_missing(start, due, years) or ((due.year,) if due else ()))
        }
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "cases": cases,
            "calendar_years": years,
            "calendar_gaps": gaps,
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
        "programmes": Programme.objects.filter(code__in=CASE_PROGRAMMES),
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
            "can_print": request.user.has_role_perm(Perm.CASE_DOCUMENT),
        },
    )


def _move_fields(code: str, surveyors, posted=None, error: ApplicationError | None = None) -> list[dict]:
    """The fields of one move's form, filled with what was typed when the form comes back after an error."""
    fields = []
    for name, kind, label in MOVE_FIELDS.get(code, []):
        value = posted.get(name, "") if posted is not None else ""
        f = {"name": name, "kind": kind, "label": label, "value": value, "error": None}
        f["help"] = MOVE_HELP.get((code, name), "")
        if error is not None and error.field == name:
            f["error"] = error.message
        if kind == "checkbox":
            f["checked"] = posted is not None and bool(posted.get(name))
        elif kind == "surveyors":
            chosen = set(posted.getlist("surveyors")) if posted is not None else set()
            f["options"] = [(s, str(s.pk) in chosen) for s in surveyors]
        fields.append(f)
    return fields


def _confirmations(case: Case, preview: dict | None) -> dict[str, str]:
    """What the irreversible moves ask before they are made, naming the person, the programme and the effect."""
    who = {"name": case.applicant.name, "programme": case.programme.name_zh}
    approve = _("确认批准%(name)s的%(programme)s申请？批准后纳入保障，按核定金额发放。") % who
    if preview and preview.get("eligible"):
        approve = _("确认批准%(name)s的%(programme)s申请？批准后纳入保障，按现行政策每月%(amount)s元。") % {
            **who,
            "amount": preview["monthly_amount"],
        }
    return {
        "approve": approve,
        "refuse": _("确认不予批准%(name)s的%(programme)s申请？案件即办结，须书面告知申请人理由。") % who,
        "withdraw": _("确认撤回%(name)s的%(programme)s申请？案件即办结，不能恢复。") % who,
    }


def _case_page(request, case: Case, *, failed_move: str = "", error: ApplicationError | None = None):
    moves = available_moves(request.user, case)
    blocked = [
        (m, move_allowed(request.user, case, m)[1])
        for m in wf.moves_from(case.state)
        if m not in moves and request.user.has_role_perm(m.perm)
    ]
    surveyors = list(selectors.surveyors_for(case).select_related("area"))
    preview = None
    if case.state in wf.OPEN_STATES:
        try:
            preview = selectors.case_decision(case, timezone.localdate()).as_dict()
        except ApplicationError as e:
            preview = {"error": e.message}
    failed = failed_move if any(m.code == failed_move for m in moves) else ""
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "once": case.programme_id in ONE_OFF_PROGRAMMES,  # an amount, not a month's
            "moves": [
                (
                    m,
                    _move_fields(
                        m.code,
                        surveyors,
                        request.POST if m.code == failed else None,
                        error if m.code == failed else None,
                    ),
                )
                for m in moves
            ],
            "failed_move": failed,
            "confirm": _confirmations(case, preview),
            "move_error": error if failed else None,
            "blocked": blocked,
            "events": case.events.select_related("actor"),
            "documents": case.documents.select_related("uploaded_by"),
            "document_kinds": DocumentKind.choices,
            "preview": preview,
            "state": wf.STATES[case.state],
            "today": timezone.localdate(),
            "calendar_years": calendar_years(),
            "surveys": case.surveys.prefetch_related("surveyors"),
            "objections": case.objections.all(),
            "appraisals": case.appraisals.all(),
            "home_visits": case.home_visits.select_related("by"),
        },
    )


@login_required
def case_detail(request, pk: int):
    case = _case(request, pk)
    if case.kind == CaseKind.REVIEW and case.programme_id == "children":
        return redirect("children_review", pk=case.pk)  # decided on its own page (doudi/benefits/children.py)
    if case.programme_id == "children" and children_applications.is_application(case):
        return redirect("children_application", pk=case.pk)  # its own procedure (children_applications.py)
    return _case_page(request, case)


@login_required
@require_POST
def case_move_view(request, pk: int, move: str):
    """Make the move; refused, the case page comes back with the refusal beside the form and every field as it
    was typed (nothing is lost to retype)."""
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
        own_procedure_refuse(case)  # a child's application or review: its own page's moves only
        actions.case_move(actor=request.user, case=case, move=move, data=data, expected_version=version)
    except ApplicationError as e:
        if e.code in ("stale", "own_procedure") or move not in MOVE_FIELDS:
            messages.error(request, e.message)
            return redirect("case_detail", pk=pk)
        return _case_page(request, _case(request, pk), failed_move=move, error=e)
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
    perm_require(request.user, Perm.CASE_VIEW)  # before the lookup: a refusal never tells whether the id exists
    doc = Document.objects.select_related("case").filter(pk=pk).first()
    if doc is None:
        raise NotFound()
    case = _case(request, doc.case_id)
    access_record(
        actor=request.user, field="document", target=case, area_code=case.area_code, household_id=case.household_id
    )
    return FileResponse(open_plain(document_path(doc)), content_type=doc.content_type, filename=doc.original_name)


PDFS = {
    "application": pdf.application_form,
    "survey": pdf.survey_record,
    "approval": pdf.approval_notice,
    "refusal": pdf.refusal_notice,
}


def _paper(request, content: bytes, filename: str, *, target, area_code: str, household_id: int) -> HttpResponse:
    """A personal paper: it prints the person's full name (and, on the forms, the family's), so only those who
    hand papers out may print it (``case.document``: caseworkers, reviewers, approvers, village cadres; not the
    read-only auditor), and each printing is logged like a look at a full ID number."""
    access_record(
        actor=request.user,
        field="name",
        purpose="print",
        target=target,
        area_code=area_code,
        household_id=household_id,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def case_pdf(request, pk: int, kind: str):
    case = _case(request, pk)
    if (
        kind not in PDFS
        or (kind == "approval" and case.state != wf.CaseState.APPROVED)
        or (kind == "refusal" and case.state != wf.CaseState.REFUSED)
    ):
        raise NotFound()
    perm_require(request.user, Perm.CASE_DOCUMENT)
    return _paper(
        request,
        PDFS[kind](case),
        f"case-{case.pk}-{kind}.pdf",
        target=case,
        area_code=case.area_code,
        household_id=case.household_id,
    )


def _chosen_or_latest(request, param: str, rows):
    """The row named by ``?<param>=ID`` among ``rows``, or the latest of them; missing either way → 404."""
    if request.GET.get(param):
        rows = rows.filter(pk=id_or_none(request.GET[param]))
    found = rows.order_by("-id").first()
    if found is None:
        raise NotFound()
    return found


@login_required
def enrolment_notice_pdf(request, pk: int):
    """The family's notice of one change of its support (``?change=ID``; the latest with a paper if none given):
    a change of amount, a suspension or resumption, a gradual exit, the termination."""
    perm_require(request.user, Perm.CASE_DOCUMENT)
    e = selectors.enrolments_visible(request.user).select_related("programme", "household", "person").filter(pk=pk)
    e = e.first()
    if e is None:
        raise NotFound()
    change = _chosen_or_latest(request, "change", e.changes.filter(kind__in=list(pdf.CHANGE_PAPERS)))
    change.enrolment = e
    return _paper(
        request,
        pdf.change_notice(change),
        f"enrolment-{e.pk}-{change.kind}-{change.pk}.pdf",
        target=e,
        area_code=e.area_code,
        household_id=e.household_id,
    )


@login_required
def materials_notice_pdf(request, pk: int):
    """The one-time notice of missing materials (the latest one issued, or ``?notice=ID``)."""
    perm_require(request.user, Perm.CASE_DOCUMENT)
    app = scope.get_visible(
        request.user, "cases.Application", pk, queryset=Application.objects.select_related("household", "applicant")
    )
    notice = _chosen_or_latest(request, "notice", app.notices.all())
    notice.application = app
    return _paper(
        request,
        pdf.materials_notice(notice),
        f"application-{app.pk}-materials-{notice.pk}.pdf",
        target=app,
        area_code=app.area_code,
        household_id=app.household_id,
    )


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
    """Everyone enrolled in the account's area, filtered (status, programme, township or village, a name or ID
    number), a page at a time, with the count and the month's amount of those still paid; the same list as .xlsx."""
    perm_require(request.user, Perm.CASE_VIEW)
    params = {k: request.GET.get(k, "").strip() for k in ("status", "programme", "area", "q")}
    try:
        qs = selectors.enrolment_search(request.user, **params)
    except ApplicationError as e:
        messages.error(request, e.message)
        qs, params = selectors.enrolments_visible(request.user).none(), dict.fromkeys(params, "")
    paying = (
        qs.filter(status__in=LIVE_STATUSES)
        .exclude(status=EnrolmentStatus.SUSPENDED)
        .exclude(programme_id__in=ONE_OFF_PROGRAMMES)
    )
    page = Paginator(
        qs.select_related("programme", "household", "person").defer(*selectors.UNSEALED_ENROLMENTS),
        settings.DOUDI_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    page.object_list = benefit_selectors.label_one_offs(page)  # a one-off payment is not a monthly amount, nor reviewed
    ctx = {
        "page": page,
        "params": params,
        "monthly_total": paying.aggregate(total=Sum("monthly_amount"))["total"] or Decimal("0.00"),
        "statuses": EnrolmentStatus.choices,
        "programmes": Programme.objects.filter(code__in=selectors.enrolments_visible(request.user).values("programme")),
        "areas": areas_visible(request.user).exclude(level__in=["province", "prefecture"]),
        "querystring": request.GET.urlencode(),
        "can_export": request.user.has_role_perm(Perm.REGISTRY_EXPORT),
    }
    return render(request, "cases/enrolment_list.html", ctx)


@login_required
def enrolment_export(request):
    """The filtered enrolment list as .xlsx: names, programme, status, amounts and dates; no ID or account numbers
    (nothing decrypted); the export is in the audit trail."""
    perm_require(request.user, Perm.CASE_VIEW)
    perm_require(request.user, Perm.REGISTRY_EXPORT)
    params = {k: request.GET.get(k, "").strip() for k in ("status", "programme", "area", "q")}
    content, count = exports.enrolments_xlsx(
        actor=request.user, enrolments=selectors.enrolment_search(request.user, **params), filters=params
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="enrolments-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


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
    benefit_selectors.label_one_offs([e])  # a one-off grant: an amount (not a month's), never reviewed
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
            "can_print": request.user.has_role_perm(Perm.CASE_DOCUMENT),
            "paper_kinds": [str(k) for k in pdf.CHANGE_PAPERS],
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
