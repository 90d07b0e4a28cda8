"""The annual statement of medical assistance per person (每人年度医疗救助明细) as a printable PDF in the embedded
CJK font (doudi/cases/pdf.py), and a township's year as an .xlsx workbook. The paper is in Chinese whatever the
reader's interface language; it names the person in full (the views log each print as an access)."""

from __future__ import annotations

import io

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from doudi.cases.pdf import BODY, CELL, FONT, SIGN, SMALL, TITLE, day_text, font_glyphs, issuer, para, printable
from doudi.core.idnumber import id_mask
from doudi.core.money import fmt

from .models import Group
from .selectors import Statement

COLUMNS = (
    "结算单号",
    "医疗机构",
    "入院日期",
    "出院日期",
    "医疗总费用",
    "医保报销",
    "政策范围内自付",
    "扣除起付线",
    "救助金额",
    "年度限额剩余",
)


def _group_text(code: str) -> str:
    return str(Group(code).label) if code in Group.values else code


def _claim_row(c) -> list[str]:
    return [
        c.number,
        c.hospital,
        f"{c.admitted_on:%Y-%m-%d}",
        f"{c.discharged_on:%Y-%m-%d}",
        fmt(c.total_cost),
        fmt(c.insurance_paid),
        fmt(c.in_scope_oop),
        fmt(c.deductible_applied),
        fmt(c.amount),
        fmt(c.cap_left),
    ]


def statement_pdf(st: Statement) -> bytes:
    with translation.override("zh-hans"):
        return _pdf(st)


def _cell(text: str):
    return para("{text}", CELL, text=text)


def _pdf(st: Statement) -> bytes:
    font_glyphs()
    area = st.household.area_id if st.household else st.claims[0].area_code if st.claims else "511425000000"
    office = issuer(area)
    person = st.person
    flow = [
        para(
            "姓名：{name}　公民身份号码：{id}　住址：{address}",
            BODY,
            name=person.name,
            id=id_mask(person.id_number),
            address=st.household.area.full_name if st.household else "",
        ),
        para("年度：{year}年　出具日期：{day}", BODY, year=st.year, day=day_text(timezone.localdate())),
        Spacer(1, 4 * mm),
    ]
    rows = [[_cell(h) for h in COLUMNS]]
    rows += [[_cell(v) for v in _claim_row(c)] for c in st.claims]
    rows.append(
        [_cell("合计"), _cell(f"{len(st.claims)}次住院"), _cell(""), _cell("")]
        + [_cell(fmt(v)) for v in (st.total_cost, st.insurance_paid, st.in_scope_oop, st.deductible, st.assisted)]
        + [_cell("")]
    )
    widths = [35 * mm, 40 * mm, 23 * mm, 23 * mm, 23 * mm, 22 * mm, 25 * mm, 21 * mm, 22 * mm, 24 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("BACKGROUND", (0, -1), (-1, -1), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    flow.append(table if st.claims else para("本年度没有住院结算记录。", BODY))
    flow.append(Spacer(1, 4 * mm))
    if st.premium:
        flow.append(
            para(
                "参加{year}年城乡居民基本医疗保险个人缴费资助：{group}，资助 {amount} 元。",
                BODY,
                year=st.year,
                group=_group_text(st.premium.group),
                amount=fmt(st.premium.amount),
            )
        )
    else:
        flow.append(para("本年度没有参保缴费资助。", BODY))
    flow.append(
        para(
            "本年度医疗救助合计 {assisted} 元，参保资助 {premium} 元，共计 {total} 元。",
            BODY,
            assisted=fmt(st.assisted),
            premium=fmt(st.premium.amount if st.premium else 0),
            total=fmt(st.total_paid),
        )
    )
    flow.append(
        para(
            "说明：救助金额 = min(年度限额 − 本年已救助, (政策范围内自付 − 本次扣除起付线) × 救助比例)，"
            "起付线每人每年计一次，已用部分不再扣除；救助款已通过社会保障卡（银行账户）发放。",
            SMALL,
        )
    )
    flow.append(Spacer(1, 8 * mm))
    seal = Table(
        [
            [para("（盖章）", SMALL)],
            [para("{who}", SIGN, who=office)],
            [para("{day}", SIGN, day=day_text(timezone.localdate()))],
        ],
        colWidths=[70 * mm],
        rowHeights=[14 * mm, None, None],
        hAlign="RIGHT",
    )
    seal.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.grey, None, (2, 2))]))
    flow.append(seal)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=printable(f"{st.year}年度医疗救助明细"),
        author="兜底 Doudi",
        initialFontName=FONT,
    )
    doc.build([para("{office}{year}年度医疗救助明细", TITLE, office=office, year=st.year), *flow])
    return out.getvalue()


def year_xlsx(settlements, premiums, *, year: int, area_name: str) -> bytes:
    """A township's (or the county's) year: one sheet of claims, one of premium subsidies."""
    wb = Workbook()
    ws = wb.active
    ws.title = "医疗救助结算"
    ws.append([f"{area_name} {year}年度医疗救助明细"])
    ws["A1"].font = Font(bold=True)
    ws.append(["姓名", "公民身份号码", "所在区划", "救助对象类别", *COLUMNS, "重特大疾病"])
    for c in settlements:
        ws.append(
            [
                c.person.name,
                c.person.id_number,
                c.area_code,
                _group_text(c.group),
                *_claim_row(c),
                "是" if c.serious_disease else "否",
            ]
        )
    ps = wb.create_sheet("参保资助")
    ps.append(["姓名", "公民身份号码", "所在区划", "资助类别", "资助金额"])
    for p in premiums:
        ps.append([p.person.name, p.person.id_number, p.area_code, _group_text(p.group), fmt(p.amount)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
