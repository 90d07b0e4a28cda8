"""Item 2 (requests refused without authorisation, tracked to their deadline, answers matched back) and item 4
(the report: findings beside the declarations, confirm / dispute, the objection and its re-check, the confirmed
figures in the policy engine, the printable report)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from doudi.audit.models import AuditEvent
from doudi.cases.documents import document_attach
from doudi.core.errors import ApplicationError
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.registry_input import household_inputs
from doudi.registry.models import Income
from doudi.verification.generator import _headers, file_bytes
from doudi.verification.loads import dataset_load
from doudi.verification.models import Finding, FindingState, VerificationRequest
from doudi.verification.pdf import report_pdf
from doudi.verification.report import (
    finding_confirm,
    finding_dispute,
    objection_record,
    objection_resolve,
    report_build,
)
from doudi.verification.requests import is_overdue, request_file, request_send
from doudi.verification.schemas import KINDS

from ..cases.conftest import D
from ..pdftext import flat, pdf_text
from .conftest import walk


@pytest.fixture
def case(apply, centre, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    c = apply().cases.get()
    return walk(c, centre, until="verifying")


def _authorise(case, who):
    return document_attach(
        actor=who, case=case, kind="authorisation", filename="授权书.pdf", content=b"%PDF-1.4 signed"
    )


def test_no_authorisation_no_request(case, centre):
    with pytest.raises(ApplicationError) as e:
        request_send(actor=centre["centre"], department="human_resources", case_ids=[case.pk], on=D)
    assert e.value.code == "no_authorisation" and "无委托、不核对" in e.value.zh
    assert VerificationRequest.objects.count() == 0


def test_request_file_deadline_and_answer(case, centre):
    doc = _authorise(case, centre["caseworker_a"])
    req = request_send(actor=centre["centre"], department="human_resources", case_ids=[case.pk], on=D)
    # 5 working days after Monday 2 March 2026: Monday 9 March
    assert req.due_on == dt.date(2026, 3, 9) and req.due_complete
    assert req.kinds == ["wage", "pension", "unemployment", "social_insurance"]
    assert not is_overdue(req, today=dt.date(2026, 3, 9)) and is_overdue(req, today=dt.date(2026, 3, 10))
    rows = list(csv.reader(io.StringIO(request_file(req).decode("utf-8-sig"))))
    assert rows[0][:4] == ["序号", "姓名", "身份证号码", "授权编号"]  # the department's own layout
    members = {m.person.id_number: m.person.name for m in case.household.memberships.select_related("person")}
    assert {r[2]: r[1] for r in rows[1:]} == members
    assert all(r[3].startswith(f"{doc.pk:06d}-") for r in rows[1:])
    assert req.reference == "20260302-03-0001"
    head = case.household.memberships.get(relation="head").person
    # the answer: the head's wage; a person not asked about refuses the whole file
    stranger = ["王五", "511425198001010013", "青神县竹编产业园", "2026-02", "3000.00"]
    answer = [[head.name, head.id_number, "青神县竹编产业园", "2026-02", "2600.00"]]
    kind = KINDS["wage"]
    with pytest.raises(ApplicationError) as e:
        dataset_load(
            actor=centre["centre"],
            kind="wage",
            as_of=D,
            filename="a.csv",
            content=file_bytes(_headers(kind), answer + [stranger], "csv"),
            request=req,
        )
    assert e.value.code == "not_requested" and "第3行" in e.value.zh
    for code in req.kinds:
        rows_for = answer if code == "wage" else []
        if not rows_for:
            continue
        dataset_load(
            actor=centre["centre"],
            kind=code,
            as_of=D,
            filename="a.csv",
            content=file_bytes(_headers(kind), rows_for, "csv"),
            request=req,
        )
    req.refresh_from_db()
    assert req.state == "sent"  # not every kind answered yet
    assert req.answers.get().matched == 1


def _wage_load(centre, person, amount, as_of=D):
    kind = KINDS["wage"]
    rows = [[person.name, person.id_number, "青神县竹编产业园", "2026-02", amount]]
    return dataset_load(
        actor=centre["centre"],
        kind="wage",
        as_of=as_of,
        filename="w.csv",
        content=file_bytes(_headers(kind), rows, "csv"),
    )


def test_report_confirm_feeds_the_policy_engine_and_objection_takes_it_back(case, centre):
    head = case.household.memberships.get(relation="head").person  # declared a wage of 500.00
    _wage_load(centre, head, "2600.00")
    cw = centre["caseworker_a"]
    made = report_build(actor=cw, case=case)
    wage = next(f for f in made if f.kind == "wage")
    assert (wage.found_monthly, wage.declared_monthly) == (Decimal("2600.00"), Decimal("500.00"))
    assert wage.discrepancy == "高于申报 2100.00 元/月 / 2100.00 a month above the declaration"
    assert report_build(actor=cw, case=case) == []  # a rerun adds nothing
    before = evaluate("dibao", household_inputs([case.household])[0], on=D)
    finding_confirm(actor=cw, finding_id=wage.pk)
    assert Income.objects.get(household=case.household, person=head, kind="wage").monthly == Decimal("2600.00")
    after = evaluate("dibao", household_inputs([case.household])[0], on=D)
    assert after.monthly_amount < before.monthly_amount  # the confirmed figure is what the engine reads
    objection = objection_record(actor=cw, finding_id=wage.pk, received_on=D, content="2月含年终奖，平时月薪500元")
    assert objection.recheck_due == dt.date(2026, 3, 16)  # 10 working days
    objection_resolve(actor=cw, objection_id=objection.pk, outcome="upheld", note="单位出具工资证明", on=D)
    wage.refresh_from_db()
    assert wage.state == FindingState.DISPUTED
    assert Income.objects.get(household=case.household, person=head, kind="wage").monthly == Decimal("500.00")
    assert evaluate("dibao", household_inputs([case.household])[0], on=D).monthly_amount == before.monthly_amount
    actions = set(AuditEvent.objects.filter(household_id=case.household_id).values_list("action", flat=True))
    assert {
        "verification.report",
        "verification.confirm",
        "verification.objection",
        "verification.objection_resolve",
    } <= actions


def test_dispute_keeps_the_declaration(case, centre):
    spouse = case.household.memberships.get(relation="spouse").person  # declared nothing
    _wage_load(centre, spouse, "1800.00")
    cw = centre["caseworker_a"]
    wage = next(f for f in report_build(actor=cw, case=case) if f.kind == "wage")
    finding_confirm(actor=cw, finding_id=wage.pk)
    assert Income.objects.filter(person=spouse, kind="wage").get().monthly == Decimal("1800.00")
    with pytest.raises(ApplicationError):
        finding_dispute(actor=cw, finding_id=wage.pk, reason=" ")
    finding_dispute(actor=cw, finding_id=wage.pk, reason="同名不同人，单位核实非本人")
    assert not Income.objects.filter(person=spouse, kind="wage").exists()
    assert Finding.objects.get(pk=wage.pk).state == FindingState.DISPUTED


def test_report_pdf_reads_back(case, centre):
    head = case.household.memberships.get(relation="head").person
    _wage_load(centre, head, "2600.00")
    report_build(actor=centre["caseworker_a"], case=case)
    text = pdf_text(report_pdf(case))
    for expected in ("家庭经济状况核对报告", head.name, "工资", "2600.00", "500.00", "高于申报2100.00元/月", "待确认"):
        assert flat(expected) in text
    assert head.id_number not in text  # masked


def test_a_finding_from_a_probabilistic_match_says_so(case, centre, client_for):
    """A wage record whose ID number has a wrong check character is matched probabilistically; its finding on
    the report page and in the API says how it was matched, so the caseworker weighs it before confirming."""
    head = case.household.memberships.get(relation="head").person
    wrong = head.id_number[:17] + ("0" if head.id_number[17] != "0" else "1")
    rows = [[head.name, wrong, "青神县竹编产业园", "2026-02", "2600.00"]]
    load = dataset_load(
        actor=centre["centre"],
        kind="wage",
        as_of=D,
        filename="w.csv",
        content=file_bytes(_headers(KINDS["wage"]), rows, "csv"),
    )
    assert load.records.get().match_method == "fuzzy"
    wage = next(f for f in report_build(actor=centre["caseworker_a"], case=case) if f.kind == "wage")
    assert wage.person_id == head.pk and wage.found_monthly == Decimal("2600.00")
    client = client_for(centre["caseworker_a"])
    page = client.get(reverse("verification_case_report", args=[case.pk])).content.decode()
    assert "概率匹配 ≥99.9%" in page and "前17位相同（校验位有误）" in page
    found = client.get(f"/api/v1/cases/{case.pk}/verification").json()
    assert [(f["kind"], f["match_method"]) for f in found if f["kind"] == "wage"] == [("wage", "fuzzy")]
    assert next(f for f in found if f["kind"] == "wage")["match_probability"] >= 0.99
