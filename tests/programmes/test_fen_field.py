"""FenField: Decimal yuan in Python, integer fen in the database, never rounded on the way."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from doudi.core.fields import FenField


def test_conversions_are_exact_and_refuse_what_is_not_money():
    f = FenField()
    assert f.get_prep_value(Decimal("123.45")) == 12345 and f.get_prep_value("0.10") == 10
    assert f.get_prep_value(Decimal("-0.05")) == -5 and f.get_prep_value(7) == 700
    assert f.from_db_value(12345, None, connection) == Decimal("123.45")
    assert str(f.from_db_value(0, None, connection)) == "0.00"
    with pytest.raises(ValueError, match="more than two decimals"):
        f.get_prep_value(Decimal("1.234"))
    with pytest.raises(TypeError):
        f.get_prep_value(1.5)


@pytest.mark.django_db
def test_results_store_fen_and_read_back_decimal(pack, register):
    from doudi.programmes.models import EvaluationResult, EvaluationRun

    h = register()
    run = EvaluationRun.objects.create(programme_id="dibao", on=dt.date(2016, 6, 1), area_prefix="511425")
    EvaluationResult.objects.create(
        run=run,
        household=h,
        township_code="511425101000",
        eligible=True,
        monthly_amount=Decimal("592.00"),
        per_capita_income=Decimal("334.67"),
        counted_members=6,
    )
    with connection.cursor() as c:
        c.execute(
            "SELECT monthly_amount, per_capita_income FROM programmes_evaluationresult WHERE run_id = %s", [run.pk]
        )
        assert tuple(int(v) for v in c.fetchone()) == (59200, 33467)
    r = EvaluationResult.objects.get(run=run)
    assert (r.monthly_amount, r.per_capita_income) == (Decimal("592.00"), Decimal("334.67"))
    assert isinstance(r.monthly_amount, Decimal)
    assert EvaluationResult.objects.filter(per_capita_income__gt=Decimal("334.66")).count() == 1
    assert EvaluationResult.objects.filter(per_capita_income__gt=Decimal("334.67")).count() == 0
    assert EvaluationResult.objects.aggregate(t=Sum("monthly_amount"))["t"] == Decimal("592.00")
