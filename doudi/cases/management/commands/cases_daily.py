import json

from django.core.management.base import BaseCommand

from doudi.cases.actions import dynamic_management_run


class Command(BaseCommand):
    help = "Daily dynamic management: end gradual exits that ran out, open review cases that are due."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(dynamic_management_run(actor=None)))
