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
    name: str
    kind: str  # money | ratio | number | int | bool | choice | list
    zh: str
    en: str
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    choices: tuple[str, ...] = ()


M, R = "money", "ratio"
SPECS: dict[str, list[ParamSpec]] = {
    "dibao": [
        ParamSpec("standard_urban", M, "城市低保标准（元/人·月）", "Urban standard (yuan/person/month)", Decimal(0)),
        ParamSpec("standard_rural", M, "农村低保标准（元/人·月）", "Rural standard (yuan/person/month)", Decimal(0)),
        ParamSpec("job_cost_ratio", R, "就业成本扣除比例", "Job-cost deduction ratio", Decimal(0), Decimal(1)),
        ParamSpec("job_cost_cap", M, "就业成本扣除上限（元）", "Job-cost deduction cap (yuan)", Decimal(0)),
        ParamSpec(
            "support_not_counted_from",
            "list",
            "不计入的赡养费来源",
            "Support received not counted from",
            choices=("sibling", "supporter_60_plus", "other"),
        ),
        ParamSpec("rigid_expenditure_deduction", "bool", "扣除刚性支出", "Deduct rigid expenditure"),
        ParamSpec(
            "financial_asset_months",
            "number",
            "人均金融资产上限（月标准倍数）",
            "Financial assets per member (× monthly standard)",
            Decimal(0),
        ),
        ParamSpec(
            "vehicle_livelihood_max", M, "生计用车价值上限（元）", "Livelihood vehicle value cap (yuan)", Decimal(0)
        ),
        ParamSpec(
            "home_area_per_member_max",
            "number",
            "多套房人均面积上限（m²）",
            "Floor area per member with 2+ homes (m²)",
            Decimal(0),
        ),
        ParamSpec("floor_ratio", R, "保底比例", "Floor ratio", Decimal(0), Decimal(1)),
        ParamSpec("addon_age70_ratio", R, "70岁以上加发比例", "Add-on aged 70+ (ratio)", Decimal(0), Decimal(1)),
        ParamSpec(
            "addon_disability_1_2_ratio",
            R,
            "一二级残疾加发比例",
            "Add-on disability grade 1–2 (ratio)",
            Decimal(0),
            Decimal(1),
        ),
        ParamSpec(
            "addon_serious_illness_ratio", R, "重病加发比例", "Add-on serious illness (ratio)", Decimal(0), Decimal(1)
        ),
        ParamSpec("rounding", "choice", "取整规则", "Rounding rule", choices=("yuan_half_up", "fen")),
        ParamSpec(
            "single_person_edge_ratio",
            "number",
            "单人户边缘家庭倍数",
            "Edge family (× standard) for enrolling alone",
            Decimal(1),
        ),
        ParamSpec("gradual_exit_months", "int", "渐退期（月）", "Gradual exit (months)", 0, 6),
    ],
    "tekun": [
        ParamSpec(
            "basic_scattered", M, "分散供养基本生活标准（元/月）", "Basic standard, scattered (yuan/month)", Decimal(0)
        ),
        ParamSpec(
            "basic_centralised",
            M,
            "集中供养基本生活标准（元/月）",
            "Basic standard, centralised (yuan/month)",
            Decimal(0),
        ),
        ParamSpec(
            "floor_dibao_ratio", "number", "不低于农村低保标准的倍数", "At least × rural dibao standard", Decimal(0)
        ),
        ParamSpec("care_self", M, "照料标准：自理", "Care standard: self-care", Decimal(0)),
        ParamSpec("care_partial", M, "照料标准：部分失能", "Care standard: partly lost", Decimal(0)),
        ParamSpec("care_full", M, "照料标准：完全失能", "Care standard: fully lost", Decimal(0)),
        ParamSpec("rounding", "choice", "取整规则", "Rounding rule", choices=("yuan_half_up", "fen")),
    ],
}


def _bad(spec: ParamSpec, zh: str, en: str) -> ApplicationError:
    return ApplicationError(
        f"{spec.zh}（{spec.name}）：{zh}", f"{spec.en} ({spec.name}): {en}", field=spec.name, code="invalid_parameter"
    )


NUMBER_MAX = Decimal(1000)
NUMBER_DECIMALS = 4


def _number(spec: ParamSpec, raw) -> Decimal:
    """A ratio or number: digits with at most four decimals, from 0 to 1,000 (no exponent, NaN or Infinity)."""
    text = (
        raw.strip()
        if isinstance(raw, str)
        else str(raw)
        if isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) < 10**6
        else None
    )
    if text is None or not re.fullmatch(rf"[0-9]{{1,6}}(\.[0-9]{{1,{NUMBER_DECIMALS}}})?", text):
        shown = repr(raw)[:30]
        raise _bad(
            spec,
            f'应写成最多{NUMBER_DECIMALS}位小数的数字，如 "1.5"：{shown}',
            f'must be a number with at most {NUMBER_DECIMALS} decimals, such as "1.5": {shown}',
        )
    value = Decimal(text)
    if value > NUMBER_MAX:
        raise _bad(spec, f"不能大于 {NUMBER_MAX}", f"must be at most {NUMBER_MAX}")
    return value


def params_parse(programme: str, values: dict, *, partial: bool = False) -> dict:
    """Validate and convert stored values. With ``partial`` (a township override) missing names are allowed."""
    out = {}
    for spec in SPECS[programme]:
        if spec.name not in values:
            if partial:
                continue
            raise _bad(spec, "缺少此参数", "is missing")
        raw = values[spec.name]
        if spec.kind in ("money", "ratio", "number"):
            if isinstance(raw, float):
                raise _bad(spec, "须写成字符串或整数", "must be a string or an integer")
            if spec.kind == "money":
                try:
                    value = money_parse(raw, field=spec.name, zh_label="", en_label="")
                except ApplicationError as e:
                    raise _bad(spec, e.zh, e.en.strip()) from None
            else:
                value = _number(spec, raw)
        elif spec.kind == "int":
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise _bad(spec, "应为整数", "must be an integer")
            value = raw
        elif spec.kind == "bool":
            if not isinstance(raw, bool):
                raise _bad(spec, "应为 true 或 false", "must be true or false")
            value = raw
        elif spec.kind == "choice":
            if raw not in spec.choices:
                raise _bad(spec, f"可选 {', '.join(spec.choices)}", f"allowed: {', '.join(spec.choices)}")
            value = raw
        else:  # list of choices
            if not isinstance(raw, list) or any(v not in spec.choices for v in raw):
                raise _bad(spec, f"应为列表，元素可选 {', '.join(spec.choices)}", f"list of {', '.join(spec.choices)}")
            value = list(raw)
        if spec.minimum is not None and value < spec.minimum:
            raise _bad(spec, f"不能小于 {spec.minimum}", f"must be at least {spec.minimum}")
        if spec.maximum is not None and value > spec.maximum:
            raise _bad(spec, f"不能大于 {spec.maximum}", f"must be at most {spec.maximum}")
        out[spec.name] = value
    unknown = set(values) - {s.name for s in SPECS[programme]}
    if unknown:
        names = ", ".join(name[:40] for name in sorted(unknown)[:5])
        raise ApplicationError(
            f"未知参数：{names}",
            f"Unknown parameters: {names}",
            field=sorted(unknown)[0][:40],
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
