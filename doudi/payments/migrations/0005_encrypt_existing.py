"""Seal the payroll lines' ID numbers and accounts stored in the clear and fill the blind indexes, one committed batch at a time: not atomic, so
a migration killed halfway keeps its finished batches and a rerun carries on (a finished table is a no-op)."""

from django.db import migrations

from doudi.core.encryption import encrypt_existing


def encrypt(apps, schema_editor):
    encrypt_existing(apps, "payments")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("payments", "0004_encrypted")]
    operations = [migrations.RunPython(encrypt, migrations.RunPython.noop)]
