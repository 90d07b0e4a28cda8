"""The chain's verification on the task queue: recomputing every link takes minutes for millions of events, so
the chain page (and the API) queue it and show the stored result with the time it ran, instead of holding a
request open (and a server thread busy) while it runs."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from doudi.core.jobs import job_run
from doudi.core.models import BackgroundJob, JobKind

from .actions import audit_record, job_enqueue_audited
from .chain import audit_verify
from .events import ChainEvent
from .models import AuditVerification


def audit_verify_enqueue(*, actor) -> BackgroundJob:
    """Queue a verification of the whole chain. The caller has checked the actor's ``audit.chain`` permission
    (the chain page and the API do; this layer sits below the accounts)."""
    return job_enqueue_audited(
        actor=actor,
        kind=JobKind.AUDIT_VERIFY,
        params={},
        area_prefix=getattr(actor, "scope_prefix", "") or "",
        task="doudi.audit.tasks.audit_verify_task",
    )


def audit_verification_store(*, actor, report, started_at, job: BackgroundJob | None = None) -> AuditVerification:
    """Keep what a verification found, and audit it, in one transaction."""
    with transaction.atomic():
        verification = AuditVerification.objects.create(
            job=job,
            by=actor if getattr(actor, "pk", None) else None,
            started_at=started_at,
            finished_at=timezone.now(),
            ok=report.ok,
            checked=report.checked,
            first_seq=report.first_seq,
            last_seq=report.last_seq,
            head_mac=report.head_mac,
            problems=report.problems,
        )
        audit_record(
            actor=actor,
            action=ChainEvent.VERIFY,
            target_type="audit_chain",
            label=str(report.last_seq),
            area_code=getattr(actor, "area_id", "") or "",
            new={"ok": report.ok, "checked": report.checked, "last_seq": report.last_seq},
        )
    return verification


def audit_verify_task(job_id: int) -> None:
    def work(job, progress):
        started_at = timezone.now()
        report = audit_verify(heads_file=Path(settings.DOUDI_AUDIT_HEAD_FILE), progress=progress)
        return audit_verification_store(actor=job.created_by, report=report, started_at=started_at, job=job).pk

    job_run(job_id, work)
