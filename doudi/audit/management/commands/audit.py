"""`doudi audit seal|verify|head|archive`: the tamper-evident audit chain (doudi/audit/chain.py).

Run daily (cron or a scheduled task): ``doudi audit head`` — it seals what is left and appends the chain head to
the head file (DOUDI_AUDIT_HEAD_FILE) the auditor keeps outside the system. ``doudi audit verify`` exits 1 and
names the first broken link when an event or seal was changed, removed or slipped in.
"""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from doudi.audit.chain import audit_archive, audit_head_write, audit_seal, audit_verify
from doudi.core.errors import ApplicationError


class Command(BaseCommand):
    help = "The audit chain: seal pending events, verify the chain, write the daily head, archive old events."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("seal", help="seal every event not yet in the chain")
        v = sub.add_parser("verify", help="recompute the chain; exit 1 naming the first broken link")
        v.add_argument("--heads", type=Path, default=None, help="head file to check against (default: the setting)")
        h = sub.add_parser("head", help="seal, then append today's chain head to the head file")
        h.add_argument("--file", type=Path, default=None)
        a = sub.add_parser("archive", help="move events older than --before (outside the retention) to a file")
        a.add_argument("--before", type=dt.date.fromisoformat, required=True)
        a.add_argument("--folder", type=Path, default=None)

    def handle(self, *args, what, **options):
        if what == "seal":
            self.stdout.write(f"已封存 {audit_seal()} 条审计事件 / sealed")
        elif what == "head":
            self.stdout.write(audit_head_write(options["file"]))
        elif what == "verify":
            heads = options["heads"] or Path(settings.DOUDI_AUDIT_HEAD_FILE)
            report = audit_verify(heads_file=heads)
            if not report.ok:
                for p in report.problems:
                    self.stderr.write(p)
                raise CommandError(f"审计链校验未通过（已核对 {report.checked} 条）/ audit chain broken", returncode=1)
            self.stdout.write(
                f"审计链完整：第{report.first_seq}至{report.last_seq}号，共 {report.checked} 条；链头 {report.head_mac}"
                f" / chain intact: {report.checked} links"
            )
        elif what == "archive":
            folder = options["folder"] or Path(settings.DATA_DIR) / "audit-archive"
            try:
                archive = audit_archive(before=options["before"], folder=folder)
            except ApplicationError as e:
                raise CommandError(e.zh) from e
            if archive is None:
                self.stdout.write("没有可归档的审计事件 / nothing to archive")
            else:
                self.stdout.write(f"已归档 {archive.events} 条到 {archive.file}（sha256 {archive.sha256}）")
