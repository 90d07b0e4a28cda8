"""GET /api/v1/jobs/{id}: a background job's state, progress and result (same visibility as the page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema

from doudi.accounts.scope import job_get
from doudi.api.types import Key

from .jobs import job_interrupted
from .models import BackgroundJob, JobKind

router = Router(tags=["jobs"])

RESULT_PATHS = {
    JobKind.PAYROLL_GENERATE: "/api/v1/payrolls/{}",
    JobKind.EVALUATION_RUN: "/api/v1/evaluation-runs/{}",
    JobKind.EVALUATION_SIMULATE: "/api/v1/evaluation-runs/{}",
    JobKind.EVALUATION_EXPORT: "/api/v1/evaluation-exports/{}",
    JobKind.AUDIT_VERIFY: "/api/v1/audit/chain",  # the chain's status carries the last verification
}


class JobErrorOut(Schema):
    message_zh: str
    message_en: str


class JobOut(Schema):
    id: int
    kind: str
    state: str = Field(description="queued | running | finished | failed")
    interrupted: bool = Field(description="its worker stopped; it will be run again (or fail after the last attempt)")
    done: int
    total: int | None
    attempts: int
    params: dict[str, Any]
    result_id: int | None
    result: str | None = Field(description="the API address of the result once finished")
    error: JobErrorOut | None
    url: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


def job_out(job: BackgroundJob) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "interrupted": job_interrupted(job),
        "done": job.done,
        "total": job.total,
        "attempts": job.attempts,
        "params": job.params,
        "result_id": job.result_id,
        "result": RESULT_PATHS[job.kind].format(job.result_id) if job.result_id is not None else None,
        "error": {"message_zh": job.error, "message_en": job.error_en} if job.error else None,
        "url": f"/api/v1/jobs/{job.pk}",
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


@router.get(
    "/jobs/{job_id}", response=JobOut, summary="A background job: state, progress, and its result once finished"
)
def job_detail(request, job_id: Key):
    return job_out(job_get(request.user, job_id))
