"""Background jobs: work a person starts on a page that runs on the task queue (django-q2, the database as
broker) and whose state and progress are stored in ``BackgroundJob``.

``job_enqueue`` stores the job and its queue entry in one transaction, so a job is never queued without its
record nor recorded without being queued. A task function (``<app>/tasks.py``) takes the job's id and hands
``job_run`` the action to call; ``job_run`` claims the job, records the progress the action reports and ends
the job as finished (with the id of what it made) or failed (with the ApplicationError's message). The action's
own work is one transaction, so a failed or killed job leaves nothing of it.

A worker that dies mid-job (killed, machine restarted) never reports back: django-q2 hands the task out again
once its lock runs out (``Q_CLUSTER["retry"]``, longer than the timeout), or at once when ``doudi worker``
starts on the machine where the dead worker ran (``jobs_recover``). The job is then started again, up to
``DOUDI_JOB_ATTEMPTS`` times in all, and failed after that.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import sys
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.exceptions import TimeoutException
from django_q.models import OrmQ
from django_q.tasks import async_task

from .errors import ApplicationError
from .models import BackgroundJob, JobState

logger = logging.getLogger(__name__)

ENDED = (JobState.FINISHED, JobState.FAILED)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_gone(worker: str) -> bool:
    """True when ``worker`` (host:pid) ran on this machine and that process no longer exists. Unknown (False)
    for another machine, and on Windows, where there is no harmless way to ask."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or sys.platform == "win32":
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # exists, someone else's
        return False
    return _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """Ended but not yet reaped by its parent (Linux /proc; elsewhere unknown)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return False


def retry_seconds() -> int:
    return int(settings.Q_CLUSTER["retry"])


def job_interrupted(job: BackgroundJob) -> bool:
    """A running job whose worker is known to be gone: its process ended on this machine, or it has run longer
    than any job may (the timeout would have ended it and recorded the failure)."""
    if job.state != JobState.RUNNING:
        return False
    if job.worker and _process_gone(job.worker):
        return True
    return job.started_at is not None and timezone.now() - job.started_at > dt.timedelta(seconds=retry_seconds())


def job_enqueue(*, actor, kind: str, params: dict, area_prefix: str, task: str) -> BackgroundJob:
    """Store a job and put ``task(job_id)`` on the queue, both in one transaction."""
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            kind=kind, params=params, area_prefix=area_prefix, created_by=actor if getattr(actor, "pk", None) else None
        )
        queue_id = async_task(task, job.pk, task_name=f"job-{job.pk}", group=kind)
        BackgroundJob.objects.filter(pk=job.pk).update(queue_id=queue_id)
    job.refresh_from_db()
    return job


class JobProgress:
    """The progress callback handed to an action: ``progress(done, total=None)``.

    The action runs in one transaction, so the count is written through a second connection of its own that
    commits each write (PostgreSQL), at most once a second. SQLite lets one connection write at a time and the
    action's transaction holds that right until it ends, so there the count is recorded when the job ends."""

    def __init__(self, job: BackgroundJob, *, every: float = 1.0):
        self.job_id, self.done, self.total = job.pk, 0, None
        self._every, self._last = every, 0.0
        self._live = connections[DEFAULT_DB_ALIAS].vendor == "postgresql"
        self._connection = None

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if not self._live or now - self._last < self._every:
            return
        self._last = now
        if self._connection is None:
            self._connection = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {BackgroundJob._meta.db_table} SET done = %s, total = %s WHERE id = %s",
                [self.done, self.total, self.job_id],
            )

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _claim(job_id: int) -> BackgroundJob | None:
    """Mark the job running in this process, or say why not (ended; running elsewhere; started too often)."""
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in ENDED:
            return None
        if job.state == JobState.RUNNING and not job_interrupted(job):
            return None  # handed out twice while its first run goes on: leave it to that run
        if job.attempts >= settings.DOUDI_JOB_ATTEMPTS:
            _end(
                job,
                JobState.FAILED,
                error=(
                    f"后台进程在执行中中断了 {job.attempts} 次（进程被终止或计算机重启），未留下任何数据，请重新提交",
                    f"The job's worker stopped {job.attempts} times (killed or restarted); nothing was left half-done, "
                    "please start it again",
                ),
            )
            return None
        job.state, job.attempts, job.worker = JobState.RUNNING, job.attempts + 1, this_process()
        job.started_at, job.done = timezone.now(), 0
        job.save(update_fields=["state", "attempts", "worker", "started_at", "done"])
    return job


def _end(job: BackgroundJob, state: str, *, result_id=None, error=("", ""), progress: JobProgress | None = None):
    job.state, job.result_id, job.finished_at = state, result_id, timezone.now()
    job.error, job.error_en = error
    fields = ["state", "result_id", "error", "error_en", "finished_at"]
    if progress is not None:
        job.done, job.total = progress.done, progress.total
        fields += ["done", "total"]
    job.save(update_fields=fields)


# What a finished job made, in one line for its box ("2026年12月最低生活保障月度发放表：3户，合计1,442.00元"),
# by job kind; registered by the app that owns the result (core cannot import it).
JOB_SUMMARIES: dict = {}


def job_summary_register(kind: str, summary) -> None:
    JOB_SUMMARIES[kind] = summary


def job_summary(job) -> str:
    summary = JOB_SUMMARIES.get(job.kind)
    return summary(job.result_id) if summary and job.result_id is not None else ""


def job_run(job_id: int, work) -> None:
    """Run job ``job_id``: ``work(job, progress)`` calls one action and returns the id of what it made."""
    job = _claim(job_id)
    if job is None:
        return
    progress = JobProgress(job)
    try:
        result_id = work(job, progress)
    except ApplicationError as e:
        _end(job, JobState.FAILED, error=(e.zh, e.en), progress=progress)
    except TimeoutException:
        limit = settings.DOUDI_JOB_TIMEOUT_SECONDS
        _end(
            job,
            JobState.FAILED,
            progress=progress,
            error=(
                f"超过 {limit} 秒仍未完成，已停止，未留下任何数据（DOUDI_JOB_TIMEOUT_SECONDS）",
                f"Not done after {limit} s; stopped, nothing was left half-done (DOUDI_JOB_TIMEOUT_SECONDS)",
            ),
        )
    except Exception:
        logger.exception("background job %s failed", job_id)
        _end(
            job,
            JobState.FAILED,
            progress=progress,
            error=(
                "后台任务出错，未留下任何数据；请联系系统管理员（详情见日志）",
                "The job failed and left nothing half-done; ask the administrator (details are in the log)",
            ),
        )
    else:
        _end(job, JobState.FINISHED, result_id=result_id, progress=progress)
    finally:
        progress.close()


def jobs_recover() -> int:
    """Hand out again, at once, the jobs whose worker died on this machine (called when a worker starts):
    their queue entries are still locked until the retry time runs out. Returns how many were released."""
    running = {
        job.queue_id: job
        for job in BackgroundJob.objects.filter(state=JobState.RUNNING)
        if job.queue_id and job.worker and _process_gone(job.worker)
    }
    if not running:
        return 0
    released = 0
    for entry in OrmQ.objects.filter(key=get_broker().list_key):
        if entry.task_id() in running:
            released += OrmQ.objects.filter(pk=entry.pk, lock=entry.lock).update(lock=timezone.now())
    return released
