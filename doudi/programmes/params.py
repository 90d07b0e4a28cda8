"""What each programme's parameters are: type, meaning, and allowed range. Versions store values as JSON
(decimals as strings); ``params_parse`` turns them into Decimal/int/… and names a bad field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from doudi.audit.details import register_fields, register_values
from doudi.core.errors import ApplicationError
from doudi.core.money import money_parse

from .shapes import SHAPES
from .spec import ParamSpec

# Each programme's parameter schema, from its shape (doudi/programmes/shapes/<code>.py).
SPECS: dict[str, tuple[ParamSpec, ...]] = {code: shape.specs for code, shape in SHAPES.items()}


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
