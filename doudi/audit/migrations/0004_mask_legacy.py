"""Audit events written before personal data was masked in the trail (the releases before encryption at rest) may
hold full ID numbers, bank accounts, phones or diagnoses in their JSON. Those events are not yet sealed into the
chain (the chain came with the same release, and sealing runs only once the application runs), so they are
masked here, batch by batch, the way new events are written (``masked``). An event already sealed is never
rewritten: that would break the chain the auditor holds; ``mask_legacy`` leaves it and counts it.

On PostgreSQL the append-only trigger is switched off for this table for the migration's own transaction only
(``ALTER TABLE … DISABLE TRIGGER`` takes the table's lock until commit), and on again before it ends."""

from django.db import migrations

BATCH = 2000


def mask_legacy(apps, schema_editor) -> dict:
    from doudi.audit.actions import masked

    AuditEvent = apps.get_model("audit", "AuditEvent")
    postgres = schema_editor.connection.vendor == "postgresql"
    changed = left_sealed = 0
    if postgres:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
    try:
        after = 0
        while True:
            rows = list(
                AuditEvent.objects.filter(pk__gt=after)
                .exclude(old=None, new=None)
                .order_by("pk")
                .values("pk", "old", "new", "seal")[:BATCH]
            )
            if not rows:
                break
            for r in rows:
                old, new = masked(r["old"]), masked(r["new"])
                if (old, new) == (r["old"], r["new"]):
                    continue
                if r["seal"] is not None:
                    left_sealed += 1
                    continue
                AuditEvent.objects.filter(pk=r["pk"]).update(old=old, new=new)
                changed += 1
            after = rows[-1]["pk"]
    finally:
        if postgres:
            with schema_editor.connection.cursor() as cursor:
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    return {"masked": changed, "sealed_left": left_sealed}


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_perf_verification"),
    ]

    operations = [
        migrations.RunPython(mask_legacy, migrations.RunPython.noop),
    ]
