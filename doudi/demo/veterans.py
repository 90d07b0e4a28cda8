"""The demo county's veterans' periodic payments (domain.md §5e): 45 entitled people across the townships in
plausible categories (disabled servicemen of every grade, families of martyrs and of servicemen who died on duty or
of illness, demobilised veterans, veterans returned home with illness, participants in wars and nuclear tests, two
former Kuomintang war veterans), each entered by the township's caseworker and approved by the county last month;
last month's veterans' payroll paid and reconciled; one man in prison since this month (suspended); one woman who
died this month (paid to the month of death); and this winter's Spring Festival visit grant and the year's former
Kuomintang war veterans' grant, paid by this month's payroll."""

from __future__ import annotations

import datetime as dt
import random

from doudi.accounts.models import Staff
from doudi.benefits.life import person_death_record
from doudi.benefits.models import VeteranEntitlement
from doudi.benefits.veterans import veteran_decide, veteran_enter, veteran_suspend, veterans_grants_run
from doudi.core.errors import ApplicationError
from doudi.core.money import add_months, month_start
from doudi.payments.actions import anomaly_handle, bank_return_import, payroll_approve, payroll_check, payroll_export
from doudi.payments.generation import payroll_generate
from doudi.payments.models import AnomalyStatus, PayrollLine, PayrollState
from doudi.registry.models import Membership

# (category, grade, how many); grades weighted as real rosters are, most in the light grades
PLAN = [
    *[("disabled", g, 1) for g in (1, 2, 3, 4, 5)],
    *[("disabled", g, 2) for g in (6, 7, 8, 9)],
    ("disabled", 10, 1),
    ("martyr_family", None, 4),
    ("duty_death_family", None, 3),
    ("illness_death_family", None, 4),
    ("demobilised", None, 6),
    ("ill_returned", None, 5),
    ("war_participant", None, 5),
    ("nuclear_participant", None, 2),
]
FAMILIES = ("martyr_family", "duty_death_family", "illness_death_family")


def _paid_last_month(finance: Staff, finance2: Staff, month: dt.date):
    """Last month's veterans' payroll as every earlier month's is: generated and checked by ``finance``, approved
    and exported by ``finance2``, and the bank's return (every line paid) imported, which reconciles it."""
    p = payroll_generate(actor=finance, programme="veterans", month=month)
    if p.state != PayrollState.DRAFT:
        return p  # run before
    for anomaly in p.anomalies.filter(status=AnomalyStatus.OPEN).order_by("pk"):
        anomaly_handle(actor=finance, anomaly=anomaly, accept=True, reason="经核实，情况属实")
    p = payroll_check(actor=finance, payroll=p)
    p = payroll_approve(actor=finance2, payroll=p)
    payroll_export(actor=finance2, payroll=p, fmt="csv")
    rows = "".join(
        f"{pk},成功,\r\n" for pk in PayrollLine.objects.filter(payroll=p).order_by("pk").values_list("pk", flat=True)
    )
    bank_return_import(
        actor=finance2,
        payroll=p,
        filename=f"回盘-veterans-{month:%Y%m}.csv",
        content=("流水号,状态,原因\r\n" + rows).encode("utf-8"),
    )
    return p


def veterans_demo(*, today: dt.date, seed: int) -> dict[str, int]:
    """Enter, approve and pay the demo's veterans; returns the counts made. Run again, it adds nobody twice."""
    rng = random.Random(seed * 104729 + 58)
    approver = Staff.objects.get(username="approver")
    finance = Staff.objects.get(username="finance")
    month, last_month = month_start(today), add_months(month_start(today), -1)
    caseworkers = {s.scope_prefix: s for s in Staff.objects.filter(role="township_caseworker", is_active=True)}
    taken = set(VeteranEntitlement.objects.values_list("person_id", flat=True))
    by_township: dict[str, list] = {}
    candidates = (
        Membership.objects.filter(
            end_date__isnull=True,
            household__area__code__startswith="511425",
            person__deceased=False,
            person__birth_date__lte=dt.date(today.year - 55, 1, 1),
        )
        .select_related("person", "household")
        .order_by("pk")
    )
    for m in candidates:
        township = m.household.area_id[:9]
        if (
            township in caseworkers
            and m.person_id not in taken
            and m.household_id not in {x.household_id for x in by_township.get(township, [])}
        ):
            by_township.setdefault(township, []).append(m)
    townships = sorted(by_township)
    made = {"entered": 0, "approved": 0}
    if not townships:
        return made

    def pick(women: bool, oldest: bool = False):
        for _ in range(len(townships)):
            township = townships[rng.randrange(len(townships))]
            pool = [m for m in by_township[township] if (m.person.sex == "F") == women]
            if oldest:
                pool.sort(key=lambda m: m.person.birth_date)
                pool = pool[:3]
            if pool:
                m = pool[0] if oldest else rng.choice(pool)
                by_township[township].remove(m)
                return m
        return None

    wanted = [(cat, grade) for cat, grade, n in PLAN for _ in range(n)]
    people = [(pick(women=cat in FAMILIES), cat, grade) for cat, grade in wanted]
    people += [(pick(women=False, oldest=True), "kmt_veteran", None) for _ in range(2)]
    decided = last_month + dt.timedelta(days=rng.randrange(3, 20))
    for m, category, grade in people:
        if m is None:
            continue
        try:
            v = veteran_enter(
                actor=caseworkers[m.household.area_id[:9]],
                person=m.person,
                category=category,
                grade=grade,
                start_month=last_month,
                certificate_no=f"{'残' if category == 'disabled' else '优'}5114{rng.randrange(10**7, 10**8)}",
            )
            made["entered"] += 1
            veteran_decide(actor=approver, entitlement=v, approve=True, on=decided)
            made["approved"] += 1
        except ApplicationError:
            continue
    _paid_last_month(finance, Staff.objects.get(username="finance2"), last_month)  # paid from the month approved
    active = VeteranEntitlement.objects.filter(enrolment__status="active").select_related("person", "enrolment")
    # a demobilised man in prison since a few days ago: nothing from this month until the month after release
    inside = active.filter(category="demobilised").order_by("pk").first()
    if inside is not None:
        veteran_suspend(
            actor=approver,
            entitlement=inside,
            started_on=max(month, today - dt.timedelta(days=6)),
            note="判处有期徒刑二年（演示）",
        )
        made["suspended"] = 1
    # a martyr's widow in 汉阳镇 died this month: paid to the month of death, stopped from the next
    caseworker = Staff.objects.get(username="caseworker")
    widow = (
        active.filter(category="martyr_family", area_code__startswith=caseworker.scope_prefix).order_by("pk").first()
    )
    widow = widow or active.filter(category="martyr_family").order_by("pk").first()
    if widow is not None:
        reporter = caseworkers.get(widow.area_code[:9], caseworker)
        person_death_record(
            actor=reporter,
            person=widow.person,
            died_on=max(month, today - dt.timedelta(days=2)),
            details="村委会报告，病故",
        )
        made["died"] = 1
    # the Spring Festival visit (paid in December for the coming festival) and the year's grant to the former
    # Kuomintang war veterans, both by this month's payroll
    festival_year = today.year + 1 if today.month == 12 else today.year
    made["spring_festival"] = veterans_grants_run(
        actor=approver, kind="spring_festival", year=festival_year, month=month
    ).added
    made["kmt_veteran"] = veterans_grants_run(actor=approver, kind="kmt_veteran", year=today.year, month=month).added
    return made
