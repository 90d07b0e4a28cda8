"""Refreshing the dashboards' snapshots as a background job (``core.jobs``: a ``BackgroundJob`` on django-q2's
queue, the worker beside `doudi serve`): one job per area and year computes every month of the area and of its
townships in one transaction, replaces their snapshots and records it in the audit trail. A job killed midway
leaves the old snapshots as they were; run again (handed out again, or queued anew) it computes them again and
replaces them — never a second snapshot of an area-month, never a figure added twice."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.areas.models import Area
from doudi.audit.actions import audit_record, job_enqueue_audited
from doudi.core.errors import NotFound
from doudi.core.jobs import job_run
from doudi.core.models import BackgroundJob, JobKind, JobState

from .catalogue import Context
from .dashboard import areas_of, months_of, snapshots_compute
from .events import StatisticsEvent
from .grouped import figures_by_area
from .models import Snapshot
from .selectors import plain

TASK = "doudi.statistics.tasks.snapshots_refresh_task"


def snapshots_refresh(prefix: str, year: int, *, actor=None, progress=None) -> int:
    """Recompute and replace the snapshots of ``prefix`` and its townships for the year's months, in one
    transaction, audited. Returns how many area-months were stored."""
    today = timezone.localdate()
    areas, months = areas_of(prefix), months_of(year, today)
    if progress:
        progress(0, len(areas) * len(months))
    data = snapshots_compute(areas, months)
    # every indicator of the catalogue for the figures page, set-based: a few grouped queries per month
    ctx = Context(None, prefix)
    full = {}
    for m in months:
        for p, figs in figures_by_area(ctx, areas, m).items():
            full[(p, m)] = {
                code: {"value": plain(v), "previous": plain(prev), "year_to_date": plain(ytd)}
                for code, (v, prev, ytd) in figs.items()
            }
    now = timezone.now()
    with transaction.atomic():
        Snapshot.objects.filter(prefix__in=areas, month__in=months).delete()
        Snapshot.objects.bulk_create(
            [
                Snapshot(prefix=p, month=m, data=d, figures=full.get((p, m), {}), computed_at=now)
                for (p, m), d in sorted(data.items())
            ]
        )
        audit_record(
            actor=actor,
            action=StatisticsEvent.SNAPSHOTS_REFRESH,
            label=f"{_area_name(prefix)} {year}",
            area_code=prefix.ljust(12, "0") if prefix else "",
            new={"prefix": prefix, "year": year, "areas": len(areas), "months": len(months), "snapshots": len(data)},
        )
    if progress:
        progress(len(data), len(data))
    return len(data)


def _area_name(prefix: str) -> str:
    """The area's name for the audit row's label (its code is the row's area)."""
    area = Area.objects.filter(code=prefix.ljust(12, "0")[:12]).first() if prefix else None
    return area.name if area else "全部"


def refresh_pending(prefix: str, year: int) -> BackgroundJob | None:
    """The area-year's refresh already queued or running, if any (so a second one is not queued beside it)."""
    return (
        BackgroundJob.objects.filter(
            kind=JobKind.STATISTICS_REFRESH,
            state__in=(JobState.QUEUED, JobState.RUNNING),
            params__prefix=prefix,
            params__year=year,
        )
        .order_by("-pk")
        .first()
    )


def snapshots_refresh_enqueue(*, actor, prefix: str, year: int, area: str = "", asked: bool = True) -> BackgroundJob:
    """Queue the refresh of an area's dashboard for a year, audited. ``asked``: someone pressed "重新计算" (needs
    ``statistics.refresh``); otherwise the page found its figures missing or older than the last payroll and
    queues it for whoever looks (``actor`` None: the system). One queued or running job per area and year: asking
    again returns it."""
    if asked:
        perm_require(actor, Perm.STATS_REFRESH)
        if not scope.covers(actor, prefix):
            raise NotFound("区划不存在，或不在您的管辖区域内", "No such area, or outside your area", field="area")
    pending = refresh_pending(prefix, year)
    if pending is not None:
        return pending
    return job_enqueue_audited(
        actor=actor if asked else None,
        kind=JobKind.STATISTICS_REFRESH,
        area_prefix=prefix,
        params={"prefix": prefix, "year": year, "area": area, "asked": asked},
        task=TASK,
    )


def snapshots_refresh_task(job_id: int) -> None:
    def work(job: BackgroundJob, progress) -> int:
        return snapshots_refresh(job.params["prefix"], job.params["year"], actor=job.created_by, progress=progress)

    job_run(job_id, work)
