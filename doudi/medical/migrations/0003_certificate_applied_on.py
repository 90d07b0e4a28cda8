"""The day a person applied with the certificate (domain.md §5c: the subsidies are paid from the month of
application). Certificates imported before it was kept are taken as applied on the day they were imported."""

from django.db import migrations, models


def fill(apps, schema_editor):
    DisabilityCertificate = apps.get_model("medical", "DisabilityCertificate")
    for c in DisabilityCertificate.objects.filter(applied_on__isnull=True).only("pk", "created_at").iterator():
        DisabilityCertificate.objects.filter(pk=c.pk).update(applied_on=c.created_at.date())


class Migration(migrations.Migration):
    dependencies = [("medical", "0002_disability_certificates")]

    operations = [
        migrations.AddField(
            model_name="disabilitycertificate",
            name="applied_on",
            field=models.DateField(null=True, verbose_name="申请日期"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="disabilitycertificate",
            name="applied_on",
            field=models.DateField(verbose_name="申请日期"),
        ),
    ]
