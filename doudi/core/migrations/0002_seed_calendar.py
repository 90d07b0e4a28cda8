from django.db import migrations


def seed(apps, schema_editor):
    from chinese_calendar import constants

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    years = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
    for year in years:
        if CalendarYear.objects.filter(year=year).exists():
            continue
        rows = [CalendarDay(date=d, kind="holiday", name=str(n)) for d, n in constants.holidays.items() if d.year == year]
        rows += [CalendarDay(date=d, kind="workday", name=str(n)) for d, n in constants.workdays.items() if d.year == year]
        CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
        CalendarYear.objects.create(year=year, source="chinese-calendar library")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
