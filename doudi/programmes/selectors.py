"""Which parameters are in force for a programme, on a date, in an area; a run's list of households."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.signals import post_delete, post_save

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.core.errors import ApplicationError
from doudi.core.money import MONEY_MAX, ZERO, money_parse
from doudi.registry.models import Household

from .models import ChangeKind, EvaluationChange, EvaluationRun, ParameterVersion, VersionStatus
from .params import params_diff, params_parse


@dataclass
class ParamsInForce:
    values: dict
    version_ids: tuple[int, ...]  # the county default, then the township override if any
    county_code: str
    in_county: bool


def _county_of(area: str | None) -> str | None:
    return area[:6] + "000000" if area else None


# Batch work (the demo's two years, a payroll, the daily job, a batch re-evaluation or a draft's simulation) asks
# for the parameters in force thousands of times. Inside ``params_memo()`` each programme's versions are read once
# and each chain parsed once, keyed by the draft's pk when a draft is simulated (the draft counts as approved for
# that key only); saving or deleting a version empties every open memo of this thread (the signal below). Outside
# it, each call reads the table: a page or an API call always sees what another process approved a moment ago.
_memo: ContextVar[dict | None] = ContextVar("doudi_params_memo", default=None)


@contextmanager
def params_memo():
    """Reuse the parameter versions read inside this block (nested blocks share the outer memo)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def params_memo_clear(**_) -> None:
    memo = _memo.get()
    if memo is not None:
        memo.clear()


post_save.connect(params_memo_clear, sender=ParameterVersion, dispatch_uid="doudi_params_memo_save")
post_delete.connect(params_memo_clear, sender=ParameterVersion, dispatch_uid="doudi_params_memo_delete")


@dataclass(frozen=True)
class _Version:
    pk: int
    area_id: str
    county: bool  # a county default (else a township override)
    effective_from: dt.date
    values: dict


def _candidates(programme: str, on: dt.date, draft: ParameterVersion | None) -> list[_Version]:
    """The approved versions (and ``draft``) of ``programme`` in force on or before ``on``, latest first."""
    memo = _memo.get()
    key = ("versions", programme, draft.pk if draft is not None else None)
    rows = memo.get(key) if memo is not None else None
    if rows is None:
        approved = Q(status=VersionStatus.APPROVED)
        if draft is not None:
            approved |= Q(pk=draft.pk)
        qs = ParameterVersion.objects.filter(approved, programme_id=programme)
        if memo is None:
            qs = qs.filter(effective_from__lte=on)
        rows = [
            _Version(pk, area_id, level == "county", effective_from, values)
            for pk, area_id, level, effective_from, values in qs.order_by("-effective_from", "-pk").values_list(
                "pk", "area_id", "area__level", "effective_from", "values"
            )
        ]
        if memo is not None:
            memo[key] = rows
    return [v for v in rows if v.effective_from <= on]


def params_in_force(
    programme: str, on: dt.date, area: str | None = None, draft: ParameterVersion | None = None
) -> ParamsInForce:
    """The county default version in force on ``on`` (latest approved ``effective_from`` ≤ ``on``), overlaid by
    the township's override in force, if any. ``draft`` is treated as approved (what-if simulation)."""
    versions = _candidates(programme, on, draft)
    counties = sorted({v.area_id for v in versions if v.county})
    county = _county_of(area)
    in_county = True
    if county not in counties:
        if area and len(counties) == 1:
            county, in_county = counties[0], False
        elif not area and len(counties) == 1:
            county = counties[0]
        elif not counties:
            raise ApplicationError(
                f"{on:%Y-%m-%d} 没有生效的 {programme} 参数版本",
                f"No {programme} parameter version in force on {on:%Y-%m-%d}",
                field="on",
                code="no_parameters",
            )
        else:
            raise ApplicationError(
                "有多个县的参数，请填写区划代码",
                "Several counties have parameters: give the area",
                field="area",
                code="area_required",
            )
    chain = [next(v for v in versions if v.area_id == county)]
    if area and in_county and len(area) >= 9 and area[6:9] != "000":
        township = area[:9] + "000"
        override = next((v for v in versions if v.area_id == township), None)
        if override is not None:
            chain.append(override)
    memo = _memo.get()
    key = ("chain", programme, tuple(v.pk for v in chain))  # a draft in the chain is named by its pk
    parsed = memo.get(key) if memo is not None else None
    if parsed is None:
        values: dict = {}
        for v in chain:
            values.update(v.values)
        parsed = params_parse(programme, values)
        if memo is not None:
            memo[key] = parsed
    return ParamsInForce(parsed, tuple(v.pk for v in chain), county, in_county)


def versions_to_approve(user) -> list[ParameterVersion]:
    """Draft parameter versions of the person's area that they may approve (not those they drafted)."""
    if not user.has_role_perm(Perm.PARAMETERS_APPROVE):
        return []
    return list(
        scope.visible(user, "programmes.ParameterVersion", act=True)
        .filter(status=VersionStatus.DRAFT)
        .exclude(created_by=user)
        .select_related("programme", "area", "created_by")
        .order_by("effective_from", "id")[:20]
    )


def values_in_force(programme: str, on: dt.date, area: str, draft=None) -> dict | None:
    """The values in force (parsed), or None when no version is in force then."""
    try:
        return params_in_force(programme, on, area, draft=draft).values
    except ApplicationError:
        return None


def version_changes(v: ParameterVersion, *, en: bool = False) -> list:
    """The version against what is in force in its area: for a draft (or withdrawn one), the approved values on
    its effective date; for an approved one, the values in force the day before it took effect."""
    if v.status == VersionStatus.APPROVED:
        old = values_in_force(v.programme_id, v.effective_from - dt.timedelta(days=1), v.area_id)
        new = values_in_force(v.programme_id, v.effective_from, v.area_id)
    else:
        old = values_in_force(v.programme_id, v.effective_from, v.area_id)
        new = values_in_force(v.programme_id, v.effective_from, v.area_id, draft=v)
    if new is None:
        new = params_parse(v.programme_id, v.values, partial=True)
    return params_diff(v.programme_id, old, new, en=en)


# ---- a run's list of households ----------------------------------------------------------------------------------
ORDERS = ("-difference", "difference", "area")
PAGE_SIZE = 50


@dataclass
class ChangeFilter:
    """What a person asked to see of a run's households. Amounts are Decimal yuan (None: no limit)."""

    prefix: str = ""  # the area asked for (a township's or village's significant digits), inside the account's
    kind: str = ""
    amount_min: Decimal | None = None  # the amount under the run's parameters
    amount_max: Decimal | None = None
    diff_min: Decimal | None = None  # the difference (run minus base)
    diff_max: Decimal | None = None
    order: str = "-difference"


def _bad(field: str, zh: str, en: str) -> ApplicationError:
    return ApplicationError(zh, en, field=field, code="invalid_filter")


def change_filter_parse(data, *, area_get) -> ChangeFilter:
    """Filters from a query string or API call (``area_get(code)`` finds an area inside the account's subtree or
    answers as missing). A bad value is refused naming the filter."""
    f = ChangeFilter()
    area = (data.get("area") or "").strip()
    if area:
        f.prefix = area_get(area).prefix
    kind = data.get("kind") or ""
    if kind and kind not in ChangeKind.values:
        raise _bad("kind", "变化类型：不是可选的值", "Change: not one of the choices")
    f.kind = kind
    labels = {
        "amount_min": ("测算金额下限", "Amount from"),
        "amount_max": ("测算金额上限", "Amount to"),
        "diff_min": ("差额下限", "Difference from"),
        "diff_max": ("差额上限", "Difference to"),
    }
    for name, (zh, en) in labels.items():
        raw = (data.get(name) or "").strip()
        if raw:
            low = -MONEY_MAX if name.startswith("diff") else ZERO
            setattr(f, name, money_parse(raw, field=name, zh_label=f"{zh}：", en_label=f"{en}:", minimum=low))
    if f.amount_min is not None and f.amount_max is not None and f.amount_min > f.amount_max:
        raise _bad("amount_max", "测算金额上限：不能小于下限", "Amount to: must not be below the amount from")
    if f.diff_min is not None and f.diff_max is not None and f.diff_min > f.diff_max:
        raise _bad("diff_max", "差额上限：不能小于下限", "Difference to: must not be below the difference from")
    order = data.get("order") or "-difference"
    if order not in ORDERS:
        raise _bad("order", "排序：不是可选的值", "Order: not one of the choices")
    f.order = order
    return f


def run_changes(run: EvaluationRun, *, scope_prefix: str, f: ChangeFilter, kind: bool = True) -> QuerySet:
    """The run's households inside ``scope_prefix`` (the account's area) that meet ``f`` (``kind``: also its
    change kind). Filtering on the township uses the run's (run, township, difference) index."""
    qs = EvaluationChange.objects.filter(run=run)
    prefix = max(scope_prefix, f.prefix, key=len)
    if len(prefix) <= len(run.area_prefix):
        pass  # the whole run
    elif len(prefix) == 9:
        qs = qs.filter(township_code=prefix + "000")
    elif prefix:
        qs = qs.filter(area_code__startswith=prefix)
    if kind and f.kind:
        qs = qs.filter(kind=f.kind)
    for name, lookup in (
        ("amount_min", "after_amount__gte"),
        ("amount_max", "after_amount__lte"),
        ("diff_min", "difference__gte"),
        ("diff_max", "difference__lte"),
    ):
        if getattr(f, name) is not None:
            qs = qs.filter(**{lookup: getattr(f, name)})
    return qs


def _cursor_parse(order: str, cursor: str) -> Q:
    """The rows after ``cursor`` (``value_household``) in ``order``."""
    value, _sep, hid = cursor.rpartition("_")
    try:
        household = int(hid)
        if order == "area":
            if not (value.isdigit() and len(value) == 12):
                raise ValueError
            return Q(area_code__gt=value) | Q(area_code=value, household_id__gt=household)
        amount = Decimal(int(value)).scaleb(-2)
    except (ValueError, ArithmeticError):
        raise _bad("after", "翻页位置无效，请回到第一页", "Invalid page position; go back to the first page") from None
    if order == "difference":
        return Q(difference__gt=amount) | Q(difference=amount, household_id__gt=household)
    return Q(difference__lt=amount) | Q(difference=amount, household_id__lt=household)


def run_changes_page(qs: QuerySet, *, order: str, after: str = "", limit: int = PAGE_SIZE):
    """One page in ``order`` after the ``after`` cursor (keyset paging: each page costs the same, however far
    in), and the cursor of the next page ("" at the end)."""
    keys = {
        "-difference": ["-difference", "-household_id"],
        "difference": ["difference", "household_id"],
        "area": ["area_code", "household_id"],
    }[order]
    if after:
        qs = qs.filter(_cursor_parse(order, after))
    rows = list(with_households(qs.order_by(*keys)[: limit + 1]))
    more = len(rows) > limit
    rows = rows[:limit]
    if not more or not rows:
        return rows, ""
    last = rows[-1]
    value = last.area_code if order == "area" else str(int(last.difference.scaleb(2)))
    return rows, f"{value}_{last.household_id}"


def with_households(rows, chunk: int = 2000):
    """The rows with ``head_name`` and ``member_count`` of their household, looked up a chunk at a time (a
    household no longer in the registry shows "—")."""
    batch: list = []

    def flush():
        found = {
            pk: (name, n)
            for pk, name, n in Household.objects.filter(pk__in=[r.household_id for r in batch]).values_list(
                "pk", "head_name", "member_count"
            )
        }
        for r in batch:
            r.head_name, r.member_count = found.get(r.household_id, ("—", None))
        yield from batch
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            yield from flush()
    yield from flush()


def run_change_counts(qs: QuerySet) -> dict:
    """Households and money (yuan) by change kind, and in all, of ``qs``."""
    rows = qs.order_by().values("kind").annotate(n=Count("*"), before=Sum("before_amount"), after=Sum("after_amount"))
    out = {r["kind"]: {"households": r["n"], "before": r["before"] or ZERO, "after": r["after"] or ZERO} for r in rows}
    total = {
        "households": sum(v["households"] for v in out.values()),
        "before": sum((v["before"] for v in out.values()), ZERO),
        "after": sum((v["after"] for v in out.values()), ZERO),
    }
    for v in [*out.values(), total]:
        v["difference"] = v["after"] - v["before"]
    return {"kinds": out, "total": total}
