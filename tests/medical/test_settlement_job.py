"""A large settlement file goes to the background worker: checked while the person waits (refused rows named at
once, nothing queued), then computed and paid by a job that the page follows; a job that fails halfway leaves
nothing, and a rerun with the same batch id pays once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from doudi.audit.models import AuditEvent
from doudi.core.models import BackgroundJob, JobKind, JobState
from doudi.medical import settlements
from doudi.medical.models import Settlement, SettlementBatch
from doudi.medical.settlements import settlement_import
from doudi.medical.tasks import settlement_import_enqueue, settlement_import_task

from .conftest import WANG, ZHANG, csv

ROWS = (
    f"JS-101,张大山,{ZHANG},青神县人民医院,2026-06-01,2026-06-10,9000.00,3500.00,5000.00,否",
    f"JS-102,张大山,{ZHANG},眉山市人民医院,2026-03-01,2026-03-12,25000.00,14000.00,10000.00,否",
    f"JS-103,王老汉,{WANG},青神县中医医院,2026-04-02,2026-04-09,3200.00,2200.00,800.50,否",
)


def kept_files():
    folder = settings.DATA_DIR / "medical-imports"
    return sorted(folder.glob("*.bin")) if folder.exists() else []


@override_settings(DOUDI_MEDICAL_INLINE_ROWS=2)
def test_a_large_file_is_paid_by_the_worker_and_the_page_follows_it(county, client_for):
    c = client_for(county["approver"])
    before = kept_files()
    r = c.post("/medical/import/", {"file": SimpleUploadedFile("结算.csv", csv(*ROWS))})
    job = BackgroundJob.objects.get(kind=JobKind.MEDICAL_IMPORT)
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()  # the test queue runs the job at once
    assert job.state == JobState.FINISHED and job.params["rows"] == 3
    batch = SettlementBatch.objects.get(pk=job.result_id)
    assert (batch.rows, batch.paid, batch.batch_id) == (3, 3, job.params["batch_id"])
    assert Settlement.objects.filter(batch=batch).count() == 3
    assert kept_files() == before  # the file kept for the worker is gone once the batch is made
    # the job's page leads to the medical page, and its box says what was paid
    assert c.get(f"/jobs/{job.pk}/")["Location"] == "/medical/"
    box = c.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert f"已导入 3 笔结算，其中 3 笔给予救助，合计 {batch.total} 元" in box
    assert AuditEvent.objects.filter(action="job.queue", target_id=str(job.pk)).exists()


@override_settings(DOUDI_MEDICAL_INLINE_ROWS=2)
def test_a_bad_large_file_is_refused_at_once_and_nothing_is_queued(county, client_for):
    c = client_for(county["approver"])
    bad = csv(*ROWS[:2], f"JS-103,王老汉,{WANG},青神县中医医院,2026-04-09,2026-04-02,3200.00,2200.00,800.50,否")
    before = kept_files()
    r = c.post("/medical/import/", {"file": SimpleUploadedFile("结算.csv", bad)})
    assert r.status_code == 400 and "第4行【入院日期】" in r.content.decode()
    assert not BackgroundJob.objects.filter(kind=JobKind.MEDICAL_IMPORT).exists()
    assert kept_files() == before and not Settlement.objects.exists()


def test_a_small_file_is_still_paid_while_the_person_waits(county, client_for):
    c = client_for(county["approver"])
    r = c.post("/medical/import/", {"file": SimpleUploadedFile("结算.csv", csv(*ROWS))})
    assert r.status_code == 302 and r["Location"] == "/medical/"
    assert SettlementBatch.objects.get().rows == 3 and not BackgroundJob.objects.exists()


def test_a_job_that_fails_halfway_leaves_nothing_and_a_rerun_pays_once(county, monkeypatch):
    real = settlements._settle
    calls = []

    def dies_after_one(actor, claims, **kw):
        calls.append(1)
        real(actor, claims[:1], **kw)  # one claim saved inside the transaction, then the process "dies"
        raise RuntimeError("killed")

    monkeypatch.setattr(settlements, "_settle", dies_after_one)
    job = settlement_import_enqueue(
        actor=county["approver"], filename="结算.csv", content=csv(*ROWS), on=dt.date(2026, 11, 5)
    )
    job.refresh_from_db()
    assert calls and job.state == JobState.FAILED
    assert not Settlement.objects.exists() and not SettlementBatch.objects.exists()
    kept = settings.DATA_DIR / "medical-imports" / f"{job.params['batch_id']}.bin"
    assert kept.exists()  # kept for the rerun
    monkeypatch.setattr(settlements, "_settle", real)
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED, attempts=0)
    settlement_import_task(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FINISHED and Settlement.objects.count() == 3 and not kept.exists()
    # the same batch id again (a worker killed after its transaction committed): the batch, not a second payment
    again = settlement_import(
        actor=county["approver"],
        filename="结算.csv",
        content=csv(*ROWS),
        on=dt.date(2026, 11, 5),
        batch_id=job.params["batch_id"],
    )
    assert again.pk == job.result_id and Settlement.objects.count() == 3


def test_a_caseworker_may_not_queue_an_import(county):
    from doudi.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        settlement_import_enqueue(actor=county["caseworker_a"], filename="结算.csv", content=csv(*ROWS))
    assert not BackgroundJob.objects.exists()
