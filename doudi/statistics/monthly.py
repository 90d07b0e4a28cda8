"""The monthly statistical report (.xlsx) in the layout of the civil affairs monthly form: one sheet for the county
(or the account's area) and one per township, each row an indicator with its unit, code, value, previous period and
change; then the month's published recipient lists, masked as the rules say (surname and last character of the
name, household size and amount; never an ID number) [D21 §23]."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from doudi.areas.models import Area
from doudi.cases.pdf import mask_name
from doudi.core.cells import xlsx_row
from doudi.core.xlsx_stream import append_rows

from .catalogue import Context
from .selectors import figures_of_areas, snapshot_figures

HEADER = ["指标名称", "计量单位", "代码", "本期", "上期", "增减"]
LIST_HEADER = ["序号", "乡镇（街道）", "村（社区）", "户主/对象", "保障人数", "月保障金额（元）"]


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(c for c in name if c not in "[]:*?/\\")[:28] or "区划"
    out, n = base, 2
    while out in used:
        out, n = f"{base}{n}", n + 1
    used.add(out)
    return out


def _figures_sheet(wb, title: str, items: list, month: dt.date, used: set[str]) -> None:
    ws = wb.create_sheet(_sheet_name(title, used))
    ws.append([f"{title} 社会救助统计月报 {month:%Y年%m月}"])
    ws.append(HEADER)
    for f in items:
        code = f.indicator.code
        ws.append(xlsx_row(ws, [f.indicator.name_zh, f.indicator.unit_zh, code, f.value, f.previous, f.change]))


def _recipients_sheet(wb, title: str, month: dt.date, used: set[str]) -> str:
    """The list's sheet with its title and header; its rows are streamed in after (``_recipients``)."""
    ws = wb.create_sheet(_sheet_name(title, used))
    ws.append([f"{title} {month:%Y年%m月}（姓名已隐去部分字，不含身份证号）"])
    ws.append(LIST_HEADER)
    return ws.title


def _recipients(ctx: Context, month: dt.date, programme: str, names: dict[str, str]):
    """The published list's rows: only the five columns it prints (a million lines: no household or person
    objects, no encrypted fields), numbered, masked, in area order."""
    lines = (
        ctx.roll(month, programme)
        .order_by("area_code", "household_id")
        .values_list("area_code", "enrolment__person__name", "household__head_name", "members", "current_amount")
        .iterator(chunk_size=5000)
    )
    for i, (area_code, person_name, head_name, members, amount) in enumerate(lines, start=1):
        township = area_code[:9] + "000"
        yield (
            i,
            names.get(township, township),
            names.get(area_code, area_code),
            mask_name(person_name or head_name or ""),
            members,
            amount,
        )


def monthly_report(month: dt.date, *, user=None, prefix: str | None = None) -> bytes:
    """The report for ``month``: the area's sheet, a sheet for each township under it, the published lists. The
    figures of every sheet come from the snapshots when they are up to date (``selectors.snapshot_figures``), else
    are computed together, set-based (``selectors.figures_of_areas``)."""
    ctx = Context(user, prefix)
    wb = Workbook(write_only=True)
    used: set[str] = set()
    top = Area.objects.filter(prefix=ctx.prefix).order_by("code").first() if ctx.prefix else None
    townships = (
        list(Area.objects.filter(level="township", code__startswith=ctx.prefix).order_by("code"))
        if len(ctx.prefix) < 9
        else []
    )
    prefixes = [ctx.prefix, *(t.prefix for t in townships)]
    # the background refresh's figures when nothing behind them changed since; else computed now, set-based
    stored = snapshot_figures(prefixes, month)
    figures = stored[0] if stored else figures_of_areas(ctx, prefixes, month)
    _figures_sheet(wb, top.name if top else "全部", figures[ctx.prefix], month, used)
    for township in townships:
        _figures_sheet(wb, township.name, figures[township.prefix], month, used)
    lists = {
        _recipients_sheet(wb, title, month, used): programme
        for title, programme in (("低保对象公示名单", "dibao"), ("特困供养对象公示名单", "tekun"))
    }
    out = io.BytesIO()
    wb.save(out)
    names = dict(Area.objects.filter(code__startswith=ctx.prefix).values_list("code", "name"))
    return append_rows(
        out.getvalue(), {sheet: _recipients(ctx, month, programme, names) for sheet, programme in lists.items()}
    )
