"""Registry pages: parse input, call one action or selector, render."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.roles import Perm
from doudi.accounts.scope import areas_visible, audit_visible, household_get, perm_require, person_get
from doudi.accounts.staff_tasks import staff_tasks
from doudi.audit.actions import access_record
from doudi.audit.selectors import sensitive_recent
from doudi.benefits import children_applications
from doudi.benefits import overview as benefit_overview
from doudi.benefits import selectors as benefit_selectors
from doudi.benefits.children import children_reviews_open
from doudi.benefits.transfers import transfers_incoming
from doudi.cases import selectors as case_selectors
from doudi.cases import workflow as wf
from doudi.cases.models import CLOSED_STATUSES
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.idnumber import id_mask
from doudi.core.labels import english, explanation_lines, said
from doudi.core.money import ZERO, add_months, month_start
from doudi.core.sealedfiles import read_plain, write_sealed
from doudi.core.uploads import import_max_bytes, upload_read
from doudi.core.validation import id_or_none, int_clean
from doudi.medical import selectors as medical_selectors
from doudi.payments import selectors as payment_selectors
from doudi.programmes import selectors as programme_selectors
from doudi.programmes.shapes import ONE_OFF_PROGRAMMES
from doudi.statistics import selectors as statistics_selectors
from doudi.statistics.catalogue import CATALOGUE
from doudi.verification import selectors as verification_selectors

from . import actions, selectors
from .choices import HukouType
from .excel import error_report_xlsx, households_export_xlsx, households_import, template_xlsx
from .forms import HouseholdForm, LeaveForm, MoveForm, PersonForm, account_unconfirmed, apply_error
from .models import RECORD_MODELS
from .records import record_form_class
from .validation import HOUSEHOLD_FIELDS


def _villages(user):
    return areas_visible(user).filter(level="village").select_related("parent")


@login_required
def home(request):
    """The person's day: what is waiting for them, nearest time limit first, each line one click from the place
    where it is done. Each section is read by one selector in a fixed number of queries, only within the person's
    area; the counts at the top only sum up the lists below them."""
    user = request.user
    today = timezone.localdate()
    this_month = month_start(today)
    ctx: dict = {"today": today, "this_month": this_month}
    if user.has_role_perm(Perm.CASE_VIEW):
        cases = case_selectors.home_cases(user, today=today)
        for group in cases["groups"]:
            group["name"] = _state_name(group["state"])
            group["move_names"] = [_move_name(m) for m in group["moves"]]
            _name_cases(group["cases"])
        _name_cases(cases["urgent"])
        _name_cases(cases["objections"])
        ctx.update(
            cases=cases,
            applications=case_selectors.applications_incomplete(user),
            reviews=case_selectors.reviews_due(user, today=today),
            changes=case_selectors.changes_to_act(user, today=today),
            notices=case_selectors.notices_to_post(user, today=today),
            overpayments=payment_selectors.overpayments_open(user),
            temporary=benefit_selectors.temporary_home(user, today=today),
        )
        # reviews of the children's allowance: for those who act on them (record the situations, decide), not for
        # every reader of cases (finance, the auditor, the reviewers had them as their own work)
        if user.has_role_perm(Perm.CASE_CREATE) or user.has_role_perm(Perm.CASE_DECIDE):
            ctx["children_reviews"] = list(children_reviews_open(user)[:30])
    if user.has_role_perm(Perm.REGISTRY_EDIT):  # households moving here from another township, to take in
        ctx["transfers"] = list(transfers_incoming(user)[:20])
    ctx.update(
        payrolls=payment_selectors.payrolls_waiting(user),
        not_generated=payment_selectors.payrolls_not_generated(user, month=this_month),
        failures=payment_selectors.bank_failures(user, since=add_months(this_month, 1 - FAILURE_MONTHS)),
        versions=programme_selectors.versions_to_approve(user),
        targets=statistics_selectors.targets_to_approve(user),
        certificates=medical_selectors.certificates_waiting(user, today),
        child_applications=children_applications.applications_waiting(user, today),
        staff_tasks=staff_tasks(user),
        watch=verification_selectors.home_watch(user, today=today),
    )
    if user.has_role_perm(Perm.ROSTER_CONFIRM):
        ctx["rosters"] = list(benefit_selectors.rosters_to_confirm(user)[:30])  # the old-age roster to confirm
    if user.has_role_perm(Perm.AUDIT_VIEW):
        ctx["sensitive"] = sensitive_recent(audit_visible(user), since=timezone.now() - SENSITIVE_SINCE)
    for p in ctx["payrolls"]:
        p.move_names = [_move_name(m) for m in p.next_moves]
    for t in ctx["targets"]:
        ind = CATALOGUE.get(t.code)
        t.indicator_name = said(ind.name_zh, ind.name_en) if ind else t.code
        t.unit = said(ind.unit_zh, ind.unit_en) if ind else ""
    return render(request, "registry/home.html", ctx)


FAILURE_MONTHS = 3  # bank failures of the payrolls of this month and the two before
SENSITIVE_SINCE = dt.timedelta(days=7)


def _state_name(code: str) -> str:
    state = wf.STATES.get(code)
    return code if state is None else state.en if english() else state.zh


def _move_name(move) -> str:
    return move.en if english() else move.zh


def _programme_name(programme) -> str:
    return programme.name_en if english() else programme.name_zh


def _name_cases(cases) -> None:
    """Display names of each case's state and programme, in the reader's language: a child's application says
    its own procedure's step (乡镇调查核实中), not dibao's (已受理，待入户调查)."""
    for c in cases:
        own = c.programme_id == children_applications.PROGRAMME and c.state in children_applications.STEP_TEXT
        c.state_name = children_applications.step_text(c.state) if own else _state_name(c.state)
        c.programme_name = _programme_name(c.programme)


@login_required
def household_search(request):
    perm_require(request.user, Perm.REGISTRY_VIEW)
    params = {k: request.GET.get(k, "").strip() for k in ("q", "area", "hukou_type")}
    qs = selectors.household_search(request.user, **params)
    page = Paginator(qs, settings.DOUDI_PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "params": params,
        "areas": areas_visible(request.user).exclude(level__in=["province", "prefecture"]),
        "hukou_types": HukouType.choices,
        "querystring": request.GET.urlencode(),
    }
    template = (
        "registry/_household_results.html"
        if request.htmx and not request.htmx.boosted
        else "registry/household_search.html"
    )
    return render(request, template, ctx)


@login_required
def household_detail(request, pk: int):
    """The family's whole story (一户一条救助链): members and registry changes, every application and case with its
    decision and explanation, enrolments with their amount history, payments month by month, overpayments and
    recoveries, documents — each as far as the person's area reaches; full numbers stay masked."""
    perm_require(request.user, Perm.REGISTRY_VIEW)
    user = request.user
    household = household_get(user, pk)
    story = {"cases": [], "enrolments": [], "applications": []}
    payments, recoveries, programmes = [], [], []
    if user.has_role_perm(Perm.CASE_VIEW):
        programmes = benefit_overview.household_programmes(user, household, english=english())
        story = case_selectors.household_story(user, household)
        payments = payment_selectors.household_payments(user, household)
        recoveries = payment_selectors.household_recoveries(user, household)
    _name_cases(story["cases"])
    for c in story["cases"]:
        c.explanation_lines = explanation_lines(c.decision_explanation)
        c.once = c.programme_id in ONE_OFF_PROGRAMMES  # a one-off grant, not a month's
    recovered: dict[int, object] = {}
    for r in recoveries:
        recovered[r.overpayment_id] = recovered.get(r.overpayment_id, ZERO) + r.amount
    outstanding = ZERO
    for e in benefit_selectors.label_one_offs(story["enrolments"]):  # once: an amount, not a month's
        e.programme_name = _programme_name(e.programme)
        for o in e.overpayments.all():
            o.recovered = recovered.get(o.pk, ZERO)
            o.outstanding = o.amount - o.recovered if o.status == "open" else ZERO
            outstanding += o.outstanding
        for r in e.reports.all():
            r.explanation_lines = explanation_lines(r.explanation)
    for line in payments:
        line.programme_name = _programme_name(line.payroll.programme)
        line.months_label = str(_("、")).join(str(m)[:7] for m in line.months or [])
    active = [e for e in story["enrolments"] if e.status not in CLOSED_STATUSES]
    ctx = {
        "household": household,
        **selectors.household_overview(household),
        "changes": selectors.registry_changes(household),
        "story": story,
        "rows": programmes,
        "can_view_cases": user.has_role_perm(Perm.CASE_VIEW),
        "payments": payments,
        "recoveries": recoveries,
        "summary": {
            "active": active,
            "open_cases": [c for c in story["cases"] if c.state in wf.OPEN_STATES],
            "last_payment": payments[0] if payments else None,
            "outstanding": outstanding,
        },
        "can_edit": user.has_role_perm(Perm.REGISTRY_EDIT),
        "can_reveal": user.has_role_perm(Perm.PII_FULL),
        "can_payroll": user.has_role_perm(Perm.PAYROLL_VIEW),
        "record_kinds": RECORD_MODELS,
        "watch": verification_selectors.household_watch(user, household),
    }
    return render(request, "registry/household_detail.html", ctx)


MAX_MEMBERS = 20


def _member_count(value) -> int:
    """How many member blocks the register form posted (1–20; an unreadable value is refused)."""
    return int_clean(
        value,
        field="member_count",
        zh_label="成员人数",
        en_label="Number of members",
        minimum=1,
        maximum=MAX_MEMBERS,
        default=2,
    )


def _member_forms(request, count: int):
    return [PersonForm(request.POST if request.method == "POST" else None, prefix=f"m{i}") for i in range(count)]


@login_required
def household_register(request):
    perm_require(request.user, Perm.REGISTRY_EDIT)
    villages = _villages(request.user)
    count = _member_count(request.POST.get("member_count")) if request.method == "POST" else 2
    source = request.POST if request.method == "POST" else request.GET
    # from the temporary assistance window (someone whose hukou is outside the county): back there afterwards
    then = source.get("then") == "temporary"
    then_call = id_or_none(source.get("call")) if then else None
    form = HouseholdForm(request.POST or None, villages=villages)
    members = _member_forms(request, count)
    if request.method == "POST":
        form.is_valid()
        data = {k: request.POST.get(k, "") for k in HOUSEHOLD_FIELDS}
        filled = [(i, m.data_dict()) for i, m in enumerate(members)]
        filled = [(i, r) for i, r in filled if any(v for k, v in r.items() if k != "labour_capacity")]
        rows = [r for _i, r in filled]
        asked = account_unconfirmed(request, HouseholdForm, {"villages": villages})
        if asked is not None:
            return render(
                request,
                "registry/household_form.html",
                {"form": asked, "members": members, "member_count": count, "creating": True},
            )
        try:
            household = actions.household_register(
                actor=request.user, area_code=request.POST.get("area", ""), data=data, members=rows
            )
        except ApplicationError as e:
            field = e.field or ""
            if field.startswith("members.") and filled:
                _prefix, index, rest = field.split(".", 2)
                member_form = members[filled[int(index)][0]]
                member_form.add_error(rest if rest in member_form.fields else None, e.message)
            else:
                apply_error(form, e)
        else:
            messages.success(request, _("已登记家庭 #%(id)s") % {"id": household.pk})
            if then:  # registered at the temporary assistance window: back to the application
                query = {"household": household.pk, **({"call": then_call} if then_call else {})}
                return redirect(f"{reverse('temporary_new')}?{urlencode(query)}")
            return redirect("household_detail", pk=household.pk)
    return render(
        request,
        "registry/household_form.html",
        {
            "form": form,
            "members": members,
            "member_count": count,
            "creating": True,
            "then": then,
            "then_call": then_call,
        },
    )


@login_required
def member_row(request):
    """One more blank member block for the register form (htmx)."""
    index = int_clean(
        request.GET.get("index"),
        field="index",
        zh_label="成员序号",
        en_label="Member index",
        minimum=0,
        maximum=MAX_MEMBERS - 1,
        default=0,
    )
    return render(request, "registry/_member_fields.html", {"member": PersonForm(prefix=f"m{index}"), "index": index})


@login_required
def household_edit(request, pk: int):
    perm_require(request.user, Perm.REGISTRY_EDIT)
    household = household_get(request.user, pk)
    initial = {
        "area": household.area_id,
        "hukou_type": household.hukou_type,
        "hukou_place": household.hukou_place,
        "residence_permit": household.residence_permit,
        "address": household.address,
        "phone": household.phone,
        "bank_name": household.bank_name,
        "bank_account": household.bank_account,
        "account_holder": household.account_holder,
    }
    form = HouseholdForm(request.POST or None, initial=initial, villages=_villages(request.user))
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in initial if k != "area"}
        data["area_code"] = request.POST.get("area", household.area_id)
        asked = account_unconfirmed(
            request,
            HouseholdForm,
            {"initial": initial, "villages": _villages(request.user)},
            stored=household.bank_account,
        )
        if asked is not None:
            return render(request, "registry/household_edit.html", {"form": asked, "household": household})
        try:
            actions.household_update(actor=request.user, household=household, data=data)
        except ApplicationError as e:
            apply_error(form, e)
        else:
            messages.success(request, _("已保存"))
            return redirect("household_detail", pk=household.pk)
    return render(request, "registry/household_edit.html", {"form": form, "household": household})


@login_required
def member_add(request, pk: int):
    perm_require(request.user, Perm.REGISTRY_EDIT)
    household = household_get(request.user, pk)
    form = PersonForm(request.POST or None)
    if request.method == "POST":
        try:
            actions.member_add(actor=request.user, household=household, data=form.data_dict())
        except ApplicationError as e:
            apply_error(form, e)
        else:
            messages.success(request, _("已添加成员"))
            return redirect("household_detail", pk=household.pk)
    return render(request, "registry/person_form.html", {"form": form, "household": household, "creating": True})


@login_required
def person_edit(request, pk: int):
    perm_require(request.user, Perm.REGISTRY_EDIT)
    person = person_get(request.user, pk)
    membership = person.memberships.get(end_date__isnull=True)
    initial = {f: getattr(person, f) for f in PersonForm.base_fields if hasattr(person, f)}
    initial.update(relation=membership.relation, birth_date=person.birth_date.isoformat())
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST":
        data = form.data_dict()
        if not data.get("id_number") and person.id_number:
            data.pop("id_number")  # the form shows the number masked; an empty box keeps it
        try:
            actions.person_update(actor=request.user, person=person, data=data)
        except ApplicationError as e:
            apply_error(form, e)
        else:
            messages.success(request, _("已保存"))
            return redirect("household_detail", pk=membership.household_id)
    form.fields["id_number"].widget.attrs["placeholder"] = id_mask(person.id_number)
    form.initial["id_number"] = ""
    return render(
        request, "registry/person_form.html", {"form": form, "household": membership.household, "person": person}
    )


@login_required
def person_move(request, pk: int):
    perm_require(request.user, Perm.REGISTRY_EDIT)
    person = person_get(request.user, pk)
    membership = person.memberships.select_related("household").get(end_date__isnull=True)
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = household_get(request.user, form.cleaned_data["to_household"])
            actions.person_move(
                actor=request.user,
                person=person,
                to_household=target,
                relation=form.cleaned_data["relation"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except NotFound:
            form.add_error("to_household", _("户编号不存在或不在您的管辖区域内 / No such household in your area"))
        except ApplicationError as e:
            apply_error(form, e)
        else:
            messages.success(request, _("已迁移"))
            return redirect("household_detail", pk=target.pk)
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "title": _("迁移成员：%(name)s") % {"name": person.name},
            "back": reverse("household_detail", args=[membership.household_id]),
        },
    )


@login_required
def member_leave(request, pk: int):
    perm_require(request.user, Perm.REGISTRY_EDIT)
    person = person_get(request.user, pk)
    membership = person.memberships.get(end_date__isnull=True)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.member_leave(
                actor=request.user, person=person, on=form.cleaned_data["on"], reason=form.cleaned_data["reason"]
            )
        except ApplicationError as e:
            apply_error(form, e)
        else:
            messages.success(request, _("已办理离户"))
            return redirect("household_detail", pk=membership.household_id)
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "title": _("成员离户：%(name)s") % {"name": person.name},
            "back": reverse("household_detail", args=[membership.household_id]),
        },
    )


@login_required
def record_form(request, pk: int, kind: str, record_id: int | None = None):
    perm_require(request.user, Perm.REGISTRY_EDIT)
    household = household_get(request.user, pk)
    model = RECORD_MODELS.get(kind)
    if model is None:
        raise NotFound()
    instance = model.objects.filter(household=household, pk=record_id).first() if record_id else None
    if record_id and instance is None:
        raise NotFound()
    form_class = record_form_class(model)
    form = form_class(request.POST or None, instance=instance, household=household)
    if request.method == "POST":
        try:
            if instance:
                actions.record_update(
                    actor=request.user, household=household, kind=kind, record_id=instance.pk, data=request.POST
                )
            else:
                actions.record_add(actor=request.user, household=household, kind=kind, data=request.POST)
        except ApplicationError as e:
            # The bound form checks itself too when shown; the action's refusal replaces the form's own message on
            # the same field, so each problem is said once (a negative income showed two messages).
            form.is_valid()
            errors = e.extra.get("errors") or {e.field or "": [e.message]}
            for field in errors:
                form.errors.pop(field if field in form.fields else "__all__", None)
            for field, errs in errors.items():
                for err in errs:
                    form.add_error(field if field in form.fields else None, err)
        else:
            messages.success(request, _("已保存"))
            return redirect(reverse("household_detail", args=[household.pk]) + f"#{kind}")
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "title": f"{household.label} · {model._meta.verbose_name}",
            "back": reverse("household_detail", args=[household.pk]),
        },
    )


@login_required
@require_POST
def record_delete(request, pk: int, kind: str, record_id: int):
    household = household_get(request.user, pk)
    actions.record_delete(actor=request.user, household=household, kind=kind, record_id=record_id)
    messages.success(request, _("已删除"))
    return redirect(reverse("household_detail", args=[household.pk]) + f"#{kind}")


@login_required
def reveal(request, kind: str, pk: int):
    """Show one full ID number or bank account; each look is written to the audit trail."""
    perm_require(request.user, Perm.PII_FULL)
    if kind == "person":
        person = person_get(request.user, pk)
        household = person.memberships.get(end_date__isnull=True).household
        access_record(
            actor=request.user, target=person, field="id_number", area_code=household.area_id, household_id=household.pk
        )
        value = person.id_number or ""
    elif kind == "household":
        household = household_get(request.user, pk)
        access_record(
            actor=request.user,
            target=household,
            field="bank_account",
            area_code=household.area_id,
            household_id=household.pk,
        )
        value = household.bank_account
    else:
        raise NotFound()
    return HttpResponse(format_html('<span class="revealed" title="{}">{}</span>', _("已记录查看"), value))


@login_required
def household_export(request):
    """Export the current search to .xlsx (masked, or full and logged for roles that may see full numbers)."""
    params = {k: request.GET.get(k, "").strip() for k in ("q", "area", "hukou_type")}
    qs = selectors.household_search(request.user, **params)
    full = request.GET.get("full") == "1"
    content, _count = households_export_xlsx(actor=request.user, households=qs.values("pk"), full=full)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="households.xlsx"'
    return response


@login_required
def household_import(request):
    perm_require(request.user, Perm.REGISTRY_IMPORT)
    ctx: dict = {}
    if request.method == "POST":
        try:
            filename, content = upload_read(
                request, max_bytes=import_max_bytes(), zh_label="要导入的文件", en_label="file to import"
            )
        except ApplicationError as e:
            ctx["error"] = e
        else:
            try:
                result = households_import(actor=request.user, filename=filename, content=content)
            except ApplicationError as e:
                ctx["error"] = e
            else:
                ctx["result"] = result
                if not result.ok or result.warnings:
                    token = uuid.uuid4().hex
                    folder = settings.DATA_DIR / "import-reports"
                    folder.mkdir(parents=True, exist_ok=True)
                    write_sealed(folder / f"{request.user.pk}-{token}.xlsx", error_report_xlsx(result))
                    ctx["report_token"] = token
    return render(request, "registry/import.html", ctx)


@login_required
def import_report(request, token: str):
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        raise NotFound()
    path = settings.DATA_DIR / "import-reports" / f"{request.user.pk}-{token}.xlsx"
    if not path.exists():
        raise NotFound()
    response = HttpResponse(
        read_plain(path), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="import-errors.xlsx"'
    return response


@login_required
def import_template(request):
    response = HttpResponse(
        template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="doudi-household-template.xlsx"'
    return response
