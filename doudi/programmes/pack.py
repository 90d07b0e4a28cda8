"""The demo county's policy pack (domain.md §2–§5e), as data: each programme's versions are in its shape
(``shapes/<code>.py``, ``pack``). `doudi load_policy_pack` loads it — or a county's own pack from a JSON file of
the same shape — as approved parameter versions."""

from __future__ import annotations

from .shapes import SHAPES
from .shapes.dibao import COMMON as DIBAO_COMMON
from .shapes.tekun import CARE as TEKUN_CARE

DEMO_PACK = {
    "programmes": [
        {"code": s.code, "name_zh": s.name_zh, "name_en": s.name_en, "kind": s.kind, "unit": s.unit}
        for s in SHAPES.values()
    ],
    "versions": [{"programme": s.code, **version} for s in SHAPES.values() for version in s.pack],
}

__all__ = ["DEMO_PACK", "DIBAO_COMMON", "TEKUN_CARE"]
