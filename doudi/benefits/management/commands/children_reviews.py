import json

from django.core.management.base import BaseCommand

from doudi.benefits.children import children_reviews_run


class Command(BaseCommand):
    help = (
        "Daily: raise the reviews of the children's allowance due (18th birthday month, study ended, 22nd birthday "
        "month), each once; rerunnable."
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(children_reviews_run(actor=None)))
