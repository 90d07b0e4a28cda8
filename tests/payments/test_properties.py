"""Property: at every state, the ledger, the payroll lines and the bank file agree to the fen, and no
enrolment-month is ever paid twice."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doudi.cases.models import ChangeKind
from doudi.payments import actions
from doudi.payments.generation import payroll_generate
from doudi.payments.models import EntryKind, LedgerEntry, PayrollLine

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)
history = st.lists(
    st.tuples(
        st.sampled_from([ChangeKind.INCREASE, ChangeKind.DECREASE, ChangeKind.SUSPEND, ChangeKind.RESUME]),
        st.integers(2, 4),
        amounts,
    ),
    max_size=3,
)
recipients = st.lists(st.tuples(amounts, st.integers(1, 3), history), min_size=1, max_size=6)
TABLES = [
    "payments_recovery",
    "payments_anomaly",
    "payments_bankreturn",
    "payments_bankexport",
    "payments_ledgerentry",
    "payments_payrollline",
    "payments_payroll",
    "payments_banklayout",
]


def check(p):
    from django.db.models import F

    from doudi.payments.models import LedgerEntry

    totals = actions.payroll_totals(p)
    assert totals["ledger"] == totals["lines"] == totals["bank_file"], totals
    # an entry's payroll and enrolment are copies of its line's (the database checks only the line reference)
    assert not LedgerEntry.objects.exclude(payroll_id=F("line__payroll_id")).exists()
    assert not LedgerEntry.objects.exclude(enrolment_id=F("line__enrolment_id")).exists()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people_=recipients, fail=st.lists(st.booleans(), min_size=6, max_size=6))
def test_ledger_lines_and_bank_file_always_agree(enrol, finance, tmp_path, people_, fail):
    import django.conf

    django.conf.settings.DATA_DIR = tmp_path
    with connection.cursor() as c:
        for t in TABLES:
            c.execute(f"DELETE FROM {t}")
    enrolments = [
        enrol(str(a), start=dt.date(2026, start, 1), history=[(k, dt.date(2026, m, 1), str(v)) for k, m, v in h])
        for a, start, h in people_
    ]
    for month in (1, 2, 3, 4):
        p = payroll_generate(actor=finance["f1"], programme="dibao", month=dt.date(2026, month, 1))
        check(p)
        if not p.line_count:
            continue
        for a in p.anomalies.all():
            actions.anomaly_handle(actor=finance["f1"], anomaly=a, accept=True, reason="测试")
        actions.payroll_check(actor=finance["f1"], payroll=p)
        check(p)
        actions.payroll_approve(actor=finance["f2"], payroll=p)
        check(p)
        actions.payroll_export(actor=finance["f2"], payroll=p, fmt="xlsx" if month % 2 else "csv")
        check(p)
        lines = list(PayrollLine.objects.filter(payroll=p).order_by("id"))
        body = "ref,status\n" + "".join(
            f"{l.pk},{'failed' if fail[i % 6] else 'success'}\n" for i, l in enumerate(lines)
        )
        actions.bank_return_import(actor=finance["f2"], payroll=p, filename="r.csv", content=body.encode())
        check(p)
    # nothing paid twice: per enrolment and service month, the net paid never exceeds what was due
    from doudi.payments.generation import amount_for

    for e in enrolments:
        changes = list(e.changes.order_by("from_month", "id"))
        for month in (1, 2, 3, 4):
            m = dt.date(2026, month, 1)
            net = sum(
                LedgerEntry.objects.filter(enrolment=e, month=m)
                .exclude(kind=EntryKind.OFFSET)
                .exclude(reverses__kind=EntryKind.OFFSET)
                .values_list("amount", flat=True),
                Decimal("0"),
            )
            assert net <= (amount_for(changes, m) if m >= e.start_month else 0)
