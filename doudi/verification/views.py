"""Pages: departments and their kinds, loads, requests to departments, a case's verification report."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.areas.models import Area
from doudi.audit.actions import access_record
from doudi.cases.models import Case, Document
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.idnumber import id_mask
from doudi.core.uploads import import_max_bytes, upload_read
from doudi.core.validation import id_or_none
from doudi.programmes.views import xlsx_response

from . import alerts, discovery, monitoring, report, requests, selectors, visits
from .loads import dataset_load
from .models import (
    AlertRule,
    AlertState,
    DatasetRecord,
    Discovery,
    DiscoveryRule,
    DiscoveryState,
    Finding,
    FindingObjection,
    MatchMethod,
    MonitoringEntry,
    Tier,
)
from .pdf import report_pdf
from .schemas import KINDS, Department, kinds_of


def _date(value: str | None, field: str, zh: str, en: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ApplicationError(
            f"{zh}格式应为YYYY-MM-DD", f"{en} must be YYYY-MM-DD", field=field, code="invalid_date"
        ) from None


def _departments() -> list[dict]:
    return [{"code": d.value, "label": d.label, "kinds": kinds_of(d.value)} for d in Department]


@login_required
def verification_home(request):
    """The departments, the kinds each delivers, the loads of the account's area and the form to load a file."""
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    loads = scope.visible(request.user, "verification.DatasetLoad").select_related("loaded_by")
    page = Paginator(loads.order_by("-id"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "verification/home.html",
        {"departments": _departments(), "page": page, "kinds": KINDS.values(), "today": timezone.localdate()},
    )


@login_required
def load_new(request):
    """Load a department's file: all of it or nothing; the refused rows come back with row and column."""
    perm_require(request.user, Perm.VERIFICATION_LOAD)
    error = None
    if request.method == "POST":
        try:
            as_of = _date(request.POST.get("as_of"), "as_of", "数据截止日期", "As-of date")
            filename, content = upload_read(request, max_bytes=import_max_bytes())
            load = dataset_load(
                actor=request.user, kind=request.POST.get("kind", ""), as_of=as_of, filename=filename, content=content
            )
        except ApplicationError as e:
            error = e
        else:
            messages.success(
                request,
                _("已导入 %(rows)s 行，匹配到登记人员 %(matched)s 行") % {"rows": load.rows, "matched": load.matched},
            )
            return redirect("verification_load", pk=load.pk)
    return render(
        request,
        "verification/load_new.html",
        {"kinds": KINDS.values(), "error": error, "form": request.POST, "today": timezone.localdate()},
        status=400 if error else 200,
    )


@login_required
def kind_detail(request, kind: str):
    """A kind's declared schema: each element, its class and whether it is sensitive."""
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    if kind not in KINDS:
        raise NotFound()
    return render(request, "verification/kind.html", {"kind": KINDS[kind]})


@login_required
def load_detail(request, pk: int):
    """A load: its counts and, for the account's area, the records matched there (ID numbers masked)."""
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    load = scope.get_visible(request.user, "verification.DatasetLoad", pk)
    records = (
        scope.visible(request.user, "verification.DatasetRecord")
        .filter(load=load)
        .select_related("household")
        .order_by("row")
    )
    counts = dict(records.order_by().values_list("match_method").annotate(n=Count("id")))
    methods = [(m.value, m.label, counts.get(m.value, 0)) for m in MatchMethod if m.value]
    method = request.GET.get("method", "")
    if method and method in counts:
        records = records.filter(match_method=method)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    unmatched = Paginator(DatasetRecord.objects.filter(load=load, person__isnull=True).order_by("row"), 50).get_page(
        request.GET.get("upage")
    )
    for r in [*page, *unmatched]:
        r.masked = id_mask(r.id_number)
    return render(
        request,
        "verification/load.html",
        {
            "load": load,
            "kind": KINDS[load.kind],
            "page": page,
            "unmatched": unmatched,
            "methods": methods,
            "method": method if method and method in counts else "",
            "querystring": request.GET.urlencode(),
        },
    )


@login_required
def request_list(request):
    """Requests to departments with their deadlines; a new one for a case or for the area's open reviews."""
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("scope") == "reviews":
                case_ids = [c.pk for c in requests.review_cases(request.user)]
            else:
                case_id = id_or_none(request.POST.get("case"))
                if case_id is None:
                    raise ApplicationError("请填写案件编号", "Give the case number", field="case", code="required")
                case_ids = [case_id]
            req = requests.request_send(
                actor=request.user, department=request.POST.get("department", ""), case_ids=case_ids
            )
        except ApplicationError as e:
            error = e
        else:
            messages.success(request, _("核对请求 %(ref)s 已生成，请下载请求文件交给部门") % {"ref": req.reference})
            return redirect("verification_request", pk=req.pk)
    items = list(scope.visible(request.user, "verification.VerificationRequest").select_related("case")[:200])
    today = timezone.localdate()
    for r in items:
        r.overdue = requests.is_overdue(r, today)
    return render(
        request,
        "verification/requests.html",
        {"items": items, "departments": Department.choices, "error": error, "form": request.POST},
        status=400 if error else 200,
    )


@login_required
def request_detail(request, pk: int):
    """One request: who was asked about, its deadline, its answers; the answer file is loaded here."""
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    req = scope.get_visible(request.user, "verification.VerificationRequest", pk)
    error = None
    if request.method == "POST":
        perm_require(request.user, Perm.VERIFICATION_LOAD)
        req = scope.get_actionable(request.user, "verification.VerificationRequest", pk)
        try:
            as_of = _date(request.POST.get("as_of"), "as_of", "数据截止日期", "As-of date")
            filename, content = upload_read(request, max_bytes=import_max_bytes())
            load = dataset_load(
                actor=request.user,
                kind=request.POST.get("kind", ""),
                as_of=as_of,
                filename=filename,
                content=content,
                request=req,
            )
        except ApplicationError as e:
            error = e
        else:
            messages.success(request, _("已导入答复 %(rows)s 行") % {"rows": load.rows})
            return redirect("verification_request", pk=req.pk)
    subjects = list(req.subjects.select_related("person", "household", "authorisation"))
    for s in subjects:
        s.masked = id_mask(s.person.id_number)
        s.reference = requests.authorisation_reference(s.authorisation)
    return render(
        request,
        "verification/request.html",
        {
            "req": req,
            "subjects": subjects,
            "kinds": [KINDS[k] for k in req.kinds],
            "answers": req.answers.all(),
            "overdue": requests.is_overdue(req),
            "error": error,
            "today": timezone.localdate(),
        },
        status=400 if error else 200,
    )


@login_required
def request_file_view(request, pk: int):
    """The request file for the department: full names and ID numbers (logged as a look at full numbers)."""
    perm_require(request.user, Perm.VERIFICATION_LOAD)
    req = scope.get_actionable(request.user, "verification.VerificationRequest", pk)
    access_record(
        actor=request.user,
        field="id_number",
        purpose="export",
        target=req,
        area_code=req.area_prefix.ljust(12, "0"),
        count=req.subjects.count(),
    )
    response = HttpResponse(requests.request_file(req), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{req.reference}.csv"'
    return response


def _case(request, pk) -> Case:
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    return scope.get_visible(
        request.user, "cases.Case", pk, queryset=Case.objects.select_related("household", "programme")
    )


@login_required
def case_report(request, pk: int):
    """The case's verification report; POST builds it (or adds what new data says)."""
    case = _case(request, pk)
    if request.method == "POST":
        try:
            made = report.report_build(actor=request.user, case=case)
        except ApplicationError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("已生成核对发现 %(n)s 项") % {"n": len(made)})
        return redirect("verification_case_report", pk=case.pk)
    findings = list(
        Finding.objects.filter(case=case)
        .select_related("person", "record__load", "decided_by")
        .prefetch_related("objections")
    )
    return render(
        request,
        "verification/report.html",
        {
            "case": case,
            "findings": findings,
            "discrepancies": sum(1 for f in findings if f.discrepancy),
            "documents": Document.objects.filter(case=case).order_by("-id"),
            "requests": case.verification_requests.all(),
            "outcomes": [
                (FindingObjection.Outcome.UPHELD, FindingObjection.Outcome.UPHELD.label),
                (FindingObjection.Outcome.REJECTED, FindingObjection.Outcome.REJECTED.label),
            ],
            "today": timezone.localdate(),
        },
    )


@login_required
def case_report_pdf(request, pk: int):
    case = _case(request, pk)
    perm_require(request.user, Perm.CASE_DOCUMENT)
    access_record(
        actor=request.user,
        field="name",
        purpose="print",
        target=case,
        area_code=case.area_code,
        household_id=case.household_id,
    )
    response = HttpResponse(report_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="case-{case.pk}-verification.pdf"'
    return response


VERBS = ("confirm", "dispute", "object", "resolve")


@login_required
@require_POST
def finding_action(request, pk: int, verb: str):
    """Confirm or dispute a finding, record the applicant's objection, or the re-check's outcome."""
    if verb not in VERBS:
        raise Http404()
    perm_require(request.user, Perm.VERIFICATION_HANDLE)
    finding = scope.get_actionable(request.user, "verification.Finding", pk)
    post = request.POST
    try:
        if verb == "confirm":
            report.finding_confirm(actor=request.user, finding_id=finding.pk)
        elif verb == "dispute":
            report.finding_dispute(actor=request.user, finding_id=finding.pk, reason=post.get("reason", ""))
        elif verb == "object":
            report.objection_record(
                actor=request.user,
                finding_id=finding.pk,
                received_on=_date(post.get("received_on"), "received_on", "收到异议日期", "Date received"),
                content=post.get("content", ""),
                evidence_id=id_or_none(post.get("evidence")),
            )
        else:
            objection = finding.objections.filter(outcome="").first()
            if objection is None:
                raise ApplicationError("该项没有正在复查的异议", "No objection is being re-checked", field="outcome")
            report.objection_resolve(
                actor=request.user,
                objection_id=objection.pk,
                outcome=post.get("outcome", ""),
                note=post.get("note", ""),
            )
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已保存"))
    return redirect("verification_case_report", pk=finding.case_id)


def _triage(open_items, rules) -> list[dict]:
    """The open alerts or discoveries (``open_items``, already scoped) counted by township and rule, one row per
    township with its name, a count per rule of ``rules`` and the total: the triage table of both queues."""
    triage: dict[str, dict[str, int]] = {}
    for rule, area, n in (
        open_items.annotate(township=Substr("area_code", 1, 9))
        .values_list("rule", "township")
        .annotate(n=Count("id"))
        .values_list("rule", "township", "n")
    ):
        triage.setdefault(area, {})[rule] = n
    names = dict(Area.objects.filter(code__in=[t.ljust(12, "0") for t in triage]).values_list("code", "name"))
    return [
        {
            "code": t,
            "name": names.get(t.ljust(12, "0"), t),
            "counts": [triage[t].get(r, 0) for r, _l in rules],
            "total": sum(triage[t].values()),
        }
        for t in sorted(triage)
    ]


ALERT_PAGE = 100


@login_required
def alert_list(request):
    """The alert queue, sized for a fifth of the caseload: triage by rule and township (counts of each), filters,
    and bulk actions on the chosen ones (resolve with one reason, or turn into review cases)."""
    perm_require(request.user, Perm.VERIFICATION_VIEW)
    if request.method == "POST":
        ids = [i for i in (id_or_none(v) for v in request.POST.getlist("alert")) if i]
        try:
            if request.POST.get("do") == "review":
                made = alerts.alerts_to_review(actor=request.user, alert_ids=ids)
                messages.success(request, _("已转为复核案件 %(n)s 件") % {"n": len(made)})
            elif request.POST.get("do") == "leave":
                n = alerts.alerts_leave_register(
                    actor=request.user, alert_ids=ids, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("已退出低收入人口监测 %(n)s 项") % {"n": n})
            else:
                n = alerts.alerts_resolve(actor=request.user, alert_ids=ids, reason=request.POST.get("reason", ""))
                messages.success(request, _("已销号 %(n)s 条预警") % {"n": n})
        except ApplicationError as e:
            messages.error(request, e.message)
        return redirect(request.get_full_path())
    state = request.GET.get("state") or AlertState.OPEN
    qs = scope.visible(request.user, "verification.Alert")
    rules = AlertRule.choices
    rows = _triage(qs.filter(state=AlertState.OPEN), rules)
    if state in AlertState.values:
        qs = qs.filter(state=state)
    if request.GET.get("rule") in AlertRule.values:
        qs = qs.filter(rule=request.GET["rule"])
    if request.GET.get("township"):
        qs = qs.filter(area_code__startswith=request.GET["township"][:9])
    page = Paginator(
        qs.select_related("person", "household", "load", "case", "entry", "enrolment__programme").order_by("-id"),
        ALERT_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "verification/alerts.html",
        {
            "page": page,
            # the source load is linked only where the account may open it (a township's staff see the matched
            # records of their area on its alerts, not the county's loads)
            "loads_seen": _loads_seen(request.user, {a.load_id for a in page}),
            "rules": rules,
            "states": AlertState.choices,
            "triage": rows,
            "state": state,
            "filters": request.GET,
        },
    )


DISCOVERY_PAGE = 50


def _loads_seen(user, ids) -> set[int]:
    """Which of these loads the account may open (the others are named without a link that would 404)."""
    if not user.has_role_perm(Perm.VERIFICATION_VIEW):
        return set()
    return set(scope.visible(user, "verification.DatasetLoad").filter(pk__in=ids).values_list("pk", flat=True))


def _discoveries(request):
    """The account's discoveries, filtered by state (open by default), rule, township and 'mine'."""
    qs = scope.visible(request.user, "verification.Discovery")
    state = request.GET.get("state") or DiscoveryState.OPEN
    if state in DiscoveryState.values:
        qs = qs.filter(state=state)
    if request.GET.get("rule") in DiscoveryRule.values:
        qs = qs.filter(rule=request.GET["rule"])
    township = (request.GET.get("township") or "")[:9]
    if township.isdigit():
        qs = qs.filter(area_code__startswith=township)
    if request.GET.get("mine"):
        qs = qs.filter(assigned_to=request.user)
    return qs, state, township


@login_required
def discovery_list(request):
    """Active discovery (主动发现): the people the departments' data points at, by township and rule, each with its
    reason, the cadre who visits and the deadline; a township's list exports to .xlsx for the visits."""
    perm_require(request.user, Perm.DISCOVERY_VIEW)
    qs, state, township = _discoveries(request)
    rules = DiscoveryRule.choices
    rows = _triage(scope.visible(request.user, "verification.Discovery").filter(state=DiscoveryState.OPEN), rules)
    page = Paginator(
        qs.select_related("person", "household", "assigned_to", "load").order_by("assets_over", "visit_due", "id"),
        DISCOVERY_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "verification/discovery.html",
        {
            "page": page,
            "rules": rules,
            "states": DiscoveryState.choices,
            "triage": rows,
            "state": state,
            "township": township,
            "filters": request.GET,
            "today": timezone.localdate(),
        },
    )


@login_required
def discovery_export(request):
    """A township's discovery list (the filters of the page) as .xlsx, for the cadres' visits; ID numbers masked."""
    perm_require(request.user, Perm.DISCOVERY_VIEW)
    qs, _state, township = _discoveries(request)
    content = discovery.discoveries_xlsx(qs)
    return xlsx_response(content, f"discovery-{township or 'all'}.xlsx")


def _other_cadres(user, item) -> list:
    """The cadres the township may give ``item``'s visit to, other than the one who has it."""
    if not user.has_role_perm(Perm.DISCOVERY_ASSIGN):
        return []
    return [c for c in visits.township_cadres(user, item.area_code) if c.pk != item.assigned_to_id]


@login_required
def discovery_detail(request, pk: int):
    """One discovery: the person, the rule and its reason, the department record it came from; the visit's form."""
    perm_require(request.user, Perm.DISCOVERY_VIEW)
    d = scope.get_visible(
        request.user,
        "verification.Discovery",
        pk,
        queryset=Discovery.objects.select_related("person", "household", "assigned_to", "load", "application"),
    )
    if request.method == "POST":
        try:
            if request.POST.get("do") == "assign":
                visits.visit_assign(
                    actor=request.user,
                    discovery_id=d.pk,
                    cadre_id=id_or_none(request.POST.get("cadre")),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("已指派走访人"))
            elif request.POST.get("do") == "monitor":
                monitoring.monitoring_enter(
                    actor=request.user,
                    household_id=d.household_id,
                    tier=request.POST.get("tier", ""),
                    reason=request.POST.get("reason", ""),
                    discovery_id=d.pk,
                )
                messages.success(request, _("已纳入低收入人口监测"))
            else:
                visited = request.POST.get("visited_on")
                discovery.discovery_visit(
                    actor=request.user,
                    discovery_id=d.pk,
                    outcome=request.POST.get("outcome", ""),
                    note=request.POST.get("note", ""),
                    application_id=id_or_none(request.POST.get("application")),
                    visited_on=_date(visited, "visited_on", "走访日期", "Visit date") if visited else None,
                )
                messages.success(request, _("已登记走访结果"))
        except ApplicationError as e:
            messages.error(request, e.message)
        return redirect("discovery_detail", pk=d.pk)
    return render(
        request,
        "verification/discovery_detail.html",
        {
            "d": d,
            "loads_seen": _loads_seen(request.user, {d.load_id}),
            "outcomes": [(v, label) for v, label in DiscoveryState.choices if v != DiscoveryState.OPEN],
            "applications": discovery.household_applications(request.user, d.household_id),
            "tiers": [(v, label) for v, label in Tier.choices if v in monitoring.MANUAL_TIERS],
            "id_masked": id_mask(d.person.id_number),
            "today": timezone.localdate(),
            "cadres": _other_cadres(request.user, d),
            "history": visits.visit_history(request.user, discovery=d),
            "assignable": d.state == DiscoveryState.OPEN,
        },
    )


MONITORING_PAGE = 50


@login_required
def monitoring_list(request):
    """The low-income population register (低收入人口动态监测) of the account's area: households by tier with counts,
    who is in and who left, with the reasons; the township enters households in the edge, rigid-expense and
    relapse-risk tiers, and brings the dibao and tekun tiers in line with the enrolments."""
    perm_require(request.user, Perm.DISCOVERY_VIEW)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "sync":
                n = monitoring.monitoring_sync(actor=request.user)
                messages.success(request, _("已更新：纳入 %(entered)s 户，退出 %(left)s 户") % n)
            else:
                monitoring.monitoring_enter(
                    actor=request.user,
                    household_id=id_or_none(request.POST.get("household")) or 0,
                    tier=request.POST.get("tier", ""),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("已纳入低收入人口监测"))
        except (ApplicationError, NotFound) as e:
            messages.error(request, e.message)
        return redirect(request.get_full_path())
    qs = scope.visible(request.user, "verification.MonitoringEntry")
    counts = dict(qs.filter(left_on__isnull=True).values_list("tier").annotate(n=Count("id")).values_list("tier", "n"))
    tier = request.GET.get("tier")
    status = request.GET.get("status") or "in"
    if tier in Tier.values:
        qs = qs.filter(tier=tier)
    qs = qs.filter(left_on__isnull=status == "in") if status in ("in", "left") else qs
    page = Paginator(
        qs.select_related("household", "entered_by", "left_by", "assigned_to").order_by("-entered_on", "-id"),
        MONITORING_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "verification/monitoring.html",
        {
            "page": page,
            "tiers": [(v, label, counts.get(v, 0)) for v, label in Tier.choices],
            "manual_tiers": [(v, label) for v, label in Tier.choices if v in monitoring.MANUAL_TIERS],
            "total": sum(counts.values()),
            "filters": request.GET,
            "status": status,
        },
    )


@login_required
def monitoring_detail(request, pk: int):
    """One household's time in one tier of the register: why it entered (and left), the home visit — who is to
    visit by when, given by the township to one of its own cadres, with the history — and the last visit."""
    perm_require(request.user, Perm.DISCOVERY_VIEW)
    m = scope.get_visible(
        request.user,
        "verification.MonitoringEntry",
        pk,
        queryset=MonitoringEntry.objects.select_related("household", "assigned_to", "entered_by", "left_by"),
    )
    if request.method == "POST":
        try:
            if request.POST.get("do") == "assign":
                due = request.POST.get("visit_due")
                visits.visit_assign(
                    actor=request.user,
                    entry_id=m.pk,
                    cadre_id=id_or_none(request.POST.get("cadre")),
                    reason=request.POST.get("reason", ""),
                    visit_due=_date(due, "visit_due", "走访期限", "Visit due") if due else None,
                )
                messages.success(request, _("已指派走访人"))
            else:
                visited = request.POST.get("visited_on")
                visits.monitoring_visit(
                    actor=request.user,
                    entry_id=m.pk,
                    note=request.POST.get("note", ""),
                    visited_on=_date(visited, "visited_on", "走访日期", "Visit date") if visited else None,
                )
                messages.success(request, _("已登记走访情况"))
        except ApplicationError as e:
            messages.error(request, e.message)
        return redirect("monitoring_detail", pk=m.pk)
    return render(
        request,
        "verification/monitoring_detail.html",
        {
            "m": m,
            "today": timezone.localdate(),
            "cadres": _other_cadres(request.user, m),
            "history": visits.visit_history(request.user, entry=m),
            "watch": selectors.entry_watch(request.user, m),
            "assignable": m.left_on is None,
            "due_field": True,
        },
    )


@login_required
@require_POST
def monitoring_leave_view(request, pk: int):
    perm_require(request.user, Perm.DISCOVERY_VISIT)
    try:
        monitoring.monitoring_leave(actor=request.user, entry_id=pk, reason=request.POST.get("reason", ""))
        messages.success(request, _("已退出监测"))
    except ApplicationError as e:
        messages.error(request, e.message)
    return redirect("monitoring_list")
