"""`doudi backup [--folder DIR]`: the database and the data folder in one encrypted file, with a manifest."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from doudi.backup.actions import backup_make
from doudi.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Write an encrypted backup (database, files, manifest of row counts and the audit chain head)."

    def add_arguments(self, parser):
        parser.add_argument("--folder", type=Path, default=None, help="default: <DOUDI_DATA_DIR>/backups")

    def handle(self, *args, folder, **options):
        folder = folder or Path(settings.DATA_DIR) / "backups"
        try:
            path, manifest = backup_make(folder)
        except ApplicationError as e:
            raise CommandError(e.zh) from e
        self.stdout.write(
            f"已备份到 {path}（{manifest['cipher']}，密钥 {manifest['key_id']}）：{len(manifest['tables'])} 张表、"
            f"{manifest['rows']} 行、{manifest['files']} 个文件；审计链头第{manifest['audit_head']['seq']}号"
        )
