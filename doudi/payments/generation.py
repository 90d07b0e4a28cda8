"""Payroll generation: from the enrolments payable in a month, what each is owed — this month, arrears for
earlier months not yet paid (approval before the first payroll, lines the bank returned), from the amount
history (increases, decreases, suspensions, gradual exit, termination each from its month) — less offsets of
overpayments being recovered.

Reads are batched (a fixed number of queries per batch of enrolments), writes are set-based (COPY on
PostgreSQL). Generation is one transaction: killed halfway it leaves nothing. A programme-month has one regular
payroll (a database constraint): asking again returns the same payroll.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.cases.amounts import NO_PAYMENT, Change, amount_for  # noqa: F401  (amount_for: re-exported for tests)
from doudi.cases.models import Enrolment, EnrolmentChange, Overpayment, OverpaymentStatus
from doudi.core.bulk import TableWriter
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.money import ZERO, add_months, month_start
from doudi.core.validation import date_range_check
from doudi.programmes.models import Programme
from doudi.registry.choices import Relation
from doudi.registry.models import Membership

from . import totals
from .anomalies import detect_anomalies
from .events import PaymentEvent
from .models import EntryKind, LedgerEntry, Payroll, PayrollKind, PayrollLine, Recovery
from .payees import PAYEE_RESOLVERS, payee_resolver_register  # noqa: F401  (registered by apps above)
from .recoveries import overpayments_refresh

# Each household's current head (one per household, which registry actions keep; should two ever be recorded,
# the lower person key, so a line is never doubled): an aggregate the planner hashes once for the whole payroll.
HEAD_SQL = f"""SELECT household_id, MIN(person_id) AS person_id FROM registry_membership
               WHERE relation = '{Relation.HEAD}' AND end_date IS NULL GROUP BY household_id"""


@dataclass(frozen=True)
class PaymentGate:
    """A programme whose months are paid only once someone has confirmed them (the old-age allowance: the
    village confirms its roster, domain.md §5a). ``sql`` is a condition on the enrolment ``e`` for the payroll's
    month (one ``%s``: the month), used by the set-based lines; ``confirmed(lo, hi)`` is the set of (enrolment
    key, month) confirmed for enrolments with keys in [lo, hi], used by the exact path: a month not confirmed is
    left unpaid, and is paid as arrears by the first payroll after it is confirmed."""

    sql: str
    confirmed: Callable[[int, int], set[tuple[int, dt.date]]]


PAYMENT_GATES: dict[str, PaymentGate] = {}


def payment_gate_register(programme: str, gate: PaymentGate) -> None:
    PAYMENT_GATES[programme] = gate


def months_between(first: dt.date, last: dt.date):
    m = first
    while m <= last:
        yield m
        m = add_months(m, 1)


# A batch of a programme with few enrolments (a one-off programme, the children's allowance) has keys spread among
# every other programme's: reading its ledger, changes and overpayments by the range of its keys would read theirs
# too, so a batch of at most SPARSE_MAX enrolments spread over more than SPARSE_SPREAD times as many keys is read by
# its keys themselves.
SPARSE_MAX = 900  # within SQLite's oldest limit on a statement's parameters (999)
SPARSE_SPREAD = 4


def _of(field: str, lo: int, hi: int, keys: list[int] | None) -> dict:
    """The filter on ``field`` for a batch: its ``keys`` when given (a sparse batch), else the range [lo, hi]."""
    return {f"{field}__in": keys} if keys is not None else {f"{field}__gte": lo, f"{field}__lte": hi}


def _paid(lo: int, hi: int, keys: list[int] | None = None) -> dict[tuple[int, dt.date], Decimal]:
    """Net money already put in a payroll, per enrolment and service month (payments less their reversals),
    for enrolments with keys in [lo, hi] (or, given, the ``keys``)."""
    paid: dict[tuple[int, dt.date], Decimal] = {}
    rows = (
        LedgerEntry.objects.filter(**_of("enrolment_id", lo, hi, keys))
        .filter(Q(kind=EntryKind.PAYMENT) | Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.PAYMENT))
        .values("enrolment_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("enrolment_id", "month", "total")
    )
    for eid, month, total in rows:
        paid[(eid, month)] = paid.get((eid, month), ZERO) + total
    return paid


def _outstanding(lo: int, hi: int, keys: list[int] | None = None) -> dict[int, list[tuple[int, Decimal]]]:
    out = defaultdict(list)
    ops = (
        Overpayment.objects.filter(**_of("enrolment_id", lo, hi, keys), status=OverpaymentStatus.OPEN)
        .annotate(recovered=Sum("recoveries__amount"))
        .order_by("id")
        .values_list("id", "enrolment_id", "amount", "recovered")
    )
    for oid, eid, amount, recovered in ops:
        left = amount - (recovered or ZERO)
        if left > 0:
            out[eid].append((oid, left))
    return out


def _head_id_numbers(enrolments) -> dict[int, str]:
    """The ID number of each current household head of ``enrolments`` (the same head as ``HEAD_SQL``: the lower
    person key should there be two), in one query."""
    heads: dict[int, str] = {}
    for household_id, number in (
        Membership.objects.filter(
            household_id__in=enrolments.values("household_id"), relation=Relation.HEAD, end_date__isnull=True
        )
        .order_by("household_id", "person_id")
        .values_list("household_id", "person__id_number")
    ):
        heads.setdefault(household_id, number or "")
    return heads


def payroll_generate(
    *,
    actor,
    programme: str,
    month: dt.date,
    area_prefix: str | None = None,
    kind: str = PayrollKind.REGULAR,
    progress=None,
) -> Payroll:
    """Generate (or return the existing) payroll for a programme-month. ``progress(done, total)`` is called as
    enrolments are read: after the set-based lines, then after each batch of the exact path."""
    if actor is not None:
        perm_require(actor, Perm.PAYROLL_GENERATE)
        prefix = actor.scope_prefix if area_prefix is None else area_prefix
        if not covers(actor, prefix):
            raise NotFound(field="area")
    else:
        prefix = area_prefix or ""
    if not isinstance(programme, str) or not Programme.objects.filter(code=programme).exists():
        raise ApplicationError("没有这个救助项目", "No such programme", field="programme", code="unknown_programme")
    if kind not in PayrollKind.values:
        raise ApplicationError(
            f"发放类型无效，可选：{'、'.join(PayrollKind.values)}",
            f"Invalid payroll kind; allowed: {', '.join(PayrollKind.values)}",
            field="kind",
            code="invalid_choice",
        )
    month = date_range_check(month_start(month), field="month", zh_label="发放月份", en_label="Month")
    if kind == PayrollKind.REGULAR:
        existing = (
            Payroll.objects.filter(programme_id=programme, month=month, area_prefix=prefix, kind=kind)
            .exclude(state="cancelled")
            .first()
        )
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return _generate(actor, programme, month, prefix, kind, progress)
    except IntegrityError:
        # Someone else generated the same programme-month at the same moment: theirs stands.
        existing = (
            Payroll.objects.filter(programme_id=programme, month=month, area_prefix=prefix, kind=kind)
            .exclude(state="cancelled")
            .first()
        )
        if existing is None:
            raise
        return existing


def _fast_path(payroll: Payroll, prefix: str, batch_id: str) -> int:
    """Set-based lines for the common case, in two INSERT … SELECT statements: enrolments that are paid up to
    last month (a line in last month's regular payroll that the bank did not return, and no change backdated
    since it was generated) or that start this month, with no open overpayment and nothing yet for this month.
    Their line is simply this month's amount from the amount history. Everyone else takes the exact path.

    A line keeps the account, account holder and ID number it was generated with (the bank file is written from
    the line): the enrolled person's ID number (tekun), or the household head's (``HEAD_SQL``)."""
    month, previous_month = payroll.month, add_months(payroll.month, -1)
    previous = (
        Payroll.objects.filter(programme_id=payroll.programme_id, month=previous_month, kind="regular")
        .exclude(state="cancelled")
        .order_by("generated_at")
        .values_list("generated_at", flat=True)
        .first()
    )
    postgres = connection.vendor == "postgresql"
    months_json = "CAST(%s AS jsonb)" if postgres else "%s"
    paid_up = """EXISTS (SELECT 1 FROM payments_payrollline pl JOIN payments_payroll pp ON pp.id = pl.payroll_id
                         WHERE pl.enrolment_id = e.id AND pp.programme_id = %s AND pp.month = %s
                           AND pp.kind = 'regular' AND pp.state <> 'cancelled' AND pl.status <> 'failed')
                 AND NOT EXISTS (SELECT 1 FROM cases_enrolmentchange b WHERE b.enrolment_id = e.id
                                 AND b.from_month < %s AND b.at > %s)"""
    ready = f"(e.start_month = %s OR ({paid_up}))" if previous else "e.start_month = %s"
    ready_args = [month, payroll.programme_id, previous_month, month, previous] if previous else [month]
    gate = PAYMENT_GATES.get(payroll.programme_id)
    if gate is not None:
        ready = f"{ready} AND {gate.sql}"
        ready_args = [*ready_args, month]
    # each enrolment's amount for the month is its latest change from that month or earlier: the change with no
    # later one (by month, then key) — an anti-join the planner runs as one hash join over the history. The lines
    # are numbered in enrolment order (ORDER BY), as the exact path numbers its own: without it the keys followed
    # the plan the database chose, so the same payroll numbered its lines differently from one run to the next
    # (the demo's bank returns, which pick failed lines by key, then failed different households).
    sql = f"""
INSERT INTO payments_payrollline (payroll_id, enrolment_id, household_id, area_code, hukou_type, account,
    account_holder, id_number, amount, current_amount, arrears_amount, offset_amount, months, members, status,
    failure_reason, support_mode)
SELECT %s, e.id, e.household_id, e.area_code, h.hukou_type, h.bank_account,
       CASE WHEN h.account_holder = '' THEN h.head_name ELSE h.account_holder END,
       COALESCE(p.id_number, ''),
       l.new_amount, l.new_amount, 0, 0, {months_json}, e.counted_members, 'pending', '', e.support_mode
FROM cases_enrolment e
JOIN registry_household h ON h.id = e.household_id
LEFT JOIN ({HEAD_SQL}) hh ON hh.household_id = e.household_id
LEFT JOIN registry_person p ON p.id = COALESCE(e.person_id, hh.person_id)
JOIN cases_enrolmentchange l ON l.enrolment_id = e.id AND l.from_month <= %s
WHERE e.programme_id = %s AND e.area_code LIKE %s AND e.start_month <= %s
  AND (e.end_month IS NULL OR e.end_month >= %s)
  AND NOT EXISTS (SELECT 1 FROM cases_enrolmentchange later WHERE later.enrolment_id = l.enrolment_id
                  AND later.from_month <= %s
                  AND (later.from_month > l.from_month OR (later.from_month = l.from_month AND later.id > l.id)))
  AND l.kind NOT IN ('suspend', 'terminate') AND l.new_amount > 0
  AND {ready}
  AND NOT EXISTS (SELECT 1 FROM cases_overpayment o WHERE o.enrolment_id = e.id AND o.status = '{OverpaymentStatus.OPEN}')
  AND NOT EXISTS (SELECT 1 FROM payments_ledgerentry x WHERE x.enrolment_id = e.id AND x.month = %s)
ORDER BY e.id
"""
    args = [
        payroll.pk,
        f'["{month.isoformat()}"]',
        month,
        payroll.programme_id,
        prefix + "%",
        month,
        month,
        month,
        *ready_args,
        month,
    ]
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, args)
        count = cursor.rowcount
        cursor.execute(
            """INSERT INTO payments_ledgerentry (payroll_id, line_id, enrolment_id, month, kind, amount,
                              created_at, batch_id)
                          SELECT payroll_id, id, enrolment_id, %s, 'payment', amount, CURRENT_TIMESTAMP, %s
                          FROM payments_payrollline WHERE payroll_id = %s""",
            [month, batch_id, payroll.pk],
        )
    return count


def _generate(actor, programme, month, prefix, kind, progress) -> Payroll:
    batch_id = f"payroll-{uuid.uuid4().hex[:12]}"
    payroll = Payroll.objects.create(
        programme_id=programme,
        month=month,
        kind=kind,
        area_prefix=prefix,
        generated_by=actor if getattr(actor, "pk", None) else None,
        batch_id=batch_id,
    )
    lines = TableWriter(PayrollLine, batch_size=20_000)
    entries = TableWriter(LedgerEntry, batch_size=20_000)
    recoveries = TableWriter(Recovery, batch_size=5_000)
    base = Enrolment.objects.filter(programme_id=programme, area_code__startswith=prefix, start_month__lte=month)
    fast = 0
    if kind == PayrollKind.SUPPLEMENTARY:
        base = base.filter(payroll_lines__status="failed").distinct()
    else:
        fast = _fast_path(payroll, prefix, batch_id)
        base = base.exclude(pk__in=PayrollLine.objects.filter(payroll=payroll).values("enrolment_id"))
    total = fast + base.count() if progress else None  # enrolments to read: one count, only when watched
    if progress:
        progress(fast, total)
    base = base.order_by("pk").values_list(
        "pk",
        "start_month",
        "end_month",
        "area_code",
        "counted_members",
        "household_id",
        "household__hukou_type",
        "household__bank_account",
        "household__account_holder",
        "household__head_name",
        "person_id",
        "person__id_number",
        "support_mode",
    )
    # read when generation starts: the batch size (a fixed number of queries per batch) and, by local rule, the
    # largest share of a month's payment withheld to recover an overpayment
    batch_size = settings.DOUDI_PAYROLL_BATCH
    offset_ratio = Decimal(str(settings.DOUDI_RECOVERY_OFFSET_RATIO))
    last, done, count = 0, 0, 0
    while True:
        chunk = list(base.filter(pk__gt=last)[:batch_size])
        if not chunk:
            break
        first, last = chunk[0][0], chunk[-1][0]
        sparse = len(chunk) <= SPARSE_MAX and last - first + 1 > SPARSE_SPREAD * len(chunk)
        keys = [row[0] for row in chunk] if sparse else None
        changes = defaultdict(list)
        for eid, *change in (
            EnrolmentChange.objects.filter(**_of("enrolment_id", first, last, keys))
            .order_by("from_month", "id")
            .values_list("enrolment_id", "from_month", "kind", "new_amount")
        ):
            changes[eid].append(Change(*change))
        paid = _paid(first, last, keys)
        gate = PAYMENT_GATES.get(programme)
        confirmed = gate.confirmed(first, last) if gate is not None else None
        outstanding = _outstanding(first, last, keys)
        heads = _head_id_numbers(Enrolment.objects.filter(pk__gte=first, pk__lte=last, programme_id=programme))
        for (
            eid,
            start_month,
            end_month,
            area_code,
            counted,
            household_id,
            hukou,
            account,
            holder,
            head_name,
            person_id,
            person_id_number,
            support_mode,
        ) in chunk:
            last_month = min(month, end_month) if end_month else month
            parts = []
            for m in months_between(start_month, last_month):
                if confirmed is not None and (eid, m) not in confirmed:
                    continue  # not confirmed yet: paid as arrears by the first payroll after it is
                owed = amount_for(changes[eid], m) - paid.get((eid, m), ZERO)
                if owed > 0:
                    parts.append((m, owed))
            if not parts:
                continue
            gross = sum((p[1] for p in parts), ZERO)
            current = sum((p[1] for p in parts if p[0] == month), ZERO)
            offset = ZERO
            cap = (gross * offset_ratio).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            line_id = lines.next_id()
            offsets = []
            for o, left in outstanding.get(eid, []):
                take = min(left, cap - offset)
                if take <= 0:
                    break
                offset += take
                offsets.append((o, take))
            lines.add(
                id=line_id,
                payroll_id=payroll.pk,
                enrolment_id=eid,
                household_id=household_id,
                area_code=area_code,
                hukou_type=hukou,
                account=account,
                account_holder=holder or head_name,
                id_number=(person_id_number if person_id else heads.get(household_id)) or "",
                amount=gross - offset,
                current_amount=current,
                arrears_amount=gross - current,
                offset_amount=offset,
                months=[p[0].isoformat() for p in parts],
                members=counted,
                status="pending",
                failure_reason="",
                support_mode=support_mode,
            )
            for m, owed in parts:
                entries.add(
                    id=entries.next_id(),
                    payroll_id=payroll.pk,
                    line_id=line_id,
                    enrolment_id=eid,
                    month=m,
                    kind=EntryKind.PAYMENT,
                    amount=owed,
                    reverses_id=None,
                    overpayment_id=None,
                    batch_id=batch_id,
                )
            for o, take in offsets:
                entries.add(
                    id=entries.next_id(),
                    payroll_id=payroll.pk,
                    line_id=line_id,
                    enrolment_id=eid,
                    month=month,
                    kind=EntryKind.OFFSET,
                    amount=-take,
                    reverses_id=None,
                    overpayment_id=o,
                    batch_id=batch_id,
                )
                recoveries.add(
                    id=recoveries.next_id(),
                    overpayment_id=o,
                    kind="offset",
                    amount=take,
                    line_id=line_id,
                    note=f"{month:%Y-%m} 发放时抵扣",
                    recovered_on=month,
                    created_by_id=None,
                )
            count += 1
        done += len(chunk)
        if progress:
            progress(fast + done, total)
    lines.flush()
    entries.flush()
    recoveries.flush()
    if connection.vendor == "postgresql" and fast + count >= 10_000:
        # The planner's statistics still describe the table before this transaction's rows; the anomaly
        # queries need to know a payroll now has a million lines (measured: 11.6 s → 2.1 s). The lock this
        # takes is held to commit, so another big payroll generated at the same moment waits for this one.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE payments_payrollline")
    for resolver in PAYEE_RESOLVERS.get(programme, ()):
        resolver(payroll)
    payroll.line_count = PayrollLine.objects.filter(payroll=payroll).count()
    payroll.total = totals.lines_sum(payroll)  # no line is failed yet: every line
    payroll.save(update_fields=["line_count", "total"])
    totals.totals_store(payroll, ledger=totals.ledger_sum(payroll), lines=payroll.total, bank=None)
    overpayments_refresh(Recovery.objects.filter(line__payroll=payroll).values("overpayment_id"))
    detect_anomalies(payroll)
    audit_record(
        actor=actor,
        action=PaymentEvent.PAYROLL_GENERATE,
        kind=EventKind.BATCH,
        target=payroll,
        area_code=prefix.ljust(12, "0")[:12] if prefix else "",
        batch_id=batch_id,
        new={
            "programme": programme,
            "month": month,
            "kind": kind,
            "lines": payroll.line_count,
            "total": payroll.total,
            "set_based_lines": fast,
            "exact_path_lines": count,
            "enrolments_read_by_exact_path": done,
        },
    )
    return payroll
