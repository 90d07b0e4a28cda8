"""Finer planner statistics for the area-code columns every scoped query filters on by prefix.

With PostgreSQL's default histogram (100 buckets) one bucket spans two townships of a million-household
county set, and the planner guessed 99 households for a township of 5,000: household search by name then
walked 5,000 households one by one instead of using the name index — 96–123 ms instead of 4–6 ms in two
`make bench` runs, depending on which rows ANALYZE happened to sample (docs/benchmarks.md). 1,000 buckets put
each township across several. SQLite has no such setting; nothing to do there.
"""
from django.db import migrations

COLUMNS = [("registry", "Household", "area_id"), ("cases", "Application", "area_code"),
           ("cases", "Case", "area_code"), ("cases", "Enrolment", "area_code"),
           ("payments", "PayrollLine", "area_code"), ("audit", "AuditEvent", "area_code")]


def statistics(target):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for app, model, column in COLUMNS:
            table = apps.get_model(app, model)._meta.db_table
            schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET STATISTICS {target}')
    return apply


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_seed_calendar"),
        ("registry", "0005_member_slots"),
        ("cases", "0002_termination_notice"),
        ("payments", "0002_lean_ledger"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(statistics(1000), statistics(-1))]
