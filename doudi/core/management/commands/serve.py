import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from doudi.core.keys import KeyFileError, keys_check


def default_workers(engine: str | None = None) -> int:
    """Server processes when none is asked for: one Python process uses one core (the interpreter's lock), so on
    PostgreSQL one per core, at most four; on SQLite (the embedded, one-office default) and on Windows, one."""
    engine = engine or settings.DATABASES["default"]["ENGINE"]
    if sys.platform == "win32" or engine.endswith("sqlite3"):
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


CONN_MAX_AGE = 600  # seconds a server thread keeps its database connection (DOUDI_DB_CONN_MAX_AGE overrides)


def persistent_connections() -> None:
    """A serving thread keeps its database connection between requests (checked before reuse) unless
    DOUDI_DB_CONN_MAX_AGE says otherwise. Opening one per request, Django's default, starts a PostgreSQL server process
    with cold caches for every page: the load run's p95 was 86 ms so, 63 ms kept (docs/benchmarks.md). Connections opened so far
    are closed, so that no process forked for gunicorn shares one with its parent."""
    from django.db import connections  # noqa: PLC0415

    db = settings.DATABASES["default"]
    if not os.environ.get("DOUDI_DB_CONN_MAX_AGE"):
        db["CONN_MAX_AGE"] = CONN_MAX_AGE
    db["CONN_HEALTH_CHECKS"] = True
    connections.close_all()


def _gunicorn(application, *, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn's threaded workers: several processes, each with its threads, on one port."""
    from gunicorn.app.base import BaseApplication  # noqa: PLC0415  (not installed on Windows)

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "timeout": 120,  # a PDF or an export may take a while; a stuck worker is replaced after this
                "graceful_timeout": 30,
                # keep an idle connection longer than a person's pause between clicks: with gunicorn's 2 s default a
                # browser (or the load test) reusing a connection the server is just closing gets no answer at all
                "keepalive": 75,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "doudi",
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Server().run()


class Command(BaseCommand):
    help = (
        "Serve Doudi: waitress in one process (also on Windows intranet PCs), or on Linux with --workers above 1 "
        "gunicorn's threaded workers in several processes (one per core by default on PostgreSQL); with a "
        "background job worker (`doudi worker`) beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8, help="threads in each server process")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="server processes (default: one per core up to 4 on PostgreSQL, 1 on SQLite and Windows)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a worker (when `doudi worker` runs as a service of its own)",
        )

    def handle(self, *args, host, port, threads, workers, no_worker, **options):
        from doudi.wsgi import application  # noqa: PLC0415  (the WSGI app is built only when serving)

        try:
            keys_check()  # a missing or too-open key file stops the start, with what to do
        except KeyFileError as e:
            raise CommandError(str(e)) from e
        workers = default_workers() if workers is None else workers
        if workers < 1 or threads < 1:
            raise CommandError("--workers 和 --threads 至少为 1")
        if workers > 1 and sys.platform == "win32":
            raise CommandError("Windows 上只能用一个服务进程（--workers 1）")

        persistent_connections()
        worker = None if no_worker else subprocess.Popen([sys.executable, "-m", "doudi", "worker"])
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a service manager's stop: stop the worker too
        processes = f"{workers} processes × {threads} threads" if workers > 1 else f"{threads} threads"
        self.stdout.write(f"Doudi serving on http://{host}:{port}/  ({processes}; Ctrl+C to stop)")
        try:
            if workers > 1:
                _gunicorn(application, host=host, port=port, workers=workers, threads=threads)
            else:
                from waitress import serve  # noqa: PLC0415

                serve(application, host=host, port=port, threads=threads, ident="doudi")
        finally:
            if worker is not None and worker.poll() is None:
                worker.terminate()  # the worker lets a running job finish; one cut short is run again later
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
