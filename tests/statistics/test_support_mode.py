"""The tekun support mode by month: each payroll line records the mode it was paid under, so a person who moves
from scattered to centralised support mid-year leaves the past months' figures (and the centralised support rate)
as they were; the migration fills the lines generated before it from the enrolment's mode."""

import datetime as dt
import importlib

import pytest
from django.db import connection

from doudi.cases.models import Enrolment
from doudi.payments.models import PayrollLine
from doudi.statistics.catalogue import CATALOGUE, Context
from doudi.statistics.dashboard import snapshots_compute
from doudi.statistics.grouped import figures_by_area
from doudi.statistics.selectors import drill_list, figure

from .conftest import FEB, MAR, approve

pytestmark = pytest.mark.django_db
APR = dt.date(2026, 4, 1)


def _mode_figures(month, prefix="511425"):
    ctx = Context(None, prefix)
    return tuple(figure(ctx, CATALOGUE[c], month).value for c in ("TK0104100000", "TK0104200000", "TK0105000000"))


def test_a_move_to_centralised_support_leaves_past_months_as_they_were(county):
    t2 = county["enrolments"]["t2"]  # 冯六, 瑞峰镇, scattered since January
    march = _mode_figures(MAR)
    assert march == (1, 1, 50)  # T1 centralised, T2 at home
    # April: T2 moves into the care home (the review records the new mode on the enrolment)
    Enrolment.objects.filter(pk=t2.pk).update(support_mode="centralised", institution="县福利院")
    approve(county["finance"], "tekun", APR)
    assert PayrollLine.objects.get(enrolment=t2, payroll__month=MAR).support_mode == "scattered"
    assert PayrollLine.objects.get(enrolment=t2, payroll__month=APR).support_mode == "centralised"
    # the past months keep their figures; April has both in an institution
    assert _mode_figures(MAR) == march
    assert _mode_figures(FEB) == (1, 1, 50)
    assert _mode_figures(APR) == (0, 2, 100)
    assert _mode_figures(MAR, "511425102") == (1, 0, 0)  # 瑞峰镇 in March: T2 at home
    assert _mode_figures(APR, "511425102") == (0, 1, 100)
    # the same through the set-based figures, the dashboard's snapshots and the lists behind the figures
    got = figures_by_area(Context(None, "511425"), ["511425", "511425102"], MAR)
    assert got["511425"]["TK0105000000"][:2] == (50, 50) and got["511425102"]["TK0104100000"][0] == 1
    got = figures_by_area(Context(None, "511425"), ["511425"], APR)
    assert got["511425"]["TK0105000000"][:2] == (100, 50)
    snaps = snapshots_compute(["511425"], [MAR, APR])
    assert snaps[("511425", MAR)]["TK0105000000"]["value"] == "50.0"
    assert snaps[("511425", APR)]["TK0105000000"]["value"] == "100.0"
    reviewer = county["people"]["county_reviewer"]
    assert [line.enrolment_id for line in drill_list(reviewer, "TK0104100000", MAR)] == [t2.pk]
    assert list(drill_list(reviewer, "TK0104100000", APR)) == []


def test_the_migration_fills_existing_lines_from_the_enrolment(county):
    fill = importlib.import_module("doudi.payments.migrations.0007_statsc_line_support_mode").FILL
    PayrollLine.objects.update(support_mode="")  # as the lines were before the column existed
    with connection.cursor() as c:
        c.execute(fill)
    t1, t2, h1 = (county["enrolments"][k] for k in ("t1", "t2", "h1"))
    assert set(PayrollLine.objects.filter(enrolment=t1).values_list("support_mode", flat=True)) == {"centralised"}
    assert set(PayrollLine.objects.filter(enrolment=t2).values_list("support_mode", flat=True)) == {"scattered"}
    assert set(PayrollLine.objects.filter(enrolment=h1).values_list("support_mode", flat=True)) == {""}  # dibao
    assert _mode_figures(MAR) == (1, 1, 50)
