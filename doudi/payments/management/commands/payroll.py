"""doudi payroll generate --programme CODE --month YYYY-MM   →  {"payroll": ID, "lines": N, "total": "amount",
                                                             "state": "…"}
doudi payroll totals ID                                  →  {"ledger": "…", "lines": "…", "bank_file": "…"}

``totals`` recomputes the three from scratch (the bank file read back from the stored file, or written as it would
be exported), unlike the pages and the API, which show the figures stored when they were last checked."""

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand
from django.db.models.functions import Length

from doudi.core.errors import ApplicationError
from doudi.payments.generation import payroll_generate
from doudi.payments.models import Payroll, PayrollKind, PayrollState
from doudi.payments.totals import totals_recompute
from doudi.programmes.models import Programme


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
            self.stdout.write(json.dumps(totals_recompute(payroll)))
            return
        try:
            month = dt.date.fromisoformat(options["month"] + "-01")
        except ValueError:
            self.fail(f"--month：格式应为 YYYY-MM / --month must be YYYY-MM, got {options['month']!r}")
        if not Programme.objects.filter(code=options["programme"]).exists():
            self.fail(f"--programme：没有这个救助项目 / unknown programme {options['programme']!r}")
        # A programme-month already generated (on a page, by the queue, or for the county by its finance officer)
        # is reported as it is, not generated a second time for a wider area: the regular payroll of the
        # widest area that holds the asked one.
        area = options["area"]
        existing = (
            Payroll.objects.filter(programme_id=options["programme"], month=month, kind=PayrollKind.REGULAR)
            .exclude(state=PayrollState.CANCELLED)
            .filter(area_prefix__startswith=area)
            .order_by(Length("area_prefix"), "pk")
            .first()
        )
        if existing is not None:
            payroll = existing
        else:
            try:
                payroll = payroll_generate(actor=None, programme=options["programme"], month=month, area_prefix=area)
            except ApplicationError as e:
                self.fail(e.message)
        self.stdout.write(
            json.dumps(
                {
                    "payroll": payroll.pk,
                    "lines": payroll.line_count,
                    "total": f"{payroll.total:.2f}",
                    "state": payroll.state,
                }
            )
        )
