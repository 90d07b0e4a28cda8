"""Old-age allowance (高龄津贴) for each member in the month of ``on``, demo pack domain.md §5a.

A person enters a bracket (params age_1/2/3) in the month of the birthday that reaches it and is paid that month;
January to November each pay the bracket's year (params annual_1/2/3) ÷ 12 rounded down to the fen, December
the year's amount less eleven such months (500.00 → 41.66, December 41.74), whatever was paid earlier in the
year; paid up to the month of death, nothing after. Hukou in the county; a tekun person in an institution still
gets it."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from doudi.core.money import CENT, ZERO, fmt

from .decision import Decision, MemberLine
from .inputs import HouseholdInput, Member


def age_in_month(person: Member, month: dt.date) -> int:
    """The age the person reaches in the month of ``month`` (the birthday month counts as reached)."""
    return month.year - person.birth_date.year - (month.month < person.birth_date.month)


def monthly_share(annual: Decimal, month: int) -> Decimal:
    """January–November: annual ÷ 12 rounded down to the fen; December: annual − 11 × that."""
    share = (annual / 12).quantize(CENT, rounding=ROUND_DOWN)
    return annual - 11 * share if month == 12 else share


def bracket(params: dict, age: int) -> tuple[int, Decimal] | None:
    """The highest bracket the age reaches: (bracket number, yearly amount), or None under the first."""
    for n in (3, 2, 1):
        if age >= params[f"age_{n}"]:
            return n, params[f"annual_{n}"]
    return None


def evaluate_elderly(
    household: HouseholdInput, params: dict, on: dt.date, *, reads: dict | None = None, in_county: bool = True
) -> Decision:
    d = Decision("elderly", parameters=params, result={})
    month = on.replace(day=1)
    d.step("month", f"发放月份 {on:%Y-%m}", f"Month {on:%Y-%m}", f"{on:%Y-%m}")
    if not in_county:
        d.refuse("hukou_outside_county", "户籍不在本县", "Hukou is not in this county")
    total = ZERO
    for m in household.members:
        line = MemberLine(m.name, m.index, False, amount=ZERO)
        d.members.append(line)
        age = age_in_month(m, month)
        found = bracket(params, age)
        if m.died_before(month):
            line.excluded_reason = "deceased"
            if found:
                died = f"{m.died_on:%Y-%m-%d}" if m.died_on else ""
                d.step(
                    "death", f"{m.name}已于{died or '此前'}死亡，本月起停发", f"{m.name} died {died}: not paid", None
                )
            continue
        if found is None:
            line.excluded_reason = "under_age"
            d.step(
                "age",
                f"{m.name}本月 {age} 周岁，未满 {params['age_1']} 周岁",
                f"{m.name} is {age} this month, under {params['age_1']}",
                age,
            )
            continue
        if not in_county:
            line.excluded_reason = "hukou_outside_county"
            continue
        n, annual = found
        share = monthly_share(annual, on.month)
        line.counted, line.amount = True, share
        line.detail = {"age": age, "bracket": n, "annual": annual}
        how = (
            f"{fmt(annual)} − 11 × {fmt(monthly_share(annual, 1))} = {fmt(share)}"
            if on.month == 12
            else f"{fmt(annual)} ÷ 12 向下取整到分 = {fmt(share)}"
        )
        how_en = (
            f"{fmt(annual)} − 11 × {fmt(monthly_share(annual, 1))} = {fmt(share)}"
            if on.month == 12
            else f"{fmt(annual)} ÷ 12 rounded down to the fen = {fmt(share)}"
        )
        birthday = " （本月生日进入此档）" if on.month == m.birth_date.month and age == params[f"age_{n}"] else ""
        d.step(
            "bracket",
            f"{m.name}本月 {age} 周岁，第{n}档年标准 {fmt(annual)} 元{birthday}；本月发放 {how} 元",
            f"{m.name} is {age} this month, bracket {n}, {fmt(annual)} a year"
            f"{' (entered this birthday month)' if birthday else ''}; this month {how_en} yuan",
            share,
        )
        total += share
    d.monthly_amount = total
    d.counted_members = sum(1 for line in d.members if line.counted)
    d.eligible = total > 0
    if not d.eligible and in_county:
        d.refuse(
            "no_member_of_age",
            f"没有达到 {params['age_1']} 周岁的在世成员",
            f"No living member aged {params['age_1']}+",
        )
    d.step(
        "monthly_amount",
        f"本户本月高龄津贴合计 {fmt(total)} 元",
        f"Household total this month {fmt(total)} yuan",
        total,
    )
    return d
