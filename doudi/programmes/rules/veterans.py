"""Veterans' periodic payments (优抚对象定期抚恤补助) for each member in the month of ``on`` (domain.md §5e).

Each entitled member (``veteran``: category, grade and cause, prison terms) is paid the monthly amount of the
category in force that month (a disabled serviceman's by the cause of the disability and the grade, as the national
table 《伤残抚恤金标准》: params disabled_war_1 … _10, disabled_duty_1 … _10, disabled_illness_1 … _6, a disability
from illness of grade 7–10 carrying no pension; the others the param of the category's name; former Kuomintang war
veterans nothing monthly, only the year's one-off grants). The amounts are
versioned from 1 August each year, so July pays the old table and August the new. The pension is suspended while
in prison (《军人抚恤优待条例》: 被判处有期徒刑期间中止抚恤，刑满释放后从下一个月起恢复): nothing from the month the
term began to the month of release, paid again from the month after release. Paid up to and including the month
of death, nothing after (§5e)."""

from __future__ import annotations

import datetime as dt

from doudi.core.money import ZERO, add_months, fmt
from doudi.programmes.shapes.veterans import amount_param, category_label, disabled_label

from .decision import Decision, MemberLine
from .inputs import HouseholdInput, Member, PrisonTerm


def month_in_prison(term: PrisonTerm, month: dt.date) -> bool:
    """Suspended for ``month``: from the month the term began to the month of release, both included."""
    first = term.start.replace(day=1)
    return first <= month and (term.release is None or month <= term.release.replace(day=1))


def prison_term_for(member: Member, month: dt.date) -> PrisonTerm | None:
    for term in member.veteran.prison if member.veteran else ():
        if month_in_prison(term, month):
            return term
    return None


def monthly_amount(params: dict, category: str, grade: int | None, cause: str | None = None):
    """The category's monthly amount in force (a disabled serviceman's by cause and grade); None: no monthly
    payment."""
    name = amount_param(category, grade, cause)
    return params[name] if name else None


def evaluate_veterans(
    household: HouseholdInput, params: dict, on: dt.date, *, reads: dict | None = None, in_county: bool = True
) -> Decision:
    d = Decision("veterans", parameters=params, result={})
    month = on.replace(day=1)
    d.step("month", f"发放月份 {on:%Y-%m}", f"Month {on:%Y-%m}", f"{on:%Y-%m}")
    total = ZERO
    for m in household.members:
        line = MemberLine(m.name, m.index, False, amount=ZERO)
        d.members.append(line)
        v = m.veteran
        if v is None:
            line.excluded_reason = "not_entitled"
            continue
        label_zh, label_en = category_label(v.category), category_label(v.category, en=True)
        if v.category == "disabled" and v.grade:  # "因公三级残疾军人"
            label_zh, label_en = disabled_label(v.cause, v.grade), disabled_label(v.cause, v.grade, en=True)
        line.detail = {"category": v.category, "grade": v.grade, "cause": v.cause}
        if m.died_before(month):
            line.excluded_reason = "deceased"
            died = f"{m.died_on:%Y-%m-%d}" if m.died_on else ""
            d.step(
                "death",
                f"{m.name}已于{died or '此前'}死亡，发放至死亡当月，本月不再发放",
                f"{m.name} died {died or 'earlier'}: paid to the month of death, not this month",
                None,
            )
            continue
        amount = monthly_amount(params, v.category, v.grade, v.cause)
        if amount is None and v.category == "disabled":
            line.excluded_reason = "no_pension"
            d.step(
                "no_pension",
                f"{m.name}：{label_zh}，因病致残七至十级不享受伤残抚恤金",
                f"{m.name}: {label_en}: a disability from illness of grade 7 to 10 carries no pension",
                None,
            )
            continue
        if amount is None:
            line.excluded_reason = "grants_only"
            d.step(
                "grants_only",
                f"{m.name}：{label_zh}，不按月发放，享受一次性生活补助和慰问金",
                f"{m.name}: {label_en}, no monthly payment; one-off grants only",
                None,
            )
            continue
        term = prison_term_for(m, month)
        if term is not None:
            line.excluded_reason = "in_prison"
            resume = add_months(term.release, 1) if term.release else None
            d.step(
                "prison",
                f"{m.name}自 {term.start:%Y-%m-%d} 服刑，服刑期间中止抚恤"
                + (f"，{term.release:%Y-%m-%d} 释放后自 {resume:%Y年%m月} 起恢复" if resume else ""),
                f"{m.name} in prison from {term.start:%Y-%m-%d}: suspended"
                + (f"; released {term.release:%Y-%m-%d}, paid again from {resume:%Y-%m}" if resume else ""),
                None,
            )
            continue
        if not in_county:
            line.excluded_reason = "hukou_outside_county"
            continue
        died = " （本月死亡，发放至本月）" if m.died_on and m.died_on.replace(day=1) == month else ""
        line.counted, line.amount = True, amount
        d.step(
            "category",
            f"{m.name}：{label_zh}，本月标准 {fmt(amount)} 元{died}",
            f"{m.name}: {label_en}, {fmt(amount)} this month{' (died this month: paid)' if died else ''}",
            amount,
        )
        total += amount
    if not in_county:
        d.refuse("hukou_outside_county", "户籍不在本县", "Hukou is not in this county")
    d.monthly_amount = total
    d.counted_members = sum(1 for line in d.members if line.counted)
    d.eligible = total > 0
    if not d.eligible and not d.reasons_ineligible:
        reasons = {line.excluded_reason for line in d.members} - {None}
        if "in_prison" in reasons:
            d.refuse("in_prison", "服刑期间中止发放", "Suspended while in prison")
        elif "deceased" in reasons:
            d.refuse("deceased", "已死亡，死亡次月起停发", "Died: not paid after the month of death")
        elif "no_pension" in reasons:
            d.refuse("no_pension", "因病致残七至十级不享受伤残抚恤金", "Illness, grades 7 to 10: no pension")
        elif "grants_only" in reasons:
            d.refuse("grants_only", "不按月发放（只享受一次性补助）", "No monthly payment (one-off grants only)")
        else:
            d.refuse("not_entitled", "没有登记优抚类别的成员", "No member with a veterans' category")
    d.step(
        "monthly_amount", f"本户本月优抚金合计 {fmt(total)} 元", f"Household total this month {fmt(total)} yuan", total
    )
    return d
