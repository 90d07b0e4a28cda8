"""`doudi keys init|list|add`: the key file (doudi/core/keys.py). Keys never leave the file: `list` shows ids,
purposes and dates only."""

from django.core.management.base import BaseCommand, CommandError

from doudi.core.encryption import keys_rotate
from doudi.core.keys import PURPOSES, KeyFileError, key_file, keys_add, keys_init, provider
from doudi.core.sealedfiles import files_rotate


class Command(BaseCommand):
    help = "Manage the key file: create it, list key ids, add (rotate) a key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("init", help="create the key file (mode 0600) with a fresh key per purpose")
        sub.add_parser("list", help="key ids, purposes and dates (never the keys)")
        a = sub.add_parser("add", help="add a new key for a purpose; new work uses it from now on")
        a.add_argument("--purpose", choices=PURPOSES, required=True)
        sub.add_parser(
            "rotate",
            help="re-encrypt every value not under the current data key, in batches, and every stored file not under"
            " the current files key, one by one (rerun after a kill)",
        )

    def handle(self, *args, what, **options):
        try:
            if what == "init":
                path = keys_init()
                self.stdout.write(f"已生成密钥文件 {path}（权限 0600）。请离线备份，丢失后已封存的审计链无法核验。")
            elif what == "rotate":
                done = keys_rotate(progress=lambda model, n: self.stdout.write(f"  {model._meta.label}: {n}"))
                self.stdout.write(f"已用当前密钥重新加密 {done} 行 / {done} rows re-encrypted")
                files = files_rotate()
                self.stdout.write(f"已用当前文件密钥重新封存 {files} 个文件 / {files} stored files re-sealed")
            elif what == "add":
                self.stdout.write(f"已添加密钥 {keys_add(options['purpose'])}；此后的工作使用新密钥。")
            else:
                self.stdout.write(f"密钥文件 {key_file()}")
                for k in provider().key_ids():
                    self.stdout.write(f"  {k['id']:<12} {k['purpose']:<8} {k.get('created', '')}")
        except KeyFileError as e:
            raise CommandError(str(e)) from e
