"""Named operators: each implements one rule, says its source once in its docstring, and writes its step of
the explanation. Programmes (dibao.py, tekun.py) compose them with the parameters in force.

Sources: [D21] 《最低生活保障审核确认办法》 (2021); [T21] 《特困人员认定办法》 (2021); [OP20] 《关于改革完善社会
救助制度的意见》 (2020); "param:" names a parameter of the programme's version (doudi/programmes/params.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from doudi.core.labels import both
from doudi.core.money import ZERO, cents, fmt, round_yuan_half_up
from doudi.registry.choices import COUNTED_KINDS, EXCLUDED_KINDS, SUBTRACTED_KINDS, DisabilityKind, IncomeKind  # noqa: F401  (the rules' names)

from .decision import Decision, MemberLine
from .inputs import Assets, HouseholdInput, Member

STATUS_TEXT = {
    "deceased": ("已死亡", "deceased"),
    "in_prison": ("服刑人员", "in prison"),
    "compulsory_rehab": ("强制隔离戒毒人员", "in compulsory drug rehabilitation"),
    "missing": ("宣告失踪人员", "declared missing"),
    "clergy_away": ("出家3年以上的宗教教职人员", "clergy living away 3+ years"),
}
# Why a member of the household is not counted (a decision's ``members[].excluded_reason``), in both languages.
EXCLUSION_TEXT = {
    **{code: (zh, en.capitalize()) for code, (zh, en) in STATUS_TEXT.items()},
    "receives_tekun": ("已享受特困供养", "Receives extreme poverty support"),
    "not_applicant": ("非申请人", "Not the applicant"),
}
# How each income kind counts (domain.md §2) is the registry's INCOME_TREATMENT: one table for the rules and the
# facts that batch evaluation reads.
KIND_ZH = {
    "wage": "工资",
    "business": "经营净收入",
    "property": "财产净收入",
    "pension": "养老金",
    "unemployment_benefit": "失业保险金",
    "compensation": "赔偿金",
    "support_received": "赡养费",
    "gift": "赠与",
    "support_paid": "支付赡养费",
    "social_insurance_contribution": "个人社保缴费",
    "tax": "个人所得税",
    "preferential_payment": "优待抚恤金",
    "family_planning_award": "计生奖励",
    "scholarship": "奖学金",
    "good_samaritan_award": "见义勇为奖励",
    "social_assistance": "社会救助金",
    "residents_basic_pension": "城乡居民基础养老金",
}


def household_composition(d: Decision, household: HouseholdInput) -> list[Member]:
    """Counted members [D21 §7]: everyone in the household except those in prison, in compulsory drug
    rehabilitation, declared missing, clergy living away 3+ years — and the deceased. A member who receives
    extreme poverty support gets it instead of dibao [T21 §19], so is not counted either."""
    counted = []
    for m in household.members:
        reason = next((s for s in m.status if s in STATUS_TEXT), None)
        if reason:
            zh, en = STATUS_TEXT[reason]
            d.members.append(MemberLine(m.name, m.index, False, reason))
            d.step("household_composition", f"{m.name}：{zh}，不计入家庭成员", f"{m.name}: {en}, not counted", reason)
        elif m.receives_tekun:
            d.members.append(MemberLine(m.name, m.index, False, "receives_tekun"))
            d.step(
                "household_composition",
                f"{m.name}：已享受特困供养，不再计入低保",
                f"{m.name}: receives extreme poverty support instead",
                "receives_tekun",
            )
        else:
            d.members.append(MemberLine(m.name, m.index, True))
            counted.append(m)
    d.counted_members = len(counted)
    d.step(
        "household_composition",
        f"计入家庭成员 {len(counted)} 人：{'、'.join(m.name for m in counted) or '无'}",
        f"Counted members: {len(counted)}",
        len(counted),
    )
    return counted


def counted_income(d: Decision, members: list[Member], params: dict) -> Decimal:
    """Household monthly income [D21 §13]: wages, net business and property income, transfers in (pensions,
    unemployment benefit, compensation, support received, gifts) minus transfers out (tax, social insurance
    contributions, support paid). Not counted: preferential payments, family-planning awards, scholarships,
    good-Samaritan awards, social assistance, the basic residents' pension; support received from siblings or
    supporters aged 60+ (param: support_not_counted_from)."""
    not_from = set(params.get("support_not_counted_from", []))
    total_in, total_out = ZERO, ZERO
    parts_in, parts_out, parts_excluded = [], [], []  # (Chinese, English) of each income
    for m in members:
        line = next(x for x in d.members if x.index == m.index)
        own = ZERO
        for inc in m.incomes:
            label_en = both(IncomeKind(inc.kind).label)[1] if inc.kind in IncomeKind.values else inc.kind
            part = (f"{m.name}{KIND_ZH[inc.kind]} {fmt(inc.monthly)}", f"{m.name}: {label_en} {fmt(inc.monthly)}")
            if inc.kind in EXCLUDED_KINDS or (inc.kind == "support_received" and inc.source in not_from):
                parts_excluded.append(part)
            elif inc.kind in SUBTRACTED_KINDS:
                total_out += inc.monthly
                own -= inc.monthly
                parts_out.append(part)
            else:
                total_in += inc.monthly
                own += inc.monthly
                parts_in.append(part)
        line.income = cents(own)
    if parts_excluded:
        d.step(
            "income_excluded",
            "不计入收入：" + "，".join(zh for zh, _ in parts_excluded),
            "Not counted as income: " + "; ".join(en for _, en in parts_excluded),
            None,
        )
    d.step(
        "income_counted",
        f"计入收入 = {' + '.join(zh for zh, _ in parts_in) or '0.00'} = {fmt(total_in)} 元",
        f"Counted income = {' + '.join(en for _, en in parts_in) or '0.00'} = {fmt(total_in)} yuan",
        total_in,
    )
    if parts_out:
        d.step(
            "income_subtracted",
            f"扣减转移性支出 = {' + '.join(zh for zh, _ in parts_out)} = {fmt(total_out)} 元",
            f"Transfers out subtracted = {' + '.join(en for _, en in parts_out)} = {fmt(total_out)} yuan",
            total_out,
        )
    return total_in - total_out


def job_cost_deduction(d: Decision, members: list[Member], params: dict) -> Decimal:
    """Work-related cost deduction: param job_cost_ratio of each employed member's monthly wage, at most
    param job_cost_cap per member (demo pack: 10%, at most 200.00)."""
    ratio, cap = params["job_cost_ratio"], params["job_cost_cap"]
    total = ZERO
    for m in members:
        wage = sum((i.monthly for i in m.incomes if i.kind == "wage"), ZERO)
        if wage > 0:
            deduction = min(cents(wage * ratio), cap)
            total += deduction
            d.step(
                "job_cost_deduction",
                f"{m.name}就业成本扣除 = {fmt(wage)} × {ratio:%} 与 {fmt(cap)} 中较小者 = {fmt(deduction)} 元",
                f"{m.name} job-cost deduction = min({fmt(wage)} × {ratio:%}, {fmt(cap)}) = {fmt(deduction)} yuan",
                deduction,
            )
    return total


def rigid_expenditure_deduction(d: Decision, members: list[Member], params: dict) -> Decimal:
    """Documented monthly out-of-pocket costs of serious illness, disability and full-time education are
    deducted from household income (param: rigid_expenditure_deduction)."""
    if not params.get("rigid_expenditure_deduction", True):
        return ZERO
    total = sum((e.monthly for m in members for e in m.expenses), ZERO)
    if total:
        d.step(
            "rigid_expenditure_deduction",
            f"刚性支出扣除 = {fmt(total)} 元",
            f"Rigid expenditure deducted = {fmt(total)} yuan",
            total,
        )
    return total


def per_capita_income(d: Decision, income: Decimal, deductions: Decimal, counted: int) -> Decimal:
    """Per-capita income = max(0, household income − deductions) ÷ counted members, to the fen, half up
    [D21 §13]; household income is never below 0 (param: rigid_expenditure_deduction)."""
    net = max(income - deductions, ZERO)
    if counted == 0:
        d.step("per_capita_income", "无计入成员，人均收入记为 0", "No counted members: per-capita income 0", ZERO)
        return ZERO
    pc = cents(net / counted)
    d.per_capita_income = pc
    d.step(
        "per_capita_income",
        f"人均收入 = ({fmt(income)} − {fmt(deductions)}) ÷ {counted} = {fmt(pc)} 元",
        f"Per-capita income = ({fmt(income)} − {fmt(deductions)}) ÷ {counted} = {fmt(pc)} yuan",
        pc,
    )
    return pc


def asset_tests(d: Decision, assets: Assets, counted: int, standard: Decimal, params: dict) -> bool:
    """Asset rules [D21 §14] with the local limits: financial assets at most param financial_asset_months ×
    standard per counted member; vehicles: none except a disability vehicle, or one livelihood vehicle worth at
    most param vehicle_livelihood_max; homes: at most one, or total floor area per counted member at most param
    home_area_per_member_max; no legal representative, shareholder or executive of an enterprise, and a family
    workshop only without employees."""
    ok = True
    limit = cents(params["financial_asset_months"] * standard * max(counted, 1))
    if assets.financial > limit:
        ok = False
        d.refuse(
            "financial_assets",
            f"金融资产 {fmt(assets.financial)} 元超过上限 {fmt(limit)} 元",
            f"Financial assets {fmt(assets.financial)} exceed the limit {fmt(limit)}",
        )
    d.step(
        "asset_financial",
        f"金融资产 {fmt(assets.financial)} 元，上限 = {params['financial_asset_months']} × "
        f"{fmt(standard)} × {max(counted, 1)} = {fmt(limit)} 元",
        f"Financial assets {fmt(assets.financial)}, limit {fmt(limit)}",
        assets.financial <= limit,
    )
    others = [v for v in assets.vehicles if v.purpose != "disability"]
    vmax = params["vehicle_livelihood_max"]
    vehicle_ok = len(others) == 0 or (
        len(others) == 1 and others[0].purpose == "livelihood" and others[0].value <= vmax
    )
    if not vehicle_ok:
        ok = False
        d.refuse(
            "vehicles",
            f"拥有不符合规定的车辆（仅允许残疾人代步车或一辆价值不超过 {fmt(vmax)} 元的生计用车）",
            f"Vehicles not allowed (only a disability vehicle or one livelihood vehicle worth at most {fmt(vmax)})",
        )
    d.step(
        "asset_vehicles",
        f"车辆 {len(assets.vehicles)} 辆，{'符合' if vehicle_ok else '不符合'}规定",
        f"{len(assets.vehicles)} vehicle(s): {'allowed' if vehicle_ok else 'not allowed'}",
        vehicle_ok,
    )
    homes_ok = True
    if len(assets.homes) >= 2:
        area = sum(assets.homes, Decimal("0"))
        per = cents(area / max(counted, 1))
        homes_ok = per <= params["home_area_per_member_max"]
        d.step(
            "asset_homes",
            f"房屋 {len(assets.homes)} 套，人均面积 {area} ÷ {max(counted, 1)} = {per} m²，"
            f"上限 {params['home_area_per_member_max']} m²",
            f"{len(assets.homes)} homes, {per} m² per member",
            homes_ok,
        )
        if not homes_ok:
            ok = False
            d.refuse(
                "homes",
                f"拥有2套以上房屋且人均面积 {per} m² 超过 {params['home_area_per_member_max']} m²",
                f"Two or more homes with {per} m² per member, over {params['home_area_per_member_max']} m²",
            )
    roles = [b for b in assets.business_roles if b.role != "family_workshop" or b.employees > 0]
    if roles:
        ok = False
        d.refuse(
            "business",
            "家庭成员为企业法定代表人、股东或高管，或经营雇工的个体户",
            "A member runs or owns an enterprise, or a workshop with employees",
        )
    d.step(
        "asset_business",
        "经营主体身份" + ("不符合规定" if roles else "符合规定"),
        "Business roles " + ("not allowed" if roles else "allowed"),
        not roles,
    )
    return ok


def classified_addons(d: Decision, members: list[Member], standard: Decimal, on: dt.date, params: dict) -> Decimal:
    """Classified add-ons (分类施保): per counted member, the largest single add-on that applies — they do not
    stack (params addon_age70_ratio, addon_disability_1_2_ratio, addon_serious_illness_ratio)."""
    total = ZERO
    for m in members:
        options = []
        if m.age_on(on) >= 70:
            options.append((params["addon_age70_ratio"], "addon_age70", "70周岁以上", "aged 70+"))
        if m.disability_grade in (1, 2):
            options.append(
                (params["addon_disability_1_2_ratio"], "addon_disability_1_2", "一、二级残疾", "disability grade 1–2")
            )
        if m.serious_illness:
            options.append(
                (params["addon_serious_illness_ratio"], "addon_serious_illness", "重病患者", "serious illness")
            )
        if not options:
            continue
        ratio, rule, zh, en = max(options, key=lambda o: o[0])
        amount = cents(standard * ratio)
        line = next(x for x in d.members if x.index == m.index)
        line.addon, line.addon_rule = amount, rule
        total += amount
        d.step(
            "classified_addon",
            f"{m.name}分类施保（{zh}，取最高一项）= {fmt(standard)} × {ratio:%} = {fmt(amount)} 元",
            f"{m.name} add-on ({en}, largest one only) = {fmt(standard)} × {ratio:%} = {fmt(amount)} yuan",
            amount,
        )
    return total


def base_amount(d: Decision, standard: Decimal, pc: Decimal, counted: int) -> Decimal:
    """Base amount = (standard − per-capita income) × counted members [D21 §6]."""
    base = cents((standard - pc) * counted)
    d.step(
        "base_amount",
        f"差额 = ({fmt(standard)} − {fmt(pc)}) × {counted} = {fmt(base)} 元",
        f"Base = ({fmt(standard)} − {fmt(pc)}) × {counted} = {fmt(base)} yuan",
        base,
    )
    return base


def floor_amount(d: Decision, base: Decimal, standard: Decimal, counted: int, params: dict) -> Decimal:
    """Floor: a household with a base amount above 0 gets at least param floor_ratio × standard × counted
    members (demo pack: 10%)."""
    floor = cents(params["floor_ratio"] * standard * counted)
    binds = floor > base
    d.step(
        "floor",
        f"保底 = {params['floor_ratio']:%} × {fmt(standard)} × {counted} = {fmt(floor)} 元，"
        f"{'高于差额，按保底发放' if binds else '不高于差额，不适用'}",
        f"Floor = {params['floor_ratio']:%} × {fmt(standard)} × {counted} = {fmt(floor)} yuan, "
        f"{'applies' if binds else 'does not bind'}",
        floor,
    )
    return max(base, floor)


def rounding(d: Decision, amount: Decimal, params: dict) -> Decimal:
    """Rounding of the household's monthly amount (param rounding: yuan_half_up = whole yuan, half up;
    fen = to the fen)."""
    if params.get("rounding", "yuan_half_up") == "yuan_half_up":
        rounded = round_yuan_half_up(amount)
        d.step(
            "rounding",
            f"按元四舍五入：{fmt(amount)} → {fmt(rounded)} 元",
            f"Rounded half up to whole yuan: {fmt(amount)} → {fmt(rounded)}",
            rounded,
        )
        return rounded
    return cents(amount)


def labour_capacity_none(m: Member, on: dt.date) -> tuple[bool, str, str]:
    """No labour capacity [T21 §5, OP20]: aged 60+, or under 18, or intellectual/mental disability grade 1–3,
    physical grade 1–2, or visual grade 1."""
    age = m.age_on(on)
    if age >= 60:
        return True, f"年满60周岁（{age}岁）", f"aged 60+ ({age})"
    if age < 18:
        return True, f"未满18周岁（{age}岁）", f"under 18 ({age})"
    g, k = m.disability_grade, m.disability_kind
    if (
        (k in ("intellectual", "mental") and g in (1, 2, 3))
        or (k == "physical" and g in (1, 2))
        or (k == "visual" and g == 1)
    ):
        zh, en = both(DisabilityKind(k).label)
        return True, f"{zh}{g}级", f"{en.lower()} disability grade {g}"
    return False, f"{age}岁，无规定的残疾等级", f"aged {age}, no qualifying disability"


def self_care_level(m: Member) -> tuple[str, str, str]:
    """Self-care level from six daily activities [T21 §21–23]: none impossible = self-care; 1–3 impossible =
    partly lost; 4 or more = fully lost."""
    if m.adl_unable >= 4:
        return "full", "完全丧失生活自理能力", "fully lost"
    if m.adl_unable >= 1:
        return "partial", "部分丧失生活自理能力", "partly lost"
    return "self", "具备生活自理能力", "self-care"
