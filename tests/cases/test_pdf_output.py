"""Data printed in the PDFs is text, never reportlab markup: hostile names, an address, a note, survey findings,
a refusal reason and an area name go through every PDF, which must render and show them as they were typed,
with no image drawn from a server file (doudi/cases/pdf.py ``para``)."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from doudi.areas.models import Area
from doudi.audit.models import AuditEvent
from doudi.cases.actions import application_submit, case_move, change_report_record, materials_notice_issue
from doudi.cases.models import Enrolment
from doudi.cases.pdf import BODY, FONT, font_glyphs, mask_name, para, printable
from doudi.core.idnumber import id_mask
from doudi.registry.actions import record_add

from ..conftest import member
from ..pdftext import flat, missing_glyphs, pdf_fonts, pdf_image_count, pdf_text
from .conftest import D, walk

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
CID_STYLE = ParagraphStyle("cid", fontName="STSong-Light")  # the font papers used before: not embedded

HEAD = "<script>alert(1)</script>"
SPOUSE = '=HYPERLINK("http://x")'
CHILD = "&amp;"
NOTE = "-2+3 @SUM(A1) <b>粗</b>"
FINDINGS = "+1 &amp; <font color='red'>红</font>\n<img src='/etc/passwd'/>"
REASON = "<script>alert(1)</script> &amp; <i>"


@pytest.fixture
def server_png(tmp_path):
    """A real image file on the server: unescaped ``<img src=…/>`` in a Paragraph would draw it into the PDF."""
    path = tmp_path / "server-file.png"
    Image.new("RGB", (40, 40), "red").save(path)
    return path


@pytest.fixture
def poor_household(register, staff, server_png):
    """Overrides the cases conftest fixture, so ``apply`` applies for this household."""
    h = register(
        address=f"<img src='{server_png}'/>",
        members=[
            member(HEAD, "1970-03-02", 11, "head"),
            member(SPOUSE, "1972-06-15", 22, "spouse"),
            member(CHILD, "2012-01-01", 33, "child", student=True),
        ],
    )
    head = h.memberships.get(relation="head").person
    record_add(
        actor=staff["caseworker_a"],
        household=h,
        kind="incomes",
        data={"person": head.pk, "kind": "wage", "monthly": "500.00"},
    )
    return h


def test_markup_renders_as_text_and_a_raw_img_tag_would_be_seen(server_png):
    """The two readings the tests rely on can fail: pypdf sees an image that reportlab markup drew."""

    def build(flowable):
        out = io.BytesIO()
        SimpleDocTemplate(out).build([flowable])
        return out.getvalue()

    raw = build(Paragraph(f"地址：<img src='{server_png}'/>", BODY))
    assert pdf_image_count(raw) == 1 and "img" not in pdf_text(raw)
    safe = build(para("地址：{address}", BODY, address=f"<img src='{server_png}'/>"))
    assert pdf_image_count(safe) == 0 and flat(f"地址：<img src='{server_png}'/>") in pdf_text(safe)


def test_application_and_survey_pdfs_print_markup_as_text(client_for, people, apply, poor_household, server_png):
    case = walk(apply(note=NOTE).cases.get(), people, until="noticing")
    case.surveys.update(findings=FINDINGS)
    c = client_for(people["caseworker_a"])

    r = c.get(f"/cases/{case.pk}/application.pdf")
    assert r.status_code == 200 and pdf_image_count(r.content) == 0
    text = pdf_text(r.content)
    assert f"申请人：{HEAD}户籍地" in text and flat(f"居住地址：<img src='{server_png}'/>") in text
    assert flat(f"申请事由：{NOTE}") in text
    for m in poor_household.memberships.select_related("person"):
        assert flat(f"{m.person.name}{m.get_relation_display()}{id_mask(m.person.id_number)}") in text
        assert m.person.id_number not in text

    r = c.get(f"/cases/{case.pk}/survey.pdf")
    assert r.status_code == 200 and pdf_image_count(r.content) == 0
    text = pdf_text(r.content)
    assert f"申请人：{HEAD}入户日期" in text and flat(f"调查情况：{FINDINGS}") in text


def test_notice_with_markup_in_the_name_and_the_area(client_for, people, apply):
    Area.objects.filter(code="511425101201").update(name="<b>东风村</b>&amp;")
    case = walk(apply().cases.get(), people, until="noticing")
    r = client_for(people["caseworker_a"]).get("/cases/notice.pdf", {"area": case.area_code})
    assert r.status_code == 200 and pdf_image_count(r.content) == 0
    text = pdf_text(r.content)
    assert "<b>东风村</b>&amp;社会救助对象公示" in text and f"1{mask_name(HEAD)}3最低生活保障" in text


def test_refusal_and_approval_notices_print_markup_as_text(client_for, people, apply):
    c = client_for(people["caseworker_a"])
    refused = walk(apply().cases.get(), people, until="county_review")
    refused = case_move(
        actor=people["approver"], case=refused, move="refuse", on=refused.notice_end, data={"reason": REASON}
    )
    r = c.get(f"/cases/{refused.pk}/refusal.pdf")
    assert r.status_code == 200 and pdf_image_count(r.content) == 0
    text = pdf_text(r.content)
    assert f"{HEAD}：" in text and flat(f"理由：{REASON}") in text  # a personal notice: the full name

    approved = walk(apply().cases.get(), people)
    r = c.get(f"/cases/{approved.pk}/approval.pdf")
    assert r.status_code == 200 and pdf_image_count(r.content) == 0
    text = pdf_text(r.content)
    assert f"{HEAD}：" in text and f"核定每月保障金{approved.decision_amount}元" in text
    assert flat(f"计入家庭成员3人：{HEAD}、{SPOUSE}、{CHILD}") in text  # the explanation's steps


def test_termination_notice_prints_markup_as_text(client_for, people, apply, staff, poor_household):
    enrolment = Enrolment.objects.get(case=walk(apply().cases.get(), people))
    record_add(
        actor=staff["caseworker_a"],
        household=poor_household,
        kind="incomes",
        data={"kind": "property", "monthly": "3000.00"},
    )
    change_report_record(
        actor=people["caseworker_a"],
        enrolment=enrolment,
        kind="income",
        effective_month=dt.date(2026, 6, 1),
        details="<i>出租",
        on=timezone.localdate(),
    )
    r = client_for(people["caseworker_a"]).get("/enrolments/termination-notice.pdf")
    assert r.status_code == 200 and pdf_image_count(r.content) == 0
    text = pdf_text(r.content)
    assert f"1{mask_name(HEAD)}最低生活保障2026-05不再符合条件：<i>出租" in text


# ---- papers fit to hand out: read back, fonts embedded, no missing glyph -----------------------------------------

APPEAL = (
    "如不服本决定，可以自收到本通知书之日起六十日内向青神县人民政府申请行政复议，"
    "或者自收到本通知书之日起六个月内向青神县人民法院提起行政诉讼。"
)


def day_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def assert_fit_to_hand_out(content: bytes) -> str:
    """Every font embedded, no character drawn without a glyph; returns the text read back."""
    fonts = pdf_fonts(content)
    assert fonts and all(fonts.values()), fonts
    assert missing_glyphs(content) == []
    return pdf_text(content)


@pytest.fixture
def plain_household(register):
    """A family with a middle dot and the look-alike minus in nothing but the head's name."""
    return register(
        members=[member("阿依古丽·买买提", "1970-03-02", 11, "head"), member("夏国杰", "1972-06-15", 22, "spouse")]
    )


def test_the_checks_can_fail():
    """A character the font lacks, drawn raw, is found; so is a non-embedded font."""

    def build(*flowables, **kw):
        out = io.BytesIO()
        SimpleDocTemplate(out, **kw).build(list(flowables))
        return out.getvalue()

    font_glyphs()  # registered with reportlab on the first paper
    raw = build(Paragraph("方框☐", BODY), initialFontName=FONT)
    assert missing_glyphs(raw) and "方框" in pdf_text(raw)
    cid = build(Paragraph("宋体", CID_STYLE))
    assert not all(pdf_fonts(cid).values()) and missing_glyphs(cid)
    safe = build(para("方框{x}减号{m}间隔号{d}", BODY, x="☐", m="−", d="·"), initialFontName=FONT)
    assert missing_glyphs(safe) == [] and all(pdf_fonts(safe).values())
    assert "方框〓减号−间隔号·" in pdf_text(safe)


def test_printable_keeps_what_the_font_has_and_marks_the_rest():
    assert printable("阿依古丽·买买提 −12.50 ＿") == "阿依古丽·买买提 −12.50 ＿"
    assert printable("☐\n𠀀") == "〓\n〓"  # a box the font lacks; an Extension B character


def test_personal_notices_read_back(client_for, people, apply, staff, poor_household):
    """Approval, refusal, change (termination) and the one-time notice of missing materials: full name, the
    county's bureau, the appeal statement on every decision, the date, the seal; logged as a look at personal
    data; refused to the read-only auditor."""
    c = client_for(people["caseworker_a"])

    approved = walk(apply().cases.get(), people)
    r = c.get(f"/cases/{approved.pk}/approval.pdf")
    assert r.status_code == 200
    text = assert_fit_to_hand_out(r.content)
    assert flat(f"{HEAD}：你（户）于{day_zh(approved.application.received_on)}提出的最低生活保障申请") in text
    assert flat(APPEAL) in text and f"（盖章）青神县民政局{day_zh(approved.decided_on)}" in text
    assert mask_name(HEAD) not in text
    event = AuditEvent.objects.filter(kind="access", action="access.name.print").latest("id")
    assert event.actor == people["caseworker_a"] and event.target_id == str(approved.pk)
    assert event.household_id == poor_household.pk

    refused = walk(apply().cases.get(), people, until="county_review")
    refused = case_move(
        actor=people["approver"], case=refused, move="refuse", on=refused.notice_end, data={"reason": "收入超过标准"}
    )
    text = assert_fit_to_hand_out(c.get(f"/cases/{refused.pk}/refusal.pdf").content)
    assert f"{HEAD}：" in text and "决定不予批准。理由：收入超过标准" in text and flat(APPEAL) in text
    assert f"青神县民政局{day_zh(refused.decided_on)}" in text

    enrolment = Enrolment.objects.get(case=approved)
    record_add(
        actor=staff["caseworker_a"],
        household=poor_household,
        kind="incomes",
        data={"kind": "property", "monthly": "3000.00"},
    )
    change_report_record(
        actor=people["caseworker_a"],
        enrolment=enrolment,
        kind="income",
        effective_month=dt.date(2026, 6, 1),
        details="出租房屋",
        on=timezone.localdate(),
    )
    change = enrolment.changes.get(kind="terminate")
    r = c.get(f"/enrolments/{enrolment.pk}/notice.pdf")
    assert r.status_code == 200
    text = assert_fit_to_hand_out(r.content)
    assert f"最低生活保障终止保障通知书保障编号：{enrolment.pk}{poor_household.head_name}：" in text
    assert f"自{change.from_month.year}年{change.from_month.month}月起，停止发放" in text
    assert flat(APPEAL) in text and f"青神县民政局{day_zh(timezone.localdate())}" in text
    assert (
        flat("原因：") in text
        and c.get(f"/enrolments/{enrolment.pk}/notice.pdf", {"change": change.pk}).status_code == 200
    )
    start = enrolment.changes.get(kind="start")
    assert c.get(f"/enrolments/{enrolment.pk}/notice.pdf", {"change": start.pk}).status_code == 404  # no paper

    app = apply(materials=("pledge",))
    notice = materials_notice_issue(actor=people["caseworker_a"], application=app, on=D)
    r = c.get(f"/applications/{app.pk}/materials-notice.pdf")
    assert r.status_code == 200
    text = assert_fit_to_hand_out(r.content)
    assert f"社会救助申请材料一次性告知书申请编号：{app.pk}{HEAD}：" in text
    assert flat("1.家庭经济状况核对授权书（全体成员签字）") in text and "3.收入情况说明或证明" in text
    assert f"青神县汉阳镇人民政府{day_zh(notice.issued_on)}" in text and "行政复议" not in text

    n = AuditEvent.objects.filter(kind="access", action="access.name.print").count()
    assert n == 5
    auditor = client_for(people["auditor"])
    assert auditor.get(f"/cases/{approved.pk}/").status_code == 200
    for url in (
        f"/cases/{approved.pk}/approval.pdf",
        f"/cases/{approved.pk}/application.pdf",
        f"/enrolments/{enrolment.pk}/notice.pdf",
        f"/applications/{app.pk}/materials-notice.pdf",
    ):
        assert auditor.get(url).status_code == 403
    assert AuditEvent.objects.filter(kind="access", action="access.name.print").count() == n
    other = client_for(people["caseworker_b"])  # another township: as if the case did not exist
    assert other.get(f"/cases/{approved.pk}/approval.pdf").status_code == 404
    assert other.get(f"/enrolments/{enrolment.pk}/notice.pdf").status_code == 404
    assert other.get(f"/applications/{app.pk}/materials-notice.pdf").status_code == 404


def test_the_county_is_read_from_its_area(client_for, people, apply):
    Area.objects.filter(code="511425000000").update(name="眉山新区")
    approved = walk(apply().cases.get(), people)
    text = assert_fit_to_hand_out(client_for(people["caseworker_a"]).get(f"/cases/{approved.pk}/approval.pdf").content)
    assert (
        "眉山新区民政局" in text
        and "向眉山新区人民政府申请行政复议" in text
        and "向眉山新区人民法院提起行政诉讼" in text
    )
    assert "青神县民政局" not in text


def test_middle_dot_name_and_public_lists_stay_masked(client_for, people, plain_household):
    head = plain_household.memberships.get(relation="head").person
    app = application_submit(
        actor=people["caseworker_a"],
        household=plain_household,
        applicant=head,
        programmes=["dibao"],
        materials=["authorisation", "pledge", "id_copy", "income_proof"],
        on=D,
    )
    case = walk(app.cases.get(), people, until="noticing")
    c = client_for(people["caseworker_a"])
    text = assert_fit_to_hand_out(c.get(f"/cases/{case.pk}/application.pdf").content)
    assert "申请人：阿依古丽·买买提" in text
    notice = c.get("/cases/notice.pdf", {"area": case.area_code}).content
    text = assert_fit_to_hand_out(notice)
    assert f"1{mask_name('阿依古丽·买买提')}2最低生活保障" in text and "阿依古丽·买买提" not in text
    assert head.id_number not in text and head.id_number[-4:] not in text
