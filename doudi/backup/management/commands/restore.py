"""`doudi restore FILE [--replace]`: restore a backup into the configured (empty) database and data folder, then
check every table's row count and the audit chain against the backup's manifest (exit 1 on any difference)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from doudi.backup.actions import backup_restore
from doudi.core.crypto import DecryptionError
from doudi.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Restore an encrypted backup, then compare row counts and verify the audit chain."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--replace", action="store_true", help="overwrite a database that holds data")

    def handle(self, *args, file, replace, **options):
        if not file.exists():
            raise CommandError(f"找不到备份文件 {file}")
        try:
            report = backup_restore(file, replace=replace)
        except DecryptionError as e:
            raise CommandError(f"备份文件无法解密（被改动、不完整，或不是用本密钥文件加密的）：{e}") from e
        except ApplicationError as e:
            raise CommandError(e.zh) from e
        for line in report.differences:
            self.stderr.write(line)
        if not report.ok:
            raise CommandError("恢复后与备份清单不一致 / the restored data differ from the manifest", returncode=1)
        self.stdout.write(
            f"恢复完成：{report.tables} 张表、{report.rows} 行与备份清单一致；{report.files} 个文件；"
            f"审计链完整（{report.chain}）"
        )
