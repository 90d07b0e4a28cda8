"""doudi report monthly --month YYYY-MM --out FILE.xlsx [--area CODE]: the monthly statistical report
(statistics/monthly.py): a sheet for the county and one per township, then the published recipient lists."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from doudi.areas.models import Area
from doudi.core.errors import ApplicationError
from doudi.core.validation import month_clean
from doudi.statistics.monthly import monthly_report


class Command(BaseCommand):
    help = "Write the monthly statistical report as .xlsx."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        m = sub.add_parser("monthly")
        m.add_argument("--month", required=True, help="YYYY-MM")
        m.add_argument("--out", required=True, help="the .xlsx file to write")
        m.add_argument("--area", default="", help="12-digit area code (default: everything)")

    def handle(self, *args, kind, month, out, area, **options):
        try:
            m = month_clean(month, field="month", zh_label="--month", en_label="--month")
        except ApplicationError as e:
            self.stderr.write(e.message)
            sys.exit(2)
        counties = list(Area.objects.filter(level="county").values_list("prefix", flat=True)[:2])
        prefix = counties[0] if len(counties) == 1 else ""  # the county, when the database holds one
        if area:
            found = Area.objects.filter(code=area).first()
            if found is None:
                self.stderr.write(f"--area：区划不存在 / no such area {area!r}")
                sys.exit(2)
            prefix = found.prefix
        data = monthly_report(m, prefix=prefix)
        Path(out).write_bytes(data)
        self.stdout.write(f"{out}: {len(data)} bytes")
