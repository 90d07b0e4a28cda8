"""Printable PDFs with Chinese text (reportlab's built-in STSong-Light CID font: nothing to download or embed).
Names on the public notice are partly masked; no PDF ever carries a full ID number."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from doudi.core.idnumber import id_mask

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=8)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=13, textColor=colors.grey)


def mask_name(name: str) -> str:
    """张大山 → 张*山, 李四 → 李*: the surname and (for 3+ characters) the last character stay."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _table(rows, widths=None):
    t = Table(rows, colWidths=widths)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


def _render(title: str, flow: list) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        author="兜底 Doudi",
    )
    doc.build([Paragraph(title, TITLE), *flow])
    return out.getvalue()


def _members(case):
    return [m for m in case.household.memberships.filter(end_date__isnull=True).select_related("person")]


def application_form(case) -> bytes:
    h = case.household
    rows = [["姓名", "与申请人关系", "身份证号", "出生日期"]]
    rows += [
        [m.person.name, m.get_relation_display(), id_mask(m.person.id_number), f"{m.person.birth_date:%Y-%m-%d}"]
        for m in _members(case)
    ]
    app = case.application
    return _render(
        f"{case.programme.name_zh}申请书",
        [
            Paragraph(f"申请人：{case.applicant.name}　　户籍地：{h.area.full_name}　　联系电话：{h.phone}", BODY),
            Paragraph(f"居住地址：{h.address}", BODY),
            Paragraph(f"受理日期：{app.received_on:%Y年%m月%d日}" if app else "", BODY),
            Spacer(1, 6),
            _table(rows, [35 * mm, 30 * mm, 55 * mm, 35 * mm]),
            Spacer(1, 8),
            Paragraph(f"申请事由：{app.note if app else ''}", BODY),
            Spacer(1, 16),
            Paragraph("本人承诺所提供的信息真实、完整，同意民政部门核对家庭经济状况。", BODY),
            Spacer(1, 24),
            Paragraph("申请人签字：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日", BODY),
        ],
    )


def survey_record(case) -> bytes:
    survey = case.surveys.order_by("-id").first()
    if survey is None:
        return _render("家庭经济状况调查表", [Paragraph("尚未入户调查。", BODY)])
    names = "、".join(s.full_name or s.username for s in survey.surveyors.all())
    return _render(
        "家庭经济状况入户调查记录",
        [
            Paragraph(
                f"案件编号：{case.pk}　　申请人：{case.applicant.name}　　入户日期：{survey.visit_date:%Y年%m月%d日}",
                BODY,
            ),
            Paragraph(f"调查人员：{names}", BODY),
            Spacer(1, 6),
            Paragraph("调查情况：", BODY),
            Paragraph(survey.findings.replace("\n", "<br/>"), BODY),
            Spacer(1, 24),
            Paragraph("申请人签字：＿＿＿＿＿＿　　调查人员签字：＿＿＿＿＿＿　＿＿＿＿＿＿", BODY),
        ],
    )


def public_notice(cases, *, area_name: str, start, end) -> bytes:
    """Village/community notice list: masked name, household size, amount — never an ID number."""
    rows = [["序号", "户主/申请人", "家庭人口", "保障类别", "拟保障金额（元/月）"]]
    for i, c in enumerate(cases, start=1):
        amount = c.decision_amount or (c.decision_explanation or {}).get("monthly_amount") or ""
        rows.append(
            [str(i), mask_name(c.applicant.name), str(c.household.member_count), c.programme.name_zh, str(amount)]
        )
    return _render(
        f"{area_name}社会救助对象公示",
        [
            Paragraph(f"公示时间：{start:%Y年%m月%d日}至{end:%Y年%m月%d日}（7天）", BODY),
            Spacer(1, 6),
            _table(rows, [15 * mm, 35 * mm, 25 * mm, 45 * mm, 45 * mm]),
            Spacer(1, 10),
            Paragraph("如有异议，请于公示期内向乡镇（街道）人民政府或拨打12349反映。", BODY),
        ],
    )


def termination_notice(enrolments, *, area_name: str, start, end) -> bytes:
    """Notice of the recipients whose support ends: masked name, programme, last month paid, reason."""
    rows = [["序号", "户主/对象", "保障类别", "最后发放月", "原因"]]
    for i, e in enumerate(enrolments, start=1):
        last = e.changes.filter(kind="terminate").order_by("-id").first()
        name = e.person.name if e.person_id else e.household.head_name
        rows.append(
            [
                str(i),
                mask_name(name),
                e.programme.name_zh,
                f"{e.end_month:%Y-%m}" if e.end_month else "",
                Paragraph(last.reason if last else "", SMALL),
            ]
        )
    return _render(
        f"{area_name}社会救助终止保障公示",
        [
            Paragraph(f"公示时间：{start:%Y年%m月%d日}至{end:%Y年%m月%d日}（7天）", BODY),
            Spacer(1, 6),
            _table(rows, [15 * mm, 30 * mm, 40 * mm, 25 * mm, 60 * mm]),
            Spacer(1, 10),
            Paragraph("如有异议，请于公示期内向乡镇（街道）人民政府或拨打12349反映。", BODY),
        ],
    )


def approval_notice(case) -> bytes:
    d = case.decision_explanation or {}
    steps = [Paragraph(f"{i}. {s['zh']}", SMALL) for i, s in enumerate(d.get("explanation", []), start=1)]
    return _render(
        f"{case.programme.name_zh}审批通知书",
        [
            Paragraph(f"{mask_name(case.applicant.name)}：", BODY),
            Paragraph(
                f"经审核，您家符合{case.programme.name_zh}条件，核定每月保障金{case.decision_amount}元，"
                f"自{case.payment_start:%Y年%m月}起通过社会救助资金专用账户按月发放。",
                BODY,
            ),
            Spacer(1, 6),
            Paragraph("核定依据：", BODY),
            *steps,
            Spacer(1, 16),
            Paragraph(f"县民政局　{case.decided_on:%Y年%m月%d日}", BODY),
        ],
    )


def refusal_notice(case) -> bytes:
    return _render(
        f"{case.programme.name_zh}不予批准通知书",
        [
            Paragraph(f"{mask_name(case.applicant.name)}：", BODY),
            Paragraph(f"经审核，您的{case.programme.name_zh}申请不予批准。理由：{case.refusal_reason}", BODY),
            Paragraph("如对本决定有异议，可自收到本通知之日起60日内申请行政复议，或6个月内提起行政诉讼。", BODY),
            Spacer(1, 16),
            Paragraph(f"县民政局　{case.decided_on:%Y年%m月%d日}", BODY),
        ],
    )
