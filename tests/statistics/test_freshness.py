"""A snapshot is read only while nothing behind its figures changed since it was computed: a bank return or an
overpayment recorded afterwards sends the dashboard, the figures page and the monthly report back to the data — for
the month the change is dated in and the months after, not the months before (unless it rewrites them too)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from doudi.benefits.models import Transfer, TransferState
from doudi.cases.models import CaseEvent, ChangeKind, EnrolmentChange, Overpayment
from doudi.payments import actions
from doudi.payments.models import PayrollLine
from doudi.statistics import monthly, selectors
from doudi.statistics.dashboard import months_of, stale
from doudi.statistics.tasks import snapshots_refresh

from .conftest import FEB, JAN, MAR

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


def in_use(month) -> bool:
    """Whether the county's and a township's figures of ``month`` are read from their snapshots."""
    return selectors.snapshot_figures(["511425", "511425101"], month) is not None


def test_a_change_dated_this_month_leaves_the_months_before_in_use(refreshed):
    assert in_use(JAN) and in_use(FEB) and in_use(MAR)
    Overpayment.objects.create(
        enrolment=refreshed["enrolments"]["h2"],
        amount=Decimal("80.00"),
        reason="迟报收入",
        raised_on=dt.date(2026, 3, 20),
        created_by=refreshed["people"]["caseworker_a"],
    )
    assert in_use(JAN) and in_use(FEB)
    assert not in_use(MAR)  # March's overpayments, and its year to date


def test_a_termination_dated_back_sends_its_month_back_to_the_data(refreshed):
    EnrolmentChange.objects.create(
        enrolment=refreshed["enrolments"]["h2"],
        kind=ChangeKind.TERMINATE,
        from_month=FEB,
        old_amount=Decimal("200.00"),
        new_amount=Decimal("0.00"),
        reason="迁出本县",
    )
    assert in_use(JAN)
    assert not in_use(FEB) and not in_use(MAR)


def test_an_amount_change_recounts_from_the_enrolments_first_month(refreshed):
    # h3 has been paid from March: a change from April may change the people it counts, which March's
    # "people added" reads; January and February know nothing of it
    EnrolmentChange.objects.create(
        enrolment=refreshed["enrolments"]["h3"],
        kind=ChangeKind.INCREASE,
        from_month=dt.date(2026, 4, 1),
        old_amount=Decimal("150.00"),
        new_amount=Decimal("250.00"),
        reason="家庭成员增加",
    )
    assert in_use(JAN) and in_use(FEB)
    assert not in_use(MAR)


def test_a_case_event_counts_from_the_month_the_case_was_accepted(refreshed):
    # c4, accepted on 10 February: a move today may take it out of the months it was open
    c4 = refreshed["cases"]["c4"]
    CaseEvent.objects.create(
        case=c4,
        on=dt.date(2026, 4, 15),
        actor=refreshed["people"]["caseworker_a"],
        move="withdraw",
        from_state="accepted",
        to_state="withdrawn",
    )
    assert in_use(JAN)
    assert not in_use(FEB) and not in_use(MAR)


def test_an_accepted_transfer_sends_every_month_back(refreshed):
    # the household's enrolments and cases now count in the other township in every month
    h1 = refreshed["enrolments"]["h1"].household
    Transfer.objects.create(
        household=h1,
        from_area_id="511425101201",
        to_area_id="511425102201",
        moved_on=dt.date(2026, 4, 10),
        reason="投靠子女",
        state=TransferState.PENDING,
        requested_by=refreshed["people"]["caseworker_a"],
    )
    assert in_use(JAN)  # a request not yet accepted moves nothing
    Transfer.objects.filter(household=h1).update(state=TransferState.ACCEPTED, decided_at=timezone.now())
    assert not in_use(JAN) and not in_use(FEB) and not in_use(MAR)


def test_the_dashboard_goes_stale_only_for_the_months_whose_money_changed(refreshed):
    finance = refreshed["finance"]
    p = refreshed["payrolls"][("dibao", MAR)]
    actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
    line = PayrollLine.objects.get(payroll=p, enrolment=refreshed["enrolments"]["h1"])
    actions.bank_return_import(
        actor=finance["f2"], payroll=p, filename="r.csv", content=f"ref,status\n{line.pk},failed\n".encode()
    )
    assert stale("511425", [JAN, FEB, MAR])
    assert not stale("511425", [JAN, FEB])  # March's money came back; January's and February's did not move
