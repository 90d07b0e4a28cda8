"""Temporary assistance (临时救助) for a household's hardship [IM §47–50; TA18], demo pack domain.md §5.

Emergency kind (急难型): ``min(param emergency_cap_multiple × S, loss − reimbursed)``. Expenditure kind (支出型):
eligible when per-capita income (as for dibao, without the asset tests) is below param expenditure_line_<hukou>;
``min(cap, round(param expenditure_ratio × (rigid expenses − reimbursed)))``. S is the dibao standard for the
household's hukou type on the date of the hardship. The township approves up to param township_limit_multiple
× S (included), the county above; only the emergency kind up to param fast_track_multiple × S may be paid first,
its paperwork due in param paperwork_working_days. The same household, for the same cause, once a calendar year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from doudi.core.errors import ApplicationError
from doudi.core.money import ZERO, cents, fmt

from . import operators as op
from .decision import Decision
from .inputs import HouseholdInput


def event_required(household: HouseholdInput, name: str, zh: str, en: str):
    """The event an evaluation needs (``hardship``, ``claim``, ``funeral``), or a refusal naming it."""
    value = getattr(household, name)
    if value is None:
        raise ApplicationError(f"{name}：{zh}", f"{name}: {en}", field=name, code="invalid_input")
    return value


def evaluate_temporary(
    household: HouseholdInput, params: dict, on: dt.date, *, reads: dict, in_county: bool = True
) -> Decision:
    hardship = event_required(household, "hardship", "临时救助须填写困难情况", "is required for temporary assistance")
    d = Decision("temporary", parameters=params, once=True, result={})
    urban = household.hukou_type == "urban"
    standard = reads["dibao"]["standard_urban" if urban else "standard_rural"]
    kind_zh = "急难型" if hardship.kind == "emergency" else "支出型"
    d.step(
        "hardship",
        f"{kind_zh}困难：{hardship.cause}，发生于 {hardship.date:%Y-%m-%d}",
        f"{hardship.kind.capitalize()} hardship: {hardship.cause}, on {hardship.date:%Y-%m-%d}",
        hardship.kind,
    )
    d.step(
        "standard",
        f"困难发生时{'城市' if urban else '农村'}低保标准 S = {fmt(standard)} 元/人·月",
        f"{'Urban' if urban else 'Rural'} minimum living standard on that date S = {fmt(standard)} yuan",
        standard,
    )
    cap = cents(params["emergency_cap_multiple"] * standard)
    d.step(
        "cap",
        f"救助上限 = {params['emergency_cap_multiple']} × {fmt(standard)} = {fmt(cap)} 元",
        f"Cap = {params['emergency_cap_multiple']} × {fmt(standard)} = {fmt(cap)} yuan",
        cap,
    )
    place_ok = where_applied(d, household, hardship.kind)
    once_ok = once_a_year(d, hardship.same_cause_this_year, hardship.cause)
    if hardship.kind == "emergency":
        amount = emergency_amount(d, hardship.loss, hardship.reimbursed, cap)
        means_ok = True
    else:
        means_ok = expenditure_means(d, household, params, reads["dibao"], urban)
        amount = expenditure_amount(d, hardship.rigid_expenses, hardship.reimbursed, cap, params)
    if amount <= 0:
        d.refuse("amount_zero", "救助金额为 0，不予救助", "The amount is 0: nothing is paid")
    d.eligible = place_ok and once_ok and means_ok and amount > 0
    d.amount = amount if d.eligible else ZERO
    d.step(
        "eligible",
        "符合临时救助条件" if d.eligible else "不符合临时救助条件",
        "Eligible" if d.eligible else "Not eligible",
        d.eligible,
    )
    level, fast = approval(d, d.amount, hardship.kind, standard, params) if d.eligible else ("", False)
    d.result = {"approval_level": level or None, "fast_track": fast}
    if fast:
        d.result["paperwork_working_days"] = params["paperwork_working_days"]
    if d.eligible:
        d.step("amount", f"一次性救助 {fmt(d.amount)} 元", f"One-off payment {fmt(d.amount)} yuan", d.amount)
    return d


def where_applied(d: Decision, household: HouseholdInput, kind: str) -> bool:
    """Who may apply here [TA18; 国发〔2014〕47号]: a household with its hukou in the county for either kind; one
    from outside the county for an emergency that happened here (where the hardship happens), and for the
    expenditure kind only when it holds the county's residence permit (else at its hukou place)."""
    if household.hukou_in_county:
        d.step("where_applied", "本县户籍", "Hukou in this county", True)
        return True
    if kind == "emergency":
        d.step(
            "where_applied",
            "非本县户籍，在本县遭遇急难：由急难发生地救助",
            "Hukou outside the county, emergency here: assisted where it happened",
            True,
        )
        return True
    if household.residence_permit:
        d.step(
            "where_applied",
            "非本县户籍，持本县居住证：可在居住地申请支出型救助",
            "Hukou outside the county with the county's residence permit: may apply where they live",
            True,
        )
        return True
    d.step(
        "where_applied",
        "非本县户籍且未持本县居住证",
        "Hukou outside the county, no residence permit of the county",
        False,
    )
    d.refuse(
        "expenditure_hukou_elsewhere",
        "非本县户籍且未持本县居住证的，支出型临时救助应向户籍所在地申请",
        "Without a hukou or a residence permit of this county, the expenditure kind is applied for at the hukou place",
    )
    return False


def once_a_year(d: Decision, same_cause: bool, cause: str) -> bool:
    """The same household, for the same cause, at most once per calendar year (demo pack, *local*)."""
    if same_cause:
        d.step("once_a_year", f"本年度已因“{cause}”救助过", f"Already assisted this year for “{cause}”", False)
        d.refuse(
            "same_cause_this_year",
            f"同一家庭同一原因（{cause}）一个自然年度内只救助一次",
            f"One payment per household and cause ({cause}) per calendar year",
        )
        return False
    d.step("once_a_year", "本年度未因同一原因救助", "Not assisted for the same cause this year", True)
    return True


def emergency_amount(d: Decision, loss: Decimal, reimbursed: Decimal, cap: Decimal) -> Decimal:
    """Emergency kind: the loss less insurance and compensation received for it, at most the cap [TA18]."""
    net = max(loss - reimbursed, ZERO)
    amount = min(cap, net)
    d.step(
        "emergency_amount",
        f"救助金额 = {fmt(cap)} 与（损失 {fmt(loss)} − 已获赔偿 {fmt(reimbursed)}）中较小者 = {fmt(amount)} 元",
        f"Amount = min({fmt(cap)}, loss {fmt(loss)} − reimbursed {fmt(reimbursed)}) = {fmt(amount)} yuan",
        amount,
    )
    return amount


def expenditure_means(d: Decision, household: HouseholdInput, params: dict, dibao: dict, urban: bool) -> bool:
    """Expenditure kind: per-capita income computed as for dibao (no asset tests) below last year's per-capita
    disposable income ÷ 12 (param expenditure_line_urban / expenditure_line_rural)."""
    counted = op.household_composition(d, household)
    income = op.counted_income(d, counted, dibao)
    deductions = op.job_cost_deduction(d, counted, dibao) + op.rigid_expenditure_deduction(d, counted, dibao)
    pc = op.per_capita_income(d, income, deductions, len(counted))
    line = params["expenditure_line_urban" if urban else "expenditure_line_rural"]
    ok = bool(counted) and pc < line
    d.step(
        "expenditure_line",
        f"人均收入 {fmt(pc)} 元{'低于' if ok else '不低于'}上年人均可支配收入月线 {fmt(line)} 元",
        f"Per-capita income {fmt(pc)} is {'below' if ok else 'not below'} the line {fmt(line)}",
        ok,
    )
    if not ok:
        d.refuse(
            "income_above_line",
            f"人均收入 {fmt(pc)} 元不低于 {fmt(line)} 元",
            f"Per-capita income {fmt(pc)} is not below {fmt(line)}",
        )
    return ok


def expenditure_amount(d: Decision, rigid: Decimal, reimbursed: Decimal, cap: Decimal, params: dict) -> Decimal:
    """Expenditure kind: param expenditure_ratio of the rigid expenses less what was reimbursed, rounded by param
    rounding (demo: half up to the yuan), at most the cap."""
    ratio = params["expenditure_ratio"]
    net = max(rigid - reimbursed, ZERO)
    raw = op.rounding(d, net * ratio, params)
    amount = min(cap, raw)
    d.step(
        "expenditure_amount",
        f"救助金额 = {fmt(cap)} 与 {ratio:%} × (刚性支出 {fmt(rigid)} − 已报销 {fmt(reimbursed)}) 取整后 {fmt(raw)} 中较小者"
        f" = {fmt(amount)} 元",
        f"Amount = min({fmt(cap)}, {ratio:%} × (rigid {fmt(rigid)} − reimbursed {fmt(reimbursed)}) rounded {fmt(raw)}) "
        f"= {fmt(amount)} yuan",
        amount,
    )
    return amount


def approval(d: Decision, amount: Decimal, kind: str, standard: Decimal, params: dict) -> tuple[str, bool]:
    """Approval by amount: the township up to param township_limit_multiple × S (included), the county above; the
    emergency kind up to param fast_track_multiple × S may be paid first (先行救助) [TA18]."""
    limit = cents(params["township_limit_multiple"] * standard)
    level = "township" if amount <= limit else "county"
    d.step(
        "approval_level",
        f"{fmt(amount)} 元{'不超过' if level == 'township' else '超过'} {fmt(limit)} 元，由"
        f"{'乡镇' if level == 'township' else '县级'}审批",
        f"{fmt(amount)} is {'within' if level == 'township' else 'above'} {fmt(limit)}: approved by the {level}",
        level,
    )
    fast_limit = cents(params["fast_track_multiple"] * standard)
    fast = kind == "emergency" and amount <= fast_limit
    days = params["paperwork_working_days"]
    d.step(
        "fast_track",
        f"可先行救助，{days} 个工作日内补办手续"
        if fast
        else ("支出型救助不先行救助" if kind != "emergency" else f"超过 {fmt(fast_limit)} 元，不先行救助"),
        f"May be paid first, paperwork within {days} working days"
        if fast
        else (
            "The expenditure kind is not paid first"
            if kind != "emergency"
            else f"Above {fmt(fast_limit)}: not paid first"
        ),
        fast,
    )
    return level, fast
