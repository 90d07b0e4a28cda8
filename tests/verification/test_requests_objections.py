"""Item 2 and item 4 to the end: a batch request about the area's open reviews goes from sent to answered when
the department's answer files are loaded (each kind it asked for), the day answered tracked against the deadline
in working days (an answer after it is marked late, on the page and in the API); and the applicant's objection to
a finding, with evidence, is recorded through the API with its 10-working-day re-check, permission- and
scope-checked, and resolved."""

import datetime as dt

import pytest
from django.utils import timezone

from doudi.audit.models import AuditEvent
from doudi.cases.documents import document_attach
from doudi.core.workdays import add_working_days
from doudi.verification.alerts import alerts_to_review
from doudi.verification.generator import _headers, file_bytes
from doudi.verification.loads import dataset_load
from doudi.verification.models import Alert, AlertRule, FindingObjection, FindingState, VerificationRequest
from doudi.verification.report import report_build
from doudi.verification.requests import is_overdue, request_send, review_cases
from doudi.verification.schemas import KINDS

from ..cases.conftest import D
from ..payments.conftest import enrol, finance  # noqa: F401
from .conftest import walk
from .test_alerts import _head
from .test_alerts import _load as _load_one

TODAY = timezone.localdate()
DAY = (TODAY - dt.timedelta(days=20)).isoformat()


def _authorise(case, who, name="授权书.pdf", kind="authorisation"):
    return document_attach(actor=who, case=case, kind=kind, filename=name, content=b"%PDF-1.4 " + name.encode())


def _answer(centre, req, kind, rows, as_of):
    return dataset_load(
        actor=centre["centre"],
        kind=kind,
        as_of=as_of,
        filename=f"{kind}-answer.csv",
        content=file_bytes(_headers(KINDS[kind]), rows, "csv"),
        request=req,
    )


def test_a_batch_of_reviews_is_sent_and_answered_on_time(centre, enrol, settings, tmp_path, client_for):
    settings.DATA_DIR = tmp_path
    cw = centre["caseworker_a"]
    enrolments = [enrol(), enrol()]
    for e in enrolments:
        _authorise(e.case, cw)
        _load_one(centre, "vehicle", _head(e), plate="川Z5", vehicle_type="货车", registered_on=DAY)
    reviews = alerts_to_review(actor=cw, alert_ids=list(Alert.objects.values_list("pk", flat=True)), on=TODAY)
    batch = review_cases(centre["centre"])
    assert sorted(c.pk for c in batch) == sorted(c.pk for c in reviews) and len(batch) == 2
    req = request_send(actor=centre["centre"], department="public_security", case_ids=[c.pk for c in batch], on=TODAY)
    assert req.case_id is None and req.kinds == ["hukou", "death"]
    assert req.due_on == add_working_days(TODAY, settings.DOUDI_VERIFICATION_ANSWER_DAYS).due > TODAY
    assert {s.person_id for s in req.subjects.all()} == {_head(e).pk for e in enrolments}
    # the data is as of the end of last month: before the request was sent, as departments' extracts are
    as_of = TODAY.replace(day=1) - dt.timedelta(days=1)
    heads = [_head(e) for e in enrolments]
    _answer(centre, req, "hukou", [[p.name, p.id_number, "正常", "511425101201", ""] for p in heads], as_of)
    req.refresh_from_db()
    assert (req.state, req.answered_on) == (VerificationRequest.State.SENT, None)  # the deaths not answered yet
    _answer(centre, req, "death", [[heads[0].name, heads[0].id_number, DAY, "", ""]], as_of)
    req.refresh_from_db()
    assert (req.state, req.answered_on, req.answered_late) == (VerificationRequest.State.ANSWERED, TODAY, False)
    assert not is_overdue(req, today=req.due_on + dt.timedelta(days=30))  # answered: never overdue
    assert req.answers.count() == 2
    # matched back: the death in the answer is an alert on the dead head's payment, held
    assert Alert.objects.get(rule=AlertRule.DEATH_PAID).person_id == heads[0].pk
    assert AuditEvent.objects.filter(action="verification.answer").count() == 2
    body = client_for(centre["centre"]).get(f"/api/v1/verification/requests/{req.pk}").json()
    assert (body["state"], body["answered_on"], body["answered_late"], body["overdue"]) == (
        "answered",
        TODAY.isoformat(),
        False,
        False,
    )


@pytest.fixture
def case(apply, centre, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    c = apply().cases.get()
    return walk(c, centre, until="verifying")


def test_an_answer_after_the_deadline_is_marked_late(case, centre, client_for):
    _authorise(case, centre["caseworker_a"])
    req = request_send(actor=centre["centre"], department="traffic", case_ids=[case.pk], on=D)
    assert req.due_on == dt.date(2026, 3, 9)  # 5 working days after Monday 2 March 2026
    assert is_overdue(req)
    head = case.household.memberships.get(relation="head").person
    # the data is as of the day the request was sent: the day the answer came in is what counts
    _answer(centre, req, "vehicle", [[head.name, head.id_number, "川Z7", "货车", "2025-01-01", ""]], D)
    req.refresh_from_db()
    assert (req.state, req.answered_on, req.answered_late) == ("answered", TODAY, True)
    client = client_for(centre["centre"])
    assert client.get(f"/api/v1/verification/requests/{req.pk}").json()["answered_late"] is True
    assert "逾期答复" in client.get(f"/verification/requests/{req.pk}/").content.decode()
    assert f'data-late="{req.pk}"' in client.get("/verification/requests/").content.decode()


def _wage(centre, person, amount):
    rows = [[person.name, person.id_number, "青神县竹编产业园", "2026-02", amount]]
    return dataset_load(
        actor=centre["centre"],
        kind="wage",
        as_of=D,
        filename="w.csv",
        content=file_bytes(_headers(KINDS["wage"]), rows, "csv"),
    )


def test_an_objection_with_evidence_is_recorded_through_the_api_and_resolved(case, centre, client_for, apply):
    head = case.household.memberships.get(relation="head").person
    _wage(centre, head, "2600.00")
    cw = centre["caseworker_a"]
    wage = next(f for f in report_build(actor=cw, case=case) if f.kind == "wage")
    evidence = _authorise(case, cw, name="工资证明.pdf", kind="income_proof")
    url = f"/api/v1/verification/findings/{wage.pk}/objections"
    body = {"received_on": TODAY.isoformat(), "content": "2月含年终奖\n平时月薪500元", "evidence_id": evidence.pk}

    # who may not: a village cadre (no permission), township B's caseworker (not their area: as if missing)
    r = client_for(centre["cadre_a"]).post(url, body, content_type="application/json")
    assert r.status_code == 403, r.content.decode()
    assert client_for(centre["caseworker_b"]).post(url, body, content_type="application/json").status_code == 404
    client = client_for(cw)
    future = {**body, "received_on": (TODAY + dt.timedelta(days=1)).isoformat()}
    r = client.post(url, future, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "received_on"
    other_case = apply(programmes=("tekun",)).cases.get()
    foreign = _authorise(other_case, cw, name="别案材料.pdf", kind="income_proof")
    r = client.post(url, {**body, "evidence_id": foreign.pk}, content_type="application/json")
    # another case's document is not evidence here
    assert r.status_code == 404 and r.json()["field"] == "evidence", r.content.decode()
    assert not FindingObjection.objects.exists()

    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 201, r.content
    out = r.json()
    due = add_working_days(TODAY, 10)
    assert (out["recheck_due"], out["due_complete"]) == (due.due.isoformat(), due.calendar_complete)
    assert (out["evidence_id"], out["outcome"], out["finding_state"]) == (evidence.pk, "", FindingState.PENDING)
    objection = FindingObjection.objects.get()
    assert (objection.evidence_id, objection.received_on, objection.recorded_by) == (evidence.pk, TODAY, cw)
    assert objection.content == "2月含年终奖\n平时月薪500元"
    event = AuditEvent.objects.get(action="verification.objection")
    assert event.new["recheck_due"] == due.due.isoformat() and event.household_id == case.household_id
    assert client.post(url, body, content_type="application/json").status_code == 409  # one open at a time

    resolve = f"/api/v1/verification/objections/{objection.pk}/resolve"
    upheld = {"outcome": "upheld", "note": "单位出具工资证明"}
    assert client_for(centre["caseworker_b"]).post(resolve, upheld, content_type="application/json").status_code == 404
    r = client_for(cw).post(resolve, upheld, content_type="application/json")
    assert r.status_code == 200 and (r.json()["outcome"], r.json()["finding_state"]) == ("upheld", "disputed")
    assert client_for(cw).post(resolve, upheld, content_type="application/json").status_code == 409
