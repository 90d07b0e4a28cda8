from django.core.management.base import BaseCommand, CommandError

from doudi.areas.shapes import area_shapes_load
from doudi.core.errors import ApplicationError
from doudi.core.uploads import text_file_read


class Command(BaseCommand):
    help = (
        "Load area boundaries from a GeoJSON FeatureCollection (UTF-8): each feature's properties.code is the area's "
        "12-digit code, its geometry a Polygon or MultiPolygon in longitude/latitude (all features or none)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            n = area_shapes_load(actor=None, text=text_file_read(file))
        except ApplicationError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"Loaded the boundaries of {n} areas")
