"""Trigram indexes for searching names and ID-number endings anywhere in the string (LIKE '%…%') on PostgreSQL; nothing on SQLite."""
from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS registry_person_name_trgm ON registry_person USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS registry_person_id_number_trgm ON registry_person USING gin (id_number gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS registry_person_name_trgm", "DROP INDEX IF EXISTS registry_person_id_number_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
