"""Data printed in the PDFs is text, never reportlab markup: hostile names, an address, a note, survey findings,
a refusal reason and an area name go through every PDF, which must render and show them as they were typed,
with no image drawn from a server file (doudi/cases/pdf.py ``para``)."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image
from reportlab.platypus import Paragraph, SimpleDocTemplate

from doudi.areas.models import Area
from doudi.cases.actions import case_move, change_report_record
from doudi.cases.models import Enrolment
from doudi.cases.pdf import BODY, mask_name, para
from doudi.core.idnumber import id_mask
from doudi.registry.actions import record_add

from ..conftest import member
from ..pdftext import flat, pdf_image_count, pdf_text
from .conftest import walk

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
    assert f"{mask_name(HEAD)}：" in text and flat(f"理由：{REASON}") in text

    approved = walk(apply().cases.get(), people)
    r = c.get(f"/cases/{approved.pk}/approval.pdf")
    assert r.status_code == 200 and pdf_image_count(r.content) == 0
    text = pdf_text(r.content)
    assert f"{mask_name(HEAD)}：" in text and f"核定每月保障金{approved.decision_amount}元" in text
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
