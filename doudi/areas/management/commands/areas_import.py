from django.core.management.base import BaseCommand, CommandError

from doudi.areas.actions import areas_import
from doudi.core.errors import ApplicationError
from doudi.core.uploads import text_file_read


class Command(BaseCommand):
    help = "Import areas from a UTF-8 CSV file with columns code,name,level,kind,parent_code (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            n = areas_import(actor=None, text=text_file_read(file))
        except ApplicationError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"Imported {n} areas")
