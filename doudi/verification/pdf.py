"""The printable verification report (核对报告) of a case, in the embedded CJK font (doudi/cases/pdf.py)."""

from __future__ import annotations

import io

from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from doudi.cases.models import Case
from doudi.cases.pdf import BODY, CELL, FONT, SMALL, TITLE, day_text, font_glyphs, issuer, para, printable, seal_box
from doudi.core.idnumber import id_mask
from doudi.core.labels import split_stored
from doudi.registry.models import Membership

from .models import Finding
from .schemas import KINDS

NUM = ParagraphStyle("num", parent=CELL, alignment=TA_RIGHT)
HEAD = ParagraphStyle("head", parent=CELL, wordWrap="CJK")


def _cell(value, style=CELL) -> object:
    return para("{text}", style, text="" if value is None else str(value))


def _num(value) -> object:
    return _cell(value, NUM)


def report_pdf(case: Case) -> bytes:
    """Per member, per source: what was found, the monthly income or asset beside what was declared, the
    discrepancy and whether the caseworker confirmed it; then the principles and the applicant's right to object.
    The paper is in Chinese whatever the reader's interface language."""
    with translation.override("zh-hans"):
        return _report(case)


def _report(case: Case) -> bytes:
    font_glyphs()
    findings = list(
        Finding.objects.filter(case=case).select_related("person", "record__load").prefetch_related("objections")
    )
    members = Membership.objects.filter(household=case.household, end_date__isnull=True).select_related("person")
    flow = [
        para("{issuer}", BODY, issuer=issuer(case.area_code)),
        para(
            "案件编号：{case}　户主：{head}　生成日期：{day}",
            BODY,
            case=case.pk,
            head=case.household.head_name,
            day=day_text(timezone.localdate()),
        ),
        para(
            "家庭成员：{members}",
            BODY,
            members="；".join(f"{m.person.name}（{id_mask(m.person.id_number)}）" for m in members),
        ),
        Spacer(1, 4 * mm),
    ]
    header = [
        "成员",
        "数据来源",
        "数据截止",
        "核对发现",
        "核对月收入",
        "申报月收入",
        "核对资产",
        "申报资产",
        "差异",
        "确认",
    ]
    rows = [[_cell(h, NUM if h.endswith(("收入", "资产")) else HEAD) for h in header]]
    for f in findings:
        state = f.get_state_display()
        if any(o.outcome == "" for o in f.objections.all()):
            state += f"（异议复查中，期限 {min(o.recheck_due for o in f.objections.all() if o.outcome == '')}）"
        rows.append(
            [
                _cell(f.person.name),
                _cell(f"{KINDS[f.kind].zh}（{f.record.load.get_department_display()}）"),
                _cell(f.record.load.as_of.isoformat()),
                _cell(split_stored(f.what)[0]),
                _num(f.found_monthly),
                _num(f.declared_monthly),
                _num(f.found_asset),
                _num(f.declared_asset),
                _cell(split_stored(f.discrepancy)[0] or "一致"),
                _cell(state),
            ]
        )
    if not findings:
        rows.append([_cell("未查询到该家庭成员的部门数据")] + [_cell("")] * (len(header) - 1))
    table = Table(
        rows,
        colWidths=[16 * mm, 36 * mm, 23 * mm, 52 * mm, 24 * mm, 24 * mm, 24 * mm, 24 * mm, 30 * mm, 18 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    flow += [
        table,
        Spacer(1, 4 * mm),
        para(
            "本报告依据申请家庭签字的授权，对其成员在有关部门的数据进行核对，只核对、不认定；核对结果告知申请人，"
            "申请人对核对结果有异议的，可提供证明材料申请复查，乡镇（街道）在规定的工作日内复查。",
            SMALL,
        ),
        Spacer(1, 6 * mm),
        para("核对经办人：＿＿＿＿＿＿　　复核人：＿＿＿＿＿＿　　申请人（签字确认已告知）：＿＿＿＿＿＿", BODY),
        Spacer(1, 4 * mm),
        KeepTogether([seal_box(issuer(case.area_code), timezone.localdate())]),
    ]
    out = io.BytesIO()
    title = "家庭经济状况核对报告"
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=printable(title),
        author="兜底 Doudi",
        initialFontName=FONT,
    )
    doc.build([para("{title}", TITLE, title=title), *flow])
    return out.getvalue()
