"""Printable PDFs with Chinese text (reportlab's built-in STSong-Light CID font: nothing to download or embed).
Names on the public notice are partly masked; no PDF ever carries a full ID number.

reportlab reads a Paragraph's text as markup, so every Paragraph is built by ``para``: the template is ours,
every piece of data placed in it is escaped and prints as the characters it holds (an address holding
``<img src=…/>`` never embeds a server file, a name holding ``<script>`` never fails the page). Table cells given
as strings become escaped Paragraphs too, so that a long name wraps inside its column."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

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
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=13)


def mask_name(name: str) -> str:
    """张大山 → 张*山, 李四 → 李*: the surname and (for 3+ characters) the last character stay."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


class _Escaped:
    """A value formatted into a ``para`` template: formatted with its own spec, then escaped."""

    def __init__(self, value):
        self.value = value

    def __format__(self, spec: str) -> str:
        return escape(format(self.value, spec)).replace("\n", "<br/>")


def para(template: str, style: ParagraphStyle, /, **data) -> Paragraph:
    """``para("申请人：{name}", BODY, name=person.name)``: the template is trusted markup; each value is data,
    formatted with the template's spec (``{day:%Y年%m月%d日}``), escaped, its line breaks kept."""
    return Paragraph(template.format(**{k: _Escaped(v) for k, v in data.items()}), style)


def _table(rows, widths=None):
    rows = [[para("{text}", CELL, text=v) if isinstance(v, str) else v for v in row] for row in rows]
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
    doc.build([para("{title}", TITLE, title=title), *flow])
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
            para(
                "申请人：{name}　　户籍地：{area}　　联系电话：{phone}",
                BODY,
                name=case.applicant.name,
                area=h.area.full_name,
                phone=h.phone,
            ),
            para("居住地址：{address}", BODY, address=h.address),
            para("受理日期：{day:%Y年%m月%d日}", BODY, day=app.received_on) if app else Paragraph("", BODY),
            Spacer(1, 6),
            _table(rows, [35 * mm, 30 * mm, 55 * mm, 35 * mm]),
            Spacer(1, 8),
            para("申请事由：{note}", BODY, note=app.note if app else ""),
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
            para(
                "案件编号：{pk}　　申请人：{name}　　入户日期：{day:%Y年%m月%d日}",
                BODY,
                pk=case.pk,
                name=case.applicant.name,
                day=survey.visit_date,
            ),
            para("调查人员：{names}", BODY, names=names),
            Spacer(1, 6),
            Paragraph("调查情况：", BODY),
            para("{findings}", BODY, findings=survey.findings),
            Spacer(1, 24),
            Paragraph("申请人签字：＿＿＿＿＿＿　　调查人员签字：＿＿＿＿＿＿　＿＿＿＿＿＿", BODY),
        ],
    )


def public_notice(cases, *, area_name: str, start, end) -> bytes:
    """Village/community notice list: masked name, household size, amount — never an ID number."""
    rows = [["序号", "户主/申请人", "家庭人口", "保障类别", "拟保障金额（元/月）"]]
    for i, c in enumerate(cases, start=1):
        amount = c.notice_amount or ""  # the amount recorded when the notice started (blank if none was computed)
        rows.append(
            [str(i), mask_name(c.applicant.name), str(c.household.member_count), c.programme.name_zh, str(amount)]
        )
    return _render(
        f"{area_name}社会救助对象公示",
        [
            para("公示时间：{start:%Y年%m月%d日}至{end:%Y年%m月%d日}（7天）", BODY, start=start, end=end),
            Spacer(1, 6),
            _table(rows, [15 * mm, 35 * mm, 25 * mm, 45 * mm, 45 * mm]),
            Spacer(1, 10),
            Paragraph("如有异议，请于公示期内向乡镇（街道）人民政府或拨打12349反映。", BODY),
        ],
    )


def termination_notice(enrolments, *, area_name: str, start, end) -> bytes:
    """Notice of the recipients whose support ends: masked name, programme, last month paid, reason (each
    enrolment's ``termination_reason``, as selectors.terminations_in_notice reads it)."""
    rows = [["序号", "户主/对象", "保障类别", "最后发放月", "原因"]]
    for i, e in enumerate(enrolments, start=1):
        name = e.person.name if e.person_id else e.household.head_name
        rows.append(
            [
                str(i),
                mask_name(name),
                e.programme.name_zh,
                f"{e.end_month:%Y-%m}" if e.end_month else "",
                para("{reason}", SMALL, reason=e.termination_reason or ""),
            ]
        )
    return _render(
        f"{area_name}社会救助终止保障公示",
        [
            para("公示时间：{start:%Y年%m月%d日}至{end:%Y年%m月%d日}（7天）", BODY, start=start, end=end),
            Spacer(1, 6),
            _table(rows, [15 * mm, 30 * mm, 40 * mm, 25 * mm, 60 * mm]),
            Spacer(1, 10),
            Paragraph("如有异议，请于公示期内向乡镇（街道）人民政府或拨打12349反映。", BODY),
        ],
    )


def approval_notice(case) -> bytes:
    d = case.decision_explanation or {}
    steps = [para("{i}. {step}", SMALL, i=i, step=s["zh"]) for i, s in enumerate(d.get("explanation", []), start=1)]
    return _render(
        f"{case.programme.name_zh}审批通知书",
        [
            para("{name}：", BODY, name=mask_name(case.applicant.name)),
            para(
                "经审核，您家符合{programme}条件，核定每月保障金{amount}元，"
                "自{start:%Y年%m月}起通过社会救助资金专用账户按月发放。",
                BODY,
                programme=case.programme.name_zh,
                amount=case.decision_amount,
                start=case.payment_start,
            ),
            Spacer(1, 6),
            Paragraph("核定依据：", BODY),
            *steps,
            Spacer(1, 16),
            para("县民政局　{day:%Y年%m月%d日}", BODY, day=case.decided_on),
        ],
    )


def refusal_notice(case) -> bytes:
    return _render(
        f"{case.programme.name_zh}不予批准通知书",
        [
            para("{name}：", BODY, name=mask_name(case.applicant.name)),
            para(
                "经审核，您的{programme}申请不予批准。理由：{reason}",
                BODY,
                programme=case.programme.name_zh,
                reason=case.refusal_reason,
            ),
            Paragraph("如对本决定有异议，可自收到本通知之日起60日内申请行政复议，或6个月内提起行政诉讼。", BODY),
            Spacer(1, 16),
            para("县民政局　{day:%Y年%m月%d日}", BODY, day=case.decided_on),
        ],
    )
