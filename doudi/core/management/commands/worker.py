"""doudi worker [--until-done]: run the background jobs (payroll generation, evaluation runs) queued in the
database — django-q2's cluster with the ORM broker. `doudi serve` starts one beside the web server."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.cluster import Cluster
from django_q.models import OrmQ

from doudi.core.jobs import jobs_recover


class Command(BaseCommand):
    help = "Run queued background jobs until stopped (Ctrl+C); jobs queued while no worker ran are done now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--until-done", action="store_true", help="stop once every queued job has been run (for scripts and tests)"
        )

    def handle(self, *args, until_done: bool, **options):
        released = jobs_recover()
        if released:
            self.stdout.write(f"重新执行中断的任务 {released} 个 / {released} interrupted job(s) handed out again")
        started = timezone.now()
        cluster = Cluster()
        cluster.start()
        self.stdout.write("Doudi worker running  (Ctrl+C to stop)")
        if not until_done:
            cluster.sentinel.join()
            return
        while self._waiting(started):
            time.sleep(0.5)
        cluster.stop()

    def _waiting(self, started) -> bool:
        """Queue entries this cluster can take (free now) or has taken (locked from its own start on for the retry
        time); an entry held by a worker that died before this one started waits for its lock to run out."""
        ours = started + dt.timedelta(seconds=int(settings.Q_CLUSTER["retry"]))
        entries = OrmQ.objects.filter(key=get_broker().list_key)
        return entries.filter(lock__lte=timezone.now()).exists() or entries.filter(lock__gte=ours).exists()
