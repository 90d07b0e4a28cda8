"""A large settlement file imported in the background. The page checks the whole file while the person waits (so
refused rows are named at once), keeps it sealed under DOUDI_DATA_DIR/medical-imports, and queues a job; a worker
computes and pays every claim in one transaction, as the page does for a small file. A job killed halfway leaves
nothing and runs again; one killed after its transaction committed finds its batch (by the job's batch id) and does
not pay twice. The kept file is removed once the batch is made."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import job_enqueue_audited
from doudi.core.jobs import job_run
from doudi.core.models import BackgroundJob, JobKind
from doudi.core.sealedfiles import read_plain, write_sealed

from .models import SettlementBatch
from .settlements import settlement_import, settlement_import_check


def _folder():
    return settings.DATA_DIR / "medical-imports"


def settlement_import_enqueue(*, actor, filename: str, content: bytes, on: dt.date | None = None) -> BackgroundJob:
    """Check the file now (refused whole, rows named), then queue the computing and paying of its claims."""
    perm_require(actor, Perm.CASE_DECIDE)
    on = on or timezone.localdate()
    rows = settlement_import_check(actor=actor, filename=filename, content=content, on=on)
    batch_id = str(uuid.uuid4())
    _folder().mkdir(parents=True, exist_ok=True)
    write_sealed(_folder() / f"{batch_id}.bin", content)
    return job_enqueue_audited(
        actor=actor,
        kind=JobKind.MEDICAL_IMPORT,
        area_prefix=actor.scope_prefix,
        params={"batch_id": batch_id, "file_name": filename[:200], "on": on.isoformat(), "rows": rows},
        task="doudi.medical.tasks.settlement_import_task",
    )


def settlement_import_task(job_id: int) -> None:
    def work(job: BackgroundJob, progress) -> int:
        p = job.params
        kept = _folder() / f"{p['batch_id']}.bin"
        done = SettlementBatch.objects.filter(batch_id=p["batch_id"]).first()
        if done is None:
            done = settlement_import(
                actor=job.created_by,
                filename=p["file_name"],
                content=read_plain(kept),
                on=dt.date.fromisoformat(p["on"]),
                batch_id=p["batch_id"],
                progress=progress,
            )
        kept.unlink(missing_ok=True)
        return done.pk

    job_run(job_id, work)


def batch_summary(batch_id: int) -> str:
    """What the job box says when the import is done."""
    batch = SettlementBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return ""
    return _("已导入 %(rows)s 笔结算，其中 %(paid)s 笔给予救助，合计 %(total)s 元") % {
        "rows": batch.rows,
        "paid": batch.paid,
        "total": batch.total,
    }
