"""The rows of a list behind a figure, whatever it lists (payroll lines, people, enrolments, cases, overpayments,
recoveries): the household each belongs to, its area, and what it adds to the figure."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _

from doudi.areas.models import Area
from doudi.cases.models import SupportMode
from doudi.core.labels import said
from doudi.registry.models import Membership


def drill_rows(items: list) -> list[dict]:
    if not items:
        return []
    label = items[0]._meta.label
    rows = []
    if label == "registry.Person":
        homes = dict(
            Membership.objects.filter(person__in=items, end_date__isnull=True).values_list("person_id", "household")
        )
        Household = apps.get_model("registry.Household")
        households = Household.objects.in_bulk(set(homes.values()))
        for p in items:
            h = households.get(homes.get(p.pk))
            rows.append(
                {"household": h, "area": h.area_id if h else "", "what": p.name, "detail": f"{p.birth_date:%Y-%m}"}
            )
    programmes = {}
    if label == "payments.PayrollLine":  # the lines of every programme (FF0201000000) say whose they are
        programmes = apps.get_model("programmes.Programme").objects.in_bulk({o.payroll.programme_id for o in items})
    for o in items if label != "registry.Person" else []:
        if label == "payments.PayrollLine":
            p = programmes.get(o.payroll.programme_id)
            rows.append(
                {
                    "household": o.household,
                    "area": o.area_code,
                    "what": " · ".join(
                        [
                            *([said(p.name_zh, p.name_en)] if p else []),
                            f"{o.payroll.month:%Y-%m}",
                            _("%(n)d人") % {"n": o.members},
                            *([str(SupportMode(o.support_mode).label)] if o.support_mode in SupportMode.values else []),
                        ]
                    ),
                    "detail": ", ".join(m[:7] for m in o.months),
                    "amount": o.amount,
                    "status": o.get_status_display(),
                }
            )
        elif label == "cases.Enrolment":
            rows.append(
                {
                    "household": o.household,
                    "area": o.area_code,
                    "what": o.counted_members,
                    "detail": f"{o.start_month:%Y-%m}",
                    "amount": o.monthly_amount,
                    "status": o.get_status_display(),
                }
            )
        elif label == "cases.Case":
            rows.append(
                {
                    "household": o.household,
                    "area": o.area_code,
                    "what": f"#{o.pk}",
                    "detail": " · ".join(  # an open case has no decision date yet: no dangling arrow
                        [
                            *([_("受理 %(d)s") % {"d": o.accepted_on}] if o.accepted_on else []),
                            *([_("决定 %(d)s") % {"d": o.decided_on}] if o.decided_on else []),
                        ]
                    ),
                    "status": o.get_state_display(),
                    "case": o.pk,
                }
            )
        elif label == "cases.Overpayment":
            rows.append(
                {
                    "household": o.enrolment.household,
                    "area": o.enrolment.area_code,
                    "what": o.reason,
                    "detail": f"{o.created_at:%Y-%m-%d}",
                    "amount": o.amount,
                }
            )
        elif label == "payments.Recovery":
            rows.append(
                {
                    "household": o.overpayment.enrolment.household,
                    "area": o.overpayment.enrolment.area_code,
                    "what": o.get_kind_display(),
                    "detail": f"{o.created_at:%Y-%m-%d}",
                    "amount": o.amount,
                }
            )
    names = dict(Area.objects.filter(code__in={r["area"] for r in rows}).values_list("code", "name"))
    for r in rows:
        r["area_name"] = names.get(r["area"], r["area"])
    return rows
