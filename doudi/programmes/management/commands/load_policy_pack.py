from django.core.management.base import BaseCommand, CommandError

from doudi.core.errors import ApplicationError
from doudi.programmes.actions import pack_from_file, policy_pack_load
from doudi.programmes.pack import DEMO_PACK, pack_read


class Command(BaseCommand):
    help = "Load a county's policy pack (programmes and approved parameter versions). Without --file: the demo pack."

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="12-digit county code, e.g. 511425000000")
        parser.add_argument("--file", help="JSON pack in the shape of doudi/programmes/pack.py DEMO_PACK")

    def handle(self, *args, county, file=None, **options):
        try:
            pack = pack_from_file(file) if file else DEMO_PACK
            for zh, en in pack_read(pack).notes:  # old parameter names read as today's: said before loading
                self.stdout.write(f"{zh} / {en}")
            n = policy_pack_load(actor=None, county_code=county, pack=pack)
        except ApplicationError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"Loaded {n} parameter versions for {county}")
