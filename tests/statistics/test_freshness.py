"""A snapshot is read only while nothing behind its figures changed since it was computed: a bank return or an
overpayment recorded afterwards sends the dashboard, the figures page and the monthly report back to the data."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from doudi.cases.models import Overpayment
from doudi.payments import actions
from doudi.payments.models import PayrollLine
from doudi.statistics import monthly, selectors
from doudi.statistics.dashboard import months_of, stale
from doudi.statistics.tasks import snapshots_refresh

from .conftest import MAR

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 4, 15)


@pytest.fixture
def refreshed(county, monkeypatch):
    monkeypatch.setattr("doudi.statistics.tasks.timezone.localdate", lambda: TODAY)
    snapshots_refresh("511425", 2026)
    return county


def report_money(content: bytes) -> dict:
    sheet = load_workbook(io.BytesIO(content))["青神县"]
    return {r[2]: r[3] for r in sheet.iter_rows(min_row=3, values_only=True)}


def test_fresh_snapshots_give_the_report_its_figures(refreshed, monkeypatch):
    computed = monthly.monthly_report(MAR, prefix="511425")
    monkeypatch.setattr(monthly, "figures_of_areas", lambda *a, **k: pytest.fail("computed, not read"))
    assert report_money(monthly.monthly_report(MAR, prefix="511425")) == report_money(computed)
    assert selectors.snapshot_figures(["511425", "511425101"], MAR) is not None


def test_a_bank_return_after_the_refresh_makes_the_snapshots_stale(refreshed):
    assert not stale("511425", months_of(2026, TODAY))
    finance = refreshed["finance"]
    p = refreshed["payrolls"][("dibao", MAR)]
    actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    line = PayrollLine.objects.get(payroll=p, enrolment=refreshed["enrolments"]["h1"])
    actions.bank_return_import(
        actor=finance["f2"], payroll=p, filename="r.csv", content=f"ref,status\n{line.pk},failed\n".encode()
    )
    # the dashboard's money changed (H1's 300.00 came back): refreshed, not read
    assert stale("511425", months_of(2026, TODAY))
    assert selectors.snapshot_figures(["511425"], MAR) is None
    [paid] = selectors.figures(refreshed["people"]["approver"], MAR, codes=["DB0301000000"])
    assert paid.value == Decimal("550.00")  # 850.00 less H1's 300.00


def test_an_overpayment_recorded_after_the_refresh_is_in_the_report(refreshed):
    assert report_money(monthly.monthly_report(MAR, prefix="511425"))["ZH0101000000"] == 120
    Overpayment.objects.create(
        enrolment=refreshed["enrolments"]["h2"],
        amount=Decimal("80.00"),
        reason="迟报收入",
        raised_on=dt.date(2026, 3, 20),
        created_by=refreshed["people"]["caseworker_a"],
    )
    assert selectors.snapshot_figures(["511425"], MAR) is None
    assert report_money(monthly.monthly_report(MAR, prefix="511425"))["ZH0101000000"] == 200
