import datetime as dt

from django.core.management import call_command
from django.db.models import Count

from doudi.accounts.models import Staff
from doudi.areas.models import Area
from doudi.audit.models import AuditEvent
from doudi.core.idnumber import id_parse
from doudi.demo.generator import Generator
from doudi.registry.models import Household, Income, Membership, Person


def test_generator_builds_a_consistent_county(db):
    report = Generator(seed=7, households=300, chunk=120).run()
    assert report.households == 300 and Household.objects.count() == 300
    assert Area.objects.filter(level="township").count() == 6
    assert Area.objects.filter(level="village").count() == 60
    assert set(Household.objects.values_list("hukou_type", flat=True)) == {"urban", "rural"}
    # every ID is valid, unique, and agrees with the stored sex and birth date
    for p in Person.objects.all():
        facts = id_parse(p.id_number)
        assert (facts.sex, facts.birth_date) == (p.sex, p.birth_date)
    assert Person.objects.values("id_number").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    # each person in exactly one household, one head per household, counts consistent
    assert Membership.objects.filter(end_date__isnull=True).count() == Person.objects.count()
    heads = Membership.objects.filter(relation="head").values("household").annotate(n=Count("id"))
    assert {h["n"] for h in heads} == {1} and len(heads) == 300
    for h in Household.objects.all()[:50]:
        assert h.member_count == h.memberships.count()
    # realistic spread: ages, disability, illness, incomes
    ages = [(dt.date(2026, 1, 1) - p.birth_date).days // 365 for p in Person.objects.all()]
    assert min(ages) < 18 and max(ages) >= 80
    assert Person.objects.exclude(disability_kind="").exists() and Person.objects.filter(serious_illness=True).exists()
    assert (
        Income.objects.filter(kind="wage").exists() and Income.objects.filter(kind="residents_basic_pension").exists()
    )
    # one audit event per batch, carrying the counts
    batches = AuditEvent.objects.filter(action="demo.generate_batch")
    assert batches.count() == 3
    assert sum(e.new["counts"]["household"] for e in batches) == 300
    # the facts batch evaluation reads are built for every household and agree with the registry
    from doudi.registry.facts import facts_differences
    from doudi.registry.models import HouseholdFacts

    assert HouseholdFacts.objects.count() == 300 and facts_differences() == []
    assert report.facts_seconds > 0


def test_generator_is_deterministic(db):
    Generator(seed=11, households=40).run()
    first = list(Person.objects.order_by("id").values_list("name", "id_number", "birth_date"))
    from django.db import connection

    with connection.cursor() as c:
        for t in (
            "registry_supporter",
            "registry_businessrole",
            "registry_home",
            "registry_vehicle",
            "registry_financialasset",
            "registry_expenditure",
            "registry_income",
            "registry_membership",
            "registry_person",
            "registry_household",
        ):
            c.execute(f"DELETE FROM {t}")
    Generator(seed=11, households=40).run()
    second = list(Person.objects.order_by("id").values_list("name", "id_number", "birth_date"))
    assert first == second


def test_demo_command_builds_county_and_logins(db, capsys):
    call_command("demo", households=120)
    out = capsys.readouterr().out
    assert "120 households" in out
    for username in ("admin", "caseworker", "approver", "finance", "auditor", "cadre"):
        assert username in out and Staff.objects.filter(username=username).exists()
    assert Staff.objects.get(username="caseworker").area.level == "township"
    # running again keeps the data and does not duplicate
    call_command("demo", households=120)
    assert Household.objects.count() == 120
