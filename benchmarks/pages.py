"""What each page of the load mix (benchmarks/locustfile.py) costs one request: its SQL queries, and the CPU time
of the process that serves it (the test client runs the whole request in this process; on SQLite the database's
work is in it too, on PostgreSQL the server's is not). CPU time and query counts, not wall time, because the
machine is shared: they do not move with the neighbours' load.

    DATABASE_URL=sqlite:////tmp/demo/db.sqlite3 DOUDI_DATA_DIR=/tmp/demo/var .venv/bin/python -m benchmarks.pages
    … -m benchmarks.pages --profile home:caseworker      # cProfile of one page for one account, top 30 by own time
    … -m benchmarks.pages --sql case:approver            # the queries of one page

Accounts: one of each role of the load mix in the demo county (`doudi demo`): caseworker (township), tsreviewer,
cadre (village), reviewer, approver, finance, auditor (county). Each page is asked 7 times after one warm-up; the
median is printed.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.settings.base")

ACCOUNTS = ["caseworker", "tsreviewer", "cadre", "reviewer", "approver", "finance", "auditor"]
RUNS = 7


def _pages(client) -> dict[str, str]:
    """The locustfile's pages, with a household and a case the account can open (found as the load finds them)."""
    pages = {"home": "/", "search": "/households/?q=王", "cases": "/cases/", "enrolments": "/enrolments/"}
    found = re.findall(r'href="/households/(\d+)/"', client.get(pages["search"]).content.decode())
    if found:
        pages["household"] = f"/households/{found[0]}/"
    found = re.findall(r'href="/cases/(\d+)/"', client.get(pages["cases"]).content.decode())
    if found:
        pages["case"] = f"/cases/{found[0]}/"
    pages["payrolls"] = "/payments/"
    return pages


def measure(client, url: str) -> tuple[int, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates compiled, caches filled as in a running server
    counts, cpu = [], []
    status = 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            started = time.process_time()
            r = client.get(url)
            cpu.append(time.process_time() - started)
        status = r.status_code
        counts.append(len(ctx.captured_queries))
    return max(counts), round(statistics.median(cpu) * 1000, 1), status


def client_for(username: str):
    from django.test import Client

    from doudi.accounts.models import Staff

    client = Client()
    client.force_login(Staff.objects.get(username=username))
    return client


def main() -> int:
    import django
    from django.test.utils import override_settings, setup_test_environment

    django.setup()
    setup_test_environment()
    # The second factor is passed by the load's accounts before they start; here it is not asked for at all.
    with override_settings(DOUDI_2FA_ROLES=(), ALLOWED_HOSTS=["*"], DEBUG=False):
        args = sys.argv[1:]
        if args and args[0] in ("--profile", "--sql"):
            page, username = args[1].split(":")
            client = client_for(username)
            url = _pages(client)[page]
            client.get(url)
            if args[0] == "--sql":
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as ctx:
                    client.get(url)
                for q in ctx.captured_queries:
                    print(q["time"], q["sql"][:400])
                print(len(ctx.captured_queries), "queries")
                return 0
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            for _ in range(RUNS):
                client.get(url)
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(30)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            return 0
        print(f"{'account':<12}{'page':<12}{'queries':>8}{'CPU ms':>9}  status")
        for username in ACCOUNTS:
            client = client_for(username)
            for name, url in _pages(client).items():
                n, ms, status = measure(client, url)
                print(f"{username:<12}{name:<12}{n:>8}{ms:>9}  {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
