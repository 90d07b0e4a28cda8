"""Printable PDFs with Chinese text, in a CJK TrueType font embedded in every file (WenQuanYi Micro Hei, Apache
License 2.0, installed from PyPI by the ``paperang-p2-fonts-cjk`` package; reportlab embeds the subset of glyphs
each PDF uses), so a paper prints the same on any PC, with or without Chinese fonts installed.

Two kinds of paper:

- **personal notices** (approval, refusal, change of amount or status, termination, the one-time notice of
  missing materials), addressed in full to the person and issued in the name of the county's civil affairs bureau
  (the county's name read from its Area), with a place for the seal, the date and — on every decision — the
  statement of the right to administrative reconsideration or litigation. Printing one shows a person's data in
  full: the views log it as an access (doudi/audit);
- **public notice lists** (公示), where names are masked (``mask_name``) and no ID number is ever printed.

Characters the font lacks are never drawn as an empty box: ``printable`` replaces the few look-alikes the system
itself writes (U+2212 minus, U+2027 hyphenation point, …) with characters the font has, and any other missing
character with 〓 (the typesetter's mark for a missing character, 缺字符号), to be filled in by hand.

reportlab reads a Paragraph's text as markup, so every Paragraph is built by ``para``: the template is ours,
every piece of data placed in it is escaped and prints as the characters it holds (an address holding
``<img src=…/>`` never embeds a server file, a name holding ``<script>`` never fails the page). Table cells given
as strings become escaped Paragraphs too, so that a long name wraps inside its column."""

from __future__ import annotations

import datetime as dt
import functools
import io
from importlib import resources
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from doudi.areas.models import Area, AreaLevel
from doudi.core.idnumber import id_mask

from . import workflow as wf
from .models import ChangeKind

FONT = "WenQuanYiMicroHei"
FONT_FILE = resources.files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"


@functools.cache
def font_glyphs() -> frozenset[int]:
    """Register the font with reportlab (once, on the first paper: reading the 5 MB file takes most of a second,
    which no other command should pay) and return the code points it draws."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))  # face 0: the proportional face
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


MISSING = "〓"
# Look-alikes the font may lack, replaced by one it has (only used if the font lacks the original).
LOOK_ALIKES = {
    "\u2212": "-",  # minus sign
    "\u2027": "·",  # hyphenation point, sometimes typed in minority names
    "\u30fb": "·",  # katakana middle dot, ditto
    "\u2010": "-",
    "\u2011": "-",
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": "　",
}

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=8)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18)
TEXT = ParagraphStyle("text", parent=BODY, firstLineIndent=22, spaceAfter=4)
RIGHT = ParagraphStyle("right", parent=BODY, alignment=TA_RIGHT)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=13, textColor=colors.grey)
STEP = ParagraphStyle("step", fontName=FONT, fontSize=9.5, leading=14, leftIndent=22)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=13)
SEAL = ParagraphStyle("seal", fontName=FONT, fontSize=9, leading=12, alignment=TA_CENTER, textColor=colors.grey)
SIGN = ParagraphStyle("sign", fontName=FONT, fontSize=11, leading=18, alignment=TA_CENTER)


def printable(text: str) -> str:
    """``text`` with every character the embedded font draws: a look-alike for the few it lacks, 〓 for others
    (line breaks and tabs are kept: they are layout, never drawn)."""
    glyphs = font_glyphs()
    if all(ord(c) in glyphs or c in "\n\t" for c in text):
        return text
    out = []
    for c in text:
        if ord(c) in glyphs or c in "\n\t":
            out.append(c)
        elif (alike := LOOK_ALIKES.get(c)) is not None and all(ord(a) in glyphs for a in alike):
            out.append(alike)
        else:
            out.append(MISSING)
    return "".join(out)


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


def para(template: str, style: ParagraphStyle = BODY, /, **data) -> Paragraph:
    """``para("申请人：{name}", BODY, name=person.name)``: the template is trusted markup; each value is data,
    formatted with the template's spec (``{day:%Y年%m月%d日}``), escaped, its line breaks kept; every character
    drawn is one the embedded font has (``printable``)."""
    return Paragraph(printable(template.format(**{k: _Escaped(v) for k, v in data.items()})), style)


def _table(rows, widths=None):
    rows = [[para("{text}", CELL, text=v) if isinstance(v, str) else v for v in row] for row in rows]
    t = Table(rows, colWidths=widths, repeatRows=1)
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
    font_glyphs()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title=printable(title),
        author="兜底 Doudi",
        initialFontName=FONT,  # not reportlab's Helvetica: every font the file names is the embedded one
    )
    doc.build([para("{title}", TITLE, title=title), *flow])
    return out.getvalue()


def day_text(day: dt.date) -> str:
    """2026年5月2日: the date as official documents write it (GB/T 9704-2012 §7.3.5.1: Arabic numerals, no
    leading zero)."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月"


# ---- who issues a paper, and where an appeal goes ---------------------------------------------------------------


def county_of(area_code: str) -> Area:
    """The county (or district, or county-level city) an area code lies in, from the area tree."""
    county = Area.objects.filter(code=area_code[:6].ljust(12, "0"), level=AreaLevel.COUNTY).first()
    if county is None:
        raise Area.DoesNotExist(f"no county area for {area_code}")
    return county


def issuer(area_code: str) -> str:
    """The civil affairs bureau of the county that decides: 青神县民政局 (D21 §11: the county people's
    government's civil affairs department decides on dibao; the same for tekun)."""
    return f"{county_of(area_code).name}民政局"


def appeal_statement(area_code: str) -> str:
    """The statement of remedies every decision must carry: administrative reconsideration within sixty days of
    learning of the decision, before the people's government at the level of the department that decided
    (行政复议法 2023 §20 para. 1, §24 para. 1 item 1), or an action in the people's court within six months
    (行政诉讼法 §46 para. 1), the basic people's court where the bureau sits (§14, §18)."""
    county = county_of(area_code).name
    return (
        f"如不服本决定，可以自收到本通知书之日起六十日内向{county}人民政府申请行政复议，"
        f"或者自收到本通知书之日起六个月内向{county}人民法院提起行政诉讼。"
    )


def township_office(area_code: str) -> str:
    """The township government or street office that receives applications (青神县汉阳镇人民政府)."""
    township = Area.objects.filter(code=area_code[:9].ljust(12, "0"), level=AreaLevel.TOWNSHIP).first()
    if township is None:
        return f"{county_of(area_code).name}乡镇人民政府（街道办事处）"
    office = "办事处" if township.name.endswith("街道") else "人民政府"
    return f"{township.full_name}{office}"


def seal_box(issued_by: str, day: dt.date) -> Table:
    """The issuer and the date at the right, in a dashed box the seal is pressed over (盖章处)."""
    box = Table(
        [[para("（盖章）", SEAL)], [para("{who}", SIGN, who=issued_by)], [para("{day}", SIGN, day=day_text(day))]],
        colWidths=[62 * mm],
        rowHeights=[14 * mm, None, None],
    )
    box.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 11),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.grey, None, (2, 2)),
                ("VALIGN", (0, 0), (-1, 0), "TOP"),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    outer = Table([["", box]], colWidths=[None, 64 * mm])
    outer.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 11),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return outer


def _personal(
    title: str,
    *,
    addressee: str,
    ref: str,
    body: list,
    area_code: str,
    day: dt.date,
    issued_by: str | None = None,
    appeal: bool = True,
) -> bytes:
    """A personal notice: reference, the addressee's full name, the body, the appeal statement on a decision, and
    the issuer with the date over the place for the seal; a line for the receipt at the foot."""
    flow = [
        para("{ref}", RIGHT, ref=ref),
        Spacer(1, 4),
        para("{name}：", BODY, name=addressee),
        *body,
    ]
    if appeal:
        flow.append(para("{text}", TEXT, text=appeal_statement(area_code)))
    flow += [
        Spacer(1, 14),
        KeepTogether([seal_box(issued_by or issuer(area_code), day)]),
        Spacer(1, 18),
        para("本通知书一式两份，一份送达当事人，一份存档。", SMALL),
        para("签收人：＿＿＿＿＿＿＿＿　　签收日期：＿＿＿＿年＿＿月＿＿日", BODY),
    ]
    return _render(title, flow)


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
            para("受理日期：{day:%Y年%m月%d日}", BODY, day=app.received_on) if app else para("", BODY),
            Spacer(1, 6),
            _table(rows, [35 * mm, 30 * mm, 55 * mm, 40 * mm]),
            Spacer(1, 8),
            para("申请事由：{note}", BODY, note=app.note if app else ""),
            Spacer(1, 16),
            para("本人承诺所提供的信息真实、完整，同意民政部门核对家庭经济状况。", BODY),
            Spacer(1, 24),
            para("申请人签字：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日", BODY),
        ],
    )


def survey_record(case) -> bytes:
    survey = case.surveys.order_by("-id").first()
    if survey is None:
        return _render("家庭经济状况调查表", [para("尚未入户调查。", BODY)])
    names = "、".join(
        s.full_name or s.username for s in survey.surveyors.order_by("pk")
    )  # as recorded, the same on any database
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
            para("调查情况：", BODY),
            para("{findings}", BODY, findings=survey.findings),
            Spacer(1, 24),
            para("申请人签字：＿＿＿＿＿＿　　调查人员签字：＿＿＿＿＿＿　＿＿＿＿＿＿", BODY),
        ],
    )


def public_notice(cases, *, area_name: str, start, end) -> bytes:
    """Village/community notice list: masked name, household size, amount — never an ID number [D21 §12]."""
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
            _table(rows, [15 * mm, 35 * mm, 20 * mm, 45 * mm, 45 * mm]),
            Spacer(1, 10),
            para("如有异议，请于公示期内向乡镇（街道）人民政府或拨打12349反映。", BODY),
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
            _table(rows, [15 * mm, 28 * mm, 37 * mm, 25 * mm, 55 * mm]),
            Spacer(1, 10),
            para("如有异议，请于公示期内向乡镇（街道）人民政府或拨打12349反映。", BODY),
        ],
    )


# ---- personal notices: full name, the county, the seal, the appeal statement, the date ---------------------------


def _what(case) -> str:
    """你（户）于2026年3月2日提出的最低生活保障申请 / 你（户）的最低生活保障复核."""
    programme = case.programme.name_zh
    app = case.application
    if case.kind == "review" or app is None:
        return f"你（户）的{programme}复核"
    return f"你（户）于{day_text(app.received_on)}提出的{programme}申请"


def approval_notice(case) -> bytes:
    """准予给予 notice [D21 §12, §13]: who, from which month, how much, why, and what the family must report."""
    d = case.decision_explanation or {}
    steps = [para("{i}. {step}", STEP, i=i, step=s["zh"]) for i, s in enumerate(d.get("explanation", []), start=1)]
    return _personal(
        f"{case.programme.name_zh}审批通知书",
        addressee=case.applicant.name,
        ref=f"案件编号：{case.pk}",
        area_code=case.area_code,
        day=case.decided_on,
        body=[
            para(
                "{what}，经调查核实、公示和审核，符合{programme}条件。决定自{start}起给予{programme}，"
                "核定每月保障金{amount}元，按月发放至你的社会救助资金专用账户。",
                TEXT,
                what=_what(case),
                programme=case.programme.name_zh,
                start=month_text(case.payment_start),
                amount=case.decision_amount,
            ),
            para(
                "家庭人口、收入、财产等状况发生变化的，请及时告知乡镇人民政府（街道办事处）；"
                "以虚报、隐瞒等手段骗取社会救助资金的，依法追回并承担相应责任。",
                TEXT,
            ),
            *([para("核定依据：", BODY), *steps, Spacer(1, 4)] if steps else []),
        ],
    )


def refusal_notice(case) -> bytes:
    """不予批准 notice, with the reasons in writing [D21 §12]."""
    return _personal(
        f"{case.programme.name_zh}不予批准通知书",
        addressee=case.applicant.name,
        ref=f"案件编号：{case.pk}",
        area_code=case.area_code,
        day=case.decided_on,
        body=[
            para(
                "{what}，经调查核实和审核，决定不予批准。理由：{reason}",
                TEXT,
                what=_what(case),
                reason=case.refusal_reason,
            ),
        ],
    )


# What each change of an enrolment tells the family: the title and the sentence (month, old and new amount).
CHANGE_PAPERS = {
    ChangeKind.INCREASE: (
        "保障金调整通知书",
        "自{month}起，你（户）的{programme}月发放金额由{old}元调整为{new}元。",
    ),
    ChangeKind.DECREASE: (
        "保障金调整通知书",
        "自{month}起，你（户）的{programme}月发放金额由{old}元调整为{new}元。",
    ),
    ChangeKind.SUSPEND: ("暂停发放通知书", "自{month}起，暂停发放你（户）的{programme}资金（原每月{old}元）。"),
    ChangeKind.RESUME: ("恢复发放通知书", "自{month}起，恢复发放你（户）的{programme}资金，每月{new}元。"),
    ChangeKind.GRADUAL_EXIT: (
        "渐退通知书",
        "你（户）家庭收入已超过{programme}标准。自{month}起进入渐退期，渐退期内每月发放{new}元，渐退期满后停止发放。",
    ),
    ChangeKind.TERMINATE: ("终止保障通知书", "自{month}起，停止发放你（户）的{programme}资金，终止保障。"),
}


def change_notice(change) -> bytes:
    """The family's notice of a change of amount or status (increase, decrease, suspension, resumption, gradual
    exit, termination) with its reason [D21 §15, OP20 review and exit]. A change the approval notice already
    told (the start) or that changes nothing has no paper: KeyError."""
    title, sentence = CHANGE_PAPERS[ChangeKind(change.kind)]
    e = change.enrolment
    return _personal(
        f"{e.programme.name_zh}{title}",
        addressee=e.person.name if e.person_id else e.household.head_name,
        ref=f"保障编号：{e.pk}",
        area_code=e.area_code,
        day=timezone.localtime(change.at).date(),
        body=[
            para(
                sentence,
                TEXT,
                month=month_text(change.from_month),
                programme=e.programme.name_zh,
                old=change.old_amount if change.old_amount is not None else "",
                new=change.new_amount,
            ),
            para("原因：{reason}", TEXT, reason=change.reason),
        ],
    )


def materials_notice(notice) -> bytes:
    """The one-time notice of missing materials (一次性告知书) [D21 §10]: every missing item at once, from the
    township office that received the application. It decides nothing, so it carries no appeal statement."""
    app = notice.application
    items = [
        para("{i}. {item}", TEXT, i=i, item=wf.REQUIRED_MATERIALS.get(m, m)) for i, m in enumerate(notice.missing, 1)
    ]
    office = township_office(app.area_code)
    return _personal(
        "社会救助申请材料一次性告知书",
        addressee=app.applicant.name,
        ref=f"申请编号：{app.pk}",
        area_code=app.area_code,
        day=notice.issued_on,
        issued_by=office,
        appeal=False,
        body=[
            para("你（户）于{day}提出的社会救助申请，尚需补充以下材料：", TEXT, day=day_text(app.received_on)),
            *items,
            para("请一次补齐以上材料后交{office}。材料齐全的，即予受理。", TEXT, office=office),
        ],
    )
