"""Backup and restore: the database (PostgreSQL dump, or SQLite's online backup) and the data folder's files in one
encrypted file, with a manifest of every table's row count and the audit chain head.

``backup_make`` takes the counts and the chain head from the very state it dumps (PostgreSQL: an exported
snapshot shared with pg_dump; SQLite: the backup copy), so the manifest describes the backup exactly, even while
people keep working. The file is a tar stream encrypted chunk by chunk (doudi/core/crypto.py, SM4-GCM by
default) with the "backup" key; a plain ``.manifest.json`` beside it (counts, head, checksum: no personal data)
lets the operator see what it holds without the key.

``backup_restore`` refuses a database that already holds data (unless told to replace it), restores, and then
proves the drill: every table's count equals the manifest's, and the audit chain verifies up to the same head.
The key file is not in the backup: keep it apart (docs/deployment.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from doudi.audit.chain import audit_seal, audit_verify
from doudi.core.crypto import decrypt_stream, encrypt_stream
from doudi.core.errors import ApplicationError

PURPOSE = "backup"
SKIP_DIRS = {"keys", "test-keys", "backups", "audit-archive"}  # never inside a backup: keys; backups themselves
SKIP_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal", ".partial")


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    differences: list[str] = field(default_factory=list)
    chain: str = ""
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.differences


def _pg_env(alias: str = "default") -> tuple[list[str], dict]:
    s = connections[alias].settings_dict
    args = ["-h", s["HOST"] or "localhost", "-p", str(s["PORT"] or 5432), "-U", s["USER"] or "postgres"]
    return args, {**os.environ, "PGPASSWORD": s["PASSWORD"] or ""}


def _counts(cursor, tables) -> dict[str, int]:
    qn = connection.ops.quote_name
    out = {}
    for t in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {qn(t)}")
        out[t] = cursor.fetchone()[0]
    return out


def _head(cursor) -> dict:
    cursor.execute("SELECT seq, mac FROM audit_auditseal ORDER BY seq DESC LIMIT 1")
    row = cursor.fetchone()
    return {"seq": row[0], "mac": row[1]} if row else {"seq": 0, "mac": ""}


def _data_files(root: Path):
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] in SKIP_DIRS or not path.is_file() or path.name.endswith(SKIP_SUFFIXES):
            continue
        if path.resolve() == Path(settings.DOUDI_KEY_FILE).resolve():
            continue
        yield path, rel


def _dump(workdir: Path) -> tuple[str, dict[str, int], dict]:
    """Dump the database into ``workdir``; return the file name, the row counts and the chain head of the
    dumped state."""
    if connection.vendor == "sqlite":
        target = workdir / "database.sqlite3"
        src = sqlite3.connect(connection.settings_dict["NAME"])
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        src.close()
        cursor = dst.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        tables = [r[0] for r in cursor.fetchall()]
        counts, head = _counts(cursor, tables), _head(cursor)
        dst.close()
        return target.name, counts, head
    target = workdir / "database.dump"
    s = connection.settings_dict
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _counts(cursor, connection.introspection.table_names(cursor))
        head = _head(cursor)
        args, env = _pg_env()
        done = subprocess.run(
            ["pg_dump", *args, "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(target), s["NAME"]],
            env=env,
            capture_output=True,
            text=True,
        )
    if done.returncode:
        raise ApplicationError(f"数据库导出失败：{done.stderr.strip()}", f"pg_dump failed: {done.stderr.strip()}")
    return target.name, counts, head


def backup_make(folder: Path) -> tuple[Path, dict]:
    """Write one encrypted backup into ``folder``; return its path and manifest."""
    audit_seal()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = f"doudi-backup-{stamp}"
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        workdir = Path(tmp)
        db_name, counts, head = _dump(workdir)
        files = list(_data_files(Path(settings.DATA_DIR)))
        manifest = {
            "format": 1,
            "created": timezone.now().isoformat(),
            "database": {"vendor": connection.vendor, "file": db_name},
            "tables": counts,
            "rows": sum(counts.values()),
            "audit_head": head,
            "files": len(files),
        }
        tar_path = workdir / "backup.tar"
        with tarfile.open(tar_path, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(workdir / db_name, arcname=db_name)
            for path, rel in files:
                tar.add(path, arcname=f"files/{rel.as_posix()}")
        partial = folder / f"{name}.dbk.partial"
        with tar_path.open("rb") as source, partial.open("wb") as target:
            header = encrypt_stream(source, target, purpose=PURPOSE)
        final = folder / f"{name}.dbk"
        os.replace(partial, final)
    digest = hashlib.sha256()
    with final.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    outside = {**manifest, "cipher": header["cipher"], "key_id": header["key_id"], "sha256": digest.hexdigest()}
    (folder / f"{name}.manifest.json").write_text(json.dumps(outside, ensure_ascii=False, indent=1))
    return final, outside


def _database_is_empty() -> bool:
    return not [t for t in connection.introspection.table_names() if t != "django_migrations"]


def backup_restore(path: Path, *, replace: bool = False) -> RestoreReport:
    """Restore ``path`` into the configured database and data folder, then check counts and the audit chain."""
    if not replace and connection.vendor == "sqlite" and Path(connection.settings_dict["NAME"]).exists():
        if not _database_is_empty():
            raise ApplicationError(
                "目标数据库已有数据：恢复到新的空数据库，或加 --replace 覆盖",
                "The target database holds data: restore into a new, empty one, or pass --replace",
            )
    if not replace and connection.vendor == "postgresql" and not _database_is_empty():
        raise ApplicationError(
            "目标数据库已有数据：恢复到新的空数据库，或加 --replace 覆盖",
            "The target database holds data: restore into a new, empty one, or pass --replace",
        )
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        tar_path = workdir / "backup.tar"
        with path.open("rb") as source, tar_path.open("wb") as target:
            for block in decrypt_stream(source):
                target.write(block)
        with tarfile.open(tar_path) as tar:
            tar.extractall(workdir / "x", filter="data")
        root = workdir / "x"
        manifest = json.loads((root / "manifest.json").read_text())
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise ApplicationError(
                f"备份来自 {vendor}，当前数据库是 {connection.vendor}",
                f"The backup is of {vendor}; this database is {connection.vendor}",
            )
        db_file = root / manifest["database"]["file"]
        if vendor == "sqlite":
            name = Path(connection.settings_dict["NAME"])
            connections.close_all()
            for suffix in ("-wal", "-shm"):
                Path(f"{name}{suffix}").unlink(missing_ok=True)
            name.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(db_file, name)
        else:
            args, env = _pg_env()
            cmd = ["pg_restore", *args, "--no-owner", "--exit-on-error", "-d", connection.settings_dict["NAME"]]
            if replace:
                cmd[-2:-2] = ["--clean", "--if-exists"]
            connections.close_all()
            done = subprocess.run([*cmd, str(db_file)], env=env, capture_output=True, text=True)
            if done.returncode:
                raise ApplicationError(f"数据库恢复失败：{done.stderr.strip()}", f"pg_restore: {done.stderr.strip()}")
        data_dir = Path(settings.DATA_DIR)
        restored = 0
        for src in sorted((root / "files").rglob("*")) if (root / "files").exists() else []:
            if src.is_file():
                dest = data_dir / src.relative_to(root / "files")
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
                restored += 1
    return _drill(manifest, restored)


def _drill(manifest: dict, files: int) -> RestoreReport:
    report = RestoreReport(files=files)
    with connection.cursor() as cursor:
        counts = _counts(cursor, connection.introspection.table_names(cursor))
        head = _head(cursor)
    expected = manifest["tables"]
    report.tables, report.rows = len(counts), sum(counts.values())
    for table in sorted(set(expected) | set(counts)):
        if expected.get(table) != counts.get(table):
            report.differences.append(f"{table}: 备份 {expected.get(table)} 行，恢复后 {counts.get(table)} 行")
    if files != manifest["files"]:
        report.differences.append(f"文件：备份 {manifest['files']} 个，恢复 {files} 个")
    if head != manifest["audit_head"]:
        report.differences.append(f"审计链头不符：备份 {manifest['audit_head']}，恢复后 {head}")
    verification = audit_verify()
    if not verification.ok:
        report.differences.extend(verification.problems)
    report.chain = f"第{verification.first_seq}至{verification.last_seq}号，共{verification.checked}条"
    return report
