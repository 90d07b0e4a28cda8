"""doudi indicators --month YYYY-MM [--area CODE]  →  {"DB0101000000": {"name", "unit", "value", "previous",
"year_to_date", "target"}, …}: every indicator of the catalogue for the month (docs/statistics.md)."""

import json
import sys

from django.core.management.base import BaseCommand

from doudi.core.errors import ApplicationError
from doudi.core.validation import month_clean
from doudi.statistics.selectors import figures, figures_json


class Command(BaseCommand):
    help = "Print every indicator of the catalogue for a month as JSON (the county, or one area with --area)."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--area", default="", help="12-digit area code (default: the whole county)")

    def handle(self, *args, month, area, **options):
        try:
            m = month_clean(month, field="month", zh_label="--month", en_label="--month")
            data = figures_json(figures(None, m, area=area or None))
        except ApplicationError as e:
            self.stderr.write(f"{e.field or 'month'}：{e.message}")
            sys.exit(2)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
