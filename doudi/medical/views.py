"""Medical assistance pages: the year's settlements, importing a settlement file or entering one claim, the premium
subsidy roster, a person's annual statement (page and PDF) and a year's workbook (docs/programmes.md). Views
parse, call one action or selector, and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import access_record
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.uploads import import_max_bytes, upload_read
from doudi.core.validation import int_clean

from . import certificates as certs
from . import premiums as premium_actions
from . import selectors, settlements
from . import statement as papers
from .models import CertificateState
from .settlements import SETTLEMENT_FILE
from .tasks import settlement_import_enqueue

FIRST_YEAR = 2015


def _year(value, *, field: str = "year") -> int:
    today = timezone.localdate()
    if value in (None, ""):
        return today.year
    return int_clean(value, field=field, zh_label="年度", en_label="Year", minimum=FIRST_YEAR, maximum=today.year)


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise NotFound(field="year")
    return year


@login_required
def medical_home(request):
    perm_require(request.user, Perm.CASE_VIEW)
    try:
        year = _year(request.GET.get("year"))
    except ApplicationError:
        year = timezone.localdate().year
    return render(
        request,
        "medical/home.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, FIRST_YEAR - 1, -1),
            "totals": selectors.year_totals(request.user, year),
            "items": selectors.settlement_list(request.user, year=year)[:200],
            "batches": selectors.batch_list(request.user)[:20],
            "can_decide": request.user.has_role_perm(Perm.CASE_DECIDE),
            "can_export": request.user.has_role_perm(Perm.REGISTRY_EXPORT),
        },
    )


@login_required
def settlement_import(request):
    """Import the hospital's or insurer's settlement file: all of it or nothing; refused rows come back with row and
    column."""
    perm_require(request.user, Perm.CASE_DECIDE)
    error = None
    if request.method == "POST":
        try:
            filename, content = upload_read(request, max_bytes=import_max_bytes())
            if settlements.file_rows(filename, content) > settings.DOUDI_MEDICAL_INLINE_ROWS:
                # a large file: checked now, computed and paid by the worker; the job's page follows it
                job = settlement_import_enqueue(actor=request.user, filename=filename, content=content)
                return redirect("job_detail", pk=job.pk)
            batch = settlements.settlement_import(actor=request.user, filename=filename, content=content)
        except ApplicationError as e:
            error = e
        else:
            messages.success(
                request,
                _("已导入 %(rows)s 笔结算，其中 %(paid)s 笔给予救助，合计 %(total)s 元")
                % {"rows": batch.rows, "paid": batch.paid, "total": batch.total},
            )
            return redirect("medical_home")
    return render(
        request,
        "medical/import.html",
        {"error": error, "elements": SETTLEMENT_FILE.elements},
        status=400 if error else 200,
    )


FORM_FIELDS = tuple(e.code for e in SETTLEMENT_FILE.elements)


@login_required
def settlement_new(request):
    """Enter one settlement by hand (a claim the file did not carry)."""
    perm_require(request.user, Perm.CASE_DECIDE)
    ctx = {"form": request.POST, "today": timezone.localdate()}
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in FORM_FIELDS}
        data["serious_disease"] = "yes" if request.POST.get("serious_disease") else "no"
        try:
            s = settlements.settlement_enter(actor=request.user, data=data)
        except ApplicationError as e:
            ctx["error"] = e
            return render(request, "medical/new.html", ctx, status=e.status_code)
        messages.success(request, _("已录入结算，救助金额 %(amount)s 元") % {"amount": s.amount})
        return redirect("medical_settlement", pk=s.pk)
    return render(request, "medical/new.html", ctx)


@login_required
def settlement_detail(request, pk: int):
    perm_require(request.user, Perm.CASE_VIEW)
    s = selectors.settlement_get(request.user, pk)
    return render(request, "medical/settlement.html", {"s": s})


@login_required
def premiums(request):
    """The year's premium subsidy roster; the county approver builds it from the enrolments."""
    perm_require(request.user, Perm.CASE_VIEW)
    year = timezone.localdate().year
    error = None
    if request.method == "POST":
        try:
            roster = premium_actions.premium_roster_build(actor=request.user, year=_year(request.POST.get("year")))
        except ApplicationError as e:
            error = e
        else:
            messages.success(
                request, _("已纳入 %(n)s 人，资助合计 %(total)s 元") % {"n": roster.added, "total": roster.total}
            )
            return redirect("medical_premiums")
    else:
        try:
            year = _year(request.GET.get("year"))
        except ApplicationError:
            pass
    return render(
        request,
        "medical/premiums.html",
        {
            "year": year,
            "items": selectors.premium_list(request.user, year=year)[:500],
            "totals": selectors.year_totals(request.user, year),
            "can_decide": request.user.has_role_perm(Perm.CASE_DECIDE),
            "error": error,
        },
        status=error.status_code if error else 200,
    )


@login_required
def statement(request, pk: int, year: int):
    perm_require(request.user, Perm.CASE_VIEW)
    st = selectors.statement_get(request.user, pk, _year_or_404(year))
    return render(
        request,
        "medical/statement.html",
        {"st": st, "years": range(timezone.localdate().year, max(FIRST_YEAR, timezone.localdate().year - 5) - 1, -1)},
    )


@login_required
def statement_pdf(request, pk: int, year: int):
    """The printed statement names the person in full: only those who hand papers out print it, each print logged."""
    perm_require(request.user, Perm.CASE_DOCUMENT)
    st = selectors.statement_get(request.user, pk, _year_or_404(year))
    household = st.household
    access_record(
        actor=request.user,
        field="name",
        purpose="print",
        target=st.person,
        area_code=household.area_id if household else "",
        household_id=household.pk if household else None,
    )
    response = HttpResponse(papers.statement_pdf(st), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="medical-{st.person.pk}-{year}.pdf"'
    return response


@login_required
def year_export(request):
    """The area's year as a workbook (full ID numbers: an export, logged with its row count)."""
    perm_require(request.user, Perm.REGISTRY_EXPORT)
    year = _year(request.GET.get("year"))
    items = list(selectors.settlement_list(request.user, year=year).order_by("area_code", "person_id", "discharged_on"))
    prem = list(selectors.premium_list(request.user, year=year))
    access_record(
        actor=request.user,
        field="id_number",
        purpose="export",
        label=f"{year}年度医疗救助明细",
        area_code=request.user.scope_prefix.ljust(12, "0")[:12],
        count=len(items) + len(prem),
    )
    area = request.user.area.name if getattr(request.user, "area", None) else ""
    response = HttpResponse(
        papers.year_xlsx(items, prem, year=year, area_name=area),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="medical-{year}.xlsx"'
    return response


@login_required
def certificates(request):
    """The federation's certificates of the area: awaiting its review, awaiting approval, decided."""
    perm_require(request.user, Perm.CASE_VIEW)
    state = request.GET.get("state") or ""
    if state not in CertificateState.values:
        state = ""
    return render(
        request,
        "medical/certificates.html",
        {
            "items": selectors.with_due(
                selectors.certificate_list(request.user, state=state or None)[:300], timezone.localdate()
            ),
            "state": state,
            "states": CertificateState.choices,
            "can_load": request.user.has_role_perm(Perm.VERIFICATION_LOAD),
            "can_review": request.user.has_role_perm(Perm.CASE_COUNTY_REVIEW),
            "can_decide": request.user.has_role_perm(Perm.CASE_DECIDE),
            "month": timezone.localdate().replace(day=1),
        },
    )


@login_required
def certificate_import(request):
    perm_require(request.user, Perm.VERIFICATION_LOAD)
    error = None
    if request.method == "POST":
        try:
            filename, content = upload_read(request, max_bytes=import_max_bytes())
            batch = certs.certificate_import(actor=request.user, filename=filename, content=content)
        except ApplicationError as e:
            error = e
        else:
            messages.success(request, _("已导入残疾人证 %(rows)s 份，待残联审核") % {"rows": batch.rows})
            return redirect("certificates")
    return render(
        request,
        "medical/certificate_import.html",
        {"error": error, "elements": certs.CERTIFICATE_FILE.elements},
        status=400 if error else 200,
    )


@login_required
@require_POST
def certificate_action(request, pk: int, verb: str):
    certificate = scope.get_actionable(request.user, "medical.DisabilityCertificate", pk)
    try:
        if verb in ("pass", "reject"):
            certs.certificate_review(
                actor=request.user, certificate=certificate, passed=verb == "pass", note=request.POST.get("note", "")
            )
        elif verb in ("approve", "refuse"):
            certs.certificate_decide(actor=request.user, certificate=certificate, approve=verb == "approve")
        else:
            raise NotFound()
    except ApplicationError as e:
        messages.error(request, e.message)
        if e.status_code in (403, 404):
            raise
    else:
        messages.success(request, _("已办理"))
    return redirect("certificates")


@login_required
@require_POST
def disability_follow(request):
    """This month's two subsidies brought in line with dibao (run before the month's disability payroll)."""
    perm_require(request.user, Perm.CASE_DECIDE)
    result = certs.disability_follow_dibao(actor=request.user, month=timezone.localdate())
    messages.success(
        request,
        _("新纳入 %(started)s 人，调整 %(changed)s 人，停发 %(stopped)s 人")
        % {"started": result.started, "changed": result.changed, "stopped": result.stopped},
    )
    return redirect("certificates")
