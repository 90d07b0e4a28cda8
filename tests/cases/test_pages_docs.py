import datetime as dt

import pytest

from doudi.audit.models import AuditEvent
from doudi.cases.actions import case_move
from doudi.cases.documents import document_attach
from doudi.cases.models import Case, Document
from doudi.cases.pdf import mask_name
from doudi.core.errors import ApplicationError
from doudi.core.idnumber import id_mask

from ..pdftext import pdf_text
from .conftest import D, walk

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.4\n" + b"0" * 100


def test_application_page_creates_cases_and_case_page_offers_only_allowed_moves(client_for, people, poor_household):
    c = client_for(people["caseworker_a"])
    head = poor_household.memberships.get(relation="head").person
    assert c.get(f"/households/{poor_household.pk}/apply/").status_code == 200
    r = c.post(
        f"/households/{poor_household.pk}/apply/",
        {
            "applicant": head.pk,
            "programmes": ["dibao", "tekun"],
            "channel": "window",
            "materials": ["authorisation", "pledge", "id_copy"],
            "ref_department": ["education", "health"],
            "ref_need": ["子女教育资助", ""],
        },
    )
    assert r.status_code == 302
    app_page = c.get(r["Location"]).content.decode()
    assert "收入情况说明或证明" in app_page and "一次性告知" in app_page
    case = Case.objects.get(programme_id="dibao")
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-move="accept"' in page and 'data-move="approve"' not in page
    approver_page = client_for(people["approver"]).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-move="accept"' not in approver_page
    c = client_for(people["caseworker_a"])
    # the move through the page, with the version the page was shown with
    r = c.post(f"/cases/{case.pk}/move/withdraw/", {"reason": "重复申请", "version": case.version})
    case.refresh_from_db()
    assert case.state == "withdrawn"
    # a stale form is refused
    other = Case.objects.get(programme_id="tekun")
    c.post(f"/cases/{other.pk}/move/withdraw/", {"reason": "x", "version": other.version + 5})
    other.refresh_from_db()
    assert other.state == "draft"


def test_other_township_cannot_see_the_case(client_for, people, apply):
    case = apply().cases.get()
    assert client_for(people["caseworker_b"]).get(f"/cases/{case.pk}/").status_code == 404
    assert (
        client_for(people["caseworker_b"]).post(f"/cases/{case.pk}/move/withdraw/", {"reason": "x"}).status_code == 404
    )


def test_documents_type_and_size_checks(people, apply, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    case = apply().cases.get()
    doc = document_attach(
        actor=people["caseworker_a"], case=case, kind="authorisation", filename="授权书.png", content=PNG
    )
    assert doc.content_type == "image/png" and (tmp_path / "documents" / str(case.pk) / doc.stored_name).exists()
    with pytest.raises(ApplicationError) as info:
        document_attach(actor=people["caseworker_a"], case=case, kind="other", filename="x.exe", content=b"MZ\x90")
    assert info.value.code == "bad_type"
    with pytest.raises(ApplicationError) as info:
        document_attach(
            actor=people["caseworker_a"],
            case=case,
            kind="other",
            filename="big.pdf",
            content=PDF + b"0" * (11 * 1024 * 1024),
        )
    assert info.value.code == "too_large"
    assert Document.objects.count() == 1


def test_document_download_is_access_logged(client_for, people, apply, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    case = apply().cases.get()
    doc = document_attach(actor=people["caseworker_a"], case=case, kind="id_copy", filename="id.pdf", content=PDF)
    r = client_for(people["caseworker_a"]).get(f"/documents/{doc.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert AuditEvent.objects.filter(kind="access", action="access.document.view").count() == 1
    on_disk = (tmp_path / "documents" / str(case.pk) / doc.stored_name).read_bytes()
    assert on_disk.startswith(b"DOUDI-ENC-1") and PDF[:40] not in on_disk  # stored sealed, handed out decrypted
    assert client_for(people["caseworker_b"]).get(f"/documents/{doc.pk}/").status_code == 404


def test_pdfs_render_with_chinese_and_never_a_full_id(client_for, people, apply, poor_household):
    case = walk(apply(note="家庭收入低").cases.get(), people, until="noticing")
    c = client_for(people["caseworker_a"])
    r = c.get(f"/cases/{case.pk}/application.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    assert "最低生活保障申请书" in text and "申请人：张大山户籍地：青神县汉阳镇东风村联系电话：13800001111" in text
    assert f"受理日期：{D:%Y年%m月%d日}" in text and "申请事由：家庭收入低" in text
    members = poor_household.memberships.select_related("person").order_by("id")
    for m in members:  # the application form lists each member with the ID masked, never in full
        p = m.person
        assert f"{p.name}{m.get_relation_display()}{id_mask(p.id_number)}{p.birth_date:%Y-%m-%d}" in text
        assert p.id_number not in text

    r = c.get(f"/cases/{case.pk}/survey.pdf")
    assert r.status_code == 200
    text = pdf_text(r.content)
    assert "家庭经济状况入户调查记录" in text and f"案件编号：{case.pk}申请人：张大山" in text
    assert "调查人员：cw_a、cw_a2" in text and "调查情况：家中无其他收入" in text

    notice = c.get("/cases/notice.pdf", {"area": case.area_code})
    assert notice.status_code == 200
    notice_text = pdf_text(notice.content)
    assert "东风村社会救助对象公示" in notice_text and "1张*山3最低生活保障" in notice_text
    assert "张大山" not in notice_text and not any(m.person.id_number[-4:] in notice_text for m in members)

    assert c.get(f"/cases/{case.pk}/approval.pdf").status_code == 404  # not approved yet
    case = case_move(actor=people["caseworker_a"], case=case, move="submit_to_county", on=case.notice_end)
    case = case_move(actor=people["approver"], case=case, move="approve", on=case.notice_end)
    r = c.get(f"/cases/{case.pk}/approval.pdf")
    assert r.status_code == 200
    text = pdf_text(r.content)
    assert f"最低生活保障审批通知书案件编号：{case.pk}张大山：" in text and "核定依据：1.农村低保标准" in text
    assert "计入家庭成员3人：张大山、李秀英、张小山" in text  # the household's own notice explains in full
    assert f"决定自{case.payment_start.year}年{case.payment_start.month}月起给予最低生活保障" in text
    assert f"核定每月保障金{case.decision_amount}元" in text
    assert f"1张*山3最低生活保障{case.decision_amount}如有异议" in notice_text  # the amount the notice proposed
    d = case.decided_on
    assert f"（盖章）青神县民政局{d.year}年{d.month}月{d.day}日" in text


def test_pdf_text_is_chinese(people, apply):
    """The notice PDF carries the masked name in Chinese (checked by extracting the text)."""
    from doudi.cases import pdf

    case = walk(apply().cases.get(), people, until="noticing")
    content = pdf.public_notice([case], area_name="东风村", start=D, end=D + dt.timedelta(days=7))
    text = pdf_text(content)
    assert text.startswith("东风村社会救助对象公示公示时间：2026年03月02日至2026年03月09日（7天）")
    assert "1张*山3最低生活保障" in text and "张大山" not in text
    assert mask_name("张大山") == "张*山" and mask_name("李四") == "李*" and mask_name("欧阳小明") == "欧**明"


def test_case_list_queues_and_enrolment_pages(client_for, people, apply):
    case = walk(apply().cases.get(), people)
    c = client_for(people["caseworker_a"])
    for q in ("mine", "due_soon", "overdue", "all"):
        assert c.get("/cases/", {"queue": q}).status_code == 200
    from doudi.cases.models import Enrolment

    e = Enrolment.objects.get(case=case)
    assert c.get("/enrolments/").status_code == 200
    page = c.get(f"/enrolments/{e.pk}/").content.decode()
    assert "纳入保障" in page and str(e.monthly_amount) in page
    r = c.post(f"/enrolments/{e.pk}/", {"kind": "whereabouts", "effective_month": "2026-06", "details": "外出"})
    e.refresh_from_db()
    assert r.status_code == 302 and e.status == "suspended"


def test_notice_list_is_exactly_one_villages(people, register, staff):
    """A village code ending in 0 (…210) must not take in its neighbours (…211): the area's prefix, not the code
    with its zeros stripped."""
    from doudi.areas.models import Area
    from doudi.cases.actions import application_submit
    from doudi.cases.selectors import cases_in_notice
    from doudi.core.errors import NotFound

    from ..conftest import member

    for code in ("511425101210", "511425101211"):
        Area.objects.create(code=code, name=code, level="village", kind="rural", parent_id="511425101000")
    h = register(area="511425101211", members=[member("邻村户", "1950-01-01", 77, "head")])
    app = application_submit(
        actor=people["caseworker_a"],
        household=h,
        applicant=h.memberships.get().person,
        programmes=["dibao"],
        materials=["authorisation", "pledge", "id_copy", "income_proof"],
        on=D,
    )
    case = walk(app.cases.get(), people, until="noticing")
    assert [c.pk for c in cases_in_notice(people["caseworker_a"], "511425101211")[1]] == [case.pk]
    assert cases_in_notice(people["caseworker_a"], "511425101210")[1] == []
    assert [c.pk for c in cases_in_notice(people["caseworker_a"], "511425101000")[1]] == [case.pk]
    with pytest.raises(NotFound):
        cases_in_notice(people["caseworker_b"], "511425101211")
