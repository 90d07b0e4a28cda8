"""Background payroll generation with progress: a thread in the serving process runs the same generation the
command does (one transaction, so a crash leaves nothing); progress lives in memory and is polled by the page."""

from __future__ import annotations

import threading
import uuid

from django.db import close_old_connections

_PROGRESS: dict[str, dict] = {}
_LOCK = threading.Lock()


def task_start(*, actor, programme: str, month, kind: str = "regular") -> str:
    from .generation import payroll_generate

    task_id = uuid.uuid4().hex
    with _LOCK:
        _PROGRESS[task_id] = {"state": "running", "done": 0, "payroll": None, "error": None}

    def run():
        close_old_connections()
        try:
            p = payroll_generate(
                actor=actor,
                programme=programme,
                month=month,
                kind=kind,
                progress=lambda n: _PROGRESS[task_id].update(done=n),
            )
            _PROGRESS[task_id].update(state="finished", payroll=p.pk)
        except Exception as e:  # shown on the page; the transaction rolled back
            _PROGRESS[task_id].update(state="failed", error=getattr(e, "message", str(e)))
        finally:
            from django.db import connection

            connection.close()  # this thread's own connection

    threading.Thread(target=run, daemon=True, name=f"payroll-{task_id}").start()
    return task_id


def task_progress(task_id: str) -> dict | None:
    return _PROGRESS.get(task_id)
