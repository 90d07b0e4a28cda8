"""The demo county's areas: Qingshen County (511425) with synthetic township and village codes."""

from __future__ import annotations

COUNTY_CODE = "511425"
PROVINCE = ("510000000000", "四川省")
PREFECTURE = ("511400000000", "眉山市")
COUNTY_NAME = "青神县"

TOWNSHIP_NAMES = ["青城镇", "汉阳镇", "瑞峰镇", "西龙镇", "高台镇", "白果乡", "南城镇", "罗波乡", "黑龙镇", "河坝子镇"]
VILLAGE_SYLLABLES = "东南西北中上下前后新老大小高低长平安和兴隆丰盛竹林桥河湾岗坝坪山石田溪桂花莲荷"
COMMUNITY_SUFFIX = "社区"
VILLAGE_SUFFIX = "村"


def township_name(i: int) -> str:
    base = TOWNSHIP_NAMES[i % len(TOWNSHIP_NAMES)]
    return base if i < len(TOWNSHIP_NAMES) else f"{base[:-1]}{i // len(TOWNSHIP_NAMES) + 1}{base[-1]}"


def village_name(t: int, v: int, urban: bool) -> str:
    s = VILLAGE_SYLLABLES
    a = s[(t * 7 + v * 3) % len(s)]
    b = s[(t * 5 + v * 11 + 1) % len(s)]
    return f"{a}{b}{COMMUNITY_SUFFIX if urban else VILLAGE_SUFFIX}" + (f"{v + 1}" if v >= 20 else "")


def areas_plan(townships: int, villages_per_township: int) -> list[dict]:
    """Rows for the province, prefecture, county, townships and villages. Township 0 is an urban street
    (街道) of communities; the others are towns with rural villages and one urban community each."""
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
    for t in range(townships):
        tcode = f"{COUNTY_CODE}{100 + t:03d}000"
        urban_town = t == 0
        name = "青竹街道" if urban_town else township_name(t)
        rows.append(
            {
                "code": tcode,
                "name": name,
                "level": "township",
                "kind": "urban" if urban_town else "rural",
                "parent": COUNTY_CODE + "000000",
            }
        )
        for v in range(villages_per_township):
            urban = urban_town or v == 0
            # Statistical practice: 001-199 residents' committees (communities), 200-399 villagers' committees.
            vcode = (1 + v) if urban else (200 + v)
            rows.append(
                {
                    "code": f"{COUNTY_CODE}{100 + t:03d}{vcode:03d}",
                    "name": village_name(t, v, urban),
                    "level": "village",
                    "kind": "urban" if urban else "rural",
                    "parent": tcode,
                }
            )
    return rows
