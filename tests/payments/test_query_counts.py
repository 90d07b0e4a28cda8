"""The number of queries of every payments page, of the bank export and of the bank return does not grow with the
payroll: the same payroll's life (generate, check, approve, export CSV and .xlsx, download, a return failing a
tenth of the lines, the figures) is counted at 10 lines and at 1,000 lines and the counts must be equal."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from doudi.accounts.actions import staff_create
from doudi.cases.models import Overpayment
from doudi.payments import actions, bankfiles, recoveries
from doudi.payments.generation import payroll_generate
from doudi.payments.models import Payroll, PayrollLine

from ..conftest import PASSWORD

M1, M2 = dt.date(2026, 1, 1), dt.date(2026, 2, 1)


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def life(client, finance, township, month) -> dict[str, int]:
    """Counts of each step for the payroll of ``month``."""
    f1, f2 = finance["f1"], finance["f2"]
    p = payroll_generate(actor=f1, programme="dibao", month=month)
    client.force_login(f2)
    client.get("/payments/")  # the session and the account are loaded once; what follows is the page itself

    def get(url, **params):
        response = client.get(url, params)
        assert response.status_code == 200, url
        return response

    n = {"list": count(lambda: get("/payments/")), "page_draft": count(lambda: get(f"/payments/{p.pk}/"))}
    n["page_failed_filter"] = count(lambda: get(f"/payments/{p.pk}/", status="failed", page="1"))
    actions.payroll_check(actor=f1, payroll=p)
    n["approve"] = count(lambda: actions.payroll_approve(actor=f2, payroll=p))
    exports = {}
    n["export_csv"] = count(lambda: exports.setdefault("csv", actions.payroll_export(actor=f2, payroll=p, fmt="csv")))
    n["export_xlsx"] = count(
        lambda: exports.setdefault("xlsx", actions.payroll_export(actor=f2, payroll=p, fmt="xlsx"))
    )
    n["export_again"] = count(lambda: actions.payroll_export(actor=f2, payroll=p, fmt="csv"))
    n["download"] = count(lambda: b"".join(get(f"/payments/files/{exports['csv'].pk}/").streaming_content))
    refs = list(PayrollLine.objects.filter(payroll=p).order_by("id").values_list("id", flat=True))
    body = "流水号,状态,原因\n" + "".join(
        f"{ref},{'失败' if i % 10 == 0 else '成功'},账户冻结\n" for i, ref in enumerate(refs)
    )
    n["bank_return"] = count(
        lambda: actions.bank_return_import(actor=f2, payroll=p, filename="r.csv", content=body.encode())
    )
    n["page_reconciled"] = count(lambda: get(f"/payments/{p.pk}/"))
    n["list_after"] = count(lambda: get("/payments/"))
    n["recoveries"] = count(lambda: get("/payments/recoveries/"))
    n["figures"] = count(lambda: get("/payments/figures/", year="2026"))
    n["figures_xlsx"] = count(lambda: get("/payments/figures/", year="2026", format="xlsx"))
    client.force_login(township)  # a township account sees the county's payroll as its part
    client.get("/payments/")
    n["page_part"] = count(lambda: get(f"/payments/{p.pk}/"))
    n["list_part"] = count(lambda: get("/payments/"))
    p.refresh_from_db()
    assert p.state == "reconciled" and p.bank_total == p.lines_total == p.ledger_total
    return n


def test_counts_do_not_grow_with_the_payroll(client, bulk_enrol, finance, people, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    bankfiles.default_layout()  # created once, before counting
    township = staff_create(
        actor=None,
        username="fin_ts",
        password=PASSWORD,
        role="finance_officer",
        area_code="511425101000",
        check_password=False,
    )

    def overpayments(enrolments):
        Overpayment.objects.bulk_create(
            [
                Overpayment(enrolment=e, amount=Decimal("30.00"), reason="迟报", created_by=people["caseworker_a"])
                for e in enrolments
            ]
        )

    small = bulk_enrol(10, start=M1)
    overpayments(small[:2])
    at_10 = life(client, finance, township, M1)
    assert Payroll.objects.get(month=M1).line_count == 10

    big = bulk_enrol(990, start=M2)  # with the first 10 (one of them returned in January): 1,000 lines
    overpayments(big[:198])
    at_1000 = life(client, finance, township, M2)
    assert Payroll.objects.get(month=M2).line_count == 1000
    assert at_1000 == at_10
    assert max(at_10.values()) <= 30, at_10  # and few: a page is a dozen queries, a bank return two dozen


def test_overpayment_refresh_is_one_statement(bulk_enrol, people):
    enrolments = bulk_enrol(30)
    ops = Overpayment.objects.bulk_create(
        [
            Overpayment(enrolment=e, amount=Decimal("100.00"), reason="x", created_by=people["caseworker_a"])
            for e in enrolments
        ]
    )
    from doudi.payments.models import Recovery

    # a third fully recovered in thirds (exact in fen: 33.33 + 33.33 + 33.34), a third partly, a third written off
    Recovery.objects.bulk_create(
        [
            Recovery(overpayment=o, kind="repayment", amount=Decimal(a))
            for o in ops[:10]
            for a in ("33.33", "33.33", "33.34")
        ]
        + [Recovery(overpayment=o, kind="repayment", amount=Decimal("99.99")) for o in ops[10:20]]
        + [Recovery(overpayment=o, kind="repayment", amount=Decimal("100.00")) for o in ops[20:]]
    )
    Overpayment.objects.filter(pk__in=[o.pk for o in ops[20:]]).update(status="written_off")
    with CaptureQueriesContext(connection) as ctx:
        changed = recoveries.overpayments_refresh(Overpayment.objects.values("id"))
    assert len(ctx.captured_queries) == 1 and changed == 10
    statuses = dict(Overpayment.objects.values_list("id", "status"))
    assert [statuses[o.pk] for o in ops] == ["recovered"] * 10 + ["open"] * 10 + ["written_off"] * 10
    assert recoveries.overpayments_refresh([o.pk for o in ops]) == 0  # nothing left to change
