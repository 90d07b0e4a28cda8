"""The dashboards' figures: for an area and a year, each month's recipients, spending and cumulative per-capita
subsidy against target, and the townships compared, read from precomputed snapshots (``Snapshot``) that a
background job refreshes (``tasks``); what is missing or older than the payrolls is queued for refresh."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from doudi.areas.models import Area
from doudi.core.money import add_months
from doudi.payments.models import Payroll

from .catalogue import CATALOGUE, Context
from .models import Snapshot
from .selectors import targets_for

# the indicators a dashboard draws
TREND = ["DB0102000000", "TK0102000000", "DB0301000000", "TK0301000000"]
PER_CAPITA = ["DB0302100000", "DB0302200000"]
COMPARE = ["DB0101000000", "DB0102000000", "DB0301000000", "TK0102000000", "TK0105000000"]
CODES = sorted(set(TREND + PER_CAPITA + COMPARE))


def _plain(v):
    return v if v is None or isinstance(v, int) else str(v)


def snapshot_compute(prefix: str, month: dt.date) -> Snapshot:
    """Compute and store one area-month (the whole database's view, as the command line reads it)."""
    ctx = Context(None, prefix)
    data = {}
    for code in CODES:
        ind = CATALOGUE[code]
        value = ind.compute(ctx, month, month)
        ytd = ind.compute(ctx, month.replace(month=1), month) if ind.cumulative else None
        data[code] = {"value": _plain(value), "year_to_date": _plain(ytd)}
    with transaction.atomic():
        snap, _ = Snapshot.objects.update_or_create(
            prefix=prefix, month=month, defaults={"data": data, "computed_at": timezone.now()}
        )
    return snap


def areas_of(prefix: str) -> list[str]:
    """The area and its townships (the prefixes a dashboard of ``prefix`` needs)."""
    out = [prefix]
    if len(prefix) < 9:
        out += list(
            Area.objects.filter(level="township", code__startswith=prefix)
            .order_by("code")
            .values_list("prefix", flat=True)
        )
    return out


def months_of(year: int, today: dt.date) -> list[dt.date]:
    last = min(dt.date(year, 12, 1), today.replace(day=1))
    m, out = dt.date(year, 1, 1), []
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


def stale(prefix: str, months: list[dt.date]) -> bool:
    """Whether a snapshot of the area is missing for one of ``months``, or older than the last payroll approved."""
    snaps = Snapshot.objects.filter(prefix__in=areas_of(prefix), month__in=months)
    if snaps.count() < len(months) * len(areas_of(prefix)):
        return True
    oldest = snaps.order_by("computed_at").values_list("computed_at", flat=True).first()
    latest = Payroll.objects.aggregate(t=Max("approved_at"))["t"]
    return bool(latest and oldest and latest > oldest)


def dashboard_data(user, prefix: str, year: int, *, today: dt.date | None = None) -> dict:
    """What the page draws, from the snapshots (None where a month is not computed yet)."""
    today = today or timezone.localdate()
    months = months_of(year, today)
    snaps = {(s.prefix, s.month): s for s in Snapshot.objects.filter(prefix__in=areas_of(prefix), month__in=months)}
    ctx = Context(user, prefix)
    targets = targets_for(ctx, year)

    def paid(m):
        return any(val(prefix, m, c) not in (None, "0.00") for c in ("DB0301000000", "TK0301000000"))

    def val(p, m, code, key="value"):
        s = snaps.get((p, m))
        return s.data.get(code, {}).get(key) if s else None

    # the months after the last one paid (this month, before its payroll is approved) are not drawn as a fall to 0
    last_paid = next((m for m in reversed(months) if paid(m)), None)
    months = [m for m in months if last_paid and m <= last_paid] or months

    trend = [{"month": f"{m:%Y-%m}", **{c: val(prefix, m, c) for c in TREND}} for m in months]
    per_capita = [{"month": f"{m:%Y-%m}", **{c: val(prefix, m, c, "year_to_date") for c in PER_CAPITA}} for m in months]
    # the last month with money paid is the one the townships are compared in
    shown = last_paid or (months[-1] if months else None)
    names = dict(Area.objects.filter(prefix__in=areas_of(prefix)).values_list("prefix", "name"))
    townships = [
        {"prefix": p, "code": p.ljust(12, "0"), "name": names.get(p, p), **{c: val(p, shown, c) for c in COMPARE}}
        for p in areas_of(prefix)[1:]
    ]
    computed = [s.computed_at for s in snaps.values()]
    return {
        "year": year,
        "months": [f"{m:%Y-%m}" for m in months],
        "trend": trend,
        "per_capita": per_capita,
        "targets": {c: _plain(targets.get(c)) for c in PER_CAPITA},
        "compare_month": f"{shown:%Y-%m}" if shown else None,
        "townships": townships,
        "computed_at": min(computed) if computed else None,
        "complete": len(snaps) >= len(months) * len(areas_of(prefix)),
        "names": {c: CATALOGUE[c].name_zh for c in CODES},
        "names_en": {c: CATALOGUE[c].name_en for c in CODES},
    }
