"""Refreshing the dashboards' snapshots on the task queue (django-q2, the worker beside `doudi serve`): one task per
area and year, computing each month of the area and of its townships; rerun, it simply computes them again."""

from __future__ import annotations

from django.utils import timezone
from django_q.tasks import async_task

from .dashboard import areas_of, months_of, snapshot_compute


def snapshots_refresh(prefix: str, year: int) -> int:
    today = timezone.localdate()
    n = 0
    for p in areas_of(prefix):
        for m in months_of(year, today):
            snapshot_compute(p, m)
            n += 1
    return n


def snapshots_refresh_enqueue(prefix: str, year: int) -> str:
    return async_task("doudi.statistics.tasks.snapshots_refresh", prefix, year, group="statistics_refresh")
