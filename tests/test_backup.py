"""Backup and restore drill: `doudi backup` writes one encrypted file (SM4-GCM) with a manifest; `doudi restore`
into a fresh database (a new SQLite file, or a new PostgreSQL database) gives every table the same row count and
an audit chain that verifies to the same head; a changed or cut backup is refused; no personal data in the
clear in the backup file."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from doudi.audit.models import AuditSeal
from doudi.backup.actions import backup_make
from doudi.core import keys
from doudi.core.crypto import MAGIC, Aead, DecryptionError, decrypt_stream

from .conftest import member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def key_file(settings, tmp_path):
    settings.DOUDI_KEY_FILE = tmp_path / "keys" / "doudi-keys.json"  # before anything is sealed
    keys.cache_clear()


@pytest.fixture
def world(key_file, register, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    (settings.DATA_DIR / "documents").mkdir(parents=True)
    (settings.DATA_DIR / "documents" / "授权书.pdf").write_bytes(b"%PDF-1.4 signed authorisation")
    households = [
        register(),
        register(bank_account="6217000099998888777", members=[member("王小明", "1980-01-01", 31, "head")]),
    ]
    yield households
    keys.cache_clear()


def restore_into(url: str, backup: Path, data_dir: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DOUDI_DATA_DIR": str(data_dir),
        "DOUDI_KEY_FILE": str(settings.DOUDI_KEY_FILE),
        "DJANGO_SETTINGS_MODULE": "doudi.settings.base",
    }
    return subprocess.run(
        [sys.executable, "-m", "doudi", "restore", str(backup)], env=env, capture_output=True, text=True, timeout=300
    )


def test_backup_is_encrypted_and_holds_its_manifest(world, tmp_path):
    path, manifest = backup_make(tmp_path / "backups")
    data = path.read_bytes()
    assert data.startswith(MAGIC) and manifest["cipher"] == "SM4-GCM" and manifest["key_id"].startswith("backup-1-")
    ids = [m.person.id_number for h in world for m in h.memberships.all()]
    for secret in (*ids, "6217000099998888777", "signed authorisation"):
        assert secret.encode() not in data
    assert manifest["tables"]["registry_household"] == 2 and manifest["files"] == 1
    assert manifest["audit_head"]["seq"] == AuditSeal.objects.count() > 0
    beside = json.loads((tmp_path / "backups" / (path.stem + ".manifest.json")).read_text())
    assert beside["sha256"] and beside["tables"] == manifest["tables"]


def test_a_changed_or_cut_backup_is_refused(world, tmp_path):
    path, _ = backup_make(tmp_path / "backups")
    data = bytearray(path.read_bytes())
    changed = tmp_path / "changed.dbk"
    data[len(data) // 2] ^= 1
    changed.write_bytes(bytes(data))
    with pytest.raises(DecryptionError), changed.open("rb") as f:
        list(decrypt_stream(f))
    cut = tmp_path / "cut.dbk"
    cut.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(DecryptionError), cut.open("rb") as f:
        list(decrypt_stream(f))


def test_aes_gcm_is_the_alternative(world, tmp_path, settings):
    settings.DOUDI_CIPHER = "AES-256-GCM"
    path, manifest = backup_make(tmp_path / "backups")
    assert manifest["cipher"] == "AES-256-GCM"
    with path.open("rb") as f:
        assert b"".join(decrypt_stream(f))[:100]
    sealed = Aead("SM4-GCM", b"k" * 32).seal(b"data", b"aad")
    with pytest.raises(DecryptionError):
        Aead("SM4-GCM", b"k" * 32).open(sealed, b"other aad")


def database_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{quote(s['HOST'] or 'localhost', safe='')}:{s['PORT'] or 5432}/{name}"


def test_restore_drill_into_a_fresh_database(world, tmp_path):
    path, manifest = backup_make(tmp_path / "backups")
    restored_data = tmp_path / "restored-data"
    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        done = restore_into(f"sqlite:///{target}", path, restored_data)
        assert done.returncode == 0, done.stdout + done.stderr
        db = sqlite3.connect(target)
        counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in manifest["tables"]}
        db.close()
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS doudi_restore_drill")
            cursor.execute("CREATE DATABASE doudi_restore_drill")
        try:
            done = restore_into(database_url("doudi_restore_drill"), path, restored_data)
            assert done.returncode == 0, done.stdout + done.stderr
            import psycopg  # noqa: PLC0415  (PostgreSQL only)

            s = connection.settings_dict
            with psycopg.connect(
                host=s["HOST"] or "localhost", port=s["PORT"] or 5432, user=s["USER"], dbname="doudi_restore_drill"
            ) as db:
                counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in manifest["tables"]}
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP DATABASE IF EXISTS doudi_restore_drill WITH (FORCE)")
    assert counts == manifest["tables"] and counts["registry_household"] == 2
    assert "与备份清单一致" in done.stdout and "审计链完整" in done.stdout
    assert (restored_data / "documents" / "授权书.pdf").read_bytes() == b"%PDF-1.4 signed authorisation"
    again = restore_into(
        f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        if connection.vendor == "sqlite"
        else database_url(connection.settings_dict["NAME"]),
        path,
        restored_data,
    )
    assert again.returncode != 0 and "已有数据" in again.stderr  # never over a database that holds data
