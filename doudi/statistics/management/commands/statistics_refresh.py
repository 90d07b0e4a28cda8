"""doudi statistics_refresh [--year YYYY] [--area CODE]: recompute the dashboards' snapshots of an area (default: the
whole county) and its townships for each month of the year, in the foreground (run nightly, or after loading data
outside the application; the dashboards also queue it themselves when their figures are missing or stale)."""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from doudi.areas.models import Area
from doudi.statistics.tasks import snapshots_refresh


class Command(BaseCommand):
    help = "Recompute the dashboards' precomputed figures for a year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--area", default="", help="12-digit area code (default: the county)")

    def handle(self, *args, year, area, **options):
        year = year or timezone.localdate().year
        if area:
            found = Area.objects.filter(code=area).first()
            if found is None:
                self.stderr.write(f"--area：区划不存在 / no such area {area!r}")
                sys.exit(2)
            prefix = found.prefix
        else:
            counties = list(Area.objects.filter(level="county").values_list("prefix", flat=True)[:2])
            prefix = counties[0] if len(counties) == 1 else ""
        n = snapshots_refresh(prefix, year)
        self.stdout.write(f"{n} area-months computed for {year}")
