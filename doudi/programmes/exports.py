"""A run's list of households as .xlsx: every cell through core.cells.xlsx_row (text never runs as a formula),
amounts as numbers with two decimals (Excel sums them), a totals row at the end."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from doudi.areas.models import Area
from doudi.core.cells import xlsx_row
from doudi.core.money import ZERO

from .models import ChangeKind, EvaluationRun
from .selectors import with_households

ORDER_KEYS = {
    "-difference": ["-difference", "-household_id"],
    "difference": ["difference", "household_id"],
    "area": ["area_code", "household_id"],
}


def amount_labels(run: EvaluationRun) -> tuple[str, str]:
    """What the two amounts of a run's list are: under the approved and the draft standard (a simulation), in
    the previous and this run, or only this run's."""
    if run.draft_id:
        return _("现行标准月金额（元）"), _("草稿标准月金额（元）")
    if run.base_id:
        return _("上次测算月金额（元）"), _("本次测算月金额（元）")
    return _("对比月金额（元）"), _("测算月金额（元）")


def _money(ws, value: Decimal) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "0.00"
    return cell


def run_changes_xlsx(run: EvaluationRun, qs, *, order: str = "-difference") -> tuple[bytes, int]:
    """The households of ``qs`` (already scoped and filtered) in ``order``; headers in the active language."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("测算名单"))
    ws.append(
        [
            _("乡镇/街道"),
            _("村/社区"),
            _("户主"),
            _("家庭编号"),
            _("保障人数"),
            _("人均收入（元）"),
            _("变化"),
            *amount_labels(run),
            _("差额（元）"),
        ]
    )
    names = dict(Area.objects.filter(code__startswith=run.area_prefix).values_list("code", "name"))
    kinds = {k: str(label) for k, label in ChangeKind.choices}
    count, before, after = 0, ZERO, ZERO
    for c in with_households(qs.order_by(*ORDER_KEYS[order]).iterator(chunk_size=2000)):
        ws.append(
            xlsx_row(
                ws,
                [
                    names.get(c.township_code, c.township_code),
                    names.get(c.area_code, c.area_code),
                    c.head_name,
                    c.household_id,
                    c.counted_members,
                    _money(ws, c.per_capita_income),
                    kinds.get(c.kind, c.kind),
                    _money(ws, c.before_amount),
                    _money(ws, c.after_amount),
                    _money(ws, c.difference),
                ],
            )
        )
        count += 1
        before += c.before_amount
        after += c.after_amount
    ws.append(
        xlsx_row(
            ws,
            [
                _("合计"),
                "",
                "",
                count,
                None,
                None,
                "",
                _money(ws, before),
                _money(ws, after),
                _money(ws, after - before),
            ],
        )
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), count
