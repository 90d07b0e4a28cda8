"""The basic funeral fee waiver's pages (funeral.py): the grant for a deceased person — the funeral home's fee for
each service, a preview with each service's cap, the amount waived and the rules' explanation, then the grant of
what was previewed, paid to the funeral home — and the area's waivers with filters, pages and .xlsx, with the
funeral homes, the form to add one and the page to change one. Views parse, call one action or selector, and
render."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.areas.models import Area
from doudi.core.errors import ApplicationError
from doudi.core.labels import english, explanation_lines, said
from doudi.core.money import ZERO, money_parse
from doudi.core.validation import id_or_none, int_clean, month_clean
from doudi.programmes.rules.inputs import FUNERAL_SERVICES

from . import actions, funeral
from .models import Payee
from .payees import home_lines_pending
from .views import notes_show

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_FIELDS = ("funeral_home", *(f"fee_{k}" for k in FUNERAL_SERVICES), "days_cold_storage")


def cap_text(kind: str, cap, cap_days) -> str:
    """A service's cap as a caseworker reads it out."""
    if cap is None:
        return _("不属于基本殡葬服务，不减免")
    if cap_days is not None:
        return _("每天不超过 %(cap)s 元，至多 %(days)s 天") % {"cap": f"{cap:.2f}", "days": cap_days}
    return _("不超过 %(cap)s 元") % {"cap": f"{cap:.2f}"}


def _services(post):
    """The fees (yuan) and cold storage days typed in, each refusal naming its field."""
    items = []
    for kind in FUNERAL_SERVICES:
        text = (post.get(f"fee_{kind}") or "").strip()
        if not text:
            continue
        fee = money_parse(
            text,
            field=f"fee_{kind}",
            zh_label=f"{funeral.service_label(kind)}收费",
            en_label=f"{funeral.service_label(kind, True)} fee",
        )
        days = 0
        if kind == "cold_storage" and (post.get("days_cold_storage") or "").strip():
            days = int_clean(
                post.get("days_cold_storage"),
                field="days_cold_storage",
                zh_label="遗体冷藏天数",
                en_label="Cold storage days",
                minimum=1,
                maximum=funeral.DAYS_MAX,
            )
        items.append(funeral.ServiceIn(kind, fee, days, f"fee_{kind}", f"days_{kind}"))
    return funeral.services_check(items, empty_field="fee_transport")


def _fingerprint(post) -> str:
    """The values a preview was shown for: granting with other values previews them first."""
    text = "\x1f".join((post.get(f) or "").strip() for f in FORM_FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _waiver_home(enrolment):
    payee = Payee.objects.filter(enrolment=enrolment).select_related("funeral_home").first()
    return payee.funeral_home if payee else None


@login_required
def funeral_grant(request, pk: int):
    """The waiver for a deceased person of the account's area: 测算 shows the decision without saving; 确认减免
    grants what was previewed (other values are previewed first). A death not recorded, or a waiver already
    granted, is said instead of the form."""
    perm_require(request.user, Perm.CASE_DECIDE)
    person = scope.person_get(request.user, pk)
    household = funeral.person_household(request.user, person)
    today = timezone.localdate()
    caps = funeral.caps_in_force(household, today)
    en = english()
    post = request.POST
    ctx: dict = {
        "person": person,
        "household": household,
        "form": post,
        "homes": funeral.funeral_homes(request.user),
        "services": [
            {
                "kind": kind,
                "label": funeral.service_label(kind, en),
                "cap": cap_text(kind, *caps[kind]),
                "fee": post.get(f"fee_{kind}", ""),
            }
            for kind in FUNERAL_SERVICES
        ],
        "waiver": funeral.waiver_of(person),
        "unrecorded": not person.deceased,
    }
    if ctx["waiver"] is not None:
        ctx["waiver_home"] = _waiver_home(ctx["waiver"])
    status = 200
    if request.method == "POST" and (ctx["waiver"] is not None or ctx["unrecorded"]):
        # the page said so instead of the form (a second tab, a stale page): the grant's own refusal
        ctx["error"] = actions.funeral_already_waived() if ctx["waiver"] else actions.funeral_death_unrecorded()
        status = 400
    elif request.method == "POST":
        granting = post.get("do") == "grant"
        try:
            services = _services(post)
            if granting and post.get("previewed") == _fingerprint(post):
                home_id = id_or_none(post.get("funeral_home"))
                if home_id is None:
                    raise ApplicationError(
                        "请选择殡仪馆（减免款付给殡仪馆）", "Choose the funeral home", field="funeral_home"
                    )
                enrolment = funeral.funeral_waive(
                    actor=request.user,
                    person=person,
                    funeral_home=funeral.funeral_home_get(request.user, home_id),
                    services=services,
                    note=post.get("note", ""),
                    on=today,
                )
                messages.success(
                    request,
                    _("已办理殡葬费用减免 %(amount)s 元，付给%(home)s，列入 %(month)s 的殡葬费用减免发放表")
                    % {
                        "amount": f"{enrolment.monthly_amount:,.2f}",
                        "home": _waiver_home(enrolment),
                        "month": f"{enrolment.start_month:%Y-%m}",
                    },
                )
                return redirect("person_detail", pk=person.pk)
            result = funeral.funeral_preview(actor=request.user, person=person, services=services, on=today)
        except ApplicationError as e:
            ctx["error"], status = e, 400
        else:
            ctx.update(
                result=result,
                lines=explanation_lines(result.decision.as_dict()),
                service_lines=[
                    {
                        "kind": line.kind,
                        "label": funeral.service_label(line.kind, en),
                        "fee": line.fee,
                        "days": line.days,
                        "cap": cap_text(line.kind, line.cap, line.cap_days),
                        "waived": line.waived,
                    }
                    for line in result.lines
                ],
                fee_total=sum((line.fee for line in result.lines), ZERO),
                fingerprint=_fingerprint(post),
                reasons=[said(r) for r in result.decision.reasons_ineligible],
                changed=granting,  # asked to grant other values than those previewed: previewed again
            )
    named = getattr(ctx.get("error"), "field", None)  # the field the refusal names is marked on the form
    for row in ctx["services"]:
        row["error"] = named in (f"fee_{row['kind']}", f"days_{row['kind']}")
    ctx["home_error"] = named == "funeral_home"
    return render(request, "benefits/funeral_grant.html", ctx, status=status)


# ---- the waivers of the area and the funeral homes ---------------------------------------------------------------
def _filters(request) -> tuple[dict, dict]:
    """The list's filters as typed (for the form and the links) and as the selector takes them."""
    typed = {k: (request.GET.get(k) or "").strip()[:12] for k in ("month", "area")}
    month = (
        month_clean(typed["month"], field="month", zh_label="发放月份", en_label="Month paid")
        if typed["month"]
        else None
    )
    return typed, {"month": month, "area": typed["area"]}


@login_required
def funeral_list(request):
    """The funeral waivers of the account's area (month paid, area), a page at a time; the funeral homes the
    account may choose, and adding one (the county approver)."""
    perm_require(request.user, Perm.CASE_VIEW)
    ctx: dict = {"home_form": {}}
    status = 200
    if request.method == "POST":
        perm_require(request.user, Perm.CASE_DECIDE)  # the role first: a refusal never depends on the area
        try:
            area = scope.area_get(request.user, (request.POST.get("area") or "").strip()[:12])
            home = actions.funeral_home_create(
                actor=request.user,
                name=request.POST.get("name", ""),
                area_code=area.code,
                bank_account=request.POST.get("bank_account", ""),
                account_holder=request.POST.get("account_holder", ""),
            )
        except ApplicationError as e:
            ctx["home_error"], ctx["home_form"], status = e, request.POST, 400
        else:
            messages.success(request, _("已登记殡仪馆：%(name)s") % {"name": home.name})
            return redirect("funeral_list")
    try:
        typed, filters = _filters(request)
        qs = funeral.waivers(request.user, **filters)
    except ApplicationError as e:
        messages.error(request, e.message)
        typed, qs = {"month": "", "area": ""}, funeral.waivers(request.user).none()
    page = Paginator(qs, settings.DOUDI_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = funeral.waiver_rows(page.object_list)
    can_create = request.user.has_role_perm(Perm.CASE_DECIDE)
    areas = scope.areas_visible(request.user).filter(level__in=("county", "township", "village")).order_by("code")
    homes = list(funeral.funeral_homes(request.user))
    ctx.update(
        page=page,
        params=typed,
        querystring=request.GET.urlencode(),
        areas=areas,
        homes=homes,
        # the homes of the account's own area it may change (a county's home is a township's to choose only)
        can_change={h.pk for h in homes if covers(request.user, h.area_code)} if can_create else set(),
        can_create=can_create,
        home_areas=[a for a in areas if a.level != "village"] if can_create else [],
        can_export=request.user.has_role_perm(Perm.REGISTRY_EXPORT),
    )
    return render(request, "benefits/funeral_list.html", ctx, status=status)


@login_required
def funeral_home_edit(request, pk: int):
    """One funeral home of the account's area changed (``actions.funeral_home_update``): its name, account and
    holder. The page shows the account masked and the account box empty: left empty, the account stays as it is.
    What becomes of the payroll lines paying the home is said before saving (how many wait in draft, checked and
    approved payrolls) and after (the lines changed, the lines left on the old account and what to do)."""
    perm_require(request.user, Perm.CASE_DECIDE)  # the role first: a refusal never depends on the area
    home = funeral.funeral_home_get(request.user, pk, change=True)
    form = {"name": home.name, "bank_account": "", "account_holder": home.account_holder}
    area = Area.objects.filter(code=home.area_code).values_list("name", flat=True).first()
    ctx: dict = {"home": home, "area": area or home.area_code, "pending": home_lines_pending(home)}
    status = 200
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        try:
            result = actions.funeral_home_update(
                actor=request.user,
                home=home,
                name=form["name"],
                bank_account=form["bank_account"] if form["bank_account"].strip() else None,  # empty: as it is
                account_holder=form["account_holder"],
            )
        except ApplicationError as e:
            ctx["error"], status = e, 400
        else:
            messages.success(request, _("已修改殡仪馆：%(name)s") % {"name": result.home.name})
            notes_show(request, result.notes())
            return redirect(reverse("funeral_list") + "#homes")
    ctx.update(form=form, field_error=getattr(ctx.get("error"), "field", None))
    return render(request, "benefits/funeral_home_edit.html", ctx, status=status)


@login_required
def funeral_export(request):
    """The filtered waivers as .xlsx; the export is in the audit trail."""
    perm_require(request.user, Perm.CASE_VIEW)
    perm_require(request.user, Perm.REGISTRY_EXPORT)
    typed, filters = _filters(request)
    content, _count = funeral.waivers_xlsx(
        actor=request.user, enrolments=funeral.waivers(request.user, **filters), filters=typed
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="funeral-waivers-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
