"""The departments' files the demo county's verification centre has loaded: one of each kind, as of the end of
last month, with the planted discrepancies (doudi/verification/generator.py) for the report and the queues."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stdnum import luhn

from doudi.accounts.models import Staff
from doudi.accounts.roles import Role
from doudi.areas.models import Area
from doudi.audit.models import AuditEvent
from doudi.cases.models import Case
from doudi.cases.workflow import CaseState
from doudi.core.idnumber import id_make
from doudi.registry.actions import household_register, record_add
from doudi.verification.discovery import FamilyFigures
from doudi.verification.events import VerificationEvent
from doudi.verification.generator import Planted, county_rows, file_bytes
from doudi.verification.loads import dataset_load
from doudi.verification.models import DatasetLoad, MonitoringEntry, Tier
from doudi.verification.monitoring import HouseholdFacts, monitoring_enter, monitoring_sync
from doudi.verification.report import report_build
from doudi.verification.schemas import KINDS


def departments_load(*, prefix: str, today: dt.date, seed: int) -> tuple[int, int, Planted | None]:
    """Load each kind once (a rerun loads nothing); returns (records, matched, planted)."""
    if DatasetLoad.objects.filter(area_prefix=prefix).exists():
        return 0, 0, None
    as_of = today.replace(day=1) - dt.timedelta(days=1)
    centre = Staff.objects.filter(username="reviewer").first()
    # the register as the townships keep it before the files come: the dibao and tekun tiers from the enrolments,
    # and the edge families their caseworkers entered (the wage file then reports one of them working)
    monitoring_sync(actor=None, on=today, area_prefix=prefix)
    edge_families_enter(prefix=prefix, today=today)
    tables, planted = county_rows(prefix=prefix, as_of=as_of, seed=seed)
    records = matched = 0
    for code, (header, rows) in tables.items():
        load = dataset_load(
            actor=centre,
            kind=code,
            as_of=as_of,
            filename=f"{KINDS[code].department}-{code}-{as_of:%Y%m%d}.csv",
            content=file_bytes(header, rows, "csv"),
            area_prefix=prefix,
        )
        records, matched = records + load.rows, matched + load.matched
    # the low-income register's dibao and tekun tiers, from the enrolments
    monitoring_sync(actor=None, on=today, area_prefix=prefix)
    return records, matched, planted


# the edge families the townships keep on the register: (township of the demo caseworker or not, village, members
# as (name, birth, ID sequence, relation), the registered income's kind and member (index), its note)
EDGE_FAMILIES = (
    (
        True,
        "201",
        (
            ("何建国", dt.date(1976, 4, 8), 901, "head"),
            ("何丽", dt.date(1979, 9, 2), 902, "spouse"),
            ("何小军", dt.date(2011, 5, 16), 903, "child"),
        ),
        "wage",
        0,
        "打零工，收入不稳定",
    ),
    (
        True,
        "202",
        (("曾秀兰", dt.date(1957, 11, 3), 904, "head"), ("曾志强", dt.date(1986, 2, 20), 905, "child")),
        "pension",
        0,
        "城乡居民基本养老保险",
    ),
    (
        False,
        "201",
        (("彭德明", dt.date(1969, 7, 30), 907, "head"), ("彭芳", dt.date(1971, 1, 12), 908, "spouse")),
        "business",
        None,
        "种植柑橘，年景差",
    ),
)


def edge_families_enter(*, prefix: str, today: dt.date) -> int:
    """Three low-income families each registered by its township's caseworker (two in the demo caseworker's
    township, one in the next) with an income that puts them above the dibao standard and under the edge line
    (midway, rounded to ten yuan a head), then entered on the register's edge tier 75 days before this month;
    returns how many (a rerun enters none)."""
    if MonitoringEntry.objects.filter(area_code__startswith=prefix, tier=Tier.EDGE).exists():
        return 0
    caseworkers = list(Staff.objects.filter(role=Role.TOWNSHIP_CASEWORKER, is_active=True).order_by("username"))
    demo = next(c for c in caseworkers if c.username == "caseworker")
    other = next(c for c in caseworkers if c.scope_prefix != demo.scope_prefix and c.scope_prefix.startswith(prefix))
    on = today.replace(day=1) - dt.timedelta(days=75)
    entered = 0
    for i, (ours, village, members, kind, earner, note) in enumerate(EDGE_FAMILIES):
        caseworker = demo if ours else other
        body = f"62170000{770 + i:010d}"
        area = Area.objects.get(code=caseworker.scope_prefix[:9] + village)
        household = household_register(
            actor=caseworker,
            area_code=area.code,
            data={
                "address": f"{area.name}{3 + i}组{12 + 5 * i}号",
                "hukou_type": "rural",
                "phone": f"1390000{7700 + i}",
                "bank_account": body + luhn.calc_check_digit(body),
            },
            members=[
                {"name": name, "id_number": id_make(prefix[:6], birth, seq), "relation": relation}
                for name, birth, seq, relation in members
            ],
            joined=on - dt.timedelta(days=400),
        )
        standard, edge = FamilyFigures(household, on, {}).standard_edge
        head_count = len(members)
        per_head = ((standard + edge) / 2 / 10).quantize(Decimal("1")) * 10
        person = None
        if earner is not None:
            person = household.memberships.get(person__name=members[earner][0]).person_id
        record_add(
            actor=caseworker,
            household=household,
            kind="incomes",
            data={"kind": kind, "monthly": str(per_head * head_count), "person": person, "note": note},
        )
        facts = HouseholdFacts(household, on, {})
        monitoring_enter(
            actor=caseworker,
            household_id=household.pk,
            tier=Tier.EDGE,
            reason=f"入户排查：家庭人均月收入 {facts.per_capita} 元，高于低保标准 {standard} 元、低于低保边缘线 {edge} 元",
            on=on,
        )
        entered += 1
    return entered


# the cases whose household's economic status has been or is being checked, and are still open
CHECKED = (CaseState.VERIFYING, CaseState.VERIFIED, CaseState.TOWNSHIP_REVIEWED, CaseState.NOTICING)


def reports_build() -> int:
    """Each township's caseworker builds the verification report of the open cases past the check, from the files
    just loaded, so the case pages show what each department found beside what was declared; returns the
    findings made (a rerun makes none: a report adds only what is new)."""
    if AuditEvent.objects.filter(action=VerificationEvent.REPORT_BUILD).exists():
        return 0  # built once
    made = 0
    for caseworker in Staff.objects.filter(role=Role.TOWNSHIP_CASEWORKER, is_active=True).order_by("username"):
        cases = Case.objects.filter(state__in=CHECKED, area_code__startswith=caseworker.scope_prefix).order_by("pk")
        for case in cases:
            made += len(report_build(actor=caseworker, case=case))
    return made
