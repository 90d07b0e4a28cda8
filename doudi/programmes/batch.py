"""Batch evaluation and what-if simulation over the registry.

Households are read in primary-key batches with a fixed number of queries each, evaluated by the same rules as
one-by-one decisions (so they cannot disagree), and results are written set-based (COPY / executemany). A run
is one transaction: killed halfway it leaves nothing; rerun, it starts afresh.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.core.bulk import TableWriter
from doudi.core.errors import ApplicationError
from doudi.registry.models import Household

from .models import EvaluationResult, EvaluationRun, ParameterVersion, VersionStatus
from .rules import evaluate
from .rules.registry_input import household_inputs

BATCH = 2000


def _households(prefix: str, batch: int):
    last = 0
    base = Household.objects.filter(area__code__startswith=prefix).order_by("pk")
    while True:
        chunk = list(base.filter(pk__gt=last)[:batch])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def evaluation_run(*, actor, programme: str, on: dt.date, area_prefix: str | None = None,
                   draft: ParameterVersion | None = None, compare: bool = False, batch: int = BATCH,
                   progress=None) -> EvaluationRun:
    """Evaluate every household in ``area_prefix`` (default: the actor's area) and store the results.
    With ``draft`` the draft version is used as if approved; with ``compare`` the approved parameters are
    evaluated alongside and the run's summary reports, by township, who gains, loses or changes amount."""
    if actor is not None:
        perm_require(actor, Perm.PARAMETERS_EDIT if draft else Perm.EVALUATE)
        prefix = area_prefix if area_prefix and area_prefix.startswith(actor.scope_prefix) else actor.scope_prefix
    else:
        prefix = area_prefix or ""
    if draft is not None and draft.status != VersionStatus.DRAFT:
        raise ApplicationError("只能模拟草稿版本", "Only a draft version can be simulated", field="draft")
    with transaction.atomic():
        run = EvaluationRun.objects.create(programme_id=programme, on=on, area_prefix=prefix, draft=draft,
                                           created_by=actor if getattr(actor, "pk", None) else None)
        writer = TableWriter(EvaluationResult, batch_size=10_000)
        cache, base_cache = {}, {}
        by_township: dict[str, dict] = defaultdict(lambda: defaultdict(Decimal))
        done = 0
        for chunk in _households(prefix, batch):
            for h in household_inputs(chunk):
                d = evaluate(programme, h, on, draft=draft, params_cache=cache)
                township = h.area[:9] + "000"
                writer.add(id=writer.next_id(), run_id=run.pk, household_id=h.household_id, township_code=township,
                           eligible=d.eligible, monthly_amount=d.monthly_amount, per_capita_income=d.per_capita_income,
                           counted_members=d.counted_members)
                t = by_township[township]
                t["households"] += 1
                if d.eligible:
                    t["eligible_households"] += 1
                    t["eligible_people"] += d.counted_members
                    t["monthly_total"] += d.monthly_amount
                if compare:
                    b = evaluate(programme, h, on, params_cache=base_cache)
                    _compare(t, b, d)
            done += len(chunk)
            if progress:
                progress(done)
        writer.flush()
        run.households = done
        run.summary = _summary(by_township, compare)
        run.finished_at = timezone.now()
        run.save(update_fields=["households", "summary", "finished_at"])
        audit_record(actor=actor, action="evaluation.simulate" if draft else "evaluation.run", kind=EventKind.BATCH,
                     target=run, area_code=prefix.ljust(12, "0")[:12] if prefix else "",
                     new={"programme": programme, "on": on, "households": done, "draft": draft.pk if draft else None,
                          "totals": run.summary.get("totals")})
    return run


def _compare(t, before, after) -> None:
    if after.eligible and not before.eligible:
        t["gain_households"] += 1
        t["gain_people"] += after.counted_members
    elif before.eligible and not after.eligible:
        t["lose_households"] += 1
        t["lose_people"] += before.counted_members
    elif before.eligible and after.monthly_amount != before.monthly_amount:
        t["change_households"] += 1
        t["change_people"] += after.counted_members
    t["budget_before"] += before.monthly_amount
    t["budget_after"] += after.monthly_amount


def _summary(by_township: dict, compare: bool) -> dict:
    from doudi.areas.models import Area

    names = dict(Area.objects.filter(code__in=list(by_township)).values_list("code", "name"))
    rows = []
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for code in sorted(by_township):
        t = by_township[code]
        row = {"township": code, "name": names.get(code, code)}
        for k, v in t.items():
            row[k] = f"{v:.2f}" if k.startswith(("monthly", "budget")) else int(v)
            totals[k] += v
        if compare:
            row["budget_difference"] = f"{t['budget_after'] - t['budget_before']:.2f}"
            totals["budget_difference"] += t["budget_after"] - t["budget_before"]
        rows.append(row)
    return {"townships": rows,
            "totals": {k: (f"{v:.2f}" if k.startswith(("monthly", "budget")) else int(v)) for k, v in totals.items()}}
