"""The demo county's areas: Qingshen County (511425), Meishan, Sichuan, with its real townships and streets
(青竹街道 and nine towns and townships) and plausible village and community names. Township and village codes
are synthetic (domain.md §1); the names of villages and communities are a curated list of common, real-sounding
names (新华村, 红星村, 中岩社区 …), never invented by combining syllables."""

from __future__ import annotations

from doudi.areas.shapes import township_grid

COUNTY_CODE = "511425"
PROVINCE = ("510000000000", "四川省")
PREFECTURE = ("511400000000", "眉山市")
COUNTY_NAME = "青神县"

# The county's townships, the street first (its code 100). 汉阳镇 (index 1) is the demo caseworker's township and
# 瑞峰镇 (index 2) the second caseworker's: the demo logins name them.
TOWNSHIP_NAMES = [
    "青竹街道",
    "汉阳镇",
    "瑞峰镇",
    "西龙镇",
    "高台镇",
    "白果乡",
    "南城镇",
    "罗波乡",
    "黑龙镇",
    "河坝子镇",
]
# Short romanised names for the township staff's logins (cw-xilong, tr-xilong).
TOWNSHIP_LOGINS = [
    "qingzhu",
    "hanyang",
    "ruifeng",
    "xilong",
    "gaotai",
    "baiguo",
    "nancheng",
    "luobo",
    "heilong",
    "hebazi",
]

# Villages (村民委员会) and communities (居民委员会): names of the kind every Sichuan county has. Within one
# township no name repeats; the demo's township n takes the names from position 7n on, so neighbouring
# townships differ too.
VILLAGE_NAMES = [
    "新华村", "红星村", "永丰村", "石堰村", "竹林村", "白鹤村", "中心村", "复兴村", "团结村", "光明村",
    "和平村", "建设村", "红岩村", "龙泉村", "金花村", "桂花村", "黄桷村", "柏林村", "三江村", "两河村",
    "高桥村", "石桥村", "新桥村", "观音村", "菩提村", "青龙村", "白马村", "瓦窑村", "盐井村", "松林村",
    "长春村", "丰收村", "民主村", "幸福村", "友谊村", "红光村", "东风村", "胜利村", "兴隆村", "太平村",
    "天池村", "鹿鸣村", "凤凰村", "狮子村", "玉泉村", "杉木村", "檬子村", "水井村", "梨园村", "果园村",
    "双河村", "九龙村", "五星村", "新民村", "红旗村", "朝阳村", "万寿村", "永安村", "庙坝村", "马鞍村",
]  # fmt: skip
COMMUNITY_NAMES = [
    "中岩社区", "江湾社区", "迎宾社区", "滨江社区", "竹园社区", "文昌社区", "三苏社区", "正东社区",
    "南街社区", "北街社区", "新街社区", "东街社区", "西街社区", "广场社区", "花园社区", "凤凰社区",
    "书院社区", "兴盛社区", "河滨社区", "鸿化社区",
]  # fmt: skip


# A town's seat is a community named after the town (汉阳社区 in 汉阳镇).
SEAT_COMMUNITIES = [n.removesuffix("街道").rstrip("镇乡") + "社区" for n in TOWNSHIP_NAMES]


def township_name(i: int) -> str:
    """The county's real township names; a synthetic county larger than ten townships (the scale generator)
    numbers further copies (汉阳二镇 would be invented, so: 汉阳镇2)."""
    base = TOWNSHIP_NAMES[i % len(TOWNSHIP_NAMES)]
    return base if i < len(TOWNSHIP_NAMES) else f"{base}{i // len(TOWNSHIP_NAMES) + 1}"


def township_login(i: int) -> str:
    base = TOWNSHIP_LOGINS[i % len(TOWNSHIP_LOGINS)]
    return base if i < len(TOWNSHIP_LOGINS) else f"{base}{i // len(TOWNSHIP_LOGINS) + 1}"


def village_name(t: int, v: int, urban: bool) -> str:
    """The v-th village (or community) of township t: distinct within the township while it has no more villages
    than the list has names; beyond that (the scale generator's large counties) the name is numbered."""
    names = COMMUNITY_NAMES if urban else VILLAGE_NAMES
    k = (t * 7 + v) % len(names)
    lap = v // len(names)
    return names[k] if lap == 0 else f"{names[k]}{lap + 1}"


def areas_plan(townships: int, villages_per_township: int) -> list[dict]:
    """Rows for the province, prefecture, county, townships and villages. Township 0 is the urban street
    (青竹街道) of communities; the others are towns with rural villages and one urban community each (the town's
    seat)."""
    rows = [
        {"code": PROVINCE[0], "name": PROVINCE[1], "level": "province", "kind": "urban", "parent": None},
        {"code": PREFECTURE[0], "name": PREFECTURE[1], "level": "prefecture", "kind": "urban", "parent": PROVINCE[0]},
        {
            "code": COUNTY_CODE + "000000",
            "name": COUNTY_NAME,
            "level": "county",
            "kind": "rural",
            "parent": PREFECTURE[0],
        },
    ]
    shapes = township_grid(townships)  # illustrative boundaries made by the project (areas/shapes.py)
    for t in range(townships):
        tcode = f"{COUNTY_CODE}{100 + t:03d}000"
        urban_town = t == 0
        rows.append(
            {
                "code": tcode,
                "name": township_name(t),
                "level": "township",
                "kind": "urban" if urban_town else "rural",
                "parent": COUNTY_CODE + "000000",
                "shape": shapes[t],
            }
        )
        for v in range(villages_per_township):
            urban = urban_town or v == 0
            # Statistical practice: 001-199 residents' committees (communities), 200-399 villagers' committees.
            vcode = (1 + v) if urban else (200 + v)
            rows.append(
                {
                    "code": f"{COUNTY_CODE}{100 + t:03d}{vcode:03d}",
                    "name": village_name(t, v, True)
                    if urban_town
                    else SEAT_COMMUNITIES[t % len(SEAT_COMMUNITIES)]
                    + (f"{t // len(TOWNSHIP_NAMES) + 1}" if t >= 10 else "")
                    if v == 0
                    else village_name(t, v - 1, False),
                    "level": "village",
                    "kind": "urban" if urban else "rural",
                    "parent": tcode,
                }
            )
    return rows


def curated_name(name: str) -> bool:
    """Whether ``name`` is one of the curated village or community names (or its numbered copy)."""
    return name.rstrip("0123456789") in VILLAGE_NAMES + COMMUNITY_NAMES + SEAT_COMMUNITIES
