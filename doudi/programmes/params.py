"""What each programme's parameters are: type, meaning, and allowed range. Versions store values as JSON
(decimals as strings); ``params_parse`` turns them into Decimal/int/… and names a bad field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from doudi.audit.details import register_fields, register_values
from doudi.core.errors import ApplicationError
from doudi.core.money import money_parse


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: its stored name, kind, label and help text (Chinese and English), unit, and range.

    Kinds: ``money`` (yuan, two decimals), ``ratio`` (a fraction 0–1 stored with up to four decimals, shown and
    edited as a percentage), ``number`` (up to four decimals: a multiple, months, m²), ``int``, ``bool``,
    ``choice`` (one of ``choices``) and ``list`` (several of ``choices``)."""

    name: str
    kind: str  # money | ratio | number | int | bool | choice | list
    zh: str
    en: str
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    choices: tuple[str, ...] = ()
    unit: str = ""
    unit_en: str = ""
    help: str = ""
    help_en: str = ""
    positive: bool = False  # money: greater than 0
    labels: tuple[tuple[str, str, str], ...] = ()  # choice/list: (value, Chinese, English)

    def label(self, en: bool = False) -> str:
        return self.en if en else self.zh

    def choice_label(self, value: str, en: bool = False) -> str:
        for code, zh, english in self.labels:
            if code == value:
                return english if en else zh
        return value


M, R = "money", "ratio"
ROUNDING = (("yuan_half_up", "四舍五入到元", "Half up to the yuan"), ("fen", "精确到分", "To the fen"))
SUPPORT_FROM = (
    ("sibling", "兄弟姐妹给付的赡养/扶养费", "Support from siblings"),
    ("supporter_60_plus", "60岁以上赡养人给付的赡养费", "Support from supporters aged 60+"),
    ("other", "其他赡养人给付的赡养费", "Support from other supporters"),
)
PER_PERSON_MONTH = {"unit": "元/人·月", "unit_en": "yuan/person/month"}
PER_MONTH = {"unit": "元/月", "unit_en": "yuan/month"}
YUAN = {"unit": "元", "unit_en": "yuan"}
RATIO = {"minimum": Decimal(0), "maximum": Decimal(1)}
SPECS: dict[str, list[ParamSpec]] = {
    "dibao": [
        ParamSpec(
            "standard_urban",
            M,
            "城市低保标准",
            "Urban standard",
            Decimal(0),
            positive=True,
            help="城市户籍家庭的月人均标准；家庭人均收入低于它才符合条件，补差到它",
            help_en="Monthly standard per person for urban households: eligible below it, topped up to it",
            **PER_PERSON_MONTH,
        ),
        ParamSpec(
            "standard_rural",
            M,
            "农村低保标准",
            "Rural standard",
            Decimal(0),
            positive=True,
            help="农村户籍家庭的月人均标准",
            help_en="Monthly standard per person for rural households",
            **PER_PERSON_MONTH,
        ),
        ParamSpec(
            "job_cost_ratio",
            R,
            "就业成本扣除比例",
            "Job-cost deduction ratio",
            help="从每位就业成员的工资收入中扣除的比例",
            help_en="Share of each working member's wage deducted as the cost of working",
            **RATIO,
        ),
        ParamSpec(
            "job_cost_cap",
            M,
            "就业成本扣除上限",
            "Job-cost deduction cap",
            Decimal(0),
            help="每位就业成员每月最多扣除的金额",
            help_en="The most deducted per working member and month",
            **PER_MONTH,
        ),
        ParamSpec(
            "support_not_counted_from",
            "list",
            "不计入收入的赡养费",
            "Support received not counted as income",
            choices=tuple(c for c, _zh, _en in SUPPORT_FROM),
            labels=SUPPORT_FROM,
            help="勾选的赡养/扶养费不计入家庭收入",
            help_en="Support received from the ticked kinds of supporter is not counted as income",
        ),
        ParamSpec(
            "rigid_expenditure_deduction",
            "bool",
            "扣除刚性支出",
            "Deduct rigid expenditure",
            help="计算家庭收入时扣除医疗、教育等刚性支出",
            help_en="Deduct medical, schooling and other rigid expenditure from household income",
        ),
        ParamSpec(
            "financial_asset_months",
            "number",
            "人均金融资产上限",
            "Financial assets per member",
            Decimal(0),
            unit="个月标准",
            unit_en="months of the standard",
            help="人均存款等金融资产不得超过低保标准的这么多个月",
            help_en="Financial assets per member may not exceed this many months of the standard",
        ),
        ParamSpec(
            "vehicle_livelihood_max",
            M,
            "生计用车价值上限",
            "Livelihood vehicle value cap",
            Decimal(0),
            help="家庭唯一的生计用车价值不超过此数时不影响资格",
            help_en="A household's only livelihood vehicle worth at most this does not bar eligibility",
            **YUAN,
        ),
        ParamSpec(
            "home_area_per_member_max",
            "number",
            "多套房人均面积上限",
            "Floor area per member with 2+ homes",
            Decimal(0),
            unit="m²",
            unit_en="m²",
            help="有两套及以上住房的家庭，人均住房面积不得超过此数",
            help_en="Households with two or more homes: floor area per member at most this",
        ),
        ParamSpec(
            "floor_ratio",
            R,
            "保底比例",
            "Floor ratio",
            help="补差金额不足时，按标准的这一比例保底发放",
            help_en="When the top-up is small, at least this share of the standard is paid",
            **RATIO,
        ),
        ParamSpec(
            "addon_age70_ratio",
            R,
            "70岁以上加发比例",
            "Add-on aged 70+",
            help="70岁以上成员按标准的这一比例加发",
            help_en="Members aged 70 or more get this share of the standard on top",
            **RATIO,
        ),
        ParamSpec(
            "addon_disability_1_2_ratio",
            R,
            "一二级残疾加发比例",
            "Add-on disability grade 1–2",
            help="一二级残疾成员按标准的这一比例加发",
            help_en="Members with a grade 1–2 disability get this share of the standard on top",
            **RATIO,
        ),
        ParamSpec(
            "addon_serious_illness_ratio",
            R,
            "重病加发比例",
            "Add-on serious illness",
            help="重病成员按标准的这一比例加发（多项只取最高一项）",
            help_en="Seriously ill members get this share on top (only the largest add-on counts)",
            **RATIO,
        ),
        ParamSpec(
            "rounding",
            "choice",
            "取整规则",
            "Rounding rule",
            choices=("yuan_half_up", "fen"),
            labels=ROUNDING,
            help="月保障金的取整方式",
            help_en="How the monthly amount is rounded",
        ),
        ParamSpec(
            "single_person_edge_ratio",
            "number",
            "单人户边缘家庭倍数",
            "Edge family for enrolling alone",
            Decimal(1),
            unit="倍标准",
            unit_en="× the standard",
            help="家庭人均收入低于标准的这么多倍时，重病重残成员可单独纳入",
            help_en="Below this multiple of the standard a seriously ill or disabled member may be enrolled alone",
        ),
        ParamSpec(
            "gradual_exit_months",
            "int",
            "渐退期",
            "Gradual exit",
            0,
            6,
            unit="个月",
            unit_en="months",
            help="收入超过标准后继续发放的月数（0 至 6）",
            help_en="Months the allowance continues after income rises above the standard (0 to 6)",
        ),
    ],
    "tekun": [
        ParamSpec(
            "basic_scattered",
            M,
            "分散供养基本生活标准",
            "Basic standard, scattered",
            Decimal(0),
            positive=True,
            help="分散供养特困人员每人每月的基本生活标准",
            help_en="Monthly basic living standard per person supported at home",
            **PER_MONTH,
        ),
        ParamSpec(
            "basic_centralised",
            M,
            "集中供养基本生活标准",
            "Basic standard, centralised",
            Decimal(0),
            positive=True,
            help="在敬老院等机构集中供养的特困人员每人每月的基本生活标准",
            help_en="Monthly basic living standard per person supported in an institution",
            **PER_MONTH,
        ),
        ParamSpec(
            "floor_dibao_ratio",
            "number",
            "不低于农村低保标准的倍数",
            "At least × rural dibao standard",
            Decimal(0),
            unit="倍",
            unit_en="×",
            help="基本生活标准不得低于农村低保标准的这么多倍",
            help_en="The basic standard is at least this multiple of the rural dibao standard",
        ),
        ParamSpec(
            "care_self",
            M,
            "照料标准：自理",
            "Care standard: self-care",
            Decimal(0),
            help="生活能自理的特困人员每月照料护理费",
            help_en="Monthly care allowance for a person who can look after themselves",
            **PER_MONTH,
        ),
        ParamSpec(
            "care_partial",
            M,
            "照料标准：部分失能",
            "Care standard: partly lost",
            Decimal(0),
            help="部分丧失生活自理能力的特困人员每月照料护理费",
            help_en="Monthly care allowance for a person who partly lost self-care",
            **PER_MONTH,
        ),
        ParamSpec(
            "care_full",
            M,
            "照料标准：完全失能",
            "Care standard: fully lost",
            Decimal(0),
            help="完全丧失生活自理能力的特困人员每月照料护理费",
            help_en="Monthly care allowance for a person who fully lost self-care",
            **PER_MONTH,
        ),
        ParamSpec(
            "rounding",
            "choice",
            "取整规则",
            "Rounding rule",
            choices=("yuan_half_up", "fen"),
            labels=ROUNDING,
            help="月供养金的取整方式",
            help_en="How the monthly amount is rounded",
        ),
    ],
}


def _bad(spec: ParamSpec, zh: str, en: str) -> ApplicationError:
    """A refusal that names the parameter by its label ("城市低保标准：须为大于0的金额"); ``field`` is its name."""
    return ApplicationError(f"{spec.zh}：{zh}", f"{spec.en}: {en}", field=spec.name, code="invalid_parameter")


NUMBER_MAX = Decimal(1000)
NUMBER_DECIMALS = 4


def _shown(raw) -> tuple[str, str]:
    text = raw if isinstance(raw, str) else repr(raw)
    text = text.strip()[:30]
    return (f"（{text}）", f" ({text})") if text else ("", "")


def _money(spec: ParamSpec, raw) -> Decimal:
    """Yuan with at most two decimals (core.money.money_parse), more than 0 when the spec says so."""
    if isinstance(raw, float):
        raise _bad(spec, '须写成字符串或整数，如 "400.00"', 'must be a string or an integer, such as "400.00"')
    try:
        return money_parse(raw, field=spec.name, zh_label="", en_label="", positive=spec.positive)
    except ApplicationError as e:
        zh, en = _shown(raw)
        if e.code == "amount_decimals":
            raise _bad(spec, f"金额最多两位小数（到分）{zh}", f"at most two decimals (to the fen){en}") from None
        if e.code == "amount_range":
            if spec.positive:
                raise _bad(spec, f"须为大于0的金额{zh}", f"must be an amount greater than 0{en}") from None
            raise _bad(spec, f"须为不小于0的金额{zh}", f"must be an amount of at least 0{en}") from None
        if e.code == "required":
            raise _bad(spec, "不能为空", "is required") from None
        raise _bad(spec, f"须为金额，如 400.00{zh}", f"must be an amount such as 400.00{en}") from None


def _number(spec: ParamSpec, raw) -> Decimal:
    """A ratio or number: digits with at most four decimals, from 0 to 1,000 (no exponent, NaN or Infinity)."""
    if isinstance(raw, float):
        raise _bad(spec, '须写成字符串或整数，如 "1.5"', 'must be a string or an integer, such as "1.5"')
    text = (
        raw.strip()
        if isinstance(raw, str)
        else str(raw)
        if isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) < 10**6
        else None
    )
    if text == "":
        raise _bad(spec, "不能为空", "is required")
    if text is None or not re.fullmatch(rf"[0-9]{{1,6}}(\.[0-9]{{1,{NUMBER_DECIMALS}}})?", text):
        zh, en = _shown(raw)
        if text is not None and re.fullmatch(r"-[0-9.]+", text):
            raise _bad(spec, f"不能为负数{zh}", f"must not be negative{en}")
        raise _bad(
            spec,
            f"须为最多{NUMBER_DECIMALS}位小数的数字，如 1.5{zh}",
            f"must be a number with at most {NUMBER_DECIMALS} decimals, such as 1.5{en}",
        )
    value = Decimal(text)
    if value > NUMBER_MAX:
        raise _bad(spec, f"不能大于 {NUMBER_MAX}", f"must be at most {NUMBER_MAX}")
    return value


def _bound(spec: ParamSpec, value) -> str:
    """A limit as the person sees it (a ratio's as a percentage)."""
    if spec.kind == "ratio":
        return f"{(Decimal(value) * 100).normalize():f}%"
    return f"{value}"


def param_value_parse(spec: ParamSpec, raw):
    """One stored value, checked and converted (Decimal, int, bool, str or list), or a refusal naming it."""
    if spec.kind == "money":
        value = _money(spec, raw)
    elif spec.kind in ("ratio", "number"):
        value = _number(spec, raw)
    elif spec.kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise _bad(spec, "须为整数", "must be a whole number")
        value = raw
    elif spec.kind == "bool":
        if not isinstance(raw, bool):
            raise _bad(spec, "须为 true 或 false", "must be true or false")
        value = raw
    elif spec.kind == "choice":
        if raw not in spec.choices:
            allowed = "、".join(f"{spec.choice_label(c)}（{c}）" for c in spec.choices)
            raise _bad(spec, f"可选 {allowed}", f"allowed: {', '.join(spec.choices)}")
        value = raw
    else:  # list of choices
        if not isinstance(raw, list) or any(not isinstance(v, str) or v not in spec.choices for v in raw):
            allowed = "、".join(f"{spec.choice_label(c)}（{c}）" for c in spec.choices)
            raise _bad(spec, f"须为列表，元素可选 {allowed}", f"must be a list of {', '.join(spec.choices)}")
        value = list(dict.fromkeys(raw))
    if spec.minimum is not None and value < spec.minimum:
        shown = _bound(spec, spec.minimum)
        raise _bad(spec, f"不能小于 {shown}", f"must be at least {shown}")
    if spec.maximum is not None and value > spec.maximum:
        shown = _bound(spec, spec.maximum)
        raise _bad(spec, f"不能大于 {shown}", f"must be at most {shown}")
    return value


def specs_of(programme: str) -> dict[str, ParamSpec]:
    return {s.name: s for s in SPECS[programme]}


def params_parse(programme: str, values: dict, *, partial: bool = False) -> dict:
    """Validate and convert stored values. With ``partial`` (a township override) missing names are allowed."""
    if not isinstance(values, dict):
        raise ApplicationError(
            "参数值应按参数名逐项给出",
            "values must give each parameter by name",
            field="values",
            code="invalid_parameter",
        )
    out = {}
    for spec in SPECS[programme]:
        if spec.name not in values:
            if partial:
                continue
            raise _bad(spec, "缺少此参数", "is missing")
        out[spec.name] = param_value_parse(spec, values[spec.name])
    unknown = set(values) - {s.name for s in SPECS[programme]}
    if unknown:
        names = ", ".join(str(name)[:40] for name in sorted(unknown, key=str)[:5])
        raise ApplicationError(
            f"未知参数：{names}",
            f"Unknown parameters: {names}",
            field=str(sorted(unknown, key=str)[0])[:40],
            code="invalid_parameter",
        )
    return out


def params_dump(values: dict) -> dict:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}


def _register_for_audit() -> None:
    """The audit page names parameters (a version's values) and their choices as this table does."""
    register_fields({spec.name: (spec.zh, spec.en) for specs in SPECS.values() for spec in specs})
    register_values(CHOICE_LABELS)


# The choices of the parameters, by name (the parameter forms and the audit page show these, never the code).
CHOICE_LABELS = {
    "yuan_half_up": ("按元四舍五入", "Rounded half up to whole yuan"),
    "fen": ("保留到分", "Kept to the fen"),
}
_register_for_audit()


# ---- showing values and differences ----------------------------------------------------------------------------
def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def param_display(spec: ParamSpec, value, *, en: bool = False) -> str:
    """A value as a person reads it: "400.00 元/人·月", "10%", "24 个月标准", "是", "四舍五入到元"."""
    if value is None:
        return "—"
    unit = spec.unit_en if en else spec.unit
    if spec.kind == "money":
        return f"{Decimal(value):.2f} {unit}".strip()
    if spec.kind == "ratio":
        return f"{_plain(Decimal(value) * 100)}%"
    if spec.kind in ("number", "int"):
        return f"{_plain(Decimal(value))} {unit}".strip()
    if spec.kind == "bool":
        return ("yes" if value else "no") if en else ("是" if value else "否")
    if spec.kind == "choice":
        return spec.choice_label(value, en)
    sep = ", " if en else "、"
    return sep.join(spec.choice_label(v, en) for v in value) or ("none" if en else "无")


@dataclass(frozen=True)
class ParamChange:
    spec: ParamSpec
    old: str
    new: str
    change: str  # "+30.00 元/人·月（+8.11%）", "+5 个百分点", "否 → 是", or "" when unchanged
    changed: bool


def params_diff(programme: str, old: dict | None, new: dict, *, en: bool = False) -> list[ParamChange]:
    """Field by field, the values in force (``old``, parsed; None when nothing is in force) against ``new``."""
    rows = []
    for spec in SPECS[programme]:
        a = None if old is None else old.get(spec.name)
        b = new.get(spec.name)
        changed = a != b if spec.kind != "list" else sorted(a or []) != sorted(b or [])
        change = ""
        if changed and a is not None and b is not None and spec.kind in ("money", "ratio", "number", "int"):
            delta = Decimal(b) - Decimal(a)
            sign = "+" if delta > 0 else "-" if delta < 0 else ""
            if spec.kind == "money":
                change = f"{sign}{abs(delta):.2f} {spec.unit_en if en else spec.unit}".strip()
                if a:
                    pct = (delta / Decimal(a) * 100).quantize(Decimal("0.01"))
                    change += f" ({sign}{abs(pct)}%)" if en else f"（{sign}{abs(pct)}%）"
            elif spec.kind == "ratio":
                points = _plain(abs(delta) * 100)
                change = f"{sign}{points} percentage points" if en else f"{sign}{points} 个百分点"
            else:
                change = f"{sign}{_plain(abs(delta))} {spec.unit_en if en else spec.unit}".strip()
        elif changed:
            change = ("new" if en else "新设") if a is None else ("changed" if en else "已改")
        rows.append(
            ParamChange(spec, param_display(spec, a, en=en), param_display(spec, b, en=en), change, bool(changed))
        )
    return rows
