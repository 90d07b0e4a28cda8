"""Deterministic synthetic county: areas, staff, households, people and their economic records.

The same code builds the 3,000-household demo on SQLite and 1,000,000 households on PostgreSQL: rows are
generated in Python with explicit keys and written set-based (COPY / executemany) by ``TableWriter``,
inside one transaction, with one audit event per batch carrying the counts and the parameters.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from stdnum import luhn

from doudi.areas.models import PREFIX_LENGTH, Area, AreaLevel
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.core.bulk import TableWriter, sequences_reset
from doudi.core.idnumber import id_make
from doudi.registry import models as rm
from doudi.registry.facts import facts_rebuild
from doudi.registry.validation import account_problem

from .county import COUNTY_CODE, areas_plan
from .events import DemoEvent

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_M = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帅建国志成兵德林海文东"
GIVEN_F = "芳娜敏静丽艳娟霞秀英玲桂兰萍红梅琴燕云莲春花琳雪慧婷颖佳欣怡淑珍"
BANKS = ["农村信用社", "中国农业银行", "中国邮政储蓄银行", "中国工商银行"]
# Shares of the registry (the registry of a county's low-income population: applicants, recipients, edge families,
# and the households around them): households poor enough that most qualify for dibao, and people living alone
# without labour capacity, income or an able supporter (tekun). At 3,000 households this gives some five hundred
# dibao-eligible households and about eighty tekun-eligible people.
POOR_SHARE = 0.20
TEKUN_SHARE = 0.025
TODAY = dt.date(2026, 1, 1)  # reference date for ages: fixed so the data are the same on any day


@dataclass
class GenerationReport:
    households: int = 0
    people: int = 0
    records: dict = field(default_factory=dict)
    seconds: float = 0.0
    facts_seconds: float = 0.0
    batch_id: str = ""


class Generator:
    def __init__(
        self,
        *,
        seed: int,
        households: int,
        townships: int | None = None,
        villages_per_township: int | None = None,
        chunk: int = 5000,
    ):
        self.rng = random.Random(seed)
        self.seed = seed
        self.households = households
        # Keep villages realistic (~50 households in the demo, a few hundred at province scale).
        # the county's ten townships; a synthetic county of hundreds of thousands of households gets more
        self.townships = townships or max(10, min(900, households // 5000))
        self.villages_per_township = villages_per_township or 10
        self.chunk = chunk
        self.seq: dict[tuple[dt.date, int], int] = {}
        self._poor = False  # whether the household being made is a poor one

    # ---- people ---------------------------------------------------------------------------------------
    def _name(self, sex: str, surname: str | None = None) -> str:
        given = GIVEN_M if sex == "M" else GIVEN_F
        n = self.rng.random()
        return (
            (surname or self.rng.choice(SURNAMES))
            + self.rng.choice(given)
            + (self.rng.choice(given) if n < 0.7 else "")
        )

    def _id(self, birth: dt.date, sex: str) -> tuple[str, dt.date]:
        """A valid, unique, fictional ID number: sequence parity encodes sex (odd male)."""
        while True:
            k = self.seq.get((birth, sex == "M"), 0)
            if k < 499:
                self.seq[(birth, sex == "M")] = k + 1
                return id_make(COUNTY_CODE, birth, 2 * k + (1 if sex == "M" else 2)), birth
            birth += dt.timedelta(days=1)

    def _birth(self, age: int) -> dt.date:
        return TODAY - dt.timedelta(days=age * 365 + self.rng.randrange(365))

    def _person(
        self, w, *, age: int, sex: str, surname: str | None = None, relation: str, force: dict | None = None
    ) -> dict:
        r = self.rng
        birth = self._birth(age)
        number, birth = self._id(birth, sex)
        student = 6 <= age <= 22 and r.random() < 0.92
        disabled = r.random() < (0.05 if age < 60 else 0.12)
        ill = r.random() < (0.02 if age < 50 else 0.08)
        if age < 16 or student:
            capacity, employment = "none", "none"
        elif age >= 60:
            capacity = "none" if age >= 70 or disabled else r.choice(["partial", "partial", "full"])
            employment = r.choice(
                ["retired", "none"] if self._poor and r.random() < 0.8 else ["retired", "farming", "none"]
            )
        else:
            capacity = "partial" if (disabled or ill) and r.random() < 0.6 else "full"
            employment = r.choices(["employed", "farming", "self_employed", "unemployed"], [45, 30, 10, 15])[0]
        kind = (
            r.choice(["physical", "physical", "visual", "hearing", "speech", "intellectual", "mental", "multiple"])
            if disabled
            else ""
        )
        grade = r.choices([1, 2, 3, 4], [10, 20, 35, 35])[0] if disabled else None
        unable = 0
        if age >= 75 or (grade in (1, 2)):
            unable = r.choices([0, 1, 2, 3, 4, 5, 6], [50, 10, 10, 10, 8, 6, 6])[0]
        adl = ["adl_eating", "adl_dressing", "adl_bed", "adl_toilet", "adl_walking", "adl_bathing"]
        unable_set = set(adl[6 - unable :]) if unable else set()
        pid = w["person"].next_id()
        w["person"].last_name = name = self._name(sex, surname)
        row = dict(
            id=pid,
            name=name,
            id_number=number,
            sex=sex,
            birth_date=birth,
            student=student,
            labour_capacity=capacity,
            employment=employment,
            disability_kind=kind,
            disability_grade=grade,
            disability_card=(f"{number}{grade}{r.randrange(10)}" if disabled else ""),
            serious_illness=ill,
            diagnosis=(
                r.choice(["尿毒症", "恶性肿瘤", "重性精神病", "白血病", "慢性心力衰竭", "耐多药肺结核"]) if ill else ""
            ),
            **{a: a in unable_set for a in adl},
            in_prison=age >= 18 and r.random() < 0.003,
            missing=r.random() < 0.001,
            compulsory_rehab=18 <= age < 50 and r.random() < 0.001,
        )
        if force:
            row.update(force)
            if force.get("disability_grade"):
                row["disability_card"] = f"{number}{force['disability_grade']}{r.randrange(10)}"
        w["person"].add(**row)
        return {
            "id": pid,
            "age": age,
            "employment": employment,
            "relation": relation,
            "capacity": capacity,
            "name": w["person"].last_name,
        }

    # ---- households -------------------------------------------------------------------------------------
    def _tekun_household(self, w, village: Area) -> None:
        """A person living alone with no labour capacity and no income source, whose supporters (if any) cannot
        support them: the kind of person extreme poverty support is for [T21 §4–8]. Most are old; some are
        adults with a severe disability."""
        r = self.rng
        hid = w["household"].next_id()
        old = r.random() < 0.85
        age = r.randint(62, 94) if old else r.randint(30, 58)
        sex = r.choices("MF", [65, 35])[0]
        unable = r.choices([0, 1, 2, 3, 4, 5, 6], [30, 12, 12, 12, 12, 11, 11])[0]
        adl = ["adl_eating", "adl_dressing", "adl_bed", "adl_toilet", "adl_walking", "adl_bathing"]
        force = {
            "labour_capacity": "none",
            "employment": "none" if not old else "retired",
            "student": False,
            "in_prison": False,
            "missing": False,
            "compulsory_rehab": False,
            **{a: i >= 6 - unable for i, a in enumerate(adl)},
        }
        if not old:
            kind = r.choice(["physical", "intellectual", "mental"])
            grade = 1 if kind == "physical" else r.choice([1, 2, 3])
            force.update(disability_kind=kind, disability_grade=grade)
        person = self._person(w, age=age, sex=sex, relation="head", force=force)
        w["membership"].add(
            id=w["membership"].next_id(),
            person_id=person["id"],
            household_id=hid,
            relation="head",
            start_date=dt.date(2005, 1, 1) + dt.timedelta(days=r.randrange(6000)),
        )
        if old:
            self._income(w, hid, person["id"], "residents_basic_pension", Decimal("105.00"))
        if r.random() < 0.5:
            self._record(w, "financialasset", hid, None, kind="deposit", amount=Decimal(r.randint(200, 3000)))
        if r.random() < 0.7:
            self._record(
                w,
                "home",
                hid,
                None,
                address=f"{village.name}{r.randint(1, 30)}组{r.randint(1, 99)}号",
                floor_area_m2=Decimal(r.randint(20, 60)),
            )
        for _ in range(r.choices([0, 1], [60, 40])[0]):
            self._record(
                w,
                "supporter",
                hid,
                person["id"],
                name=self._name(r.choice("MF")),
                relation=r.choice(["侄子", "兄弟", "子女"]),
                able=False,
                reason=r.choice(["本人为低保对象且年满60周岁", "重度残疾且收入低", "年满70周岁且收入低"]),
            )
        self._household_row(w, hid, village, person["name"], 1)

    def _household(self, w, village: Area, poor: bool) -> None:
        r = self.rng
        urban = village.kind == "urban"
        hid = w["household"].next_id()
        surname = r.choice(SURNAMES)
        # a county's poorest households are mostly old people, alone or as a couple (that is who dibao pays)
        shape = r.choices(
            ["single_old", "couple_old", "couple_kids", "three_gen", "single_adult"],
            [30, 34, 14, 10, 12] if poor else [12, 18, 40, 22, 8],
        )[0]
        self._poor = poor
        members = []
        if shape == "single_old":
            members.append(self._person(w, age=r.randint(60, 95), sex=r.choice("MF"), surname=surname, relation="head"))
        elif shape == "single_adult":
            members.append(self._person(w, age=r.randint(20, 59), sex=r.choice("MF"), surname=surname, relation="head"))
        else:
            old = shape == "couple_old"
            head_age = r.randint(60, 88) if old else r.randint(26, 58)
            members.append(self._person(w, age=head_age, sex="M", surname=surname, relation="head"))
            members.append(self._person(w, age=max(20, head_age + r.randint(-6, 3)), sex="F", relation="spouse"))
            if not old:
                for _ in range(r.choices([1, 2, 3], [50, 40, 10])[0]):
                    members.append(
                        self._person(
                            w,
                            age=max(0, head_age - r.randint(20, 32)),
                            sex=r.choice("MF"),
                            surname=surname,
                            relation="child",
                        )
                    )
            if shape == "three_gen":
                members.append(
                    self._person(
                        w,
                        age=min(100, head_age + r.randint(22, 32)),
                        sex=r.choice("MF"),
                        surname=surname,
                        relation="parent",
                    )
                )
        joined = dt.date(2010, 1, 1) + dt.timedelta(days=r.randrange(5000))
        for m in members:
            w["membership"].add(
                id=w["membership"].next_id(),
                person_id=m["id"],
                household_id=hid,
                relation=m["relation"],
                start_date=joined,
            )
        # incomes
        scale = Decimal("0.35") if poor else Decimal("1")
        for m in members:
            if m["employment"] == "employed":
                base = r.randint(1800, 5200) if urban else r.randint(900, 3200)
                self._income(w, hid, m["id"], "wage", Decimal(base) * scale)
                if r.random() < 0.5:
                    self._income(
                        w, hid, m["id"], "social_insurance_contribution", Decimal(base) * scale * Decimal("0.105")
                    )
            elif m["employment"] == "farming":
                self._income(w, hid, m["id"], "business", Decimal(r.randint(300, 1500)) * scale)
            elif m["employment"] == "self_employed":
                self._income(w, hid, m["id"], "business", Decimal(r.randint(800, 4000)) * scale)
            if m["age"] >= 60:
                if urban and r.random() < 0.6:
                    self._income(w, hid, m["id"], "pension", Decimal(r.randint(1200, 3500)) * scale)
                else:
                    self._income(w, hid, m["id"], "residents_basic_pension", Decimal("105.00"))
                if r.random() < 0.3:
                    self._income(
                        w,
                        hid,
                        m["id"],
                        "support_received",
                        Decimal(r.randint(100, 600)),
                        support_from=r.choice(["sibling", "supporter_60_plus", "other", "other"]),
                    )
            if r.random() < 0.02:
                self._income(
                    w,
                    hid,
                    m["id"],
                    r.choice(["preferential_payment", "family_planning_award", "scholarship", "gift", "compensation"]),
                    Decimal(r.randint(50, 800)),
                )
        if r.random() < 0.08:
            self._income(w, hid, None, "property", Decimal(r.randint(50, 1200)) * scale)
        # rigid expenditure
        for m in members:
            if r.random() < 0.05:
                self._record(
                    w,
                    "expenditure",
                    hid,
                    m["id"],
                    kind=r.choice(["medical", "disability", "education"]),
                    monthly=Decimal(r.randint(100, 1500)),
                )
        # assets
        if r.random() < (0.3 if poor else 0.75):
            self._record(
                w,
                "financialasset",
                hid,
                None,
                kind=r.choice(["deposit", "deposit", "fund", "securities", "commercial_insurance", "online_finance"]),
                amount=Decimal(r.randint(500, 8000 if poor else 150000)),
            )
        if r.random() < (0.04 if poor else 0.25):
            self._record(
                w,
                "vehicle",
                hid,
                None,
                plate=f"川Z{r.randrange(10000, 99999)}",
                value=Decimal(r.randint(3000, 180000)),
                purpose=r.choice(["livelihood", "livelihood", "other", "disability"]),
            )
        homes = r.choices([0, 1, 2], [8, 80, 12])[0]
        for _ in range(homes):
            self._record(
                w,
                "home",
                hid,
                None,
                address=f"{village.name}{r.randint(1, 30)}组{r.randint(1, 99)}号",
                floor_area_m2=Decimal(r.randint(35, 180)),
            )
        if r.random() < 0.03 and not poor:
            self._record(
                w,
                "businessrole",
                hid,
                members[0]["id"],
                enterprise=f"青神县{surname}记商贸有限公司",
                role=r.choice(["legal_representative", "shareholder", "family_workshop"]),
                employees=r.randint(0, 12),
            )
        if shape == "single_old" or (shape == "couple_old" and r.random() < 0.5):
            for _ in range(r.randint(1, 2)):
                able = r.random() < 0.7
                self._record(
                    w,
                    "supporter",
                    hid,
                    members[0]["id"],
                    name=self._name(r.choice("MF"), surname),
                    relation="子女",
                    able=able,
                    reason="" if able else r.choice(["本人为低保对象且年满60周岁", "重度残疾且收入低", "服刑"]),
                )
        self._household_row(w, hid, village, members[0]["name"], len(members))

    def _household_row(self, w, hid: int, village: Area, head: str, size: int) -> None:
        r = self.rng
        body = f"62{r.randrange(10**15, 10**16)}"
        account = body + luhn.calc_check_digit(body)  # a 19-digit card number with a valid check digit
        w["household"].add(
            id=hid,
            area_id=village.code,
            hukou_type=village.kind,
            address=f"{self.full_names[village.code]}{r.randint(1, 30)}组{r.randint(1, 99)}号",
            phone=f"1{r.choice('3589')}{r.randrange(10**8, 10**9)}",
            bank_name=r.choice(BANKS),
            bank_account=account,
            bank_account_problem=account_problem(account) or "",
            account_holder=head,
            head_name=head,
            member_count=size,
            batch_id=self.batch_id,
        )

    def _income(self, w, hid, pid, kind, monthly, support_from=""):
        w["income"].add(
            id=w["income"].next_id(),
            household_id=hid,
            person_id=pid,
            kind=kind,
            monthly=Decimal(monthly).quantize(Decimal("0.01")),
            support_from=support_from,
        )

    def _record(self, w, table, hid, pid, **fields):
        w[table].add(id=w[table].next_id(), household_id=hid, person_id=pid, **fields)

    # ---- run ------------------------------------------------------------------------------------------
    def areas_ensure(self) -> list[Area]:
        for row in areas_plan(self.townships, self.villages_per_township):
            Area.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "level": row["level"],
                    "kind": row["kind"],
                    "parent_id": row["parent"],
                    "prefix": row["code"][: PREFIX_LENGTH[AreaLevel(row["level"])]],
                    "shape": row.get("shape"),
                },
            )
        areas = {a.code: a for a in Area.objects.filter(code__startswith=COUNTY_CODE)}
        county = areas[COUNTY_CODE + "000000"].name
        self.full_names = {
            code: county + areas[a.parent_id].name + a.name for code, a in areas.items() if a.level == "village"
        }
        return [a for a in areas.values() if a.level == "village"]

    def run(self, *, actor=None, progress=None) -> GenerationReport:
        started = time.perf_counter()
        self.batch_id = f"demo-{uuid.uuid4().hex[:12]}"
        report = GenerationReport(batch_id=self.batch_id)
        with transaction.atomic():
            villages = self.areas_ensure()
            writers = {
                "household": TableWriter(rm.Household),
                "person": TableWriter(rm.Person),
                "membership": TableWriter(rm.Membership),
                "income": TableWriter(rm.Income),
                "expenditure": TableWriter(rm.Expenditure),
                "financialasset": TableWriter(rm.FinancialAsset),
                "vehicle": TableWriter(rm.Vehicle),
                "home": TableWriter(rm.Home),
                "businessrole": TableWriter(rm.BusinessRole),
                "supporter": TableWriter(rm.Supporter),
            }
            done = 0
            while done < self.households:
                size = min(self.chunk, self.households - done)
                before = {k: w.count + len(w.buffer) for k, w in writers.items()}
                for i in range(size):
                    village = villages[(done + i) % len(villages)]
                    kind = self.rng.random()
                    if kind < TEKUN_SHARE:
                        self._tekun_household(writers, village)
                    else:
                        self._household(writers, village, poor=kind < TEKUN_SHARE + POOR_SHARE)
                # Parents before children: flush in dependency order.
                for name in (
                    "person",
                    "household",
                    "membership",
                    "income",
                    "expenditure",
                    "financialasset",
                    "vehicle",
                    "home",
                    "businessrole",
                    "supporter",
                ):
                    writers[name].flush()
                done += size
                counts = {k: w.count - before[k] for k, w in writers.items()}
                audit_record(
                    actor=actor,
                    action=DemoEvent.GENERATE_BATCH,
                    kind=EventKind.BATCH,
                    target_type="batch",
                    target_id=self.batch_id,
                    label=f"demo households {done}/{self.households}",
                    area_code=COUNTY_CODE + "000000",
                    batch_id=self.batch_id,
                    new={"seed": self.seed, "households_requested": self.households, "counts": counts},
                )
                if progress:
                    progress(done, self.households)
            sequences_reset(w.model for w in writers.values())
            facts_started = time.perf_counter()
            facts_rebuild(batch_id=self.batch_id)  # what batch evaluation reads (registry/facts.py)
            report.facts_seconds = time.perf_counter() - facts_started
        report.households = writers["household"].count
        report.people = writers["person"].count
        report.records = {k: w.count for k, w in writers.items()}
        report.seconds = time.perf_counter() - started
        return report
