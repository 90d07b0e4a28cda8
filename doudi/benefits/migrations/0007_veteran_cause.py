"""The cause of a disabled serviceman's disability (伤残性质: 因战 war, 因公 duty, 因病 illness), recorded on each
entitlement beside the grade, as the national table pays by cause and grade.

Disabled servicemen entered before causes were recorded are given ``duty`` (因公): their amounts do not change,
since programmes migration 0006 starts every cause's parameter of a grade at the old parameter of that grade, and
the county then corrects each one's cause from the certificate (残疾军人证 records 伤残性质) on the entitlement's
page (更正伤残性质和等级). An entitlement of grade 7–10 can never be given illness, which carries no pension there.
Nothing else is touched; going back empties the cause."""

from django.db import migrations, models

LEGACY_CAUSE = "duty"  # as doudi/programmes/shapes/veterans.py LEGACY_CAUSE, frozen here


def causes_give(apps, schema_editor):
    """Every disabled serviceman without a cause is given ``duty``; the others keep none."""
    VeteranEntitlement = apps.get_model("benefits", "VeteranEntitlement")
    return VeteranEntitlement.objects.filter(category="disabled", cause="").update(cause=LEGACY_CAUSE)


def causes_empty(apps, schema_editor):
    VeteranEntitlement = apps.get_model("benefits", "VeteranEntitlement")
    VeteranEntitlement.objects.exclude(cause="").update(cause="")


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0006_merge_20261202_1717"),
    ]

    operations = [
        migrations.AddField(
            model_name="veteranentitlement",
            name="cause",
            field=models.CharField(
                blank=True,
                choices=[("war", "因战"), ("duty", "因公"), ("illness", "因病")],
                default="",
                max_length=8,
                verbose_name="伤残性质",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="veteranentitlement",
            name="veterans_grade_for_disabled_only",
        ),
        migrations.RunPython(causes_give, causes_empty),
        migrations.AddConstraint(
            model_name="veteranentitlement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("category", "disabled"), ("cause__in", ("war", "duty")), ("grade__gte", 1), ("grade__lte", 10)),
                    models.Q(("category", "disabled"), ("cause", "illness"), ("grade__gte", 1), ("grade__lte", 6)),
                    models.Q(models.Q(("category", "disabled"), _negated=True), ("cause", ""), ("grade__isnull", True)),
                    _connector="OR",
                ),
                name="veterans_grade_and_cause_for_disabled_only",
            ),
        ),
    ]
