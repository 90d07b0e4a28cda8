from django.core.management.base import BaseCommand, CommandError

from doudi.areas.calendar import calendar_year_load
from doudi.core.errors import ApplicationError
from doudi.core.uploads import text_file_read


class Command(BaseCommand):
    help = "Load one year's official holiday calendar from CSV (date,kind,name; kind holiday/workday or 休/班)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("file")
        parser.add_argument("--source", default="")

    def handle(self, *args, year, file, source, **options):
        try:
            n = calendar_year_load(actor=None, year=year, text=text_file_read(file), source=source or file)
        except ApplicationError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"Loaded {n} days for {year}")
