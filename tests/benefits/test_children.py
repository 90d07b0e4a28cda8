"""The children's allowance on recorded parents' situations (issue 15, children): the rules read the records as
they stand on the day (six months out of contact by date), a grant from them, reviews raised when a parent's
situation changes, at 18, when study ends and at 22 — each once — and the review's decision, stopping from the
next month; the pages, the list with its .xlsx, and another township's 404."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from doudi.audit.models import AuditEvent
from doudi.benefits import children
from doudi.benefits.models import ParentSituation, StudyProof
from doudi.cases.models import Case, CaseKind, CaseState, Enrolment, EnrolmentStatus
from doudi.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK
from doudi.registry.models import Person

from ..conftest import county_finance, enrolment_direct, member

D = Decimal


@pytest.fixture
def setup(staff, register):
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    return {"approver": staff["approver"], "cw": staff["caseworker_a"], "cw_b": staff["caseworker_b"], "reg": register}


def grandchild(setup, birth="2015-05-20"):
    setup["reg"](members=[member("王奶奶", "1955-02-03", 31, "head"), member("王小宝", birth, 42, "grandchild")])
    return Person.objects.get(name="王小宝")


def record(setup, child, parent, status, since, on=dt.date(2026, 11, 3)):
    return children.parent_situation_record(
        actor=setup["cw"], child=child, parent=parent, status=status, since=since, evidence="证明 001", on=on
    )


def granted(setup, child, on=dt.date(2026, 10, 12), **kw):
    return children.children_grant(actor=setup["approver"], person=child, on=on, **kw)


def test_rules_read_the_records_by_date_and_lost_contact_counts_six_months(setup):
    child = grandchild(setup)
    decision, line = children.child_decision(child, dt.date(2026, 11, 3))
    assert line.excluded_reason == "parents_not_given"  # nothing recorded: not a candidate
    record(setup, child, "father", "in_prison", "2024-01-10")
    record(setup, child, "mother", "lost_contact", "2026-05-20")
    _d, line = children.child_decision(child, dt.date(2026, 11, 19))
    assert not line.counted  # out of contact 5 months 30 days
    _d, line = children.child_decision(child, dt.date(2026, 11, 20))
    assert line.counted and line.amount == D("600.00") and line.detail["kind"] == "de_facto"
    # before the father's prison term began, he was able: the records are read as of the day
    _d, line = children.child_decision(child, dt.date(2023, 12, 1))
    assert not line.counted


def test_orphan_grant_paid_from_next_month_with_review_before_18(setup):
    child = grandchild(setup, birth="2009-03-15")
    record(setup, child, "father", "dead", "2019-04-01", on=dt.date(2026, 10, 1))
    record(setup, child, "mother", "missing", "2021-06-01", on=dt.date(2026, 10, 1))
    e = granted(setup, child, in_institution=True)
    assert (e.start_month, e.monthly_amount, e.support_mode) == (dt.date(2026, 11, 1), D("1000.00"), "centralised")
    assert e.next_review_due == dt.date(2027, 3, 1)  # the month of the 18th birthday, before a year passes
    with pytest.raises(Conflict):
        granted(setup, child)


def test_the_allowance_and_tekun_are_one_or_the_other(setup):
    """An orphan taking the allowance is not tekun (domain.md §5b): the allowance is refused to a child on tekun,
    and a tekun case of a child on the allowance is not eligible, saying why."""
    from doudi.cases.models import Case
    from doudi.cases.selectors import case_decision

    child = grandchild(setup, birth="2012-05-20")
    record(setup, child, "father", "dead", "2019-04-01", on=dt.date(2026, 10, 1))
    record(setup, child, "mother", "dead", "2019-04-01", on=dt.date(2026, 10, 1))
    household = child.memberships.get().household
    tekun = enrolment_direct(
        household, "tekun", "700.00", dt.date(2026, 1, 1), created_by=setup["approver"], person=child, mode="scattered"
    )
    with pytest.raises(Conflict) as refused:
        granted(setup, child)
    assert refused.value.field == "person" and "只能享受一项" in refused.value.zh
    assert not Enrolment.objects.filter(programme_id="children", person=child).exists()
    # tekun ended: the allowance is granted; a tekun case for the child then reads the allowance and refuses
    Enrolment.objects.filter(pk=tekun.pk).update(status=EnrolmentStatus.TERMINATED)
    granted(setup, child)
    case = Case.objects.create(
        programme_id="tekun",
        household=household,
        applicant=child,
        area_code=household.area_id,
        created_by=setup["cw"],
    )
    decision = case_decision(case, dt.date(2026, 11, 20))
    assert not decision.eligible
    assert "orphan_allowance" in [r["code"] for r in decision.reasons_ineligible]


def test_grant_refused_when_the_records_do_not_qualify(setup):
    child = grandchild(setup)
    record(setup, child, "father", "seriously_ill", "2025-01-01", on=dt.date(2026, 10, 1))
    with pytest.raises(ApplicationError) as e:
        granted(setup, child)
    assert "不符合" in e.value.message and not Enrolment.objects.filter(person=child).exists()


def test_record_validation_names_the_field_and_one_open_situation_per_parent(setup):
    child = grandchild(setup)
    for kwargs, field in [
        ({"parent": "uncle"}, "parent"),
        ({"status": "poor"}, "status"),
        ({"since": "2030-01-01"}, "since"),
        ({"since": "2024-13-01"}, "since"),
        ({"evidence": " "}, "evidence"),
    ]:
        args = {"parent": "father", "status": "in_prison", "since": "2024-01-01", "evidence": "判决书"} | kwargs
        with pytest.raises(ApplicationError) as e:
            children.parent_situation_record(actor=setup["cw"], child=child, on=dt.date(2026, 11, 3), **args)
        assert e.value.field == field
    record(setup, child, "father", "in_prison", "2024-01-01")
    with pytest.raises(Conflict):
        record(setup, child, "father", "seriously_ill", "2025-01-01")
    assert ParentSituation.objects.count() == 1


def test_another_township_gets_not_found(setup, client_for):
    child = grandchild(setup)
    with pytest.raises(NotFound):
        children.parent_situation_record(
            actor=setup["cw_b"],
            child=child,
            parent="father",
            status="dead",
            since="2020-01-01",
            evidence="x",
            on=dt.date(2026, 11, 3),
        )
    s = record(setup, child, "father", "in_prison", "2024-01-01")
    with pytest.raises(NotFound):
        children.parent_situation_end(
            actor=setup["cw_b"], situation=s, until="2026-11-01", reason="刑满释放", on=dt.date(2026, 11, 3)
        )
    c = client_for(setup["cw_b"])
    assert c.get(f"/people/{child.pk}/children/").status_code == 404


def deprived(setup, birth="2015-05-20", school=None):
    child = grandchild(setup, birth=birth)
    record(setup, child, "father", "in_prison", "2022-01-01", on=dt.date(2026, 10, 1))
    record(setup, child, "mother", "dead", "2020-01-01", on=dt.date(2026, 10, 1))
    if school:
        children.study_proof_record(
            actor=setup["cw"],
            child=child,
            school=school,
            since="2023-09-01",
            evidence="在读证明",
            on=dt.date(2026, 1, 1),
        )
    return child, granted(setup, child)


def reviews(enrolment):
    return list(Case.objects.filter(enrolment=enrolment, kind=CaseKind.REVIEW))


def test_release_from_prison_raises_a_review_and_stop_ends_payment_from_next_month(setup):
    child, e = deprived(setup)
    s = ParentSituation.objects.get(child=child, parent="father")
    children.parent_situation_end(
        actor=setup["cw"], situation=s, until="2026-11-20", reason="刑满释放", on=dt.date(2026, 11, 25)
    )
    (case,) = reviews(e)
    assert case.state == CaseState.ACCEPTED and case.step_due is not None
    assert "刑满释放" in children.review_reasons(case)[0]
    assert "the father no longer in prison from 2026-11-20" in case.events.get().data["en"]  # shown in English
    assert case in list(children.children_reviews_open(setup["cw"]))
    assert not list(children.children_reviews_open(setup["cw_b"]))
    # the rules now refuse: continuing is refused with the reason, nothing changes
    with pytest.raises(ApplicationError) as err:
        children.children_review_decide(
            actor=setup["approver"], case=case, outcome="continue", reason="核实", on=dt.date(2026, 11, 26)
        )
    assert err.value.code == "not_eligible"
    out = children.children_review_decide(
        actor=setup["approver"],
        case=case,
        outcome="stop",
        reason="父亲刑满释放，可履行抚养义务",
        on=dt.date(2026, 11, 26),
    )
    assert out.stopped_from == dt.date(2026, 12, 1)
    e.refresh_from_db()
    case.refresh_from_db()
    assert (e.status, e.end_month, case.state) == (EnrolmentStatus.TERMINATED, dt.date(2026, 11, 1), CaseState.REFUSED)
    assert AuditEvent.objects.filter(action="benefit.children_review_decide").count() == 1
    with pytest.raises(Conflict):
        children.children_review_decide(
            actor=setup["approver"], case=case, outcome="stop", reason="again", on=dt.date(2026, 11, 27)
        )


def test_caseworker_cannot_decide_a_review(setup):
    child, e = deprived(setup)
    s = ParentSituation.objects.get(child=child, parent="father")
    children.parent_situation_end(
        actor=setup["cw"], situation=s, until="2026-11-20", reason="刑满释放", on=dt.date(2026, 11, 25)
    )
    (case,) = reviews(e)
    with pytest.raises(PermissionDenied):
        children.children_review_decide(
            actor=setup["cw"], case=case, outcome="stop", reason="x", on=dt.date(2026, 11, 26)
        )


def test_new_situation_of_a_paid_child_raises_a_review_and_continue_keeps_paying(setup):
    child, e = deprived(setup)
    s = ParentSituation.objects.get(child=child, parent="father")
    children.parent_situation_end(
        actor=setup["cw"], situation=s, until="2026-11-20", reason="刑满释放", on=dt.date(2026, 11, 25)
    )
    record(setup, child, "father", "seriously_ill", "2026-11-21", on=dt.date(2026, 11, 25))
    (case,) = reviews(e)  # the second change joins the review already open
    assert len(children.review_reasons(case)) == 2
    out = children.children_review_decide(
        actor=setup["approver"], case=case, outcome="continue", reason="父亲重病", on=dt.date(2026, 11, 26)
    )
    assert out.amount == D("600.00")
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.ACTIVE and e.end_month is None


def test_18th_birthday_raises_one_review_and_without_study_it_stops_the_next_month(setup):
    child, e = deprived(setup, birth="2008-12-10")
    assert children.children_reviews_run(on=dt.date(2026, 11, 30)) == {"age_18": 0, "study_end": 0, "age_22": 0}
    assert children.children_reviews_run(on=dt.date(2026, 12, 1))["age_18"] == 1
    assert children.children_reviews_run(on=dt.date(2026, 12, 2))["age_18"] == 0  # rerun: nothing twice
    (case,) = reviews(e)
    assert "没有全日制在读证明" in children.review_reasons(case)[0]
    with pytest.raises(ApplicationError):  # past the birthday, not studying: the rules refuse
        children.children_review_decide(
            actor=setup["approver"], case=case, outcome="continue", reason="x", on=dt.date(2026, 12, 15)
        )
    out = children.children_review_decide(
        actor=setup["approver"], case=case, outcome="stop", reason="年满18周岁未在校", on=dt.date(2026, 12, 15)
    )
    assert out.stopped_from == dt.date(2027, 1, 1)  # paid to December, the birthday month


def test_18th_birthday_with_proof_of_study_continues_until_the_month_before_22(setup):
    child, e = deprived(setup, birth="2008-12-10")
    children.study_proof_record(
        actor=setup["cw"],
        child=child,
        school="县第一中学",
        since="2024-09-01",
        evidence="在读证明",
        on=dt.date(2026, 11, 1),
    )
    children.children_reviews_run(on=dt.date(2026, 12, 1))
    (case,) = reviews(e)
    assert "有全日制在读证明" in children.review_reasons(case)[0]
    out = children.children_review_decide(
        actor=setup["approver"], case=case, outcome="continue", reason="在读", on=dt.date(2026, 12, 15)
    )
    assert out.amount == D("600.00")
    e.refresh_from_db()
    assert e.next_review_due == dt.date(2027, 12, 1)
    _d, line = children.child_decision(child, dt.date(2030, 11, 30))
    assert line.counted  # November 2030, the month before the 22nd birthday
    _d, line = children.child_decision(child, dt.date(2030, 12, 1))
    assert not line.counted
    assert children.children_reviews_run(on=dt.date(2030, 12, 1))["age_22"] == 1


def test_study_ending_past_18_raises_a_review_once(setup):
    child, e = deprived(setup, birth="2007-06-10", school="职业学校")
    proof = StudyProof.objects.get(child=child)
    children.study_proof_end(actor=setup["cw"], proof=proof, until="2026-07-01", on=dt.date(2026, 11, 3))
    (case,) = reviews(e)
    assert "就读于 2026-07-01 结束" in " ".join(children.review_reasons(case))
    assert children.children_reviews_run(on=dt.date(2026, 11, 4))["study_end"] == 0
    assert StudyProof.objects.get().until == dt.date(2026, 7, 1)


def test_pages_record_list_export_and_review(setup, client_for):
    child, e = deprived(setup, birth="2009-01-05")
    c = client_for(setup["cw"])
    page = c.get(f"/people/{child.pk}/children/")
    assert page.status_code == 200 and "服刑在押" in page.content.decode()
    r = c.post(
        f"/people/{child.pk}/children/",
        {"verb": "record", "parent": "father", "status": "dead", "since": "2026-01-01", "evidence": "x"},
    )
    assert r.status_code == 200 and "请先登记其结束日期" in r.content.decode()  # the father's prison term is open
    listing = c.get("/children/").content.decode()
    assert "王小宝" in listing and "事实无人抚养儿童" in listing and "即将年满18周岁" in listing
    xlsx = c.get("/children/children.xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.cell(2, 3).value == "王小宝" and ws.cell(2, 8).value in (600, 600.0, "600.00")
    assert ws.cell(2, 1).value == e.pk and ws.cell(2, 6).value == "事实无人抚养儿童"
    assert client_for(setup["cw_b"]).get("/children/").content.decode().count("王小宝") == 0
    s = ParentSituation.objects.get(child=child, parent="father")
    c = client_for(setup["cw"])
    c.post(
        f"/people/{child.pk}/children/",
        {"verb": "end", "situation": s.pk, "until": "2026-11-20", "end_reason": "刑满释放"},
    )
    (case,) = reviews(e)
    assert "刑满释放" in c.get("/").content.decode()  # on the caseworker's home page
    a = client_for(setup["approver"])
    assert a.get(f"/children/reviews/{case.pk}/").status_code == 200
    a.post(f"/children/reviews/{case.pk}/", {"outcome": "stop", "reason": "父亲刑满释放"})
    case.refresh_from_db()
    assert case.state == CaseState.REFUSED
    assert client_for(setup["cw_b"]).get(f"/children/reviews/{case.pk}/").status_code == 404


def test_continuing_before_the_18th_birthday_is_judged_on_next_month(setup):
    """A review raised on the 1st of the birthday month and decided before the birthday: paying on means paying
    from next month, when the child is 18 — without proof of study it cannot continue."""
    child, e = deprived(setup, birth="2008-12-20")
    children.children_reviews_run(on=dt.date(2026, 12, 1))
    (case,) = reviews(e)
    with pytest.raises(ApplicationError):
        children.children_review_decide(
            actor=setup["approver"], case=case, outcome="continue", reason="x", on=dt.date(2026, 12, 3)
        )


def test_the_case_page_of_a_childrens_review_leads_to_its_own_page(setup, client_for):
    child, e = deprived(setup)
    s = ParentSituation.objects.get(child=child, parent="father")
    children.parent_situation_end(
        actor=setup["cw"], situation=s, until="2026-11-20", reason="刑满释放", on=dt.date(2026, 11, 25)
    )
    (case,) = reviews(e)
    r = client_for(setup["cw"]).get(f"/cases/{case.pk}/")
    assert r.status_code == 302 and r["Location"] == f"/children/reviews/{case.pk}/"
    assert client_for(setup["cw_b"]).get(f"/cases/{case.pk}/").status_code == 404


def test_a_yearly_review_says_why_in_the_list(setup, client_for):
    """A review opened because the year is up (no parent's change, no birthday) says so in the list of reviews
    — its reason was an empty cell, and its time limit, none, an empty one too."""
    from doudi.cases.actions.dynamic import dynamic_management_run

    child = grandchild(setup, birth="2015-03-15")
    record(setup, child, "father", "dead", "2019-04-01", on=dt.date(2026, 10, 1))
    record(setup, child, "mother", "dead", "2021-06-01", on=dt.date(2026, 10, 1))
    e = granted(setup, child)
    assert dynamic_management_run(on=e.next_review_due)["reviews_opened"] == 1
    (case,) = Case.objects.filter(enrolment=e, kind=CaseKind.REVIEW)
    listing = client_for(setup["cw"]).get("/children/").content.decode()
    row = listing[listing.index(f'data-item="children-review-{case.pk}"') :].split("</tr>")[0]
    assert "<div>复核到期</div>" in row and "<td></td>" not in row


def test_a_yearly_review_opened_from_an_english_page_reads_in_each_language(setup, client_for):
    """The note of a review opened because the year is up is kept in Chinese even when the job runs from a page
    read in English, and the English page shows its English (it showed 复核到期（收入稳定（每年复核）） there)."""
    from django.utils import translation

    from doudi.cases.actions.dynamic import dynamic_management_run

    child = grandchild(setup, birth="2015-03-15")
    record(setup, child, "father", "dead", "2019-04-01", on=dt.date(2026, 10, 1))
    record(setup, child, "mother", "dead", "2021-06-01", on=dt.date(2026, 10, 1))
    e = granted(setup, child)
    with translation.override("en"):
        dynamic_management_run(on=e.next_review_due)
    (case,) = Case.objects.filter(enrolment=e, kind=CaseKind.REVIEW)
    event = case.events.get()
    assert event.note == "复核到期（收入稳定（每年复核））" and event.data == {
        "en": "Review due (Stable (yearly review))"
    }
    c = client_for(setup["cw"])
    c.cookies["django_language"] = "en"
    page = c.get(f"/children/reviews/{case.pk}/").content.decode()
    assert "Review due (Stable (yearly review))" in page and "复核到期" not in page


def test_the_home_page_lists_childrens_reviews_only_for_those_who_act_on_them(setup, client_for, staff):
    """The caseworker (records the situations) and the approver (decides) have the open reviews on their home
    page; a finance officer or the auditor, who only read cases, do not have them as their work."""
    from doudi.cases.actions.dynamic import dynamic_management_run

    child = grandchild(setup, birth="2015-03-15")
    record(setup, child, "father", "dead", "2019-04-01", on=dt.date(2026, 10, 1))
    record(setup, child, "mother", "dead", "2021-06-01", on=dt.date(2026, 10, 1))
    e = granted(setup, child)
    dynamic_management_run(on=e.next_review_due)
    (case,) = Case.objects.filter(enrolment=e, kind=CaseKind.REVIEW)
    needle = f'data-item="children-review-{case.pk}"'
    finance = county_finance()
    assert needle in client_for(setup["cw"]).get("/").content.decode()
    assert needle in client_for(setup["approver"]).get("/").content.decode()
    assert needle not in client_for(finance).get("/").content.decode()
    assert needle not in client_for(staff["auditor"]).get("/").content.decode()
