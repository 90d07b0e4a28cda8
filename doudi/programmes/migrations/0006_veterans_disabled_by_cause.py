"""Veterans' disability pensions by cause (因战、因公、因病) and grade: every stored version of the veterans'
parameters — approved, draft or withdrawn, the county's and any township's override — has its ``disabled_<g>``
value carried to each cause's parameter of that grade (``disabled_war_<g>``, ``disabled_duty_<g>`` and, for grades
1–6, ``disabled_illness_<g>``), so nobody's amount changes until the county loads the real table. Nothing is
lost: the old value is each new one of its grade (the duty column gives it back going backwards). A version that
already has a cause's parameter keeps it."""

from django.db import migrations

CAUSE_GRADES = {"war": range(1, 11), "duty": range(1, 11), "illness": range(1, 7)}  # frozen, as shapes/veterans.py


def by_cause(values: dict) -> dict:
    """``values`` with each ``disabled_<g>`` replaced by the causes' parameters of grade g (pure: tested)."""
    out = {k: v for k, v in values.items() if not _old_name(k)}
    for g in range(1, 11):
        old = f"disabled_{g}"
        if old not in values:
            continue
        for cause, grades in CAUSE_GRADES.items():
            if g in grades:
                out.setdefault(f"disabled_{cause}_{g}", values[old])
    return out


def by_grade(values: dict) -> dict:
    """Going back: ``disabled_<g>`` from the duty column, the causes' parameters removed."""
    out = {k: v for k, v in values.items() if not any(k.startswith(f"disabled_{c}_") for c in CAUSE_GRADES)}
    for g in range(1, 11):
        if f"disabled_duty_{g}" in values:
            out[f"disabled_{g}"] = values[f"disabled_duty_{g}"]
    return out


def _old_name(key: str) -> bool:
    return key.startswith("disabled_") and key[len("disabled_") :].isdigit()


def _each(apps, change) -> int:
    ParameterVersion = apps.get_model("programmes", "ParameterVersion")
    changed = 0
    for version in ParameterVersion.objects.filter(programme_id="veterans").order_by("pk"):
        values = change(version.values or {})
        if values != version.values:
            version.values = values
            version.save(update_fields=["values"])
            changed += 1
    return changed


def forwards(apps, schema_editor):
    return _each(apps, by_cause)


def backwards(apps, schema_editor):
    return _each(apps, by_grade)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0005_result_village"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
