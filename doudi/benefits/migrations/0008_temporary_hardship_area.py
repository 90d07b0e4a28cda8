"""Where a temporary assistance's hardship happened (domain.md §5: apply where the hardship happens). Applications
made before it was kept were filed at the household's area, which is taken as the place of the hardship."""

from django.db import migrations, models
from django.db.models import F


def fill(apps, schema_editor):
    apps.get_model("benefits", "TemporaryAssistance").objects.filter(hardship_area_code="").update(
        hardship_area_code=F("area_code")
    )


class Migration(migrations.Migration):
    dependencies = [("benefits", "0007_veteran_cause")]

    operations = [
        migrations.AddField(
            model_name="temporaryassistance",
            name="hardship_area_code",
            field=models.CharField(default="", max_length=12, verbose_name="困难发生地"),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
