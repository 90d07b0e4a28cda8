"""Reads: the catalogue's figures for a month and an area (value, previous month, change, year to date, target and
completion), and the list behind one figure. Always area-scoped (``catalogue.Context``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.areas.models import Area
from doudi.core.errors import NotFound
from doudi.core.labels import said
from doudi.core.money import add_months

from .catalogue import CATALOGUE, Context, Indicator, ratio
from .freshness import data_changed_since
from .grouped import figures_by_area
from .models import Snapshot, Target, TargetStatus


@dataclass
class Figure:
    indicator: Indicator
    value: Decimal | int | None
    previous: Decimal | int | None
    year_to_date: Decimal | int | None
    target: Decimal | None = None

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def completion(self) -> Decimal | None:
        """The year-to-date figure against the year's target, in per cent (one decimal)."""
        if self.target is None or self.year_to_date is None:
            return None
        return ratio(self.year_to_date, self.target, scale=100)

    @property
    def has_list(self) -> bool:
        return self.indicator.drill is not None

    @property
    def name(self) -> str:
        return said(self.indicator.name_zh, self.indicator.name_en)

    @property
    def unit(self) -> str:
        return said(self.indicator.unit_zh, self.indicator.unit_en)


def context_for(user, area: str | None = None) -> Context:
    """The figures' context: the account's whole area, or one area of its subtree (``area``: a 12-digit code)."""
    if user is None:  # the command line
        if not area:
            return Context(None, "")
        found = Area.objects.filter(code=area).first()
        if found is None:
            raise NotFound("区划不存在", "No such area", field="area")
        return Context(None, found.prefix)
    perm_require(user, Perm.STATS_VIEW)
    if area:
        return Context(user, scope.area_get(user, area).prefix)
    return Context(user)


def figure(ctx: Context, ind: Indicator, month: dt.date, *, targets: dict | None = None) -> Figure:
    value = ind.compute(ctx, month, month)
    previous = ind.compute(ctx, add_months(month, -1), add_months(month, -1))
    ytd = ind.compute(ctx, month.replace(month=1), month) if ind.cumulative else None
    target = (targets or {}).get(ind.code) if ind.target_kind else None
    return Figure(ind, value, previous, ytd, target)


def figures(user, month: dt.date, *, area: str | None = None, codes=None) -> list[Figure]:
    """Every indicator of the catalogue (or those of ``codes``) for the month, in code order, set-based
    (``grouped``: the same figures as each indicator's own ``compute``, in about thirty queries)."""
    ctx = context_for(user, area)
    return figures_of_areas(ctx, [ctx.prefix], month, codes=codes)[ctx.prefix]


def figures_of_areas(ctx: Context, prefixes: list[str], month: dt.date, *, codes=None) -> dict[str, list[Figure]]:
    """Every indicator (or those of ``codes``) for the month in each area of ``prefixes`` (all inside ``ctx``'s
    area), computed together: {prefix: [Figure in code order]}."""
    chosen = sorted(CATALOGUE) if codes is None else [c for c in sorted(CATALOGUE) if c in set(codes)]
    return _as_figures(figures_by_area(ctx, prefixes, month, chosen), targets_of_areas(prefixes, month.year), chosen)


def _as_figures(values: dict, targets: dict, chosen: list[str]) -> dict[str, list[Figure]]:
    """{prefix: {code: (value, previous, year to date)}} as {prefix: [Figure in ``chosen``'s order]}, with each
    area's targets; a stock figure has no year to date."""
    out = {}
    for p, figs in values.items():
        items = []
        for c in chosen:
            ind = CATALOGUE[c]
            value, previous, ytd = figs[c]
            target = targets[p].get(c) if ind.target_kind else None
            items.append(Figure(ind, value, previous, ytd if ind.cumulative else None, target))
        out[p] = items
    return out


def _number(v):
    """A figure as stored in a snapshot (JSON): counts are integers, amounts and rates decimal strings."""
    return Decimal(v) if isinstance(v, str) else v


def snapshot_figures(prefixes: list[str], month: dt.date) -> tuple[dict[str, list[Figure]], dt.datetime] | None:
    """Every indicator of the month in each area of ``prefixes``, from the snapshots the background refresh
    stored: ``({prefix: [Figure in code order]}, when the oldest was computed)``, or None when one of the areas has
    no snapshot holding every indicator, or the data behind the month's figures changed after the oldest was
    computed (``freshness.data_changed_since``: then the figures are computed)."""
    snaps = {s.prefix: s for s in Snapshot.objects.filter(prefix__in=prefixes, month=month)}
    if any(p not in snaps or set(snaps[p].figures) != set(CATALOGUE) for p in prefixes):
        return None
    oldest = min(s.computed_at for s in snaps.values())
    changed = data_changed_since(oldest)
    if changed and changed <= month:
        return None
    values = {
        p: {
            code: (_number(stored["value"]), _number(stored["previous"]), _number(stored["year_to_date"]))
            for code, stored in snaps[p].figures.items()
        }
        for p in prefixes
    }
    return _as_figures(values, targets_of_areas(prefixes, month.year), sorted(CATALOGUE)), oldest


def figures_from_snapshot(user, month: dt.date, *, area: str | None = None):
    """The figures page's figures from the area-month's snapshot, with when they were computed: ``(figures,
    computed_at)``, or None when there is none up to date (then the page computes them)."""
    ctx = context_for(user, area)
    found = snapshot_figures([ctx.prefix], month)
    return (found[0][ctx.prefix], found[1]) if found else None


def targets_of_areas(prefixes: list[str], year: int) -> dict[str, dict[str, Decimal]]:
    """``targets_for`` of many areas in one query: each area's own approved target, else its county's."""
    wanted = {p: [p.ljust(12, "0"), p.ljust(12, "0")[:6] + "000000"] if p[:6] else [] for p in prefixes}
    approved: dict[str, dict[str, Decimal]] = {}
    for area, code, value in Target.objects.filter(
        year=year, status=TargetStatus.APPROVED, area_id__in={a for areas in wanted.values() for a in areas}
    ).values_list("area_id", "code", "value"):
        approved.setdefault(area, {})[code] = value
    out = {}
    for p, areas in wanted.items():
        found: dict[str, Decimal] = {}
        for area in areas:
            for code, value in sorted(approved.get(area, {}).items()):
                found.setdefault(code, value)
        out[p] = found
    return out


def targets_for(ctx: Context, year: int) -> dict[str, Decimal]:
    """The approved targets of the year for the context's area: its own where it has one, else the county's (a
    township is held to the county's target unless the county set it one of its own)."""
    code = ctx.area_code()
    areas = [code, code[:6] + "000000"] if code and code[:6] else []
    found: dict[str, Decimal] = {}
    for area in areas:
        for c, value in (
            Target.objects.filter(year=year, area_id=area, status=TargetStatus.APPROVED)
            .order_by("code")
            .values_list("code", "value")
        ):
            found.setdefault(c, value)
    return found


def targets_visible(user):
    """The targets of the account's area and above (a township sees the county's), newest year first."""
    perm_require(user, Perm.STATS_VIEW)
    return scope.visible(user, "statistics.Target").select_related("area", "created_by", "approved_by")


def targets_to_approve(user) -> list[Target]:
    """Draft targets of the person's area that they may approve (not those they entered): the approver's home."""
    if not user.has_role_perm(Perm.TARGETS_APPROVE):
        return []
    return list(
        scope.visible(user, "statistics.Target", act=True)
        .filter(status=TargetStatus.DRAFT)
        .exclude(created_by=user)
        .select_related("area", "created_by")
        .order_by("year", "code", "id")[:20]
    )


def indicator_get(code: str) -> Indicator:
    ind = CATALOGUE.get(code)
    if ind is None:
        raise NotFound("没有这个指标", "No such indicator", field="code")
    return ind


def drill_list(user, code: str, month: dt.date, *, area: str | None = None, ytd: bool = False) -> QuerySet:
    """The households, people, cases or payments behind one figure (the month's, or the year to date's)."""
    ind = indicator_get(code)
    if ind.drill is None:
        raise NotFound("此指标没有明细清单", "This indicator has no list behind it", field="code")
    ctx = context_for(user, area)
    first = month.replace(month=1) if ytd and ind.cumulative else month
    return ind.drill(ctx, first, month)


def plain(value):
    """A figure for JSON: counts as integers, amounts and rates as exact decimal strings, nothing as null."""
    if value is None or isinstance(value, int):
        return value
    return str(value)


def figures_json(items: list[Figure]) -> dict:
    """The JSON of ``doudi indicators`` and /api/v1/indicators: an object keyed by indicator code."""
    out = {}
    for f in items:
        ind = f.indicator
        row = {
            "name": ind.name_zh,
            "name_en": ind.name_en,
            "unit": ind.unit_zh,
            "value": plain(f.value),
            "previous": plain(f.previous),
            "change": plain(f.change),
        }
        if ind.cumulative:
            row["year_to_date"] = plain(f.year_to_date)
        if f.target is not None:
            row["target"] = plain(f.target)
            row["completion"] = plain(f.completion)
        out[ind.code] = row
    return out
