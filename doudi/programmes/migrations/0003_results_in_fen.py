import doudi.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0002_lean_results'),
    ]

    # Amounts in yuan become integer fen before the columns become integers (and back, reversed).
    operations = [
        migrations.RunSQL(
            "UPDATE programmes_evaluationresult SET monthly_amount = CAST(ROUND(monthly_amount * 100) AS BIGINT), "
            "per_capita_income = CAST(ROUND(per_capita_income * 100) AS BIGINT)",
            "UPDATE programmes_evaluationresult SET monthly_amount = monthly_amount / 100.0, "
            "per_capita_income = per_capita_income / 100.0"),
        migrations.AlterField(
            model_name='evaluationresult',
            name='monthly_amount',
            field=doudi.core.fields.FenField(),
        ),
        migrations.AlterField(
            model_name='evaluationresult',
            name='per_capita_income',
            field=doudi.core.fields.FenField(),
        ),
    ]
