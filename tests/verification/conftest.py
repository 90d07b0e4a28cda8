import datetime as dt

import pytest

from doudi.accounts.actions import staff_create

from ..cases.conftest import apply, people, poor_household, walk  # noqa: F401
from ..conftest import PASSWORD


@pytest.fixture(autouse=True)
def _today_stays(request, monkeypatch):
    """A module that reads today once (``TODAY = timezone.localdate()``) and compares it with what the code records
    keeps that day while its tests run: a run crossing midnight in Beijing (16:00 UTC) would otherwise record the
    next day and fail."""
    today = getattr(request.module, "TODAY", None)
    if not isinstance(today, dt.date):
        return
    from django.utils import timezone

    original = timezone.localdate

    def localdate(value=None, timezone=None):
        return today if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


AS_OF = dt.date(2026, 3, 31)


@pytest.fixture
def centre(people):
    """The county's verification centre (a county reviewer) and a township reviewer of B."""
    return {
        **people,
        "centre": people["county_reviewer"],
        "reviewer_b": staff_create(
            actor=None,
            username="crev_b",
            password=PASSWORD,
            role="county_reviewer",
            area_code="511425102000",
            check_password=False,
        ),
    }


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    from doudi.verification.generator import file_bytes

    return file_bytes(header, rows, "csv")
