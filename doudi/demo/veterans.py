"""The demo county's veterans' periodic payments (domain.md §5e): 45 entitled people across the townships in
plausible categories (disabled servicemen of every grade and of each cause — war, duty, illness, two of one grade
with different causes paid different amounts — families of martyrs and of servicemen who died on duty or
of illness, demobilised veterans, veterans returned home with illness, participants in wars and nuclear tests, two
former Kuomintang war veterans), each entered by the township's caseworker and approved by the county in the first
month of the year's history (``veterans_roll``, called by year.py: January, or last December when today is in
January), and paid every month since by the year's payrolls, with the Spring Festival visit grant in January. This
month (``veterans_demo``): one man in prison since this month (suspended); one woman who died this month (paid to the
month of death); and the year's former Kuomintang war veterans' grant (and in December the coming Spring Festival's
visit), paid by this month's payroll."""

from __future__ import annotations

import datetime as dt
import random

from doudi.accounts.models import Staff
from doudi.benefits.life import person_death_record
from doudi.benefits.models import VeteranEntitlement
from doudi.benefits.veterans import veteran_decide, veteran_enter, veteran_suspend, veterans_grants_run
from doudi.core.errors import ApplicationError
from doudi.core.money import month_start
from doudi.registry.models import Membership

# (category, grade, cause, how many); grades weighted as real rosters are, most in the light grades; most disabled
# on duty (因公), some in war (因战, the older men), some from illness (因病, grades 1–6 only); grades 6 and 7 each
# have two causes, so the roster shows one grade paid two amounts
PLAN = [
    ("disabled", 1, "war", 1),
    ("disabled", 2, "duty", 1),
    ("disabled", 3, "illness", 1),
    ("disabled", 4, "war", 1),
    ("disabled", 5, "duty", 1),
    ("disabled", 6, "duty", 1),
    ("disabled", 6, "illness", 1),
    ("disabled", 7, "war", 1),
    ("disabled", 7, "duty", 1),
    ("disabled", 8, "duty", 2),
    ("disabled", 9, "war", 1),
    ("disabled", 9, "duty", 1),
    ("disabled", 10, "duty", 1),
    ("martyr_family", None, None, 4),
    ("duty_death_family", None, None, 3),
    ("illness_death_family", None, None, 4),
    ("demobilised", None, None, 6),
    ("ill_returned", None, None, 5),
    ("war_participant", None, None, 5),
    ("nuclear_participant", None, None, 2),
]
FAMILIES = ("martyr_family", "duty_death_family", "illness_death_family")


def veterans_roll(*, today: dt.date, start_month: dt.date, decided: dt.date, seed: int) -> dict[str, int]:
    """Enter the demo's veterans (each township's caseworker) and approve them (the county's approver) on
    ``decided``, paid from ``start_month``; returns the counts made. Run again, it adds nobody twice."""
    rng = random.Random(seed * 104729 + 58)
    approver = Staff.objects.get(username="approver")
    caseworkers = {s.scope_prefix: s for s in Staff.objects.filter(role="township_caseworker", is_active=True)}
    taken = set(VeteranEntitlement.objects.values_list("person_id", flat=True))
    by_township: dict[str, list] = {}
    candidates = (
        Membership.objects.filter(
            end_date__isnull=True,
            household__area__code__startswith="511425",
            person__deceased=False,
            person__birth_date__lte=dt.date(today.year - 55, 1, 1),
        )
        .select_related("person", "household")
        .order_by("pk")
    )
    for m in candidates:
        township = m.household.area_id[:9]
        if (
            township in caseworkers
            and m.person_id not in taken
            and m.household_id not in {x.household_id for x in by_township.get(township, [])}
        ):
            by_township.setdefault(township, []).append(m)
    townships = sorted(by_township)
    made = {"entered": 0, "approved": 0}
    if not townships:
        return made

    def pick(women: bool, oldest: bool = False):
        for _ in range(len(townships)):
            township = townships[rng.randrange(len(townships))]
            pool = [m for m in by_township[township] if (m.person.sex == "F") == women]
            if oldest:
                pool.sort(key=lambda m: m.person.birth_date)
                pool = pool[:3]
            if pool:
                m = pool[0] if oldest else rng.choice(pool)
                by_township[township].remove(m)
                return m
        return None

    wanted = [(cat, grade, cause) for cat, grade, cause, n in PLAN for _ in range(n)]
    people = [(pick(women=cat in FAMILIES), cat, grade, cause) for cat, grade, cause in wanted]
    people += [(pick(women=False, oldest=True), "kmt_veteran", None, None) for _ in range(2)]
    for m, category, grade, cause in people:
        if m is None:
            continue
        try:
            v = veteran_enter(
                actor=caseworkers[m.household.area_id[:9]],
                person=m.person,
                category=category,
                grade=grade,
                cause=cause,
                start_month=start_month,
                certificate_no=f"{'残' if category == 'disabled' else '优'}5114{rng.randrange(10**7, 10**8)}",
            )
            made["entered"] += 1
            veteran_decide(actor=approver, entitlement=v, approve=True, on=decided)
            made["approved"] += 1
        except ApplicationError:
            continue
    return made


def veterans_demo(*, today: dt.date, seed: int) -> dict[str, int]:
    """This month's events of the veterans entered and paid through the year (``veterans_roll``, year.py): one
    imprisoned, one death, and this winter's Spring Festival visit and the year's Kuomintang veterans' grants, paid
    by this month's payroll; returns the counts made."""
    approver = Staff.objects.get(username="approver")
    month = month_start(today)
    caseworkers = {s.scope_prefix: s for s in Staff.objects.filter(role="township_caseworker", is_active=True)}
    made: dict[str, int] = {}
    active = VeteranEntitlement.objects.filter(enrolment__status="active").select_related("person", "enrolment")
    # a demobilised man in prison since a few days ago: nothing from this month until the month after release
    inside = active.filter(category="demobilised").order_by("pk").first()
    if inside is not None:
        veteran_suspend(
            actor=approver,
            entitlement=inside,
            started_on=max(month, today - dt.timedelta(days=6)),
            note="判处有期徒刑二年（演示）",
        )
        made["suspended"] = 1
    # a martyr's widow in 汉阳镇 died this month: paid to the month of death, stopped from the next
    caseworker = Staff.objects.get(username="caseworker")
    widow = (
        active.filter(category="martyr_family", area_code__startswith=caseworker.scope_prefix).order_by("pk").first()
    )
    widow = widow or active.filter(category="martyr_family").order_by("pk").first()
    if widow is not None:
        reporter = caseworkers.get(widow.area_code[:9], caseworker)
        person_death_record(
            actor=reporter,
            person=widow.person,
            died_on=max(month, today - dt.timedelta(days=2)),
            details="村委会报告，病故",
        )
        made["died"] = 1
    # the Spring Festival visit (paid in December for the coming festival; this year's was granted in January, so
    # another month adds nobody) and the year's grant to the former Kuomintang war veterans, by this month's payroll
    festival_year = today.year + 1 if today.month == 12 else today.year
    made["spring_festival"] = veterans_grants_run(
        actor=approver, kind="spring_festival", year=festival_year, month=month
    ).added
    made["kmt_veteran"] = veterans_grants_run(actor=approver, kind="kmt_veteran", year=today.year, month=month).added
    return made
