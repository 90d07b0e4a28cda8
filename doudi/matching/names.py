"""Chinese personal names for matching: the characters, their toneless pinyin (surnames read as surnames) and
the same characters in another order.

Department clerks type names by pinyin input, so the commonest error is a homophone (王建国 → 王建囯, 李娟 →
李鹃); the toneless pinyin of the two is the same. A surname is read as a surname, not as the common word:
单 is Shan, 解 Xie, 仇 Qiu, 区 Ou, 曾 Zeng, 朴 Piao, 查 Zha, 盖 Ge, 乐 Yue, 覃 Qin, 翟 Zhai … (the table
below; pypinyin gives the word reading, dan, jie, chou …), and a compound surname (欧阳, 万俟, 尉迟) is taken
whole. Given-name characters take pypinyin's first (commonest) reading, the same on both sides.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surname readings that differ from the character's commonest reading (《百家姓》 and the national standard
# GB/T 4880's surname notes); the toneless form is all matching needs.
SURNAME_READINGS = {
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "曾": "zeng",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "翟": "zhai",
    "种": "chong",
    "繁": "po",
    "句": "gou",
    "员": "yun",
    "秘": "bi",
    "召": "shao",
    "缪": "miao",
    "折": "she",
    "黑": "he",
    "尉": "yu",
    "长": "chang",
    "宿": "su",
    "隗": "wei",
    "瞿": "qu",
    "佘": "she",
    "洗": "xian",
    "冼": "xian",
    "阚": "kan",
    "逄": "pang",
    "藏": "zang",
    "臧": "zang",
    "厍": "she",
    "能": "nai",
    "都": "du",
    "柏": "bai",
    "蕃": "pi",
    "羽": "yu",
}
COMPOUND_SURNAMES = {
    "欧阳": "ouyang",
    "司马": "sima",
    "诸葛": "zhuge",
    "上官": "shangguan",
    "东方": "dongfang",
    "皇甫": "huangfu",
    "尉迟": "yuchi",
    "公孙": "gongsun",
    "慕容": "murong",
    "长孙": "zhangsun",
    "宇文": "yuwen",
    "司徒": "situ",
    "司空": "sikong",
    "夏侯": "xiahou",
    "令狐": "linghu",
    "端木": "duanmu",
    "万俟": "moqi",
    "单于": "chanyu",
    "澹台": "tantai",
    "轩辕": "xuanyuan",
    "闻人": "wenren",
    "西门": "ximen",
    "南宫": "nangong",
    "独孤": "dugu",
    "呼延": "huyan",
    "百里": "baili",
}

_DROP = re.compile(r"[\s·•・．.。,，]")


def name_clean(name: str | None) -> str:
    """A name as it is compared: NFKC (full-width letters to ASCII), spaces and the middle dot of minority
    names (阿依·买买提) removed."""
    return _DROP.sub("", unicodedata.normalize("NFKC", name or ""))


@lru_cache(maxsize=65536)
def _char_pinyin(char: str) -> str:
    return lazy_pinyin(char, style=Style.NORMAL, errors=lambda s: s.lower())[0]


def name_pinyin(name: str | None) -> str:
    """The toneless pinyin of a (cleaned) name, no spaces: 单雄信 → shanxiongxin, 欧阳明 → ouyangming."""
    name = name_clean(name)
    if not name:
        return ""
    surname, rest = "", name
    if name[:2] in COMPOUND_SURNAMES:
        surname, rest = COMPOUND_SURNAMES[name[:2]], name[2:]
    elif name[0] in SURNAME_READINGS:
        surname, rest = SURNAME_READINGS[name[0]], name[1:]
    return surname + "".join(_char_pinyin(c) for c in rest)


def name_sorted(name: str | None) -> str:
    """The name's characters in code-point order: 李华明 and 李明华 give the same."""
    return "".join(sorted(name_clean(name)))
