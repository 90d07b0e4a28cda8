"""The demo county's figures, as the demo command prints them (and the tests read them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum

from doudi.areas.models import Area
from doudi.cases import workflow as wf
from doudi.cases.models import Case, CaseKind, Enrolment, EnrolmentStatus, Overpayment, SupportMode
from doudi.core.money import add_months, month_start
from doudi.payments.models import Payroll, Recovery
from doudi.registry.models import Household, Membership

from .county import COUNTY_CODE
from .history import rise_version

IN_PAYMENT = [EnrolmentStatus.ACTIVE, EnrolmentStatus.GRADUAL_EXIT]


def _payroll(programme: str, month: dt.date) -> dict | None:
    p = (
        Payroll.objects.filter(programme_id=programme, month=month, kind="regular")
        .exclude(state="cancelled")
        .order_by("pk")
        .first()
    )
    if p is None:
        return None
    return {"id": p.pk, "lines": p.line_count, "total": p.total, "state": p.state, "label": p.get_state_display()}


def county_summary(today: dt.date) -> dict:
    current = month_start(today)
    previous = add_months(current, -1)
    townships = dict(Area.objects.filter(level="township", code__startswith=COUNTY_CODE).values_list("code", "name"))
    paying = Enrolment.objects.filter(status__in=IN_PAYMENT, area_code__startswith=COUNTY_CODE)
    dibao = paying.filter(programme_id="dibao")
    tekun = paying.filter(programme_id="tekun")
    by_township: dict[str, int] = {}
    for code, n in (
        dibao.values_list("area_code", flat=True)
        .order_by()
        .values("area_code")
        .annotate(n=Count("id"))
        .values_list("area_code", "n")
    ):
        name = townships.get(code[:9] + "000", code)
        by_township[name] = by_township.get(name, 0) + n
    overpaid = Overpayment.objects.aggregate(n=Count("id"), s=Sum("amount"))
    recovered = Recovery.objects.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
    rise = rise_version()
    return {
        "townships": len(townships),
        "villages": Area.objects.filter(level="village", code__startswith=COUNTY_CODE).count(),
        "households": Household.objects.filter(area__code__startswith=COUNTY_CODE).count(),
        "people": Membership.objects.filter(
            end_date__isnull=True, household__area__code__startswith=COUNTY_CODE
        ).count(),
        "dibao_households": dibao.count(),
        "dibao_people": dibao.aggregate(n=Sum("counted_members"))["n"] or 0,
        "dibao_by_township": dict(sorted(by_township.items(), key=lambda kv: -kv[1])),
        "gradual_exit": dibao.filter(status=EnrolmentStatus.GRADUAL_EXIT).count(),
        "tekun": tekun.count(),
        "tekun_centralised": tekun.filter(support_mode=SupportMode.CENTRALISED).count(),
        "tekun_scattered": tekun.exclude(support_mode=SupportMode.CENTRALISED).count(),
        "ended": Enrolment.objects.filter(status=EnrolmentStatus.TERMINATED).count(),
        "previous_month": previous,
        "current_month": current,
        "dibao_previous": _payroll("dibao", previous),
        "tekun_previous": _payroll("tekun", previous),
        "dibao_current": _payroll("dibao", current),
        "tekun_current": _payroll("tekun", current),
        "reviews_open": Case.objects.filter(kind=CaseKind.REVIEW, state__in=wf.OPEN_STATES).count(),
        "applications_open": Case.objects.filter(kind=CaseKind.NEW, state__in=wf.OPEN_STATES).count(),
        "overpayments": overpaid["n"],
        "overpaid": overpaid["s"] or Decimal("0.00"),
        "recovered": recovered,
        "rise": None if rise is None else {"from": rise.effective_from, "values": rise.values},
    }


def _p(p: dict | None) -> str:
    return "none" if p is None else f"#{p['id']} {p['lines']} lines, {p['total']:.2f} yuan ({p['label']})"


def summary_lines(s: dict) -> list[str]:
    share = f"{100 * s['tekun_centralised'] / s['tekun']:.1f}%" if s["tekun"] else "-"
    lines = [
        f"青神县 demo county: {s['townships']} townships, {s['villages']} villages and communities, "
        f"{s['households']} households, {s['people']} people",
        f"  dibao (低保): {s['dibao_households']} households, {s['dibao_people']} people in payment "
        f"({s['gradual_exit']} in gradual exit; {s['ended']} enrolments ended over the two years)",
        "    by township: " + "，".join(f"{k} {v}" for k, v in s["dibao_by_township"].items()),
        f"  tekun (特困): {s['tekun']} people, {s['tekun_centralised']} centralised in nursing homes, "
        f"{s['tekun_scattered']} scattered (centralised rate {share})",
        f"  payrolls {s['previous_month']:%Y-%m}: dibao {_p(s['dibao_previous'])}; tekun {_p(s['tekun_previous'])}",
        f"  payrolls {s['current_month']:%Y-%m}: dibao {_p(s['dibao_current'])}; tekun {_p(s['tekun_current'])}"
        " — waiting for finance2's approval",
        f"  open: {s['applications_open']} applications, {s['reviews_open']} reviews; overpayments "
        f"{s['overpayments']} ({s['overpaid']:.2f} yuan, {s['recovered']:.2f} recovered)",
    ]
    if s["rise"]:
        v = s["rise"]["values"]
        lines.append(
            f"  dibao standard from {s['rise']['from']:%Y-%m-%d}: urban {v['standard_urban']}, rural "
            f"{v['standard_rural']} yuan (drafted, simulated, approved in the history)"
        )
    return lines
