"""Each payroll line records the support mode it was paid under (tekun: scattered or centralised), so a past month's
centralised support rate keeps that month's mode. Lines generated before this migration take their enrolment's
current mode (the only mode the database knew)."""

from django.db import migrations, models

FILL = """UPDATE payments_payrollline
          SET support_mode = (SELECT e.support_mode FROM cases_enrolment e
                              WHERE e.id = payments_payrollline.enrolment_id)
          WHERE enrolment_id IN (SELECT id FROM cases_enrolment WHERE support_mode <> '')"""


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0006_statsb_recovery_recovered_on"),
        ("cases", "0006_tekun_support_mode"),
    ]

    operations = [
        migrations.AddField(
            model_name="payrollline",
            name="support_mode",
            field=models.CharField(blank=True, db_default="", default="", max_length=12),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
