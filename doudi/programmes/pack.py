"""The demo county's policy pack (domain.md §2–§5e), as data: each programme's versions are in its shape
(``shapes/<code>.py``, ``pack``). `doudi load_policy_pack` loads it — or a county's own pack from a JSON file of
the same shape — as approved parameter versions; ``pack_read`` checks a pack before anything is saved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from doudi.core.errors import ApplicationError
from doudi.core.validation import date_range_check, text_clean

from .params import SPECS, params_dump, params_parse
from .shapes import SHAPES
from .shapes.dibao import COMMON as DIBAO_COMMON
from .shapes.tekun import CARE as TEKUN_CARE
from .shapes.veterans import legacy_values_upgrade

DEMO_PACK = {
    "programmes": [
        {"code": s.code, "name_zh": s.name_zh, "name_en": s.name_en, "kind": s.kind, "unit": s.unit}
        for s in SHAPES.values()
    ],
    "versions": [{"programme": s.code, **version} for s in SHAPES.values() for version in s.pack],
}

# Parameter names of earlier releases a county's saved pack may still use, read as today's (programme: upgrade)
LEGACY_NAMES = {"veterans": legacy_values_upgrade}


@dataclass
class PackContents:
    """A pack as checked: its programmes (as the shapes define them, with the pack's names), its versions
    (parameters parsed and dumped), and notes for the person loading it (old names read as new ones)."""

    programmes: list[dict] = field(default_factory=list)
    versions: list[dict] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def _refuse(where: str, zh: str, en: str) -> ApplicationError:
    return ApplicationError(f"{where}：{zh}", f"{where}: {en}", field=where, code="invalid_pack")


def _items(pack: dict, key: str) -> list:
    items = pack.get(key, [])
    if not isinstance(items, list):
        raise _refuse(key, "应为列表", "must be a list")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _refuse(f"{key}[{i}]", "应为对象（花括号括起的各项）", "must be an object")
    return items


def _programme(i: int, p: dict) -> dict:
    where = f"programmes[{i}]"
    shape = SHAPES.get(p.get("code")) if isinstance(p.get("code"), str) else None
    if shape is None:
        shown = str(p.get("code"))[:32]
        raise _refuse(f"{where}.code", f"系统没有这个救助项目（{shown}）", f"no such programme in the system ({shown})")
    for key in ("kind", "unit"):  # the rules compute as the shape says: a pack may not make dibao per person
        if key in p and p[key] != getattr(shape, key):
            raise _refuse(
                f"{where}.{key}",
                f"须为 {getattr(shape, key)}（由系统的计算规则决定）",
                f"must be {getattr(shape, key)} (the system's rules decide it)",
            )
    names = {
        key: text_clean(
            p.get(key, getattr(shape, key)),
            field=f"{where}.{key}",
            zh_label=f"{where}.{key}",
            en_label=f"{where}.{key}",
            max_length=length,
            required=True,
        )
        for key, length in (("name_zh", 60), ("name_en", 80))
    }
    return {"code": shape.code, **names, "kind": shape.kind, "unit": shape.unit}


def _version(i: int, v: dict, notes: list) -> dict:
    where = f"versions[{i}]"
    programme = v.get("programme")
    if not isinstance(programme, str) or programme not in SPECS:
        shown = str(programme)[:32]
        raise _refuse(f"{where}.programme", f"系统没有这个救助项目（{shown}）", f"no such programme ({shown})")
    try:
        on = dt.date.fromisoformat(v.get("effective_from"))
    except (TypeError, ValueError):
        raise _refuse(
            f"{where}.effective_from", "须为 YYYY-MM-DD 格式的日期", "must be a date written YYYY-MM-DD"
        ) from None
    date_range_check(
        on, field=f"{where}.effective_from", zh_label=f"{where}.生效日期", en_label=f"{where}.effective_from"
    )
    values = v.get("values")
    if not isinstance(values, dict):
        raise _refuse(f"{where}.values", "应按参数名逐项给出", "must give each parameter by name")
    if programme in LEGACY_NAMES:
        values, carried = LEGACY_NAMES[programme](values)
        for old, new in carried:
            notes.append(
                (
                    f"{where}（{programme}，{on}）：旧参数名 {old} 已按新参数 {'、'.join(new) or '（均已另给）'} 读入",
                    f"{where} ({programme}, {on}): the old parameter {old} was read as {', '.join(new) or '(all given)'}",
                )
            )
    try:
        parsed = params_parse(programme, values)
    except ApplicationError as e:
        named = f"{where}.values.{e.field}" if e.field else f"{where}.values"
        raise ApplicationError(
            f"{named}（{programme}，{on}）：{e.zh}",
            f"{named} ({programme}, {on}): {e.en}",
            field=named,
            code=e.code,
        ) from None
    note = text_clean(
        v.get("note", ""), field=f"{where}.note", zh_label=f"{where}.说明", en_label=f"{where}.note", max_length=200
    )
    return {"programme": programme, "effective_from": on, "values": params_dump(parsed), "note": note}


def pack_read(pack) -> PackContents:
    """A pack checked whole before anything is saved: a refusal names the item (``versions[3].values.dibao_urban``)
    in Chinese and English."""
    if not isinstance(pack, dict):
        raise _refuse(
            "pack",
            "策略包应为 JSON 对象（含 programmes 和 versions 两项）",
            "must be a JSON object with programmes and versions",
        )
    contents = PackContents()
    contents.programmes = [_programme(i, p) for i, p in enumerate(_items(pack, "programmes"))]
    contents.versions = [_version(i, v, contents.notes) for i, v in enumerate(_items(pack, "versions"))]
    return contents


__all__ = ["DEMO_PACK", "DIBAO_COMMON", "TEKUN_CARE", "PackContents", "pack_read"]
