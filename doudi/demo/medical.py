"""The demo county's medical assistance (issue 15). Each month of the year's history (year.py,
``settlements_month``): the county hospital's settlement file of the month's stays of a few dibao and tekun members,
imported through the same action as a user's file and paid in the month, with the year's premium subsidy roster in
the first month. This month (``medical_demo``): the settlement file for dibao and tekun members — one of them in
hospital twice this year, so the second claim meets what is left of the annual cap — and the premium subsidies of
the people who came on the roll since the year's roster; both paid in this month's medical assistance payroll."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Q

from doudi.accounts.models import Staff
from doudi.cases.models import Enrolment, EnrolmentStatus
from doudi.medical.certificates import (
    certificate_decide,
    certificate_import,
    certificate_review,
    disability_follow_dibao,
)
from doudi.medical.models import CertificateBatch, PremiumSubsidy, SettlementBatch
from doudi.medical.premiums import premium_roster_build
from doudi.medical.settlements import HEADER, settlement_import
from doudi.registry.choices import DisabilityKind
from doudi.registry.models import Membership, Person

FILE_NAME = "青神县人民医院医疗救助结算单.csv"
HOSPITALS = ("青神县人民医院", "青神县中医医院", "眉山市人民医院", "四川大学华西医院")
OUT_OF_POCKET = ("860.00", "2450.50", "5320.00", "12800.00")
STAYS_A_MONTH = 0.008  # of the dibao and tekun members: hospital stays settled each month


def _stays(today: dt.date, rng: random.Random, n: int) -> list[tuple[dt.date, dt.date]]:
    """``n`` hospital stays of this year, discharged on or before today, in date order (in the first days of January,
    of the last days of December)."""
    start = min(dt.date(today.year, 1, 10), today - dt.timedelta(days=n + 1))
    span = max((today - start).days - 30, n)  # earlier stays end a month before this month's
    ends = sorted(start + dt.timedelta(days=rng.randrange(0, span)) for _ in range(n))
    return [(end - dt.timedelta(days=rng.randrange(3, 15)), end) for end in ends]


def medical_demo(*, today: dt.date, seed: int) -> dict[str, int]:
    """Import this month's settlement file and build the year's premium roster; returns the counts."""
    approver = Staff.objects.get(username="approver")
    if SettlementBatch.objects.filter(file_name=FILE_NAME).exists():
        return {"claims": 0, "premiums": 0}
    rng = random.Random(seed * 7907 + 4)
    live = Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, area_code__startswith="511425")
    # three of 汉阳镇 (the demo caseworker's and reviewers' township, so their pages show some) and three elsewhere
    dibao = live.filter(programme_id="dibao").values_list("household_id", flat=True).order_by("pk")
    dibao = list(dibao.filter(area_code__startswith="511425101")[:3]) + list(
        dibao.exclude(area_code__startswith="511425101")[:3]
    )
    tekun = list(live.filter(programme_id="tekun", person__isnull=False).values_list("person_id", flat=True)[:2])
    members = list(
        Membership.objects.filter(end_date__isnull=True, person__deceased=False, person__id_number__isnull=False)
        .filter(household_id__in=dibao, relation="head")
        .select_related("person")
        .order_by("household_id")
    ) + list(
        Membership.objects.filter(end_date__isnull=True, person_id__in=tekun, person__deceased=False).select_related(
            "person"
        )
    )
    rows = []
    for i, m in enumerate(members):
        stays = 2 if i == 0 else 1  # the first: twice in hospital, the second stay meets the annual cap
        for j, (admitted, discharged) in enumerate(_stays(today, rng, stays)):
            if j == stays - 1:  # the last stay of each discharged this month (paid in this month's payroll)
                discharged = today - dt.timedelta(days=rng.randrange(0, min(today.day, 5)))
                admitted = discharged - dt.timedelta(days=rng.randrange(3, 15))
            oop = rng.choice(OUT_OF_POCKET) if i else ("9800.00", "6200.00")[j]
            serious = i == 3
            if serious:
                oop = "36500.00"
            hospital = HOSPITALS[3 if serious else (i + j) % 3]
            rows.append(
                _row(f"ZY{discharged:%Y%m%d}{i:03d}{j}", m.person, hospital, admitted, discharged, oop, serious)
            )
    batch = settlement_import(actor=approver, filename=FILE_NAME, content=_file(rows), on=today)
    # the premium subsidies of the people who came on the roll since the year's roster (it adds only them)
    premium_roster_build(actor=approver, year=today.year, on=today)
    return {"claims": batch.rows, "premiums": PremiumSubsidy.objects.filter(year=today.year).count()}


def _row(number: str, person, hospital: str, admitted: dt.date, discharged: dt.date, oop: str, serious: bool):
    """One settlement as the hospital's file has it: the in-scope out-of-pocket cost ``oop`` of a bill paid 60%
    by the insurance."""
    insurance = f"{float(oop) * 1.6:.2f}"
    total = f"{float(oop) * 2.8:.2f}"
    return [
        number,
        person.name,
        person.id_number,
        hospital,
        f"{admitted:%Y-%m-%d}",
        f"{discharged:%Y-%m-%d}",
        total,
        insurance,
        oop,
        "是" if serious else "否",
    ]


def _file(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in [HEADER, *rows]).encode()


def settlements_month(*, approver: Staff, day: dt.date, since: dt.date, rng: random.Random, premiums: bool) -> int:
    """A month of the year's history (year.py): the county hospital's settlement file of the stays of dibao and
    tekun members discharged from ``since`` to the day before ``day`` (about one in a hundred of them a month, at
    least one), imported on ``day`` (paid in its month's payroll); with ``premiums`` (the year's first month) the
    year's premium subsidy roster too (the people who come on the roll later are added by this month's,
    ``medical_demo``). Returns the claims imported."""
    month = day.replace(day=1)
    live = Enrolment.objects.filter(
        status=EnrolmentStatus.ACTIVE, area_code__startswith="511425", start_month__lte=month
    )
    dibao = live.filter(programme_id="dibao").values("household_id")
    tekun = live.filter(programme_id="tekun", person__isnull=False).values("person_id")
    members = list(
        Membership.objects.filter(end_date__isnull=True, person__deceased=False, person__id_number__isnull=False)
        .filter(Q(household_id__in=dibao) | Q(person_id__in=tekun))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = max(1, round(len(members) * STAYS_A_MONTH * rng.uniform(0.6, 1.4)))
    chosen = sorted(rng.sample(members, min(count, len(members))))
    rows = []
    span = max((day - since).days, 1)
    for k, m in enumerate(Membership.objects.filter(pk__in=chosen).select_related("person").order_by("pk")):
        discharged = since + dt.timedelta(days=rng.randrange(span))
        admitted = discharged - dt.timedelta(days=rng.randrange(3, 15))
        serious = rng.random() < 0.08
        oop = "38600.00" if serious else rng.choice(OUT_OF_POCKET)
        hospital = HOSPITALS[3] if serious else rng.choice(HOSPITALS[:3])
        rows.append(_row(f"JS{discharged:%Y%m%d}{k:04d}", m.person, hospital, admitted, discharged, oop, serious))
    claims = 0
    if rows:
        name = f"青神县人民医院医疗救助结算单（{month:%Y年%m月}）.csv"
        claims = settlement_import(actor=approver, filename=name, content=_file(rows), on=day).rows
    if premiums:
        premium_roster_build(actor=approver, year=day.year, on=day)
    return claims


CERTIFICATES_FILE = "青神县残联残疾人证.csv"
CERTIFICATE_HEADER = "姓名,身份证号,残疾人证号,残疾类别,残疾等级,发证日期,有效期至"


def certificates_demo(*, today: dt.date, seed: int) -> dict[str, int]:
    """The federation's file of certificates for registered disabled people who have none on file yet: imported
    by the county's verification centre (``reviewer``); the federation's review recorded for most, and civil
    affairs' approval for some (paid from this month), so each step has work waiting in the demo."""
    if CertificateBatch.objects.filter(file_name=CERTIFICATES_FILE).exists():
        return {"certificates": 0}
    reviewer, approver = Staff.objects.get(username="reviewer"), Staff.objects.get(username="approver")
    rng = random.Random(seed * 7901 + 5)
    people = list(
        Person.objects.filter(
            disability_grade__isnull=False,
            deceased=False,
            id_number__isnull=False,
            memberships__end_date__isnull=True,
            memberships__household__area__code__startswith="511425",
        )
        .distinct()
        .order_by("pk")[:12]
    )
    rows = []
    for p in people:
        issued = dt.date(today.year - rng.randrange(1, 8), rng.randrange(1, 13), rng.randrange(1, 28))
        label = p.disability_kind or DisabilityKind.PHYSICAL  # the file may give the code or the Chinese label
        number = f"{p.id_number}{p.disability_grade}{rng.randrange(1, 10)}"
        rows.append(
            [
                p.name,
                p.id_number,
                number,
                label,
                str(p.disability_grade),
                f"{issued:%Y-%m-%d}",
                f"{issued.year + 10}-{issued:%m-%d}",
            ]
        )
    content = "\n".join(",".join(r) for r in [CERTIFICATE_HEADER.split(","), *rows]).encode()
    batch = certificate_import(actor=reviewer, filename=CERTIFICATES_FILE, content=content, on=today)
    for i, c in enumerate(batch.certificates.order_by("pk")):
        if i % 3 == 2:
            continue  # waiting for the federation's review
        certificate_review(actor=reviewer, certificate=c, passed=True, note="残联复核，类别等级无误", on=today)
        if i % 3 == 0:
            certificate_decide(actor=approver, certificate=c, approve=True, on=today)
    disability_follow_dibao(actor=approver, month=today)
    return {"certificates": batch.rows}
