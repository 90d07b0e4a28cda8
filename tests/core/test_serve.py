"""`doudi serve`: one waitress process, or on Linux several gunicorn processes (one Python process uses one core)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from doudi.core.management.commands.serve import CONN_MAX_AGE, default_workers, persistent_connections

ROOT = Path(__file__).resolve().parents[2]


def test_one_process_on_sqlite_one_per_core_on_postgresql(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert default_workers("django.db.backends.sqlite3") == 1
    assert default_workers("django.db.backends.postgresql") == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert default_workers("django.db.backends.postgresql") == 4


def test_a_serving_thread_keeps_its_connection_unless_told_otherwise(monkeypatch, settings):
    db = settings.DATABASES["default"]
    monkeypatch.setitem(db, "CONN_MAX_AGE", 0)
    monkeypatch.setitem(db, "CONN_HEALTH_CHECKS", False)
    monkeypatch.delenv("DOUDI_DB_CONN_MAX_AGE", raising=False)
    persistent_connections()
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (CONN_MAX_AGE, True)
    # the operator's own figure (read into the settings from DOUDI_DB_CONN_MAX_AGE) is left as it is
    monkeypatch.setenv("DOUDI_DB_CONN_MAX_AGE", "0")
    db["CONN_MAX_AGE"] = 0
    persistent_connections()
    assert db["CONN_MAX_AGE"] == 0


def test_nonsense_counts_are_refused():
    with pytest.raises(CommandError, match="至少为 1"):
        call_command("serve", "--workers", "0", "--no-worker")


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _database_url() -> str:
    """The test database (created and migrated by pytest-django) as a DATABASE_URL for a child process."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    host = quote(s["HOST"] or "localhost", safe="")  # a socket directory (CI's "/tmp") is written %2Ftmp
    return f"postgres://{quote(s['USER'] or '')}:{quote(s['PASSWORD'] or '')}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.skipif(sys.platform == "win32", reason="gunicorn serves on Linux")
@pytest.mark.django_db(transaction=True)
def test_two_server_processes_answer_and_stop_together():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "doudi",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "2",
            "--no-worker",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url()},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:  # a static file: whitenoise answers without the database
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/doudi/doudi.js", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.3)
        while len(_children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = _children(server.pid)
        assert len(workers) == 2, workers  # the master (this process) and two workers
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=45)
        assert "2 processes × 2 threads" in server.stdout.read()
        assert all(not Path(f"/proc/{pid}").exists() for pid in workers)  # no worker left behind
    finally:
        if server.poll() is None:
            server.kill()
