"""Overpayments raised and recovered are counted in the month they happened (the day an overpayment was
established, the day a household repaid, the payment month an offset was taken from), not the day they were
keyed in, so a past month keeps its figures (docs/statistics.md)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from doudi.cases.models import Overpayment
from doudi.core.errors import ApplicationError
from doudi.payments import actions
from doudi.payments.models import PayrollLine, Recovery
from doudi.statistics.selectors import figures

from .conftest import MAR, approve

FEB, APR = dt.date(2026, 2, 1), dt.date(2026, 4, 1)
CODES = ["ZH0101000000", "ZH0102000000"]


def zh(user, month):
    return {f.indicator.code: (f.value, f.year_to_date) for f in figures(user, month, codes=CODES)}


def test_recorded_today_counted_when_it_happened(county):
    user, f2 = county["people"]["approver"], county["finance"]["f2"]
    op = Overpayment.objects.get(reason="迟报收入")
    # an overpayment found in February, keyed in only now; repaid in part on 25 March, recorded now
    late = Overpayment.objects.create(
        enrolment=county["enrolments"]["h2"],
        amount=D("40.00"),
        reason="迟报就业",
        raised_on=dt.date(2026, 2, 10),
        created_by=county["people"]["caseworker_a"],
    )
    actions.repayment_record(actor=f2, overpayment=op, amount=D("20.00"), on=dt.date(2026, 3, 25))
    actions.repayment_record(actor=f2, overpayment=late, amount=D("15.00"), on="2026-03-02")
    assert zh(user, FEB) == {"ZH0101000000": (D("40.00"), D("40.00")), "ZH0102000000": (D("0.00"), D("0.00"))}
    assert zh(user, MAR) == {
        "ZH0101000000": (D("120.00"), D("160.00")),
        "ZH0102000000": (D("85.00"), D("85.00")),  # 50 + 20 + 15
    }
    assert Recovery.objects.filter(kind="repayment", recovered_on=dt.date(2026, 3, 2)).get().amount == D("15.00")


@pytest.mark.parametrize(
    ("on", "code"),
    [("2026-03-14", "date_range"), ("2999-01-01", "date_range"), ("2026-3-20", "invalid_date")],
)
def test_a_repayment_date_before_the_overpayment_or_in_the_future_is_refused(county, on, code):
    op = Overpayment.objects.get(reason="迟报收入")  # raised on 15 March
    with pytest.raises(ApplicationError) as info:
        actions.repayment_record(actor=county["finance"]["f2"], overpayment=op, amount=D("1.00"), on=on)
    assert (info.value.field, info.value.code) == ("on", code)
    assert "退回日期" in info.value.zh
    assert op.recoveries.count() == 1


def test_offsets_and_their_reversals_count_in_the_payment_month(county, settings, tmp_path):
    user, finance = county["people"]["approver"], county["finance"]
    e = county["enrolments"]["h1"]
    # April's payroll offsets 30% of H1's 300.00, up to the 70.00 still owed
    p = approve(finance, "dibao", APR)
    line = PayrollLine.objects.get(payroll=p, enrolment=e)
    assert line.offset_amount == D("70.00")
    offset = Recovery.objects.get(kind="offset", line=line)
    assert offset.recovered_on == APR
    assert zh(user, APR)["ZH0102000000"] == (D("70.00"), D("120.00"))
    assert zh(user, MAR)["ZH0102000000"] == (D("50.00"), D("50.00"))  # March keeps its figure
    # the bank returns the line: the offset is given back in the same payment month, which then recovered nothing
    actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    actions.bank_return_import(
        actor=finance["f2"], payroll=p, filename="r.csv", content=f"ref,status\n{line.pk},failed\n".encode()
    )
    reversal = Recovery.objects.get(kind="reversal", line=line)
    assert (reversal.amount, reversal.recovered_on) == (D("-70.00"), APR)
    assert zh(user, APR)["ZH0102000000"] == (D("0.00"), D("50.00"))
