"""Orphans and de facto unsupported children (孤儿、事实无人抚养儿童, 民发〔2019〕62号), demo pack domain.md §5b.

Orphan: under param adult_age, both parents dead or declared missing. De facto unsupported: both parents unable
(severely disabled grade 1–2, seriously ill, in prison, in compulsory rehabilitation, or out of contact for param
lost_contact_months or more), or one unable and the other dead or missing. Past adult_age, the same while in
full-time study until the month before the param study_until_age birthday. Param allowance_institution in a
welfare institution, else allowance_scattered, a month."""

from __future__ import annotations

import datetime as dt

from doudi.core.money import ZERO, add_months, fmt

from .decision import Decision, MemberLine
from .inputs import HouseholdInput, Member, Parent

GONE = ("dead", "missing")
UNABLE = ("disabled", "seriously_ill", "in_prison", "compulsory_rehab", "lost_contact")
PARENT_TEXT = {
    "dead": ("死亡", "dead"),
    "missing": ("宣告失踪", "declared missing"),
    "disabled": ("重度残疾（一二级）", "severely disabled (grade 1–2)"),
    "seriously_ill": ("重病", "seriously ill"),
    "in_prison": ("服刑在押", "in prison"),
    "compulsory_rehab": ("强制隔离戒毒", "in compulsory rehabilitation"),
    "lost_contact": ("失联", "out of contact"),
    "none": ("无上述情形", "none of these"),
}


def parent_situation(parent: Parent, on: dt.date, months: int) -> str:
    """gone (dead, missing), unable (the five situations; out of contact only once the date ``months`` after
    ``since`` is on or before ``on``), or able."""
    if parent.status in GONE:
        return "gone"
    if parent.status == "lost_contact":
        since, due = parent.since, None
        # the same day ``months`` later, or that month's last day when it has fewer days
        if since is not None:
            index = since.year * 12 + since.month - 1 + months
            year, month = index // 12, index % 12 + 1
            last = (add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)).day
            due = dt.date(year, month, min(since.day, last))
        return "unable" if due is not None and due <= on else "able"
    return "unable" if parent.status in UNABLE else "able"


def qualifying_kind(situations: list[str]) -> str | None:
    """orphan: both gone; de_facto: both unable, or one unable and the other gone; else None."""
    if len(situations) < 2:
        situations = situations + ["able"] * (2 - len(situations))
    if situations.count("gone") == 2:
        return "orphan"
    if situations.count("unable") == 2 or sorted(situations) == ["gone", "unable"]:
        return "de_facto"
    return None


def age_on(person: Member, on: dt.date) -> int:
    return person.age_on(on)


def evaluate_children(
    household: HouseholdInput, params: dict, on: dt.date, *, reads: dict | None = None, in_county: bool = True
) -> Decision:
    d = Decision("children", parameters=params, result={})
    month = on.replace(day=1)
    if not in_county:
        d.refuse("hukou_outside_county", "户籍不在本县", "Hukou is not in this county")
    total = ZERO
    for m in household.members:
        line = MemberLine(m.name, m.index, False, amount=ZERO)
        d.members.append(line)
        if m.parents is None:
            line.excluded_reason = "parents_not_given"
            continue
        if m.died_before(month):
            line.excluded_reason = "deceased"
            d.step("death", f"{m.name}已死亡", f"{m.name} has died", None)
            continue
        situations = [parent_situation(p, on, params["lost_contact_months"]) for p in m.parents]
        described = (
            "，".join(
                f"{('一方', '另一方')[i]}：{PARENT_TEXT[p.status][0]}"
                + (f"（自 {p.since:%Y-%m-%d}）" if p.since else "")
                for i, p in enumerate(m.parents)
            )
            or "未填写父母情况"
        )
        described_en = (
            "; ".join(
                f"parent {i + 1}: {PARENT_TEXT[p.status][1]}" + (f" since {p.since:%Y-%m-%d}" if p.since else "")
                for i, p in enumerate(m.parents)
            )
            or "no parents given"
        )
        kind = qualifying_kind(situations)
        age = age_on(m, on)
        adult, until = params["adult_age"], params["study_until_age"]
        study_end = dt.date(m.birth_date.year + until, m.birth_date.month, 1)  # month of that birthday: not paid
        in_age = age < adult or (m.student and month < study_end)
        age_zh = (
            f"{age} 周岁"
            if age < adult
            else f"{age} 周岁，{'全日制在校' if m.student else '不在校'}，"
            f"{'未到' if month < study_end else '已到'} {until} 周岁生日当月"
        )
        age_en = f"aged {age}" + ("" if age < adult else f", {'in' if m.student else 'not in'} full-time study")
        if kind is None:
            line.excluded_reason = "parents_not_qualifying"
            d.step(
                "parents",
                f"{m.name}：{described}，不属于孤儿或事实无人抚养儿童",
                f"{m.name}: {described_en}; neither an orphan nor de facto unsupported",
                None,
            )
            d.refuse(
                "parents_not_qualifying",
                f"{m.name}的父母情况不符合孤儿或事实无人抚养儿童认定条件",
                f"{m.name}'s parents' situations do not qualify",
            )
            continue
        kind_zh, kind_en = (
            ("孤儿", "orphan") if kind == "orphan" else ("事实无人抚养儿童", "de facto unsupported child")
        )
        if not in_age:
            line.excluded_reason = "age"
            d.step("age", f"{m.name}：{age_zh}，不再保障", f"{m.name}: {age_en}; no longer covered", age)
            d.refuse("age", f"{m.name}已满 {adult} 周岁且不符合在校就读延续条件", f"{m.name} is past the age covered")
            continue
        if not in_county:
            line.excluded_reason = "hukou_outside_county"
            continue
        amount = params["allowance_institution" if m.in_institution else "allowance_scattered"]
        line.counted, line.amount = True, amount
        line.detail = {"kind": kind, "in_institution": m.in_institution}
        d.step(
            "child",
            f"{m.name}：{described}，属于{kind_zh}；{age_zh}；"
            f"{'机构养育' if m.in_institution else '散居'}每月 {fmt(amount)} 元",
            f"{m.name}: {described_en}; {kind_en}; {age_en}; "
            f"{'in an institution' if m.in_institution else 'living in the community'} {fmt(amount)} a month",
            amount,
        )
        total += amount
    d.monthly_amount = total
    d.counted_members = sum(1 for line in d.members if line.counted)
    d.eligible = total > 0
    if not d.eligible and not d.reasons_ineligible:
        d.refuse("no_child", "没有填写父母情况的儿童", "No member with the parents' situations given")
    d.step("monthly_amount", f"本户每月基本生活费合计 {fmt(total)} 元", f"Household total {fmt(total)} a month", total)
    return d
