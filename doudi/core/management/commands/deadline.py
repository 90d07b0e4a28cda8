"""doudi deadline --from YYYY-MM-DD --working-days N  →  {"due": "YYYY-MM-DD", "calendar_complete": true|false}"""

import json
import sys

from django.core.management.base import BaseCommand

from doudi.core.errors import ApplicationError
from doudi.core.validation import date_clean
from doudi.core.workdays import add_working_days


class Command(BaseCommand):
    help = "Print the Nth working day after a date under the loaded official calendar."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--working-days", dest="n", required=True, type=int)

    def handle(self, *args, start, n, **options):
        try:
            day = date_clean(start, field="--from", zh_label="--from", en_label="--from", required=True)
            due = add_working_days(day, n)
        except ApplicationError as e:
            self.stderr.write(e.message)
            sys.exit(2)
        self.stdout.write(json.dumps(due.as_dict()))
