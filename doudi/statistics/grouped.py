"""Every indicator of the catalogue for one month and many areas at once, set-based: the figures page, the monthly
report (the county and every township), the API and the snapshots read from here.

The catalogue (``catalogue.py``) defines each indicator by its own queries, one area at a time; computed that way
the monthly report of a county with 200 townships runs 42 indicators × 3 periods × 201 areas ≈ 25,000 queries.
Here the same figures come from about thirty grouped queries whatever the number of areas: each query is grouped
by the first ``key_length`` digits of the area code (the township, or the village when a village is asked for), and
the groups are summed up to each area asked for. Counts of distinct households or people (a household on two lines,
a person in two households on the roll) are not summed across townships: an area wider than the groups (the
county) has its own query. A test compares every indicator, area and month with the catalogue's own computation
(tests/statistics/test_grouped.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from itertools import product

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Greatest, Substr

from doudi.cases.models import CaseEvent, ChangeKind, SupportMode
from doudi.cases.workflow import CaseState
from doudi.core.errors import ApplicationError
from doudi.core.money import add_months
from doudi.core.workdays import WorkCalendar, working_days_between
from doudi.payments.models import LineStatus, PayrollKind
from doudi.payments.reports import Fen, JSONArrayLength
from doudi.programmes.selectors import params_in_force

from .catalogue import (
    CATALOGUE,
    CATEGORIES,
    CENT,
    DECIDED,
    HUKOU_DIGIT,
    LINE_MODE,
    OPEN_STAGES,
    OTHER_PROGRAMMES,
    Context,
    category_q,
    fen_to_yuan,
    month_end,
    one_off_grants,
    ratio,
    state_then,
)

Value3 = tuple  # (value, previous, year to date)
OTHER_LETTERS = tuple(letters for _code, letters, *_rest in OTHER_PROGRAMMES)
TOWNSHIP_DIGITS = 9


class Grouped:
    """The month's figures for ``prefixes`` (areas' significant digits, all inside ``ctx``'s area)."""

    def __init__(self, ctx: Context, prefixes: list[str], month: dt.date):
        self.ctx = ctx
        self.prefixes = list(dict.fromkeys(prefixes))
        self.key_length = max([TOWNSHIP_DIGITS, *(len(p) for p in self.prefixes)])
        self.lengths = sorted({len(p) for p in self.prefixes})
        self.month = month
        self.prev = add_months(month, -1)
        self.jan = month.replace(month=1)
        self.periods = {"value": (month, month), "previous": (self.prev, self.prev), "ytd": (self.jan, month)}

    # ---- grouping and summing up -------------------------------------------------------------------------------
    def _rows(self, qs: QuerySet, area_field: str, dims: tuple, aggs: dict) -> list[dict]:
        return list(
            qs.annotate(area_key=Substr(area_field, 1, self.key_length))
            .values("area_key", *dims)
            .annotate(**aggs)
            .order_by()
        )

    def _sum_up(self, rows: list[dict], dims: tuple, measures, lengths=None) -> dict[str, dict]:
        """{prefix: {(dim values…, measure): total}} over the groups under each prefix."""
        wanted = set(self.prefixes)
        out = {p: defaultdict(int) for p in self.prefixes}
        for row in rows:
            key = row["area_key"]
            head = tuple(row[d] for d in dims)
            for length in lengths or self.lengths:
                p = key[:length]
                if p in wanted:
                    acc = out[p]
                    for m in measures:
                        acc[(*head, m)] += row[m] or 0
        return out

    def additive(self, qs: QuerySet, area_field: str, dims: tuple, aggs: dict) -> dict[str, dict]:
        return self._sum_up(self._rows(qs, area_field, dims, aggs), dims, aggs)

    def distinct(self, qs: QuerySet, area_field: str, dims: tuple, aggs: dict) -> dict[str, dict]:
        """Counts of distinct things: exact per group; an area wider than a group is counted by its own query."""
        out = self._sum_up(self._rows(qs, area_field, dims, aggs), dims, aggs, lengths=[self.key_length])
        for p in self.prefixes:
            if len(p) == self.key_length:
                continue
            scoped = qs.filter(**{f"{area_field}__startswith": p})
            acc = out[p] = defaultdict(int)
            if dims:
                rows = list(scoped.values(*dims).annotate(**aggs).order_by())
            else:
                rows = [scoped.aggregate(**aggs)]
            for row in rows:
                head = tuple(row[d] for d in dims)
                for m in aggs:
                    acc[(*head, m)] += row[m] or 0
        return out

    # ---- the figures -------------------------------------------------------------------------------------------
    def compute(self, codes=None) -> dict[str, dict[str, Value3]]:
        """{prefix: {code: (value, previous, year to date)}}; the year to date is None for a stock figure."""
        chosen = set(CATALOGUE) if codes is None else set(codes)
        out: dict[str, dict[str, Value3]] = {p: {} for p in self.prefixes}
        sections = {CATALOGUE[c].code[:4] for c in chosen}
        if sections & {
            "DB01",
            "TK01",
            "DB03",
            "TK03",
            "FF01",
            "FF02",
            *(f"{x}0{n}" for x in OTHER_LETTERS for n in (1, 3)),
        }:
            self._lines(out)
        if any(CATALOGUE[c].code[4:6] == "03" and c[:4] in ("DB01", "TK01") for c in chosen):
            self._categories(out)
        if sections & {"DB02", "TK02"}:
            self._standards(out)
        if sections & {"DB04", "TK04", *(f"{x}04" for x in OTHER_LETTERS)}:
            self._added_cancelled(out)
        if sections & {"SQ01", "SQ02"}:
            self._cases(out)
        if sections & {"ZH01"}:
            self._overpayments(out)
        return {p: {c: v for c, v in figs.items() if c in chosen} for p, figs in out.items()}

    def _lines(self, out) -> None:
        """Households and people on the roll, tekun by support mode, money and person-months paid, failures: one
        query over the lines of the months from January (or last month) to this one, and one for households."""
        first = min(self.jan, self.prev)
        lines = self.ctx.lines(first, self.month).annotate(
            failed=ExpressionWrapper(Q(status=LineStatus.FAILED), output_field=BooleanField())
        )
        dims = ("payroll__month", "payroll__programme_id", "payroll__kind", "hukou_type", LINE_MODE, "failed")
        sums = self.additive(
            lines,
            "area_code",
            dims,
            {
                "n": Count("id"),
                "people": Sum("members"),
                "fen": Sum(Fen("amount")),
                "pm": Sum(F("members") * Greatest(JSONArrayLength("months"), Value(1))),
            },
        )
        # one-off grants paid through a monthly programme's regular payroll put nobody on its roll: their people are
        # taken out of the sums (a few lines, against every line of the year)
        grants = self.additive(
            lines.filter(enrolment_id__in=one_off_grants()), "area_code", dims, {"people": Sum("members")}
        )
        for p in self.prefixes:
            for key, v in grants[p].items():
                sums[p][key] -= v
        regular = self.ctx.lines(self.prev, self.month).filter(
            payroll__kind=PayrollKind.REGULAR, payroll__programme_id="dibao"
        )
        households_by_hukou = self.distinct(
            regular, "area_code", ("payroll__month", "hukou_type"), {"h": Count("household_id", distinct=True)}
        )
        households = self.distinct(
            regular, "area_code", ("payroll__month",), {"h": Count("household_id", distinct=True)}
        )
        months = {"value": [self.month], "previous": [self.prev], "ytd": self._months(self.jan, self.month)}

        whens = {m: [w for w, ms in months.items() if m in ms] for ms in months.values() for m in ms}
        for p in self.prefixes:
            # every (period, programme, kind, hukou, mode, failed) with None for "any": each total is a lookup
            acc: dict = defaultdict(int)
            for (m, prog, k, hk, md, fl, meas), v in sums[p].items():
                for w in whens.get(m, ()):
                    for key in product((prog, None), (k, None), (hk, None), (md, None), (fl, None)):
                        acc[(w, *key, meas)] += v

            def total(measure, *, months_of, programme=None, kind=None, hukou=None, mode=None, failed=None, acc=acc):
                return acc.get((months_of, programme, kind, hukou, mode, failed, measure), 0)

            def roll(measure, when, **kw):
                return total(measure, months_of=when, kind=PayrollKind.REGULAR, **kw)

            figs = out[p]
            for hukou in ("", "urban", "rural"):
                digit = HUKOU_DIGIT[hukou]
                src = households_by_hukou[p] if hukou else households[p]
                hk = (hukou,) if hukou else ()
                figs[f"DB0101{digit}00000"] = (
                    src.get((self.month, *hk, "h"), 0),
                    src.get((self.prev, *hk, "h"), 0),
                    None,
                )
                figs[f"DB0102{digit}00000"] = (
                    roll("people", "value", programme="dibao", hukou=hukou or None),
                    roll("people", "previous", programme="dibao", hukou=hukou or None),
                    None,
                )
                figs[f"DB0301{digit}00000"] = tuple(
                    fen_to_yuan(total("fen", months_of=w, programme="dibao", hukou=hukou or None, failed=False))
                    for w in ("value", "previous", "ytd")
                )
            for hukou in ("", "urban", "rural"):
                figs[f"TK0102{HUKOU_DIGIT[hukou]}00000"] = (
                    roll("people", "value", programme="tekun", hukou=hukou or None),
                    roll("people", "previous", programme="tekun", hukou=hukou or None),
                    None,
                )
            figs["TK0301000000"] = tuple(
                fen_to_yuan(total("fen", months_of=w, programme="tekun", failed=False))
                for w in ("value", "previous", "ytd")
            )
            for hukou in ("urban", "rural"):

                def per_capita(w, hukou=hukou):
                    if not total("n", months_of=w, programme="dibao", hukou=hukou, failed=False):
                        return None  # nothing paid: no figure
                    return ratio(
                        fen_to_yuan(total("fen", months_of=w, programme="dibao", hukou=hukou, failed=False)),
                        total("pm", months_of=w, programme="dibao", hukou=hukou, failed=False),
                    )

                figs[f"DB0302{HUKOU_DIGIT[hukou]}00000"] = tuple(per_capita(w) for w in ("value", "previous", "ytd"))
            for mode, digit in ((SupportMode.SCATTERED, "1"), (SupportMode.CENTRALISED, "2")):
                figs[f"TK0104{digit}00000"] = (
                    roll("people", "value", programme="tekun", mode=mode),
                    roll("people", "previous", programme="tekun", mode=mode),
                    None,
                )

            def rate(w, hukou=None):
                return ratio(
                    roll("people", w, programme="tekun", mode=SupportMode.CENTRALISED, hukou=hukou),
                    roll("people", w, programme="tekun", hukou=hukou),
                    scale=100,
                )

            for hukou in ("", "urban", "rural"):
                figs[f"TK0105{HUKOU_DIGIT[hukou]}00000"] = (
                    rate("value", hukou or None),
                    rate("previous", hukou or None),
                    None,
                )
            for programme, letters, _zh, _en, once in OTHER_PROGRAMMES:
                if once:  # payments made (not returned by the bank)
                    figs[f"{letters}0101000000"] = tuple(
                        total("n", months_of=w, programme=programme, failed=False) for w in ("value", "previous", "ytd")
                    )
                else:
                    figs[f"{letters}0102000000"] = (
                        roll("people", "value", programme=programme),
                        roll("people", "previous", programme=programme),
                        None,
                    )
                figs[f"{letters}0301000000"] = tuple(
                    fen_to_yuan(total("fen", months_of=w, programme=programme, failed=False))
                    for w in ("value", "previous", "ytd")
                )
            figs["FF0101000000"] = tuple(total("n", months_of=w, failed=True) for w in ("value", "previous", "ytd"))
            figs["FF0102000000"] = tuple(
                fen_to_yuan(total("fen", months_of=w, failed=True)) for w in ("value", "previous", "ytd")
            )
            figs["FF0201000000"] = tuple(
                fen_to_yuan(total("fen", months_of=w, failed=False)) for w in ("value", "previous", "ytd")
            )

    @staticmethod
    def _months(first: dt.date, last: dt.date) -> list[dt.date]:
        out, m = [], first
        while m <= last:
            out.append(m)
            m = add_months(m, 1)
        return out

    def _categories(self, out) -> None:
        """People on the roll by category: the members of the dibao households on the roll, the person supported
        for tekun; distinct people, so an area wider than a township has its own query."""
        for programme, letters in (("dibao", "DB"), ("tekun", "TK")):
            got = {}
            for when, month in (("value", self.month), ("previous", self.prev)):
                roll = self.ctx.roll(month, programme)
                if programme == "dibao":
                    path = "household__memberships__person"
                    roll = roll.filter(
                        Q(household__memberships__end_date__isnull=True)
                        | Q(household__memberships__end_date__gte=month),
                        Q(**{f"{path}__deceased": False}) | Q(**{f"{path}__died_on__gt": month_end(month)}),
                        **{
                            f"{path}__in_prison": False,
                            f"{path}__compulsory_rehab": False,
                            f"{path}__missing": False,
                            f"{path}__clergy_away": False,
                        },
                    )
                else:
                    path = "enrolment__person"
                aggs = {
                    category: Count(path, distinct=True, filter=category_q(category, month, path=f"{path}__"))
                    for category in CATEGORIES
                }
                got[when] = self.distinct(roll, "area_code", (), aggs)
            for p in self.prefixes:
                for category, (digit, _zh, _en) in CATEGORIES.items():
                    out[p][f"{letters}0103{digit}00000"] = (
                        got["value"][p].get((category,), 0),
                        got["previous"][p].get((category,), 0),
                        None,
                    )

    def _standards(self, out) -> None:
        """The standards in force at the month's end in each area (a township's own where it has one)."""
        names = {
            "DB0201100000": ("dibao", "standard_urban"),
            "DB0201200000": ("dibao", "standard_rural"),
            "TK0201100000": ("tekun", "basic_scattered"),
            "TK0201200000": ("tekun", "basic_centralised"),
        }
        for p in self.prefixes:
            area = p.ljust(12, "0")
            found = {}
            for when, month in (("value", self.month), ("previous", self.prev)):
                for programme in ("dibao", "tekun"):
                    try:
                        found[(when, programme)] = params_in_force(programme, month_end(month), area).values
                    except ApplicationError:
                        found[(when, programme)] = None

            def std(when, programme, name, found=found):
                values = found[(when, programme)]
                v = values.get(name) if values is not None else None
                return Decimal(v).quantize(CENT) if v is not None else None

            for code, (programme, name) in names.items():
                out[p][code] = (std("value", programme, name), std("previous", programme, name), None)

    def _added_cancelled(self, out) -> None:
        for when, (first, last) in self.periods.items():
            added = self.additive(
                self.ctx.enrolments().filter(start_month__gte=first, start_month__lte=last),
                "area_code",
                ("programme_id",),
                {"n": Sum("counted_members")},
            )
            ended = (
                self.ctx.enrolments()
                .filter(
                    changes__kind=ChangeKind.TERMINATE, changes__from_month__gte=first, changes__from_month__lte=last
                )
                .values("pk")
            )
            cancelled = self.additive(
                self.ctx.enrolments().filter(pk__in=ended),
                "area_code",
                ("programme_id",),
                {"n": Sum("counted_members")},
            )
            for p in self.prefixes:
                monthly = [(c, x) for c, x, _zh, _en, once in OTHER_PROGRAMMES if not once]
                for programme, letters in (("dibao", "DB"), ("tekun", "TK"), *monthly):
                    for code, src in ((f"{letters}0401000000", added), (f"{letters}0402000000", cancelled)):
                        self._put(out[p], code, when, src[p].get((programme, "n"), 0))

    @staticmethod
    def _put(figs: dict, code: str, when: str, value) -> None:
        v, prev, ytd = figs.get(code, (None, None, None))
        if when == "value":
            v = value
        elif when == "previous":
            prev = value
        else:
            ytd = value
        figs[code] = (v, prev, ytd)

    def _cases(self, out) -> None:
        cal = WorkCalendar.load()
        days_between: dict = {}
        for when, (first, last) in self.periods.items():
            end = month_end(last)
            accepted = self.additive(
                self.ctx.cases().filter(accepted_on__gte=first, accepted_on__lte=end),
                "area_code",
                (),
                {"n": Count("id")},
            )
            # decisions by state, on time or late, and the dates they ran between (the working days are counted
            # once per pair of dates, not once per case)
            decided = self.additive(
                self.ctx.cases()
                .filter(state__in=DECIDED, decided_on__gte=first, decided_on__lte=end)
                .annotate(
                    late=ExpressionWrapper(
                        Q(total_due__isnull=False, decided_on__gt=F("total_due")), output_field=BooleanField()
                    )
                ),
                "area_code",
                ("state", "late", "accepted_on", "decided_on"),
                {"n": Count("id")},
            )
            for p in self.prefixes:
                figs = out[p]
                self._put(figs, "SQ0101000000", when, accepted[p].get(("n",), 0))
                counts = {CaseState.APPROVED: 0, CaseState.REFUSED: 0}
                late = days = with_accepted = 0
                for (state, is_late, accepted_on, decided_on, _m), n in decided[p].items():
                    counts[state] = counts.get(state, 0) + n
                    late += n if is_late else 0
                    if accepted_on:
                        key = (accepted_on, decided_on)
                        if key not in days_between:
                            days_between[key] = working_days_between(accepted_on, decided_on, cal)
                        days += days_between[key] * n
                        with_accepted += n
                all_decided = sum(counts.values())
                self._put(figs, "SQ0102000000", when, counts[CaseState.APPROVED])
                self._put(figs, "SQ0103000000", when, counts[CaseState.REFUSED])
                self._put(figs, "SQ0201000000", when, ratio(all_decided - late, all_decided, scale=100))
                self._put(figs, "SQ0202000000", when, ratio(days, with_accepted))
            withdrawn = self.additive(
                self.ctx.cases().filter(
                    pk__in=CaseEvent.objects.filter(to_state=CaseState.WITHDRAWN, on__gte=first, on__lte=end).values(
                        "case_id"
                    )
                ),
                "area_code",
                (),
                {"n": Count("id")},
            )
            for p in self.prefixes:
                self._put(out[p], "SQ0105000000", when, withdrawn[p].get(("n",), 0))
        stage_of = {state: digit for digit, states, _zh, _en in OPEN_STAGES for state in states}
        for when, month in (("value", self.month), ("previous", self.prev)):
            end = month_end(month)
            open_ = self.additive(
                state_then(
                    self.ctx.cases()
                    .filter(accepted_on__lte=end)
                    .filter(Q(decided_on__isnull=True) | Q(decided_on__gt=end)),
                    end,
                ).exclude(state_then=CaseState.WITHDRAWN),
                "area_code",
                ("state_then",),
                {"n": Count("id")},
            )
            for p in self.prefixes:
                by_stage = defaultdict(int)
                for (state, _m), n in open_[p].items():
                    by_stage[""] += n
                    if state in stage_of:
                        by_stage[stage_of[state]] += n
                self._put(out[p], "SQ0104000000", when, by_stage[""])
                for digit, *_rest in OPEN_STAGES:
                    self._put(out[p], f"SQ0104{digit}00000", when, by_stage[digit])
        for p in self.prefixes:  # stocks: no year to date
            for code in ("SQ0104000000", *(f"SQ0104{digit}00000" for digit, *_rest in OPEN_STAGES)):
                v, prev, _ytd = out[p][code]
                out[p][code] = (v, prev, None)

    def _overpayments(self, out) -> None:
        for when, (first, last) in self.periods.items():
            raised = self.additive(
                self.ctx.overpayments().filter(raised_on__gte=first, raised_on__lte=month_end(last)),
                "enrolment__area_code",
                (),
                {"s": Sum(Fen("amount"))},
            )
            recovered = self.additive(
                self.ctx.recoveries().filter(recovered_on__gte=first, recovered_on__lte=month_end(last)),
                "overpayment__enrolment__area_code",
                (),
                {"s": Sum(Fen("amount"))},
            )
            for p in self.prefixes:
                self._put(out[p], "ZH0101000000", when, fen_to_yuan(raised[p].get(("s",), 0)))
                self._put(out[p], "ZH0102000000", when, fen_to_yuan(recovered[p].get(("s",), 0)))


def figures_by_area(ctx: Context, prefixes: list[str], month: dt.date, codes=None) -> dict[str, dict[str, Value3]]:
    return Grouped(ctx, prefixes, month).compute(codes)
