"""The alert queue sized for a fifth of the caseload (issue 13, item 5): after the payroll step (every household
enrolled in dibao), the public security bureau's file of deaths names the head of one household in five. Measured:
loading it (checking, encrypting, matching, saving) with the alerts it raises and the payments it holds; the alert
queue page for the county (triage counts by rule and township, the first page), filtered by rule and township; the
township caseworker's queue, one bulk action of theirs resolving up to 1,000 alerts, and 100 turned into review
cases."""

from __future__ import annotations

import cProfile
import csv
import datetime as dt
import io
import os
import pstats


def step_alerts(share: int = 5) -> dict:
    from django.db import connection
    from django.utils import timezone

    from doudi.registry.models import Person
    from doudi.verification.alerts import alerts_resolve, alerts_to_review
    from doudi.verification.loads import dataset_load
    from doudi.verification.models import Alert, AlertState
    from doudi.verification.schemas import KINDS

    from .run import _bench_people, _median_ms, peak_rss_mb, signed_in, timed

    people = _bench_people()
    reviewer = people["creviewer"]
    today = timezone.localdate()
    with connection.cursor() as c:  # the head of every ``share``-th household in payment
        c.execute(
            """SELECT m.person_id FROM registry_membership m
               JOIN cases_enrolment e ON e.household_id = m.household_id AND e.status = 'active'
               WHERE m.relation = 'head' AND m.end_date IS NULL AND e.programme_id = 'dibao'
                 AND m.household_id %% %s = 0""",
            [share],
        )
        ids = [r[0] for r in c.fetchall()]
    spec = KINDS["death"]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([e.zh for e in spec.elements])
    rows, read_seconds = timed(
        lambda: [(name, number) for name, number in Person.objects.filter(pk__in=ids).values_list("name", "id_number")]
    )
    for name, number in rows:
        w.writerow([name, number, (today - dt.timedelta(days=20)).isoformat()])
    content = buf.getvalue().encode("utf-8-sig")
    before = Alert.objects.count()

    def load_file():
        return dataset_load(actor=reviewer, kind="death", as_of=today, filename="deaths.csv", content=content)

    if os.environ.get("DOUDI_BENCH_PROFILE"):  # where the load's time goes: a text file named by the variable
        profile = cProfile.Profile()
        load, load_seconds = timed(lambda: profile.runcall(load_file))
        with open(os.environ["DOUDI_BENCH_PROFILE"], "w") as out:
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
    else:
        load, load_seconds = timed(load_file)
    raised = Alert.objects.count() - before
    client = signed_in(reviewer)
    township = people["township"].code
    page_ms = _median_ms(lambda: client.get("/verification/alerts/"))
    filtered_ms = _median_ms(lambda: client.get("/verification/alerts/", {"rule": "death_paid", "township": township}))
    last_page = (raised + 99) // 100  # ALERT_PAGE rows a page
    deep_ms = _median_ms(lambda: client.get("/verification/alerts/", {"page": str(max(last_page // 2, 1))}))
    # the township works its own queue: its page, then one bulk action resolving up to 1,000, then 100 to review
    caseworker = people["caseworker"]
    township_client = signed_in(caseworker)
    township_page_ms = _median_ms(lambda: township_client.get("/verification/alerts/"))
    in_township = list(
        Alert.objects.filter(state=AlertState.OPEN, load=load, area_code__startswith=township[:9])
        .order_by("id")
        .values_list("id", flat=True)
    )
    review_n = min(100, len(in_township) // 2)  # a small county: half of its township's alerts each way
    to_resolve, to_review = (
        in_township[: len(in_township) - review_n][:1000],
        in_township[len(in_township) - review_n :],
    )
    resolved, resolve_seconds = timed(
        lambda: alerts_resolve(actor=caseworker, alert_ids=to_resolve, reason="核实：家属已报死亡，停发")
    )
    cases, review_seconds = timed(lambda: alerts_to_review(actor=caseworker, alert_ids=to_review))
    return {
        "households_named": len(ids),
        "file_bytes": len(content),
        "read_names_and_numbers_seconds": read_seconds,
        "load_seconds": load_seconds,
        "alerts_raised": raised,
        "load_ms_per_row": round(load_seconds * 1000 / max(len(ids), 1), 3),
        "queue_page_ms_median": page_ms,
        "queue_filtered_by_rule_and_township_ms_median": filtered_ms,
        "queue_middle_page_ms_median": deep_ms,
        "township_alerts": len(in_township),
        "township_queue_page_ms_median": township_page_ms,
        "bulk_resolve_seconds": resolve_seconds,
        "resolved": resolved,
        "to_review_cases": len(cases),
        "to_review_seconds": review_seconds,
        "peak_rss_mb": peak_rss_mb(),
    }
