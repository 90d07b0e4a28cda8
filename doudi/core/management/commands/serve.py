from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Doudi with waitress (a production WSGI server that also runs on Windows intranet PCs)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        from waitress import serve

        from doudi.wsgi import application

        self.stdout.write(f"Doudi serving on http://{host}:{port}/  (Ctrl+C to stop)")
        serve(application, host=host, port=port, threads=threads, ident="doudi")
