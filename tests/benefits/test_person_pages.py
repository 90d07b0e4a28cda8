"""One person, all programmes on the pages and the API: every programme on the person's and the household's page in
a fixed number of queries, a grant with the rules' explanation, a stop, a death previewed then confirmed, a
household's change report, a held one-off released, and the same through /api/v1."""

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from doudi.benefits import overview
from doudi.benefits.actions import benefit_grant
from doudi.cases.models import ChangeReport, Enrolment, EnrolmentStatus
from doudi.programmes.rules.inputs import Claim, Hardship
from doudi.programmes.rules.registry_input import household_input
from doudi.registry.models import Membership, Person

from ..conftest import member

D = Decimal


def test_every_programme_in_two_queries_whatever_the_history(setup, family):
    """The person's and the household's programmes: one query for the enrolments of every programme, one for the
    temporary assistance awaiting a decision — the same count with 5 programmes as with 8."""
    old, h, user = family["old"], family["household"], setup["approver"]
    old = Person.objects.get(pk=old.pk)
    with CaptureQueriesContext(connection) as few:
        rows = overview.person_programmes(user, old)
    assert sorted(r.programme for r in rows) == ["dibao", "disability", "elderly", "medical"]
    # more programmes and history: a temporary grant, another medical one, a second elderly person
    hardship = Hardship("emergency", "房屋失火", D("1000"), D("0"), D("0"), dt.date(2026, 4, 2))
    benefit_grant(
        actor=user,
        programme="temporary",
        household=h,
        person=old,
        on=dt.date(2026, 4, 3),
        facts=replace(household_input(h), hardship=hardship),
    )
    claim = Claim(0, D("800.00"), False, D("0"), D("0"), dt.date(2026, 5, 2))
    benefit_grant(
        actor=user,
        programme="medical",
        household=h,
        person=old,
        on=dt.date(2026, 5, 7),
        facts=replace(household_input(h), enrolled=("dibao",), claim=claim),
    )
    with CaptureQueriesContext(connection) as many:
        rows = overview.person_programmes(user, old)
    assert len(rows) == 6
    assert len(many.captured_queries) == len(few.captured_queries) <= 3  # enrolments, temporary (and the scope)
    with CaptureQueriesContext(connection) as household:
        rows = overview.household_programmes(user, h)
    assert sorted({r.programme for r in rows}) == ["children", "dibao", "disability", "elderly", "medical", "temporary"]
    assert len(household.captured_queries) <= 3
    row = next(r for r in rows if r.programme == "elderly")
    assert (row.amount, row.since, row.until, row.live, row.once) == (
        D("20.00"),
        dt.date(2026, 3, 1),
        None,
        True,
        False,
    )
    assert next(r for r in rows if r.programme == "temporary").once


def test_person_page_shows_every_programme_and_the_household_page_too(setup, family, client_for):
    old, h = family["old"], family["household"]
    page = client_for(setup["caseworker"]).get(f"/people/{old.pk}/").content.decode()
    for text in (
        "高龄津贴",
        "困难残疾人生活补贴和重度残疾人护理补贴",
        "医疗救助",
        "最低生活保障",
        "登记死亡",
        "迁出本县",
        f"/cases/{family['dibao'].case_id}/",
    ):
        assert text in page, text
    page = client_for(setup["caseworker"]).get(f"/households/{h.pk}/").content.decode()
    assert 'id="all-programmes"' in page and "孤儿和事实无人抚养儿童基本生活保障" in page
    assert f"/people/{old.pk}/" in page and f"/households/{h.pk}/change-report/" in page
    # another township's caseworker: not found, as a missing person
    assert client_for(setup["caseworker_b"]).get(f"/people/{old.pk}/").status_code == 404


def test_grant_page_explains_then_grants_and_stop_ends_it(setup, family, client_for):
    h = family["household"]
    daughter = Person.objects.get(name="周小妹")
    Person.objects.filter(pk=daughter.pk).update(birth_date=dt.date(1940, 1, 1))  # 86: the old-age allowance
    c = client_for(setup["approver"])
    page = c.get(f"/people/{daughter.pk}/grant/elderly/").content.decode()
    assert "符合条件" in page and "测算依据" in page and "80" in page
    r = c.post(f"/people/{daughter.pk}/grant/elderly/", {"note": "页面核定"})
    assert r.status_code == 302
    e = Enrolment.objects.get(person=daughter, programme_id="elderly")
    assert e.status == EnrolmentStatus.ACTIVE and e.monthly_amount == D("20.00")
    r = c.post(f"/enrolments/{e.pk}/stop/", {"month": "2027-01", "reason": "核查不符", "person": daughter.pk})
    e.refresh_from_db()
    assert (e.status, e.end_month) == (EnrolmentStatus.TERMINATED, dt.date(2026, 12, 1))
    # a grant nobody may claim: the page says why, nothing saved
    page = c.get(f"/people/{family['child'].pk}/grant/elderly/").content.decode()
    assert "不符合条件" in page and '<button class="primary">核定并纳入发放' not in page
    assert c.post(f"/people/{family['child'].pk}/grant/elderly/").status_code == 200
    assert not Enrolment.objects.filter(person=family["child"], programme_id="elderly").exists()
    assert c.get(f"/people/{daughter.pk}/grant/medical/").status_code == 404
    assert h.pk


def test_death_page_previews_then_confirms(setup, family, client_for):
    old = family["old"]
    c = client_for(setup["caseworker"])
    url = f"/people/{old.pk}/report/death/"
    assert "死亡日期" in c.get(url).content.decode()
    data = {"on": "2026-04-10", "details": "村委会报告", "confirm": "0"}
    page = c.post(url, data).content.decode()
    assert 'id="preview"' in page and "停发" in page and "暂缓发放" in page and "重新测算" in page
    old.refresh_from_db()
    assert not old.deceased and not ChangeReport.objects.exists()  # a preview writes nothing
    fingerprint = page.split('name="previewed" value="')[1].split('"')[0]
    # confirming with other values than those previewed previews them instead
    page = c.post(url, {**data, "on": "2026-04-11", "confirm": "1", "previewed": fingerprint}).content.decode()
    assert 'id="preview"' in page
    old.refresh_from_db()
    assert not old.deceased
    r = c.post(url, {**data, "confirm": "1", "previewed": fingerprint})
    assert r.status_code == 302
    old.refresh_from_db()
    assert old.died_on == dt.date(2026, 4, 10)
    assert ChangeReport.objects.get(enrolment=family["dibao"]).kind == "death"
    # an error names the field, nothing saved
    page = c.post(f"/people/{family['child'].pk}/report/death/", {"on": "2026-02-30", "details": "x"}).content.decode()
    assert "死亡日期格式应为 YYYY-MM-DD" in page
    # the held settlement is paid after checking, from the household page
    medical = Enrolment.objects.get(person=old, programme_id="medical")
    assert medical.status == EnrolmentStatus.SUSPENDED
    client_for(setup["approver"]).post(f"/enrolments/{medical.pk}/hold/", {"pay": "1", "reason": "家属领取"})
    medical.refresh_from_db()
    assert medical.status == EnrolmentStatus.ACTIVE


def test_household_change_page_and_move_within_page(setup, family, client_for):
    h = family["household"]
    c = client_for(setup["caseworker"])
    url = f"/households/{h.pk}/change-report/"
    data = {"kind": "income", "month": "2026-05", "details": "务工收入增加", "confirm": "0"}
    page = c.post(url, data).content.decode()
    assert "重新测算" in page and "不受影响" in page
    fingerprint = page.split('name="previewed" value="')[1].split('"')[0]
    assert c.post(url, {**data, "confirm": "1", "previewed": fingerprint}).status_code == 302
    assert ChangeReport.objects.get(enrolment=family["dibao"]).kind == "income"
    other = setup["register"](
        area="511425101001",
        members=[member("周大儿", "1965-02-02", 71, "head")],
    )
    Membership.objects.update(start_date=dt.date(2020, 1, 1))
    url = f"/people/{family['child'].pk}/report/move-within/"
    data = {
        "on": "2026-05-02",
        "details": "随父生活",
        "to_household": other.pk,
        "relation": "grandchild",
        "confirm": "0",
    }
    page = c.post(url, data).content.decode()
    assert "随人转移" in page
    fingerprint = page.split('name="previewed" value="')[1].split('"')[0]
    assert c.post(url, {**data, "confirm": "1", "previewed": fingerprint}).status_code == 302
    assert Enrolment.objects.get(person=family["child"]).household_id == other.pk


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_api(setup, family):
    old, h = family["old"], family["household"]
    c = login(setup["caseworker"])
    rows = c.get(f"/api/v1/people/{old.pk}/programmes").json()
    assert {r["programme"]: r["amount"] for r in rows}["elderly"] == "20.00"
    assert len(c.get(f"/api/v1/households/{h.pk}/programmes").json()) == 5

    def post(path, body, who=c):
        return who.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")

    r = post(f"/people/{old.pk}/death", {"died_on": "2026-04-10", "details": "病故", "preview": True})
    assert r.status_code == 200 and r.json()["preview"]
    assert {e["programme"]: e["outcome"] for e in r.json()["effects"]} == {
        "elderly": "stop",
        "disability": "stop",
        "medical": "hold",
        "dibao": "reevaluate",
    }
    assert not Person.objects.get(pk=old.pk).deceased
    r = post(f"/people/{old.pk}/death", {"died_on": "2026-04-10", "details": "病故"})
    assert r.status_code == 201 and Person.objects.get(pk=old.pk).died_on == dt.date(2026, 4, 10)
    assert post(f"/people/{old.pk}/death", {"died_on": "2026-04-10", "details": "病故"}).status_code == 409
    r = post(f"/people/{old.pk}/death", {"died_on": "2026-04-31", "details": "x"})
    assert r.status_code == 422
    r = post(f"/households/{h.pk}/change-report", {"kind": "income", "effective_month": "2026-06", "details": "增收"})
    assert r.status_code == 201
    medical = Enrolment.objects.get(person=old, programme_id="medical")
    a = login(setup["approver"])
    r = post(f"/enrolments/{medical.pk}/hold", {"pay": False, "reason": "撤销"}, who=a)
    assert r.status_code == 200 and r.json()["status"] == "terminated"
    daughter = Person.objects.get(name="周小妹")
    Person.objects.filter(pk=daughter.pk).update(birth_date=dt.date(1940, 1, 1))
    r = post(f"/people/{daughter.pk}/grants", {"programme": "elderly"}, who=a)
    assert r.status_code == 201 and r.json()["monthly_amount"] == "20.00"
    r = post(f"/enrolments/{r.json()['enrolment_id']}/stop", {"month": "2027-02", "reason": "核查"}, who=a)
    assert r.status_code == 200 and r.json()["end_month"] == "2027-01-01"
    assert post(f"/people/{daughter.pk}/grants", {"programme": "elderly"}).status_code == 403  # caseworker
    # outside the area: as missing
    b = login(setup["caseworker_b"])
    assert b.get(f"/api/v1/people/{old.pk}/programmes").status_code == 404
    assert post(f"/people/{daughter.pk}/death", {"died_on": "2026-04-10", "details": "x"}, who=b).status_code == 404


@pytest.mark.parametrize("lang", ["en"])
def test_person_page_in_english(setup, family, client_for, lang):
    c = client_for(setup["caseworker"])
    c.cookies["django_language"] = lang
    page = c.get(f"/people/{family['old'].pk}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert "Old-age allowance" in page and "Every programme" in page and "Record a death" in page


def test_disability_granted_from_the_month_of_application_on_the_page_and_the_api(setup):
    """domain.md §5c: the subsidies are paid from the month of application. A grade 1 member (care subsidy 100.00,
    no dibao) who applied two months ago starts in that month; an application date is refused when it is after
    today or given for a programme not paid from the application (the old-age allowance)."""
    setup["register"](
        members=[
            member("钱一", "1970-01-01", 61, "head", disability_kind="physical", disability_grade=1),
            member("钱二", "1972-01-01", 62, "spouse", disability_kind="visual", disability_grade=1),
        ]
    )
    one, two = Person.objects.get(name="钱一"), Person.objects.get(name="钱二")
    today = timezone.localdate()
    applied = (today.replace(day=1) - dt.timedelta(days=40)).replace(day=10)  # two months back, the 10th
    a = login(setup["approver"])

    def post(path, body):
        return a.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")

    r = post(f"/people/{one.pk}/grants", {"programme": "disability", "applied_on": f"{today + dt.timedelta(days=1)}"})
    assert r.status_code == 400 and r.json()["field"] == "applied_on", r.json()
    r = post(f"/people/{one.pk}/grants", {"programme": "elderly", "applied_on": f"{applied}"})
    assert r.status_code == 400 and r.json()["field"] == "applied_on", r.json()
    r = post(f"/people/{one.pk}/grants", {"programme": "disability", "applied_on": f"{applied}"})
    assert r.status_code == 201 and r.json()["start_month"] == f"{applied.replace(day=1)}"
    assert r.json()["monthly_amount"] == "100.00"
    # the page asks for the date and grants from its month
    page = a.get(f"/people/{two.pk}/grant/disability/").content.decode()
    assert 'name="applied_on"' in page
    r = a.post(f"/people/{two.pk}/grant/disability/", {"applied_on": f"{applied}"})
    assert r.status_code == 302
    e = Enrolment.objects.get(programme_id="disability", person=two)
    assert e.start_month == applied.replace(day=1) and e.monthly_amount == D("100.00")
