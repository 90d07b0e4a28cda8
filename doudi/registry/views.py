"""Registry pages: parse input, call one action or selector, render."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.roles import Perm
from doudi.accounts.scope import areas_visible, household_get, households_visible, perm_require, person_get
from doudi.audit.actions import access_record
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.idnumber import id_mask
from doudi.core.sealedfiles import read_plain, write_sealed
from doudi.core.uploads import import_max_bytes, upload_read
from doudi.core.validation import int_clean

from . import actions, selectors
from .choices import HukouType
from .excel import error_report_xlsx, households_export_xlsx, households_import, template_xlsx
from .forms import HouseholdForm, LeaveForm, MoveForm, PersonForm, account_unconfirmed, apply_error
from .models import RECORD_MODELS
from .records import record_form_class


def _villages(user):
    return areas_visible(user).filter(level="village").select_related("parent")


@login_required
def home(request):
    user = request.user
    stats = None
    if user.has_role_perm(Perm.REGISTRY_VIEW):
        qs = households_visible(user)
        townships = {a.code[:9]: a.name for a in areas_visible(user).filter(level="township")}
        rows = {}
        for row in qs.values("area_id", "hukou_type").annotate(n=Count("id"), people=Sum("member_count")):
            key = row["area_id"][:9]
            agg = rows.setdefault(
                key, {"name": townships.get(key, key), "households": 0, "people": 0, "urban": 0, "rural": 0}
            )
            agg["households"] += row["n"]
            agg["people"] += row["people"] or 0
            agg[row["hukou_type"]] += row["n"]
        stats = {
            "by_township": [rows[k] for k in sorted(rows)],
            "households": sum(r["households"] for r in rows.values()),
            "people": sum(r["people"] for r in rows.values()),
        }
    return render(request, "registry/home.html", {"stats": stats})


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
    perm_require(request.user, Perm.REGISTRY_VIEW)
    household = household_get(request.user, pk)
    ctx = {
        "household": household,
        **selectors.household_overview(household),
        "history": selectors.household_history(household),
        "can_edit": request.user.has_role_perm(Perm.REGISTRY_EDIT),
        "can_reveal": request.user.has_role_perm(Perm.PII_FULL),
        "record_kinds": RECORD_MODELS,
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
    form = HouseholdForm(request.POST or None, villages=villages)
    members = _member_forms(request, count)
    if request.method == "POST":
        form.is_valid()
        data = {
            k: request.POST.get(k, "")
            for k in ("hukou_type", "address", "phone", "bank_name", "bank_account", "account_holder")
        }
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
            return redirect("household_detail", pk=household.pk)
    return render(
        request,
        "registry/household_form.html",
        {"form": form, "members": members, "member_count": count, "creating": True},
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
            "title": f"{household} · {model._meta.verbose_name}",
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
