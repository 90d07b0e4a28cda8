"""/api/v1/indicators (JSON or CSV) and the year's targets, for the city and the province to collect."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema

from doudi.api.types import MONTH_PATTERN, AreaCode, Key
from doudi.core.validation import month_clean

from . import actions, selectors

router = Router(tags=["statistics"])

INDICATOR_CODE_PATTERN = r"^[A-Z]{2}[0-9]{10}$"  # the catalogue's codes (doudi/statistics/catalogue.py)
CSV_COLUMNS = ["code", "name", "name_en", "unit", "value", "previous", "change", "year_to_date", "target", "completion"]


@router.get("/indicators", response=dict)
def indicators(
    request,
    month: Annotated[str, Field(pattern=MONTH_PATTERN, description="YYYY-MM")],
    area: AreaCode | None = None,
    format: Literal["json", "csv"] = "json",
):
    """Every indicator of the catalogue for the month: an object keyed by indicator code, each with name, unit,
    value, previous, change, year_to_date (flows and rates) and target and completion (where a target is set).
    Counts are integers, amounts and rates exact decimal strings."""
    m = month_clean(month, field="month", zh_label="统计月份", en_label="Month")
    data = selectors.figures_json(selectors.figures(request.user, m, area=area or None))
    if format == "csv":
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(CSV_COLUMNS)
        for code, row in data.items():
            w.writerow([code] + ["" if row.get(c) is None else row.get(c) for c in CSV_COLUMNS[1:]])
        response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="indicators-{month}.csv"'
        return response
    return data


class TargetIn(Schema):
    year: Annotated[int, Field(ge=1900, le=2099, description="the year the target is for")]
    code: Annotated[str, Field(pattern=INDICATOR_CODE_PATTERN, description="indicator code, e.g. DB0302100000")]
    area: AreaCode
    value: Annotated[str, Field(max_length=20, description="two decimals at most")]
    note: Annotated[str, Field(max_length=200)] = ""


class TargetOut(Schema):
    id: int
    year: int
    code: str
    area: str
    value: str
    status: str


def _out(t) -> dict:
    return {
        "id": t.pk,
        "year": t.year,
        "code": t.code,
        "area": t.area_id,
        "value": f"{t.value:.2f}",
        "status": t.status,
    }


@router.get("/targets", response=list[TargetOut])
def targets(request):
    return [_out(t) for t in selectors.targets_visible(request.user)[:500]]


@router.post("/targets", response={201: TargetOut})
def target_enter(request, payload: TargetIn):
    t = actions.target_enter(
        actor=request.user,
        year=payload.year,
        code=payload.code,
        area_code=payload.area,
        value=payload.value,
        note=payload.note,
    )
    return 201, _out(t)


@router.post("/targets/{target_id}/approve", response=TargetOut)
def target_approve(request, target_id: Key):
    return _out(actions.target_approve(actor=request.user, target_id=target_id))
