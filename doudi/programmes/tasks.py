"""Evaluation runs, what-if simulations and exports of long household lists on the task queue: the page or API queues a job; a worker fetches it
by id and calls ``evaluation_run`` (one transaction: a killed run leaves nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import job_enqueue_audited
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.jobs import job_run
from doudi.core.models import BackgroundJob, JobKind
from doudi.core.sealedfiles import write_sealed
from doudi.core.validation import date_range_check

from .batch import evaluation_run
from .exports import run_changes_xlsx
from .models import EvaluationRun, ParameterVersion, Programme, VersionStatus
from .selectors import change_filter_parse, run_changes


def evaluation_run_enqueue(*, actor, programme: str, on: dt.date, area_prefix: str | None = None) -> BackgroundJob:
    """Queue a re-evaluation of every household in ``area_prefix`` (default: the actor's area; outside it answers
    as missing)."""
    perm_require(actor, Perm.EVALUATION_RUN)
    if not Programme.objects.filter(code=programme).exists():
        raise ApplicationError("没有这个救助项目", "Unknown programme", field="programme")
    date_range_check(on, field="on", zh_label="测算日期", en_label="Evaluation date")
    if area_prefix and not covers(actor, area_prefix):
        raise NotFound(field="area_code")
    prefix = area_prefix or actor.scope_prefix
    return job_enqueue_audited(
        actor=actor,
        kind=JobKind.EVALUATION_RUN,
        area_prefix=prefix,
        params={"programme": programme, "on": on.isoformat(), "area_prefix": prefix},
        task="doudi.programmes.tasks.evaluation_run_task",
    )


def evaluation_simulate_enqueue(*, actor, version: ParameterVersion, on: dt.date) -> BackgroundJob:
    """Queue a what-if of a draft version against the approved parameters, by township."""
    perm_require(actor, Perm.PARAMETERS_EDIT)
    if version.status != VersionStatus.DRAFT:
        raise ApplicationError("只能模拟草稿版本", "Only a draft version can be simulated", field="draft")
    date_range_check(on, field="on", zh_label="测算日期", en_label="Evaluation date")
    return job_enqueue_audited(
        actor=actor,
        kind=JobKind.EVALUATION_SIMULATE,
        area_prefix=actor.scope_prefix,
        params={"programme": version.programme_id, "on": on.isoformat(), "draft": version.pk},
        task="doudi.programmes.tasks.evaluation_simulate_task",
    )


def evaluation_run_task(job_id: int) -> None:
    def work(job: BackgroundJob, progress) -> int:
        return evaluation_run(
            actor=job.created_by,
            programme=job.params["programme"],
            on=dt.date.fromisoformat(job.params["on"]),
            area_prefix=job.params["area_prefix"],
            progress=progress,
        ).pk

    job_run(job_id, work)


def evaluation_simulate_task(job_id: int) -> None:
    def work(job: BackgroundJob, progress) -> int:
        draft = ParameterVersion.objects.filter(pk=job.params["draft"]).first()
        if draft is None:
            raise ApplicationError("草稿版本已不存在", "The draft version no longer exists", field="draft")
        return evaluation_run(
            actor=job.created_by,
            programme=draft.programme_id,
            on=dt.date.fromisoformat(job.params["on"]),
            draft=draft,
            compare=True,
            progress=progress,
        ).pk

    job_run(job_id, work)


def export_path(job_id: int) -> Path:
    return Path(settings.DATA_DIR) / "exports" / f"evaluation-{job_id}.xlsx"


def evaluation_export_enqueue(*, actor, run: EvaluationRun, filters: dict) -> BackgroundJob:
    """Queue the .xlsx of a run's filtered list (a list too long to write while the page waits). The file is the
    asking person's: only they see the job and download it."""
    perm_require(actor, Perm.EVALUATE)
    return job_enqueue_audited(
        actor=actor,
        kind=JobKind.EVALUATION_EXPORT,
        area_prefix=actor.scope_prefix,
        params={"run": run.pk, "filters": {k: str(v) for k, v in filters.items() if v not in (None, "")}},
        task="doudi.programmes.tasks.evaluation_export_task",
    )


def evaluation_export_task(job_id: int) -> None:
    def work(job: BackgroundJob, progress) -> int:
        actor = job.created_by
        run = scope.get_visible(actor, "programmes.EvaluationRun", job.params["run"])
        f = change_filter_parse(job.params["filters"], area_get=lambda code: scope.area_get(actor, code))
        qs = run_changes(run, scope_prefix=actor.scope_prefix, f=f)
        content, count = run_changes_xlsx(run, qs, order=f.order)
        path = export_path(job.pk)
        path.parent.mkdir(parents=True, exist_ok=True)
        # sealed like every file the system keeps (names, amounts and masked IDs of a township's households), and
        # whole or nothing: write_sealed renames a finished file into place
        write_sealed(path, content)
        progress(count, count)
        return job.pk

    job_run(job_id, work)
