from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _calendar_seed(sender, using="default", **kwargs) -> None:
    """A database with no official calendar at all gets the chinese-calendar library's, as migration 0002 gave
    it: after `migrate`, and after a flush (which empties every table; the test suite's transactional tests flush
    after each test, and a later test on the same database counts working days again)."""
    from .workdays import calendar_seed_if_empty

    calendar_seed_if_empty(using=using)


class CoreConfig(AppConfig):
    name = "doudi.core"
    label = "core"
    verbose_name = "核心 Core"

    def ready(self):
        post_migrate.connect(_calendar_seed, sender=self, dispatch_uid="doudi_calendar_seed")
