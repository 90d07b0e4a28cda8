"""The dashboard's refresh is a background job (core.jobs): queued and audited, one at a time per area and year,
killable (a failure midway leaves the old figures) and rerunnable without counting anything twice; the page says
when its figures were computed and offers "重新计算" only to those allowed."""

import datetime as dt

import pytest
from django.core.cache import cache
from django_q.conf import Conf

from doudi.audit.events import JobEvent
from doudi.audit.models import AuditEvent
from doudi.core.models import BackgroundJob, JobKind, JobState
from doudi.statistics.events import StatisticsEvent
from doudi.statistics.models import Snapshot
from doudi.statistics.tasks import snapshots_refresh_enqueue, snapshots_refresh_task

from .conftest import MAR

TODAY = dt.date(2026, 4, 15)


@pytest.fixture(autouse=True)
def april(monkeypatch):
    monkeypatch.setattr("doudi.statistics.tasks.timezone.localdate", lambda: TODAY)
    monkeypatch.setattr("doudi.statistics.views.timezone.localdate", lambda: TODAY)
    cache.clear()


def snapshot_rows():
    return sorted(Snapshot.objects.values_list("prefix", "month", "data"))


def test_refresh_asked_on_the_page_is_a_job_queued_audited_and_done(county, client):
    reviewer = county["people"]["county_reviewer"]
    client.force_login(reviewer)
    r = client.post("/statistics/dashboard/?area=511425000000&year=2026")
    assert r.status_code == 302 and "year=2026" in r["Location"]
    job = BackgroundJob.objects.get(kind=JobKind.STATISTICS_REFRESH)
    assert job.state == JobState.FINISHED and job.result_id == 12  # county and 2 townships × January–April
    assert job.created_by == reviewer and job.params["prefix"] == "511425"
    assert Snapshot.objects.count() == 12
    queued = AuditEvent.objects.get(action=JobEvent.QUEUE, target_id=str(job.pk))
    done = AuditEvent.objects.get(action=StatisticsEvent.SNAPSHOTS_REFRESH)
    assert queued.actor == done.actor == reviewer
    assert done.new["snapshots"] == 12 and done.area_code == "511425000000"
    # the finished job leads back to the dashboard; its box says what it made
    assert client.get(f"/jobs/{job.pk}/")["Location"] == "/statistics/dashboard/?area=511425000000&year=2026"
    box = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "已重新计算 12 个区划·月份的看板数据" in box
    # the dashboard says when its figures were computed
    page = client.get("/statistics/dashboard/", {"year": "2026"}).content.decode()
    assert "数据计算于" in page and "重新计算" in page


def test_rerun_replaces_and_never_doubles(county, client):
    client.force_login(county["people"]["county_reviewer"])
    client.post("/statistics/dashboard/?year=2026")
    first = snapshot_rows()
    job = BackgroundJob.objects.get()
    snapshots_refresh_task(job.pk)  # handed out again after it finished: nothing happens
    assert BackgroundJob.objects.get().attempts == 1
    client.post("/statistics/dashboard/?year=2026")  # asked again: a second job, the same figures, no more rows
    assert BackgroundJob.objects.count() == 2 and snapshot_rows() == first
    march = Snapshot.objects.get(prefix="511425", month=MAR).data
    assert march["DB0301000000"] == {"value": "850.00", "year_to_date": "2050.00"}


def test_a_job_stopped_midway_leaves_the_old_figures_and_runs_again(county, client, monkeypatch):
    client.force_login(county["people"]["county_reviewer"])
    client.post("/statistics/dashboard/?year=2026")
    before = list(Snapshot.objects.order_by("pk").values_list("pk", "computed_at"))

    def killed(**kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr("doudi.statistics.tasks.audit_record", killed)  # the last step of the transaction
    client.post("/statistics/dashboard/?year=2026")
    job = BackgroundJob.objects.order_by("-pk").first()
    assert job.state == JobState.FAILED and "未留下任何数据" in job.error
    assert list(Snapshot.objects.order_by("pk").values_list("pk", "computed_at")) == before
    monkeypatch.undo()
    monkeypatch.setattr("doudi.statistics.tasks.timezone.localdate", lambda: TODAY)
    # queued again (and handed out to a worker that then dies): the claim sees the dead worker and runs it again
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, worker="elsewhere:1", started_at=None)
    BackgroundJob.objects.filter(pk=job.pk).update(worker=f"{__import__('socket').gethostname()}:999999999")
    snapshots_refresh_task(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FINISHED and job.attempts == 2
    assert Snapshot.objects.count() == 12


def test_who_may_refresh(county, client):
    cw = county["people"]["caseworker_b"]  # township staff see their dashboard, refreshed for them, not on demand
    client.force_login(cw)
    page = client.get("/statistics/dashboard/", {"year": "2026"}).content.decode()
    assert "<button>重新计算</button>" not in page
    assert client.post("/statistics/dashboard/?year=2026").status_code == 403
    auto = BackgroundJob.objects.get(kind=JobKind.STATISTICS_REFRESH)
    assert auto.created_by is None and auto.params["asked"] is False  # queued by the system for whoever looks
    client.force_login(county["people"]["county_reviewer"])
    assert client.post("/statistics/dashboard/?area=511425101000&year=2026").status_code == 302
    assert BackgroundJob.objects.filter(params__prefix="511425101").exists()


def test_one_queued_refresh_per_area_and_year(county, client, monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", False)  # queued, no worker runs it
    client.force_login(county["people"]["county_reviewer"])
    page = client.get("/statistics/dashboard/", {"year": "2026"}).content.decode()
    job = BackgroundJob.objects.get()
    assert job.state == JobState.QUEUED and f"任务 #{job.pk}" in page and "尚未计算" in page
    cache.clear()  # even past the five minutes, and asked for on the page: still the one job
    client.get("/statistics/dashboard/", {"year": "2026"})
    client.post("/statistics/dashboard/?year=2026")
    assert BackgroundJob.objects.count() == 1
    assert snapshots_refresh_enqueue(actor=None, prefix="511425", year=2025, asked=False).pk != job.pk
