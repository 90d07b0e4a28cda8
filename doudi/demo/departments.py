"""The departments' files the demo county's verification centre has loaded: one of each kind, as of the end of
last month, with the planted discrepancies (doudi/verification/generator.py) for the report and the queues."""

from __future__ import annotations

import datetime as dt

from doudi.accounts.models import Staff
from doudi.accounts.roles import Role
from doudi.audit.models import AuditEvent
from doudi.cases.models import Case
from doudi.cases.workflow import CaseState
from doudi.verification.events import VerificationEvent
from doudi.verification.generator import Planted, county_rows, file_bytes
from doudi.verification.loads import dataset_load
from doudi.verification.models import DatasetLoad
from doudi.verification.monitoring import monitoring_sync
from doudi.verification.report import report_build
from doudi.verification.schemas import KINDS


def departments_load(*, prefix: str, today: dt.date, seed: int) -> tuple[int, int, Planted | None]:
    """Load each kind once (a rerun loads nothing); returns (records, matched, planted)."""
    if DatasetLoad.objects.filter(area_prefix=prefix).exists():
        return 0, 0, None
    as_of = today.replace(day=1) - dt.timedelta(days=1)
    centre = Staff.objects.filter(username="reviewer").first()
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
