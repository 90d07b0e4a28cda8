"""A synthetic Chinese registry and department list with the truth known, to measure matching.

The registry (left) holds every person once, clean. The department list (right) holds a share of them as a
department's clerk typed them, and people the registry does not know, with the errors found in real
department data (docs/verification.md): a given-name character replaced by a homophone (伟 → 玮), the two
given-name characters swapped, one character mistyped, the old 15-digit ID number, a mistyped digit or check
character, no ID at all, a missing or mistyped birth date, a missing sex, a moved or missing address. And
the cases matching must not merge: very common full names (王伟, 张伟, 王芳 …) shared by many people, and
twins (same surname, birth date, address and ID prefix; the sequence digits and a given-name character
differ), both of them in the registry.

``generate(n, seed)`` is deterministic: the same seed gives the same lists.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .ids import check_character

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解仇区朴查盖乐翟欧阳司马诸葛上官"
COMPOUND = ("欧阳", "司马", "诸葛", "上官")
# homophone groups (the same toneless pinyin): a clerk's pinyin input picks the wrong one of a group
HOMOPHONES = (
    "伟玮炜韦 娟鹃涓 静婧菁 敏旻珉 丽莉俐 华桦骅 军君钧 明铭鸣 红宏虹鸿 芳方舫 平萍苹 英瑛莹颖 建健剑 国帼 "
    "林琳霖 杰洁婕捷 强蔷 兰岚澜 玲铃苓龄 霞侠 燕艳雁 辉晖徽 勇永咏 峰锋丰枫 秀绣 桂贵 梅玫媒 浩皓昊 宇雨语羽 "
    "欣新馨 婷亭庭 斌彬 刚钢纲 磊垒 文雯 晨辰 佳嘉家 子紫梓"
).split()
HOMOPHONE_OF = {c: g for g in HOMOPHONES for c in g}
GIVEN = "".join(g[:2] for g in HOMOPHONES) + "志海春云德光福祥荣安淑秋凤琴素珍兴成清振"
# the commonest full names in China's 2019 name report; about one person in thirty here has one
COMMON_NAMES = ("王伟", "张伟", "王芳", "李伟", "李娜", "张敏", "李静", "王静", "刘伟", "王秀英", "张丽", "李秀英")
AREAS = ("511425", "511402", "511421", "511423", "510104", "510722")
TOWNS = ("青竹街道", "汉阳镇", "瑞峰镇", "西龙镇", "高台镇", "白果乡", "南城镇", "罗波乡", "黑龙镇", "河坝子镇")
VILLAGES = ("新华村", "红星村", "石堰村", "中岩社区", "光明村", "团结村", "和平村", "建设村", "永丰村", "柳林村")


@dataclass
class Person:
    pid: int
    name: str
    surname: str
    birth_date: dt.date
    sex: str
    id18: str
    address: str


@dataclass
class SyntheticSet:
    left: list[dict]
    right: list[dict]
    truth: set[tuple[str, str]] = field(default_factory=set)  # (left record_id, right record_id)


def _id_number(rng: random.Random, area: str, birth: dt.date, sex: str, seq: int | None = None) -> str:
    if seq is None:
        seq = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def _given(rng: random.Random) -> str:
    return "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))


class _Maker:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.next_pid = 0
        self.used_ids: set[str] = set()

    def person(self, **fixed) -> Person:
        rng = self.rng
        sex = fixed.get("sex") or rng.choice("MF")
        if "name" in fixed:
            name = fixed["name"]
            surname = next((c for c in COMPOUND if name.startswith(c)), name[0])
        else:
            surname = fixed.get("surname") or rng.choice(COMPOUND if rng.random() < 0.01 else SURNAMES[:-8])
            name = surname + _given(rng)
        birth = fixed.get("birth_date") or dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 85 * 365))
        area = fixed.get("area") or rng.choice(AREAS)
        while True:
            id18 = _id_number(rng, area, birth, sex, fixed.get("seq"))
            if id18 not in self.used_ids:
                break
            fixed = {k: v for k, v in fixed.items() if k != "seq"}
        self.used_ids.add(id18)
        address = fixed.get("address") or f"{rng.choice(TOWNS)}{rng.choice(VILLAGES)}{rng.randrange(1, 13)}组"
        self.next_pid += 1
        return Person(self.next_pid, name, surname, birth, sex, id18, address)

    def twin(self, p: Person) -> Person:
        """A twin of p: same surname, birth date, address and ID prefix; the sequence digits differ (by 2 for
        the same sex), and the given name differs in one character (大伟/小伟) or whole."""
        rng = self.rng
        sex = p.sex if rng.random() < 0.6 else ("F" if p.sex == "M" else "M")
        seq = int(p.id18[14:17])
        seq = seq + 2 if sex == p.sex else seq + 1
        given = p.name[len(p.surname) :]
        if len(given) == 2 and rng.random() < 0.6:
            twin_given = (
                rng.choice([c for c in GIVEN if c != given[0] and HOMOPHONE_OF.get(c) != HOMOPHONE_OF.get(given[0])])
                + given[1]
            )
        else:
            twin_given = _given(rng)
        return self.person(
            name=p.surname + twin_given,
            sex=sex,
            birth_date=p.birth_date,
            area=p.id18[:6],
            seq=seq % 1000,
            address=p.address,
        )


def _typo_digit(rng: random.Random, text: str, positions: range) -> str:
    i = rng.choice(list(positions))
    return text[:i] + rng.choice([d for d in "0123456789" if d != text[i]]) + text[i + 1 :]


def _department_copy(rng: random.Random, p: Person) -> dict:
    """p as a department clerk typed it."""
    given = p.name[len(p.surname) :]
    r = rng.random()
    if r < 0.10:  # a homophone for one given-name character
        i = rng.randrange(len(given))
        group = HOMOPHONE_OF.get(given[i])
        if group:
            given = given[:i] + rng.choice([c for c in group if c != given[i]]) + given[i + 1 :]
    elif r < 0.13 and len(given) == 2:  # swapped
        given = given[::-1]
    elif r < 0.15:  # one character mistyped
        i = rng.randrange(len(given))
        given = given[:i] + rng.choice(GIVEN) + given[i + 1 :]
    name = p.surname + given
    id_number = p.id18
    r = rng.random()
    if r < 0.08:
        id_number = ""
    elif r < 0.14 and p.birth_date.year < 1985:
        id_number = p.id18[:6] + p.id18[8:17]  # the old 15-digit card
    elif r < 0.17:
        id_number = _typo_digit(rng, p.id18, range(0, 17))
    elif r < 0.19:
        id_number = p.id18[:17] + rng.choice([c for c in "0123456789X" if c != p.id18[17]])
    birth = p.birth_date.isoformat()
    r = rng.random()
    if r < 0.10:
        birth = ""
    elif r < 0.12:
        typo = _typo_digit(rng, birth.replace("-", ""), range(2, 8))
        try:
            birth = dt.date(int(typo[:4]), int(typo[4:6]), int(typo[6:8])).isoformat()
        except ValueError:
            pass
    sex = "" if rng.random() < 0.05 else p.sex
    r = rng.random()
    address = (
        ""
        if r < 0.10
        else (f"{rng.choice(TOWNS)}{rng.choice(VILLAGES)}{rng.randrange(1, 13)}组" if r < 0.25 else p.address)
    )
    return {"name": name, "id_number": id_number, "birth_date": birth, "sex": sex, "address": address}


def _record(record_id: str, p: Person) -> dict:
    return {
        "record_id": record_id,
        "name": p.name,
        "id_number": p.id18,
        "birth_date": p.birth_date.isoformat(),
        "sex": p.sex,
        "address": p.address,
    }


def generate(n: int, *, seed: int = 1, found_share: float = 0.7, strangers_share: float = 0.3) -> SyntheticSet:
    """A registry of ``n`` people and a department list of ``found_share`` of them (with errors) plus
    ``strangers_share``·n people the registry does not have; 3% of the registry are twin pairs and one person
    in thirty has one of the commonest full names, in both lists."""
    maker = _Maker(seed)
    rng = maker.rng
    people: list[Person] = []
    while len(people) < n:
        if rng.random() < 1 / 30:
            p = maker.person(name=rng.choice(COMMON_NAMES))
        else:
            p = maker.person()
        people.append(p)
        if rng.random() < 0.015 and len(people) < n:
            people.append(maker.twin(p))
    strangers = [
        maker.person(name=rng.choice(COMMON_NAMES)) if rng.random() < 0.1 else maker.person()
        for _ in range(int(n * strangers_share))
    ]
    left = [_record(f"L{p.pid}", p) for p in people]
    found = rng.sample(people, int(n * found_share))
    right, truth = [], set()
    for p in found:
        record_id = f"R{p.pid}"
        right.append({"record_id": record_id, **_department_copy(rng, p)})
        truth.add((f"L{p.pid}", record_id))
    right.extend({"record_id": f"R{p.pid}", **_department_copy(rng, p)} for p in strangers)
    rng.shuffle(right)
    return SyntheticSet(left=left, right=right, truth=truth)


def quality(pairs: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict:
    """Precision, recall and the counts behind them."""
    true_positives = len(pairs & truth)
    return {
        "pairs": len(pairs),
        "true_pairs": len(truth),
        "true_positives": true_positives,
        "precision": true_positives / len(pairs) if pairs else 1.0,
        "recall": true_positives / len(truth) if truth else 1.0,
    }
