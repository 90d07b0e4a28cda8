"""One person, all programmes (issue 15): the person's page with every programme, grants and stops of the monthly
programmes with the rules' explanation, and the reports that act on every programme at once — a death, a move out
of the county or within it, a household's change — each previewed before it is confirmed. Views parse, call one
action or selector, and render."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.cases.models import ReportKind
from doudi.core.errors import ApplicationError
from doudi.core.labels import english, explanation_lines
from doudi.core.validation import date_clean, id_or_none, month_clean
from doudi.programmes.rules import evaluate
from doudi.programmes.shapes import SHAPES
from doudi.registry.choices import Relation

from . import actions, life, overview, selectors
from .grantfacts import grant_facts

# The monthly programmes a caseworker grants from the person's page: what the registry holds decides them (the
# children's allowance is granted on the recorded parents' situations: its own page, children_views.py).
PAGE_GRANTS = ("elderly", "disability")


def _membership(person):
    return person.memberships.select_related("household__area").filter(end_date__isnull=True).first()


def _person_amount(decision, facts, person):
    for member, line in zip(facts.members, decision.members, strict=True):
        if member.person_id == person.pk:
            return line.amount
    return None


@login_required
def person_detail(request, pk: int):
    perm_require(request.user, Perm.CASE_VIEW)
    person = scope.person_get(request.user, pk)
    membership = _membership(person)
    rows = overview.person_programmes(request.user, person, english=english())
    receiving = {r.programme for r in rows if r.live}
    grants = [] if person.deceased or membership is None else [c for c in PAGE_GRANTS if c not in receiving]
    return render(
        request,
        "benefits/person_detail.html",
        {
            "person": person,
            "membership": membership,
            "rows": rows,
            "grants": [(c, SHAPES[c].name_en if english() else SHAPES[c].name_zh) for c in grants],
            "can_report": request.user.has_role_perm(Perm.CASE_CREATE) and membership is not None,
            "can_decide": request.user.has_role_perm(Perm.CASE_DECIDE),
            # a deceased person without a waiver: the county grants the basic funeral fee waiver (funeral_views)
            "funeral_due": person.deceased and not any(r.programme == "funeral" for r in rows),
            "today": timezone.localdate(),
            "child_facts": person.birth_date > _years_ago(timezone.localdate(), CHILD_PAGE_YEARS)
            or person.parent_situations.exists(),
            # veterans' payments: the person's entitlement (category, prison terms, grants), or entering one
            "veteran": selectors.veteran_of_person(request.user, person.pk),
            "can_enter_veteran": request.user.has_role_perm(Perm.CASE_CREATE)
            and membership is not None
            and not person.deceased,
        },
    )


CHILD_PAGE_YEARS = 22  # the children's allowance: under 18, or past it in full-time study until 22


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return dt.date(today.year - years, 2, 28)


@login_required
def person_grant(request, pk: int, programme: str):
    """The rules' decision for the person today with its explanation; confirming grants it from the month the
    programme pays from."""
    perm_require(request.user, Perm.CASE_DECIDE)
    if programme not in PAGE_GRANTS:
        raise Http404
    person = scope.person_get(request.user, pk)
    membership = _membership(person)
    if membership is None:
        raise Http404
    household = scope.household_get(request.user, membership.household_id)
    today = timezone.localdate()
    facts, facts_in = grant_facts(programme, household, person, today)
    decision = evaluate(programme, facts, today)
    ctx = {
        "person": person,
        "household": household,
        "programme": programme,
        "programme_name": SHAPES[programme].name_en if english() else SHAPES[programme].name_zh,
        "decision": decision,
        "lines": explanation_lines(decision.as_dict()),
        "amount": _person_amount(decision, facts, person),
        "first_month": actions.first_paid_month(programme, today),
        # a programme paid from the month of application (the disability subsidies) asks when the person applied
        "asks_applied_on": SHAPES[programme].procedure.pays_from == "month_of_application",
        "today": today,
        "applied_on": request.POST.get("applied_on", ""),
    }
    if request.method == "POST":
        try:
            applied_on = None
            if ctx["asks_applied_on"]:
                applied_on = date_clean(
                    request.POST.get("applied_on"), field="applied_on", zh_label="申请日期", en_label="Application date"
                )
            actions.benefit_grant(
                actor=request.user,
                programme=programme,
                household=household,
                person=person,
                on=today,
                facts=facts,
                note=request.POST.get("note", ""),
                applied_on=applied_on,
                facts_in=facts_in,
            )
        except ApplicationError as e:
            ctx["error"] = e
        else:
            messages.success(request, _("已核定并纳入发放"))
            return redirect("person_detail", pk=person.pk)
    return render(request, "benefits/person_grant.html", ctx)


@login_required
@require_POST
def enrolment_stop(request, pk: int):
    perm_require(request.user, Perm.CASE_DECIDE)
    enrolment = scope.get_visible(request.user, "cases.Enrolment", pk)
    back = request.POST.get("person") and id_or_none(request.POST.get("person"))
    try:
        month = month_clean(request.POST.get("month"), field="month", zh_label="停发起始月", en_label="Month")
        actions.benefit_stop(
            actor=request.user,
            enrolment=enrolment,
            month=month,
            reason=request.POST.get("reason", ""),
            on=timezone.localdate(),
        )
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已停发"))
    return redirect("person_detail", pk=back) if back else redirect("household_detail", pk=enrolment.household_id)


@login_required
@require_POST
def hold_release(request, pk: int):
    perm_require(request.user, Perm.CASE_DECIDE)
    enrolment = scope.get_visible(request.user, "cases.Enrolment", pk)
    try:
        life.oneoff_hold_release(
            actor=request.user,
            enrolment=enrolment,
            pay=request.POST.get("pay") == "1",
            reason=request.POST.get("reason", ""),
            on=timezone.localdate(),
        )
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已处理"))
    return redirect("household_detail", pk=enrolment.household_id)


EVENTS = {
    "death": gettext_lazy("登记死亡"),
    "move-out": gettext_lazy("登记迁出本县"),
    "move-within": gettext_lazy("登记县内迁移"),
}


REPORT_FIELDS = ("on", "to_household", "relation", "kind", "month", "details")


def _fingerprint(post) -> str:
    """The values a preview was shown for: confirming with other values previews them first."""
    text = "\x1f".join(post.get(f, "") for f in REPORT_FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _confirmed(request) -> bool:
    return request.POST.get("confirm") == "1" and request.POST.get("previewed") == _fingerprint(request.POST)


def _date(value, field, zh, en) -> dt.date:
    return date_clean(value, field=field, zh_label=zh, en_label=en, required=True, latest=timezone.localdate())


def _person_call(request, event: str, person, preview: bool):
    p = request.POST
    user, details = request.user, p.get("details", "")
    if event == "death":
        day = _date(p.get("on"), "on", "死亡日期", "Date of death")
        fn = life.person_death_preview if preview else life.person_death_record
        return fn(actor=user, person=person, died_on=day, details=details)
    if event == "move-out":
        day = _date(p.get("on"), "on", "迁出日期", "Date of moving out")
        fn = life.person_move_out_preview if preview else life.person_move_out
        return fn(actor=user, person=person, on=day, details=details)
    day = _date(p.get("on"), "on", "迁移日期", "Date of the move")
    target = id_or_none(p.get("to_household"))
    if target is None:
        raise ApplicationError("请填写迁入家庭户编号", "The household moved to is required", field="to_household")
    to_household = scope.household_get(user, target)
    fn = life.person_move_within_preview if preview else life.person_move_within
    return fn(
        actor=user, person=person, to_household=to_household, relation=p.get("relation", ""), on=day, details=details
    )


@login_required
def person_report(request, pk: int, event: str):
    """A death or a move, previewed (what changes in each programme) and then confirmed."""
    perm_require(request.user, Perm.CASE_CREATE)
    if event not in EVENTS:
        raise Http404
    person = scope.person_get(request.user, pk)
    ctx = {
        "person": person,
        "event": event,
        "title": EVENTS[event],
        "relations": Relation.choices,
        "form": request.POST,
        "today": timezone.localdate(),
    }
    if request.method == "POST":
        confirm = _confirmed(request)
        try:
            result = _person_call(request, event, person, preview=not confirm)
        except ApplicationError as e:
            ctx["error"] = e
        else:
            if confirm:
                messages.success(request, _("已登记，各救助项目已同时处理"))
                return redirect("person_detail", pk=person.pk)
            ctx["result"], ctx["fingerprint"] = result, _fingerprint(request.POST)
    return render(request, "benefits/life_report.html", ctx)


@login_required
def household_change(request, pk: int):
    """A household's change of income or members, reported once for every programme, previewed then confirmed."""
    perm_require(request.user, Perm.CASE_CREATE)
    household = scope.household_get(request.user, pk)
    ctx = {
        "household": household,
        "event": "change",
        "title": _("登记家庭情况变化"),
        "kinds": [(k, ReportKind(k).label) for k in life.CHANGE_KINDS],
        "form": request.POST,
        "today": timezone.localdate(),
    }
    if request.method == "POST":
        p = request.POST
        confirm = _confirmed(request)
        try:
            month = month_clean(p.get("month"), field="month", zh_label="起始月", en_label="Effective month")
            fn = life.household_change_record if confirm else life.household_change_preview
            result = fn(
                actor=request.user,
                household=household,
                kind=p.get("kind", ""),
                effective_month=month,
                details=p.get("details", ""),
            )
        except ApplicationError as e:
            ctx["error"] = e
        else:
            if confirm:
                messages.success(request, _("已登记，各救助项目已同时重新测算"))
                return redirect("household_detail", pk=household.pk)
            ctx["result"], ctx["fingerprint"] = result, _fingerprint(request.POST)
    return render(request, "benefits/life_report.html", ctx)
