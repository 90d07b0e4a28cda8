"""Display names in the reader's language: one language at a time, never the code and never both languages.

Three kinds of names meet here:

- enumerations (``models.TextChoices``) label their members with ``gettext_lazy``; the English is in the catalogue;
- things that carry both names themselves (a programme's ``name_zh``/``name_en``, a case move, an explanation
  step stored as ``{"zh": …, "en": …}``, an ApplicationError) are shown with ``said()`` / the ``said`` filter;
- codes met as data (an audit event's action, a field name in its details) are looked up in the tables of the
  app that owns them (``doudi/audit/events.py`` ``action_label``, ``doudi/audit/details.py``).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from django.utils.translation import gettext


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


def both(label) -> tuple[str, str]:
    """A translatable label (``gettext_lazy``, a TextChoices member's label) in Chinese and in English, for text
    that is stored with both languages (an explanation step) and shown in one."""
    with translation.override("zh-hans"):
        zh = str(label)
    with translation.override("en"):
        en = str(label)
    return zh, en


_HAN = re.compile(r"[\u3400-\u9fff]")


def split_stored(text: str) -> tuple[str, str | None]:
    """A message stored in both languages as "中文 / English" (an ApplicationError's ``message``, an account
    problem): its two halves; any other text is one language (``None`` for the English)."""
    zh, sep, en = text.partition(" / ")
    if sep and _HAN.search(zh) and not _HAN.search(en):
        return zh, en
    return text, None


def explanation_lines(decision: dict | None) -> list[str]:
    """A stored decision's explanation (``Decision.as_dict()``), a line a step, in the reader's language."""
    return [said(step) for step in (decision or {}).get("explanation", [])]


def said(zh: Any, en: Any = None) -> str:
    """``zh`` or ``en`` by the current language. One argument: a mapping or an object with ``zh`` and ``en``."""
    if en is None:
        thing = zh
        if isinstance(thing, str):
            zh, en = split_stored(thing)
        elif isinstance(thing, dict):
            zh, en = thing.get("zh", ""), thing.get("en")
        else:
            zh, en = getattr(thing, "zh", thing), getattr(thing, "en", None)
    chosen = en if english() and en else zh
    return "" if chosen is None else str(chosen)


MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def month_label(value) -> str:
    """A month (a date) as people write it: 2026年11月, or November 2026."""
    if not value:
        return ""
    return f"{MONTHS_EN[value.month - 1]} {value.year}" if english() else f"{value.year}年{value.month}月"


def hukou_label(code: str) -> str:
    return {"urban": gettext("城镇"), "rural": gettext("农村")}.get(code, code)
