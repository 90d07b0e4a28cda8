"""The dashboards' figures: for an area and a year, each month's recipients, spending and cumulative per-capita
subsidy against target, and the townships compared, read from precomputed snapshots (``Snapshot``) that a
background job refreshes (``tasks``); what is missing or older than the payrolls is queued for refresh.

The snapshots of an area, its townships and a year's months are computed together (``snapshots_compute``): two
grouped queries over the year's payroll lines (the roll and the money paid, by month, programme, township and
urban/rural), summed up to each area in Python — a few thousand groups, never a row per line. They equal the
catalogue's figures, indicator by indicator (a test compares every area-month of the hand-built county)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Greatest, Substr
from django.utils import timezone

from doudi.areas.models import Area
from doudi.cases.models import SupportMode
from doudi.core.money import add_months
from doudi.payments.models import PayrollKind
from doudi.payments.reports import Fen, JSONArrayLength

from .catalogue import CATALOGUE, LINE_MODE, OTHER_PROGRAMMES, Context, fen_to_yuan, ratio
from .freshness import payments_changed_since
from .models import Snapshot
from .selectors import targets_for

# the indicators a dashboard draws
TREND = ["DB0102000000", "TK0102000000", "DB0301000000", "TK0301000000"]
PER_CAPITA = ["DB0302100000", "DB0302200000"]
COMPARE = ["DB0101000000", "DB0102000000", "DB0301000000", "TK0102000000", "TK0105000000"]
# every programme's money paid, month by month: (programme, its money indicator, short name, English)
SPENDING = [
    ("dibao", "DB0301000000", "低保", "Minimum living allowance"),
    ("tekun", "TK0301000000", "特困供养", "Extreme poverty support"),
    ("temporary", "LS0301000000", "临时救助", "Temporary"),
    ("medical", "YL0301000000", "医疗救助", "Medical"),
    ("elderly", "GL0301000000", "高龄津贴", "Old-age allowance"),
    ("children", "ET0301000000", "儿童保障", "Children"),
    ("disability", "CJ0301000000", "残疾人两项补贴", "Disability subsidies"),
    ("funeral", "BZ0301000000", "殡葬费用减免", "Funeral"),
    ("veterans", "YF0301000000", "优抚", "Veterans"),
]
assert {code for _p, code, *_ in SPENDING} == {"DB0301000000", "TK0301000000"} | {
    f"{letters}0301000000" for _p, letters, *_ in OTHER_PROGRAMMES
}, "every programme's money is on the dashboard"
CODES = sorted(set(TREND + PER_CAPITA + COMPARE) | {code for _p, code, *_ in SPENDING})


def _plain(v):
    return v if v is None or isinstance(v, int) else str(v)


def snapshot_data(prefix: str, month: dt.date) -> dict:
    """One area-month's figures through the catalogue, indicator by indicator (the whole database's view, as the
    command line reads it): what ``snapshots_compute`` must equal, and what it falls back to below a township."""
    ctx = Context(None, prefix)
    data = {}
    for code in CODES:
        ind = CATALOGUE[code]
        value = ind.compute(ctx, month, month)
        ytd = ind.compute(ctx, month.replace(month=1), month) if ind.cumulative else None
        data[code] = {"value": _plain(value), "year_to_date": _plain(ytd)}
    return data


TOWNSHIP_DIGITS = 9  # an area code's first 9 digits name its township


def _grouped(months: list[dt.date]):
    """The two grouped queries over the months' payroll lines (all in one year), keyed by township prefix."""
    ctx = Context(None, "")
    first, last = months[0], months[-1]
    township = Substr("area_code", 1, TOWNSHIP_DIGITS)
    roll = (
        ctx.lines(first, last)
        .filter(payroll__kind=PayrollKind.REGULAR)
        .annotate(t=township)
        .values("payroll__month", "payroll__programme_id", "t", LINE_MODE)
        .annotate(households=Count("household_id", distinct=True), people=Sum("members"))
        .order_by()
    )
    paid = (
        ctx.paid(first, last)
        .annotate(t=township)
        .values("payroll__month", "payroll__programme_id", "t", "hukou_type")
        .annotate(
            fen=Sum(Fen("amount")), person_months=Sum(F("members") * Greatest(JSONArrayLength("months"), Value(1)))
        )
        .order_by()
    )
    return list(roll), list(paid)


def snapshots_compute(prefixes: list[str], months: list[dt.date]) -> dict[tuple[str, dt.date], dict]:
    """The dashboard's figures of every area of ``prefixes`` (the county or a township, or "" for everything) for
    every month of ``months`` (one year's, in order), from two grouped queries. A household is counted once per
    township and month (its lines of one programme's month carry one area); an area below a township is computed
    through the catalogue."""
    if not months:
        return {}
    roll, paid = _grouped(months)
    out = {}
    for prefix in prefixes:
        if len(prefix) > TOWNSHIP_DIGITS:
            out.update({(prefix, m): snapshot_data(prefix, m) for m in months})
            continue
        # per month: (programme, key) → sum, over the area's townships
        r = defaultdict(lambda: defaultdict(int))
        for row in roll:
            if not row["t"].startswith(prefix):
                continue
            agg = r[row["payroll__month"]]
            prog, mode = row["payroll__programme_id"], row[LINE_MODE]
            agg[(prog, "households")] += row["households"]
            agg[(prog, "people")] += row["people"] or 0
            agg[(prog, "rows")] += 1
            if mode == SupportMode.CENTRALISED:
                agg[(prog, "centralised")] += row["people"] or 0
        p = defaultdict(lambda: defaultdict(int))
        for row in paid:
            if row["t"].startswith(prefix):
                agg = p[row["payroll__month"]]
                key = (row["payroll__programme_id"], row["hukou_type"])
                agg[key + ("fen",)] += int(row["fen"] or 0)
                agg[key + ("pm",)] += int(row["person_months"] or 0)
                agg[key + ("rows",)] += 1
        ytd = defaultdict(int)
        for m in months:
            month_paid = p.get(m, {})
            for k, v in month_paid.items():
                ytd[k] += v
            out[(prefix, m)] = _snapshot_figures(r.get(m, {}), month_paid, ytd)
    return out


def _snapshot_figures(roll: dict, paid: dict, ytd: dict) -> dict:
    def money(sums, programme):
        return fen_to_yuan(sum(v for k, v in sums.items() if k[0] == programme and k[2] == "fen"))

    def per_capita(sums, hukou):
        if not sums.get(("dibao", hukou, "rows")):
            return None  # nothing paid: no figure, as the catalogue
        return ratio(fen_to_yuan(sums[("dibao", hukou, "fen")]), sums[("dibao", hukou, "pm")])

    tekun = roll.get(("tekun", "people"), 0)
    values = {
        "DB0101000000": (roll.get(("dibao", "households"), 0), None),
        "DB0102000000": (roll.get(("dibao", "people"), 0), None),
        "TK0102000000": (tekun, None),
        "TK0105000000": (
            ratio(roll.get(("tekun", "centralised"), 0), tekun, scale=100) if roll.get(("tekun", "rows")) else None,
            None,
        ),
        **{code: (money(paid, programme), money(ytd, programme)) for programme, code, *_ in SPENDING},
        "DB0302100000": (per_capita(paid, "urban"), per_capita(ytd, "urban")),
        "DB0302200000": (per_capita(paid, "rural"), per_capita(ytd, "rural")),
    }
    assert set(values) == set(CODES), "every dashboard indicator is computed set-based"
    return {code: {"value": _plain(v), "year_to_date": _plain(y)} for code, (v, y) in values.items()}


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
    """Whether a snapshot of the area is missing for one of ``months``, or the money of one of them changed after
    the oldest was computed (``payments_changed_since``)."""
    areas = areas_of(prefix)
    snaps = Snapshot.objects.filter(prefix__in=areas, month__in=months)
    if snaps.count() < len(months) * len(areas):
        return True
    oldest = snaps.order_by("computed_at").values_list("computed_at", flat=True).first()
    changed = payments_changed_since(oldest) if oldest else None
    return bool(changed and months and changed <= max(months))


def dashboard_data(user, prefix: str, year: int, *, today: dt.date | None = None) -> dict:
    """What the page draws, from the snapshots (None where a month is not computed yet)."""
    today = today or timezone.localdate()
    months = months_of(year, today)
    areas = areas_of(prefix)
    # the dashboard's own figures only: each snapshot also holds every indicator, for the figures page
    snaps = {
        (s.prefix, s.month): s for s in Snapshot.objects.filter(prefix__in=areas, month__in=months).defer("figures")
    }
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
    spending = []  # each month: every programme's money paid (in SPENDING's order) and their total
    for m in months:
        values = [val(prefix, m, code) for _p, code, *_ in SPENDING]
        known = [Decimal(v) for v in values if v is not None]
        spending.append({"month": f"{m:%Y-%m}", "values": values, "total": str(sum(known)) if known else None})
    # the last month with money paid is the one the townships are compared in
    shown = last_paid or (months[-1] if months else None)
    found = {
        p: (name, shape)
        for p, name, shape in Area.objects.filter(prefix__in=areas).values_list("prefix", "name", "shape")
    }
    names = {p: name for p, (name, _shape) in found.items()}
    townships = [
        {"prefix": p, "code": p.ljust(12, "0"), "name": names.get(p, p), **{c: val(p, shown, c) for c in COMPARE}}
        for p in areas[1:]
    ]
    # the map: the townships that have a boundary (areas/shapes.py), named by code for ECharts
    features = [
        {"type": "Feature", "properties": {"name": t["code"], "label": t["name"]}, "geometry": found[t["prefix"]][1]}
        for t in townships
        if found.get(t["prefix"], (None, None))[1]
    ]
    computed = [s.computed_at for s in snaps.values()]
    return {
        "year": year,
        "months": [f"{m:%Y-%m}" for m in months],
        "trend": trend,
        "per_capita": per_capita,
        "spending": spending,
        "spending_codes": [code for _p, code, *_ in SPENDING],
        "spending_names": [zh for _p, _code, zh, _en in SPENDING],
        "spending_names_en": [en for _p, _code, _zh, en in SPENDING],
        "targets": {c: _plain(targets.get(c)) for c in PER_CAPITA},
        "compare_month": f"{shown:%Y-%m}" if shown else None,
        "townships": townships,
        "map": {"type": "FeatureCollection", "features": features} if features else None,
        "map_codes": COMPARE,
        "computed_at": min(computed) if computed else None,
        "complete": len(snaps) >= len(months) * len(areas),
        "names": {c: CATALOGUE[c].name_zh for c in CODES},
        "names_en": {c: CATALOGUE[c].name_en for c in CODES},
    }
