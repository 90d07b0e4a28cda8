import signal
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError
from waitress import serve

from doudi.core.keys import KeyFileError, keys_check


class Command(BaseCommand):
    help = (
        "Serve Doudi with waitress (a production WSGI server that also runs on Windows intranet PCs), with a "
        "background job worker (`doudi worker`) beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a worker (when `doudi worker` runs as a service of its own)",
        )

    def handle(self, *args, host, port, threads, no_worker, **options):
        from doudi.wsgi import application  # noqa: PLC0415  (the WSGI app is built only when serving)

        try:
            keys_check()  # a missing or too-open key file stops the start, with what to do
        except KeyFileError as e:
            raise CommandError(str(e)) from e

        worker = None if no_worker else subprocess.Popen([sys.executable, "-m", "doudi", "worker"])
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a service manager's stop: stop the worker too
        self.stdout.write(f"Doudi serving on http://{host}:{port}/  (Ctrl+C to stop)")
        try:
            serve(application, host=host, port=port, threads=threads, ident="doudi")
        finally:
            if worker is not None and worker.poll() is None:
                worker.terminate()  # the worker lets a running job finish; one cut short is run again later
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
