"""Payroll generation on the task queue: the page queues a job; a worker fetches it by id and calls the same
action the command does (one transaction, so a killed job leaves nothing and a rerun never duplicates)."""

from __future__ import annotations

import datetime as dt

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import job_enqueue_audited
from doudi.core.errors import ApplicationError
from doudi.core.jobs import job_run
from doudi.core.models import BackgroundJob, JobKind
from doudi.core.validation import date_range_check
from doudi.programmes.models import Programme

from .generation import payroll_generate
from .models import PayrollKind


def payroll_generate_enqueue(
    *, actor, programme: str, month: dt.date, kind: str = PayrollKind.REGULAR
) -> BackgroundJob:
    """Queue the generation of a programme-month payroll of the actor's area; refused at once if the actor may
    not generate or the request is malformed, so what fails later is only the generation itself."""
    perm_require(actor, Perm.PAYROLL_GENERATE)
    if not Programme.objects.filter(code=programme).exists():
        raise ApplicationError("没有这个救助项目", "Unknown programme", field="programme")
    if kind not in PayrollKind.values:
        raise ApplicationError("发放表类型无效", "Unknown payroll kind", field="kind")
    date_range_check(month, field="month", zh_label="发放月份", en_label="Month")
    return job_enqueue_audited(
        actor=actor,
        kind=JobKind.PAYROLL_GENERATE,
        area_prefix=actor.scope_prefix,
        params={"programme": programme, "month": month.isoformat(), "kind": kind},
        task="doudi.payments.tasks.payroll_generate_task",
    )


def payroll_generate_task(job_id: int) -> None:
    def work(job: BackgroundJob, progress) -> int:
        params = job.params
        return payroll_generate(
            actor=job.created_by,
            programme=params["programme"],
            month=dt.date.fromisoformat(params["month"]),
            kind=params["kind"],
            progress=progress,
        ).pk

    job_run(job_id, work)
