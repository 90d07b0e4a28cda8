"""doudi payroll generate --programme CODE --month YYYY-MM   →  {"payroll": ID, "lines": N, "total": "amount"}
doudi payroll totals ID                                  →  {"ledger": "…", "lines": "…", "bank_file": "…"}"""

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand

from doudi.core.errors import ApplicationError
from doudi.payments.actions import payroll_totals
from doudi.payments.generation import payroll_generate
from doudi.payments.models import Payroll


class Command(BaseCommand):
    help = "Generate a programme-month payroll in the foreground (the same payroll when run again), or print totals."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        g = sub.add_parser("generate")
        g.add_argument("--programme", required=True)
        g.add_argument("--month", required=True, help="YYYY-MM")
        g.add_argument("--area", default="", help="area code prefix (default: all)")
        t = sub.add_parser("totals")
        t.add_argument("payroll_id", type=int)

    def fail(self, message):
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args, verb, **options):
        if verb == "totals":
            payroll = Payroll.objects.filter(pk=options["payroll_id"]).first()
            if payroll is None:
                self.fail(f"没有发放表 {options['payroll_id']} / no payroll {options['payroll_id']}")
            self.stdout.write(json.dumps(payroll_totals(payroll)))
            return
        try:
            month = dt.date.fromisoformat(options["month"] + "-01")
        except ValueError:
            self.fail(f"--month：格式应为 YYYY-MM / --month must be YYYY-MM, got {options['month']!r}")
        from doudi.programmes.models import Programme

        if not Programme.objects.filter(code=options["programme"]).exists():
            self.fail(f"--programme：没有这个救助项目 / unknown programme {options['programme']!r}")
        try:
            payroll = payroll_generate(
                actor=None, programme=options["programme"], month=month, area_prefix=options["area"]
            )
        except ApplicationError as e:
            self.fail(e.message)
        self.stdout.write(
            json.dumps({"payroll": payroll.pk, "lines": payroll.line_count, "total": f"{payroll.total:.2f}"})
        )
