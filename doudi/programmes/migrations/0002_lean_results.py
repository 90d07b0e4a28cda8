"""Batch results keyed by (run, household), with no other index and no database-level foreign keys, so a
province's million rows are written by one statement at the speed of the table itself (docs/benchmarks.md).
Django cannot change an existing table's key into a composite one, so the table is recreated: the per-household
rows of earlier runs are derived data and go; each run keeps its summary (EvaluationRun.summary)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_initial"),
        ("registry", "0003_facts"),
    ]

    operations = [
        migrations.DeleteModel(name="EvaluationResult"),
        migrations.CreateModel(
            name="EvaluationResult",
            fields=[
                ("pk", models.CompositePrimaryKey("run", "household", blank=True, editable=False,
                                                  primary_key=True, serialize=False)),
                ("run", models.ForeignKey(db_constraint=False, db_index=False,
                                          on_delete=django.db.models.deletion.CASCADE, related_name="results",
                                          to="programmes.evaluationrun")),
                ("household", models.ForeignKey(db_constraint=False, db_index=False,
                                                on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                to="registry.household")),
                ("township_code", models.CharField(max_length=12)),
                ("eligible", models.BooleanField()),
                ("monthly_amount", models.DecimalField(decimal_places=2, max_digits=12)),
                ("per_capita_income", models.DecimalField(decimal_places=2, max_digits=12)),
                ("counted_members", models.PositiveSmallIntegerField()),
            ],
        ),
    ]
