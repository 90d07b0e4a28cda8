"""Departments' files for the demo county, and synthetic ones at benchmark scale.

``county_files`` reads the registry of an area and writes one file per kind the way each department delivers it
(its own headers for name and ID number): records that agree with what households declared, people the registry
does not hold (from neighbouring counties), the dirt real extracts carry (old 15-digit numbers, a wrong digit,
missing numbers), and one planted discrepancy of each sort on households in payment — a death still paid (in the
deaths and the funeral records), a car bought, a company registered, wages above the standard, a move out of the
county — and, where the township keeps households on the low-income register's edge tier, a wage reported for a
working-age member of one of them (``register_wage``: the register's own alert). ``Planted`` says who, so tests and the
demo can check each is found.

``synthetic_rows`` makes N rows of a kind with no registry behind them (benchmarks)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from doudi.accounts.models import Staff
from doudi.accounts.roles import Role
from doudi.cases.models import Enrolment, EnrolmentStatus
from doudi.core.idnumber import id_make
from doudi.registry.models import Household, Income, Membership

from .discovery import ELDERLY_AGE, FamilyFigures, age_on
from .models import IN_PAYMENT, MonitoringEntry, Tier
from .schemas import CHOICE, DATE, INT, KINDS, MONEY, MONTH, DatasetKind

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
GIVEN = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯芳娜敏静丽艳娟霞秀英玲桂兰萍红梅琴燕云"
OTHER_COUNTIES = ("511402", "511421", "511423", "510104", "510107", "511124")
EMPLOYERS = (
    "青神县竹编产业园",
    "眉山市东坡区建筑公司",
    "成都市武侯区物业管理公司",
    "青神县人民医院",
    "乐山市五通桥化工厂",
)
INCOME_ELEMENT = {"wage": "monthly_wage", "pension": "monthly_pension", "unemployment": "monthly_benefit"}
PLANTS = ("death", "vehicle", "business", "wage", "moved", "two_places")


@dataclass
class Subject:
    person_id: int | None
    name: str
    id_number: str
    birth: dt.date


@dataclass
class Planted:
    """Who carries each planted discrepancy (registry person ids)."""

    people: dict[str, int] = field(default_factory=dict)


def _headers(kind: DatasetKind) -> list[str]:
    name_h, id_h, _ref = kind.request_headers
    return [name_h, id_h] + [e.zh for e in kind.elements[2:]]


def _old_form(number: str) -> str:
    """The 15-digit form of a number issued before 1999 (born in the 1900s)."""
    return number[:6] + number[8:17]


def _wrong_digit(number: str) -> str:
    d = (int(number[15]) + 1) % 10  # a sequence digit: the number still reads as a date and a place
    return number[:15] + str(d) + number[16:]


class _Maker:
    def __init__(self, rng: random.Random, as_of: dt.date):
        self.rng, self.as_of = rng, as_of

    def outsider(self) -> Subject:
        r = self.rng
        birth = dt.date(r.randint(1940, 2004), r.randint(1, 12), r.randint(1, 28))
        return Subject(
            None,
            r.choice(SURNAMES) + r.choice(GIVEN) + r.choice(GIVEN),
            id_make(r.choice(OTHER_COUNTIES), birth, r.randint(1, 999)),
            birth,
        )

    def day(self, back_from: int, back_to: int) -> str:
        return (self.as_of - dt.timedelta(days=self.rng.randint(back_from, back_to))).isoformat()

    def value(self, kind: DatasetKind, code: str, subject: Subject):
        """A plausible value for one element."""
        r, e = self.rng, kind.element(code)
        if code in ("monthly_wage", "monthly_pay"):
            return f"{r.randint(1900, 5200)}.00"
        if code == "monthly_pension":
            return f"{r.randint(150, 3200)}.{r.randint(0, 99):02d}"
        if code in ("monthly_benefit", "monthly_deposit"):
            return f"{r.randint(200, 1500)}.00"
        if code == "base":
            return f"{r.randint(3500, 6000)}.00"
        if code in ("balance", "capital", "price"):
            return f"{r.randint(1, 300) * 1000}.00"
        if code == "total_cost":
            return f"{r.randint(500, 20000)}.00"
        if code == "out_of_pocket":  # ordinary bills: large ones are planted (discovery_subjects)
            return f"{r.randint(100, 6000)}.00"
        if code == "annual_income":
            return f"{r.randint(60, 200) * 1000}.00"
        if code == "tax_paid":
            return f"{r.randint(0, 5000)}.00"
        if code == "floor_area_m2":
            return f"{r.randint(40, 160)}.{r.randint(0, 99):02d}"
        if code == "area_code":
            return r.choice(OTHER_COUNTIES) + f"{r.randint(101, 110)}{r.randint(201, 210):03d}"
        if code == "address_code":
            return "511425" + f"{r.randint(101, 110)}{r.randint(1, 10):03d}"
        if code == "status":
            return "正常"
        if code == "plate":
            return f"川Z{r.randint(10000, 99999)}"
        if code == "certificate":
            return f"川({self.as_of.year - r.randint(0, 10)})青神县不动产权第{r.randint(1, 9999999):07d}号"
        if code == "address":
            return f"青神县青竹街道{r.choice(SURNAMES)}家巷{r.randint(1, 200)}号"
        if code == "credit_code":
            return f"91511425MA{r.randint(10000000, 99999999)}"
        if code == "enterprise":
            return f"青神县{subject.name[0]}记商贸有限公司"
        if code == "account":
            return f"6217{r.randint(10**11, 10**12 - 1)}"
        if code == "card":
            return subject.id_number + f"{r.randint(1, 7)}{r.randint(1, 4)}"
        if code == "grade":
            return r.randint(1, 4)
        if code == "year":
            return self.as_of.year - 1
        if code == "spouse_name":
            return r.choice(SURNAMES) + r.choice(GIVEN) + r.choice(GIVEN)
        if code in ("employer", "unit"):
            return r.choice(EMPLOYERS)
        if code == "institution":
            return r.choice(("中国农业银行青神支行", "青神县农村信用合作联社", "中国邮政储蓄银行青神县支行"))
        if code == "funeral_home":
            return "眉山市殡仪馆"
        if code == "diagnosis":
            return r.choice(("慢性肾衰竭", "肺恶性肿瘤", "脑梗死", "冠心病"))
        if code == "period":
            return self.as_of.strftime("%Y-%m")
        if code in ("death_date",):
            return self.day(20, 200)
        if code == "cremation_date":
            return self.day(1, 19)
        if e.type == DATE:
            return self.day(30, 3000)
        if e.type == MONTH:
            return self.as_of.strftime("%Y-%m")
        if e.type == MONEY:
            return f"{r.randint(100, 9999)}.00"
        if e.type == INT:
            return r.randint(1, 9)
        if e.type == CHOICE:
            return r.choice(e.choices)[1]
        return f"{e.zh}{r.randint(1, 99)}"

    def row(self, kind: DatasetKind, subject: Subject, *, id_form: str = "", **fixed) -> list:
        number = subject.id_number
        if id_form == "old" and subject.birth.year < 2000:
            number = _old_form(number)
        elif id_form == "wrong":
            number = _wrong_digit(number)
        elif id_form == "missing":
            number = ""
        values = [subject.name, number]
        for e in kind.elements[2:]:
            values.append(fixed[e.code] if e.code in fixed else self.value(kind, e.code, subject))
        return values


def registry_subjects(prefix: str) -> list[Subject]:
    rows = (
        Membership.objects.filter(end_date__isnull=True, household__area__code__startswith=prefix)
        .select_related("person")
        .order_by("person_id")
    )
    return [
        Subject(m.person_id, m.person.name, m.person.id_number, m.person.birth_date) for m in rows if m.person.id_number
    ]


def _paid_subjects(prefix: str, subjects: list[Subject]) -> list[Subject]:
    """Members of households in payment, alive, with an ID number: where discrepancies are planted."""
    paid = set(
        Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, area_code__startswith=prefix).values_list(
            "household_id", flat=True
        )
    )
    members = set(
        Membership.objects.filter(end_date__isnull=True, household_id__in=paid, person__deceased=False).values_list(
            "person_id", flat=True
        )
    )
    return [s for s in subjects if s.person_id in members]


def county_rows(
    *, prefix: str, as_of: dt.date, seed: int = 1, share: float = 0.04, outsiders: int = 40
) -> tuple[dict[str, tuple[list[str], list[list]]], Planted]:
    """Each kind's header and rows for the registry of ``prefix``, with the planted discrepancies."""
    rng = random.Random(seed)
    make = _Maker(rng, as_of)
    subjects = registry_subjects(prefix)
    paid = _paid_subjects(prefix, subjects)
    planted = Planted()
    chosen = rng.sample(paid, min(len(PLANTS), len(paid)))
    plants = dict(zip(PLANTS, chosen))
    found = discovery_subjects(prefix, subjects, as_of)
    planted.people = {k: s.person_id for k, s in plants.items()} | {
        f"discovery_{k}": s.person_id for k, s in found.items()
    }
    edge = MonitoringEntry.objects.filter(area_code__startswith=prefix, tier=Tier.EDGE, left_on__isnull=True)
    register = register_subject(edge, subjects)
    if register is not None:
        planted.people["register_wage"] = register.person_id
    plant_ids = {s.person_id for s in chosen}
    # no edge family in the random sample (its balances and deposits would take it off the tier unannounced): the
    # wage is the register's one news
    plant_ids |= set(
        Membership.objects.filter(end_date__isnull=True, household_id__in=edge.values("household_id")).values_list(
            "person_id", flat=True
        )
    )
    declared = _declared_incomes(prefix)
    out = {}
    for kind in KINDS.values():
        rows = []
        pool = [s for s in subjects if s.person_id not in plant_ids]
        sample = rng.sample(pool, min(len(pool), max(1, int(len(pool) * share))))
        for i, s in enumerate(sample):
            form = "old" if i % 17 == 3 else "wrong" if i % 41 == 7 else "missing" if i % 53 == 11 else ""
            fixed = {}
            # what the registry already knows agrees with what departments report (no false alarms from the demo)
            if kind.code in ("wage", "pension", "unemployment") and (s.person_id, kind.code) in declared:
                fixed[INCOME_ELEMENT[kind.code]] = str(declared[(s.person_id, kind.code)])
            elif kind.code in (
                "wage",
                "pension",
                "unemployment",
                "state_payroll",
                "death",
                "funeral",
                "vehicle",
                "business",
                "assistance",
            ):
                continue  # only people the registry already records this for (the planted ones below aside)
            if kind.code == "hukou":
                fixed["status"] = "正常"
            rows.append(make.row(kind, s, id_form=form, **fixed))
        for _ in range(outsiders):
            rows.append(make.row(kind, make.outsider()))
        _plant(kind, plants, make, rows, as_of)
        _plant_discovery(kind, found, make, rows, as_of)
        _plant_two_places(kind, plants, make, rows, as_of)
        if register is not None and kind.code == "wage":
            # its own random numbers, so that the rest of the county's files do not depend on the register
            rows.append(_Maker(random.Random(seed + 1), as_of).row(kind, register, monthly_wage="4200.00"))
        rng.shuffle(rows)
        out[kind.code] = (_headers(kind), rows)
    return out, planted


def discovery_subjects(prefix: str, subjects: list[Subject], as_of: dt.date) -> dict[str, Subject]:
    """People active discovery should find (doudi/verification/discovery.py), one per rule, in households paid
    neither dibao nor tekun: a member of a low-income household (a new grade 1 disability; large medical costs, in
    another household), an elderly person living alone with no income, and a main earner whose household falls
    below the edge line without the wage (newly unemployed)."""
    by_person = {s.person_id: s for s in subjects}
    paid = set(
        Enrolment.objects.filter(status__in=IN_PAYMENT, area_code__startswith=prefix).values_list(
            "household_id", flat=True
        )
    )
    cache: dict = {}
    out: dict[str, Subject] = {}
    # villages with a cadre's account first, so that the demo's cadre has visits on their home page
    cadres = set(
        Staff.objects.filter(role=Role.VILLAGE_CADRE, is_active=True, area__code__startswith=prefix).values_list(
            "area_id", flat=True
        )
    )
    # nor those the township already keeps on the register (the edge families): discovery finds the unknown
    known = MonitoringEntry.objects.filter(area_code__startswith=prefix, left_on__isnull=True).values("household_id")
    households = (
        Household.objects.filter(area__code__startswith=prefix)
        .exclude(pk__in=paid)
        .exclude(pk__in=known)
        .order_by("pk")
    )
    for household in sorted(households, key=lambda x: x.area_id not in cadres):
        h = FamilyFigures(household, as_of, cache)
        alive = [m.person for m in h.members if not m.person.deceased and m.person_id in by_person]
        if h.standard_edge is None or not alive or h.assets_over():
            continue  # a family whose declared assets exceed the limits is no discovery to show in the demo
        edge = h.standard_edge[1]
        income = h.income()
        oldest = min(alive, key=lambda p: p.birth_date)
        if (
            "elderly_alone" not in out
            and len(h.members) == 1
            and income == 0
            and age_on(oldest.birth_date, as_of) >= ELDERLY_AGE
        ):
            out["elderly_alone"] = by_person[oldest.pk]
            continue
        wages = {i.person_id: i.monthly for i in h.incomes if i.kind == "wage" and i.person_id in by_person}
        if "unemployed" not in out and wages and len(h.members) > 1:
            main = max(wages, key=lambda p: (wages[p], -p))
            if h.per_capita(h.income(without_person=main, kind="wage")) < edge:
                out["unemployed"] = by_person[main]
                continue
        if h.per_capita(income) < edge:
            for rule in ("disability", "medical"):
                if rule not in out:
                    out[rule] = by_person[alive[-1].pk]
                    break
        if len(out) == 4:
            break
    return out


def register_subject(edge, subjects: list[Subject]) -> Subject | None:
    """The oldest member of working age (18 to 59) of the first household on the register's edge tier (``edge``:
    its open entries) that has one; an edge family is paid neither dibao nor tekun, and active discovery does not
    pick it (``discovery_subjects``). The department's wage record about them is the register's alert
    (``alerts._register_rules``)."""
    by_person = {s.person_id: s for s in subjects}
    for entry in edge.order_by("pk"):
        adults = [
            by_person[m.person_id]
            for m in Membership.objects.filter(household_id=entry.household_id, end_date__isnull=True)
            .select_related("person")
            .order_by("person__birth_date", "person_id")
            if m.person_id in by_person
            and not m.person.deceased
            and 18 <= age_on(m.person.birth_date, entry.entered_on) < 60
        ]
        if adults:
            return adults[0]
    return None


def _plant_two_places(kind: DatasetKind, plants: dict[str, Subject], make: _Maker, rows: list, as_of: dt.date):
    if "two_places" in plants and kind.code == "assistance":
        rows.append(
            make.row(
                kind,
                plants["two_places"],
                programme="最低生活保障",
                area_code="511402101201",
                since=(as_of - dt.timedelta(days=200)).isoformat(),
                monthly_amount="450.00",
            )
        )


def _plant_discovery(kind: DatasetKind, found: dict[str, Subject], make: _Maker, rows: list, as_of: dt.date) -> None:
    recent = (as_of - dt.timedelta(days=60)).isoformat()
    if "disability" in found and kind.code == "disability":
        rows.append(make.row(kind, found["disability"], grade="1", issued_on=recent))
    if "medical" in found and kind.code == "medical":
        rows.append(make.row(kind, found["medical"], total_cost="68000.00", out_of_pocket="31500.00"))
    if "unemployed" in found and kind.code == "unemployment":
        rows.append(make.row(kind, found["unemployed"], monthly_benefit="1350.00", start_date=recent, end_date=""))
    if "elderly_alone" in found and kind.code == "hukou":
        rows.append(make.row(kind, found["elderly_alone"], status="正常"))


def _declared_incomes(prefix: str) -> dict[tuple[int, str], Decimal]:
    mapping = {"wage": "wage", "pension": "pension", "unemployment_benefit": "unemployment"}
    out = {}
    for person_id, kind, monthly in Income.objects.filter(
        household__area__code__startswith=prefix, person__isnull=False, kind__in=list(mapping)
    ).values_list("person_id", "kind", "monthly"):
        out[(person_id, mapping[kind])] = out.get((person_id, mapping[kind]), Decimal(0)) + monthly
    return out


def _plant(kind: DatasetKind, plants: dict[str, Subject], make: _Maker, rows: list, as_of: dt.date) -> None:
    death_day = (as_of - dt.timedelta(days=45)).isoformat()
    if "death" in plants and kind.code == "death":
        rows.append(make.row(kind, plants["death"], death_date=death_day))
    if "death" in plants and kind.code == "funeral":
        rows.append(
            make.row(
                kind, plants["death"], death_date=death_day, cremation_date=(as_of - dt.timedelta(days=42)).isoformat()
            )
        )
    if "vehicle" in plants and kind.code == "vehicle":
        rows.append(
            make.row(
                kind,
                plants["vehicle"],
                vehicle_type="小型汽车",
                registered_on=(as_of - dt.timedelta(days=60)).isoformat(),
                price="98000.00",
            )
        )
    if "business" in plants and kind.code == "business":
        rows.append(
            make.row(
                kind, plants["business"], role="法定代表人", registered_on=(as_of - dt.timedelta(days=90)).isoformat()
            )
        )
    if "wage" in plants and kind.code == "wage":
        rows.append(make.row(kind, plants["wage"], monthly_wage="3800.00"))
    if "moved" in plants and kind.code == "hukou":
        rows.append(
            make.row(
                kind,
                plants["moved"],
                status="迁出",
                address_code="510107001001",
                event_date=(as_of - dt.timedelta(days=30)).isoformat(),
            )
        )


def synthetic_rows(kind_code: str, n: int, *, as_of: dt.date, seed: int = 1) -> tuple[list[str], list[list]]:
    """``n`` rows of one kind with no registry behind them (benchmark scale)."""
    kind = KINDS[kind_code]
    make = _Maker(random.Random(seed), as_of)
    return _headers(kind), [make.row(kind, make.outsider()) for _ in range(n)]


def file_bytes(header: list[str], rows: list[list], fmt: str) -> bytes:
    """The rows as a department delivers them: CSV (UTF-8 with BOM, as Excel saves), .xlsx or Parquet."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(header)
        w.writerows(rows)
        return buf.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(header)
        for r in rows:
            ws.append(r)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    if fmt == "parquet":
        return _parquet_bytes(header, rows)
    raise ValueError(fmt)


def _parquet_bytes(header: list[str], rows: list[list]) -> bytes:
    import duckdb  # noqa: PLC0415  (150 ms to import: only Parquet needs it, not every process start)

    with tempfile.TemporaryDirectory() as tmp:
        source, path = Path(tmp) / "in.csv", Path(tmp) / "out.parquet"
        source.write_bytes(file_bytes(header, rows, "csv"))
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT * FROM read_csv('{source}', header = true, all_varchar = true)) TO '{path}' (FORMAT PARQUET)"
        )
        con.close()
        return path.read_bytes()


def county_files(
    *, out_dir: Path, prefix: str, as_of: dt.date, seed: int = 1, fmt: str = "csv"
) -> tuple[dict, Planted]:
    """Write each kind's file into ``out_dir``; returns {kind: path} and who carries what was planted."""
    tables, planted = county_rows(prefix=prefix, as_of=as_of, seed=seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for code, (header, rows) in tables.items():
        path = out_dir / f"{KINDS[code].department}-{code}-{as_of:%Y%m%d}.{fmt}"
        path.write_bytes(file_bytes(header, rows, fmt))
        paths[code] = path
    return paths, planted
