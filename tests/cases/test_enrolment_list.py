"""The enrolment list (保障对象): filtered by status, programme, area and name or ID number, a page at a time,
with the count and the month's amount still paid; the same list as .xlsx (audited) and through the API."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from doudi.accounts.actions import token_create
from doudi.audit.models import AuditEvent
from doudi.cases.exports import HEADER
from doudi.cases.models import EnrolmentStatus

VILLAGE = "511425101201"  # the even-numbered households of the `make` fixture; the odd ones are in 511425101001


@pytest.fixture
def listed(make):
    made = make["enrolments"](6)
    made[5].status = EnrolmentStatus.TERMINATED
    made[5].save()
    return made


def rows(response) -> list[str]:
    html = response.content.decode()
    return [e for e in html.split('href="/enrolments/')[1:] if e[:1].isdigit()]


def test_filters_count_and_total(client_for, people, listed):
    c = client_for(people["caseworker_a"])
    r = c.get("/enrolments/")
    assert len(rows(r)) == 6
    # five still paid at 240.00 a month; the terminated one is listed but not added up
    assert "共 6 条；其中按月发放的每月合计 1,200.00 元" in r.content.decode()
    r = c.get("/enrolments/", {"area": VILLAGE})
    assert len(rows(r)) == 3 and "共 3 条" in r.content.decode()
    assert len(rows(c.get("/enrolments/", {"status": "terminated"}))) == 1
    assert len(rows(c.get("/enrolments/", {"programme": "tekun"}))) == 0
    assert len(rows(c.get("/enrolments/", {"programme": "dibao", "status": "active"}))) == 5
    # by the head's name, as the household search finds it
    r = c.get("/enrolments/", {"q": "户主3"})
    assert len(rows(r)) == 1 and f'href="/enrolments/{listed[3].pk}/"' in r.content.decode()


def test_another_township_sees_none_of_it(client_for, people, listed):
    c = client_for(people["caseworker_b"])
    assert rows(c.get("/enrolments/")) == []
    assert rows(c.get("/enrolments/", {"area": VILLAGE})) == []  # naming the area does not open it
    assert rows(c.get("/enrolments/", {"q": "户主"})) == []


def test_a_village_cadre_sees_their_village(client_for, people, listed):
    c = client_for(people["cadre_a"])
    assert len(rows(c.get("/enrolments/"))) == 3


@override_settings(DOUDI_PAGE_SIZE=4)
def test_a_page_at_a_time(client_for, people, listed):
    c = client_for(people["caseworker_a"])
    first = c.get("/enrolments/", {"status": ""}).content.decode()
    assert len(rows(c.get("/enrolments/"))) == 4 and "第 1 / 2 页，共 6 条" in first
    second = c.get("/enrolments/", {"page": "2"})
    assert len(rows(second)) == 2
    assert set(rows(second)).isdisjoint(rows(c.get("/enrolments/")))


def test_bad_filters_are_named(client_for, people, listed):
    c = client_for(people["caseworker_a"])
    r = c.get("/enrolments/", {"area": "5" * 13}, follow=True)
    assert r.status_code == 200 and "区划" in r.content.decode() and rows(r) == []
    assert rows(c.get("/enrolments/", {"area": "999999999999"})) == []  # an area that does not exist: nothing


def test_the_list_as_xlsx(client_for, people, listed):
    c = client_for(people["caseworker_a"])
    r = c.get("/enrolments/export.xlsx", {"area": VILLAGE})
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0]) == HEADER
    assert len(table) == 1 + 3 and len({row[3] for row in table[1:]}) == 1  # one village
    by_id = {row[0]: row for row in table[1:]}
    e = listed[0]
    assert by_id[e.pk][4] == e.programme.name_zh
    assert by_id[e.pk][5] == "户主0" and Decimal(str(by_id[e.pk][9])) == Decimal("240.00")
    assert by_id[e.pk][7:9] == ("在保", "每月") and by_id[e.pk][11] == "2026-04" and by_id[e.pk][13] == "2027-03-01"
    event = AuditEvent.objects.filter(action="enrolment.export").get()
    assert event.actor_id == people["caseworker_a"].pk and "3 行" in event.target_label
    assert event.new == {"rows": 3, "filters": {"area": VILLAGE}}
    c.get("/enrolments/export.xlsx", {"q": "110101199003070000"})
    searched = AuditEvent.objects.filter(action="enrolment.export").latest("at")
    assert "1101" not in str(searched.new) and searched.new["filters"]["q"]  # searched, but not what for


def test_a_village_cadre_may_not_export(client_for, people, listed):
    c = client_for(people["cadre_a"])
    assert c.get("/enrolments/export.xlsx").status_code == 403
    assert not AuditEvent.objects.filter(action="enrolment.export").exists()


def test_the_api_filters_and_pages(client, people, listed):
    _t, key = token_create(actor=people["caseworker_a"], name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    all_ids = [e["id"] for e in client.get("/api/v1/enrolments", **auth).json()]
    assert sorted(all_ids) == sorted(e.pk for e in listed) and all_ids == sorted(all_ids, reverse=True)
    page = client.get("/api/v1/enrolments", {"offset": 2, "limit": 2}, **auth).json()
    assert [e["id"] for e in page] == all_ids[2:4]
    assert len(client.get("/api/v1/enrolments", {"area": VILLAGE}, **auth).json()) == 3
    assert len(client.get("/api/v1/enrolments", {"q": "户主3"}, **auth).json()) == 1
    assert client.get("/api/v1/enrolments", {"limit": 0}, **auth).status_code == 422
    _t, other = token_create(actor=people["caseworker_b"], name="t")
    assert client.get("/api/v1/enrolments", HTTP_AUTHORIZATION=f"Bearer {other}").json() == []


def test_a_one_off_payment_is_not_a_monthly_amount(client_for, people, listed):
    """A funeral fee waiver is paid once: listed as such, without a review date, and not added to the month."""
    listed[1].programme_id = "funeral"
    listed[1].monthly_amount = Decimal("1030.00")
    listed[1].save()
    c = client_for(people["caseworker_a"])
    html = c.get("/enrolments/").content.decode()
    assert "其中按月发放的每月合计 960.00 元" in html  # four dibao households at 240.00
    row = html[html.index(f'href="/enrolments/{listed[1].pk}/"') :].split("</tr>")[0]
    assert "一次性" in row and "1,030.00" in row and "待发放" in row and "2027-03-01" not in row
    table = list(load_workbook(io.BytesIO(c.get("/enrolments/export.xlsx").content)).active.iter_rows(values_only=True))
    funeral = next(r for r in table if r[0] == listed[1].pk)
    assert funeral[7:9] == ("待发放", "一次性") and funeral[13] is None  # no review date
