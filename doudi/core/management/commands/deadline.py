"""doudi deadline --from YYYY-MM-DD --working-days N  →  {"due": "YYYY-MM-DD", "calendar_complete": true|false}"""

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand

from doudi.core.workdays import add_working_days


class Command(BaseCommand):
    help = "Print the Nth working day after a date under the loaded official calendar."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--working-days", dest="n", required=True, type=int)

    def handle(self, *args, start, n, **options):
        try:
            day = dt.date.fromisoformat(start)
        except ValueError:
            self.stderr.write(f"--from：日期格式应为 YYYY-MM-DD / --from must be YYYY-MM-DD, got {start!r}")
            sys.exit(2)
        if n < 0:
            self.stderr.write("--working-days 不能为负 / must not be negative")
            sys.exit(2)
        self.stdout.write(json.dumps(add_working_days(day, n).as_dict()))
