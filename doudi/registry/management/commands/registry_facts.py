import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.registry.facts import facts_differences, facts_rebuild


class Command(BaseCommand):
    help = (
        "The facts batch evaluation reads (registry/facts.py): --check compares them with the registry and "
        "exits 1 naming what differs; --rebuild recomputes them (after loading data outside the application)."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true")
        group.add_argument("--rebuild", action="store_true")
        parser.add_argument("--prefix", default="", help="only households whose area code starts with this")

    def handle(self, *args, check, rebuild, prefix, **options):
        if check:
            found = facts_differences()
            for line in found:
                self.stdout.write(line)
            if found:
                raise CommandError(f"事实表与登记数据不一致 / facts differ from the registry ({len(found)} shown)")
            self.stdout.write("事实表与登记数据一致 / facts agree with the registry")
            return
        started = time.perf_counter()
        with transaction.atomic():
            facts_rebuild(prefix)
            audit_record(
                actor=None,
                action="registry.facts_rebuild",
                kind=EventKind.BATCH,
                area_code=prefix.ljust(12, "0")[:12] if prefix else "",
                new={"prefix": prefix},
            )
        self.stdout.write(f"rebuilt in {time.perf_counter() - started:.1f} s")
