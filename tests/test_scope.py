"""A township caseworker cannot see or change another township's household — through a page, the API,
search or export."""

import io

import pytest
from openpyxl import load_workbook

from doudi.accounts.actions import token_create
from doudi.audit.models import AuditEvent
from doudi.core.errors import NotFound
from doudi.registry import actions
from doudi.registry.models import Household, Person

from .conftest import member


@pytest.fixture
def two_households(register, staff):
    a = register()  # township A (汉阳镇)
    b = register(
        actor=staff["caseworker_b"],
        area="511425102201",
        phone="13700002222",
        members=[member("孙瑞峰", "1966-09-09", 41, "head")],
    )
    return a, b


def test_page_hides_and_refuses_other_township(client_for, staff, two_households):
    a, b = two_households
    c = client_for(staff["caseworker_a"])
    assert c.get(f"/households/{a.pk}/").status_code == 200
    assert c.get(f"/households/{b.pk}/").status_code == 404
    assert c.get(f"/households/{b.pk}/edit/").status_code == 404
    r = c.post(f"/households/{b.pk}/edit/", {"area": "511425102201", "hukou_type": "urban"})
    assert r.status_code == 404
    b.refresh_from_db()
    assert b.hukou_type == "rural"
    person_b = Person.objects.get(name="孙瑞峰")
    assert c.get(f"/people/{person_b.pk}/edit/").status_code == 404
    assert c.get(f"/reveal/person/{person_b.pk}/").status_code == 404
    assert c.post(f"/households/{b.pk}/incomes/new/", {"kind": "wage", "monthly": "1"}).status_code == 404
    assert not AuditEvent.objects.filter(kind="access").exists()


def test_search_returns_only_own_township(client_for, staff, two_households):
    a, b = two_households
    c = client_for(staff["caseworker_a"])

    def found(client, **params):
        page = client.get("/households/", params).context["page"]
        return {h.head_name for h in page}

    assert found(c, q="孙瑞峰") == set()
    assert found(c) == {"张大山"}
    assert found(c, q="李秀英") == {"张大山"}  # any member's name finds the household
    assert found(c, q=b.phone) == set()
    # Asking for the other township's area code gives nothing either.
    assert found(c, area="511425102000") == set()
    # The county sees both, by name, ID number (full or last 4) and phone.
    admin = client_for(staff["approver"])  # a county account
    assert found(admin) == {"张大山", "孙瑞峰"}
    number = Person.objects.get(name="孙瑞峰").id_number
    assert found(admin, q=number) == {"孙瑞峰"}
    assert found(admin, q=number[-4:]) == {"孙瑞峰"}
    assert found(admin, q="13800001111") == {"张大山"}
    assert found(admin, area="511425102000") == {"孙瑞峰"}


def test_export_contains_only_own_township(client_for, staff, two_households):
    c = client_for(staff["caseworker_a"])
    r = c.get("/households/export.xlsx")
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    name, number = rows[0].index("姓名"), rows[0].index("身份证号")  # the import template's columns, by header
    names = {row[name] for row in rows[1:]}
    assert names == {"张大山", "李秀英"}
    # masked by default, and no access event for a masked export
    assert all("*" in row[number] for row in rows[1:])
    assert not AuditEvent.objects.filter(kind="access").exists()


def test_api_refuses_other_township(client, staff, two_households):
    a, b = two_households
    _t, key = token_create(actor=staff["caseworker_a"], name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/v1/households/{a.pk}", **auth).status_code == 200
    r = client.get(f"/api/v1/households/{b.pk}", **auth)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.patch(
        f"/api/v1/households/{b.pk}", data={"phone": "13900000000"}, content_type="application/json", **auth
    )
    assert r.status_code == 404
    listing = client.get("/api/v1/households", {"q": "孙瑞峰"}, **auth).json()
    assert listing["count"] == 0
    person_b = Person.objects.get(name="孙瑞峰")
    assert client.get(f"/api/v1/people/{person_b.pk}/id-number", **auth).status_code == 404
    assert client.get("/api/v1/areas/511425102000", **auth).status_code == 404
    codes = {a["code"] for a in client.get("/api/v1/areas", **auth).json()}
    assert codes == {"511425101000", "511425101201", "511425101001"}


def test_actions_refuse_other_township(staff, two_households):
    a, b = two_households
    with pytest.raises(NotFound):
        actions.household_update(actor=staff["caseworker_a"], household=b, data={"phone": "13900000000"})
    with pytest.raises(NotFound):
        actions.person_move(
            actor=staff["caseworker_a"], person=Person.objects.get(name="李秀英"), to_household=b, relation="spouse"
        )
    assert Household.objects.get(pk=b.pk).member_count == 1


def test_unauthenticated_is_sent_to_login_and_api_refuses(client, two_households):
    a, _b = two_households
    r = client.get(f"/households/{a.pk}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert client.get(f"/api/v1/households/{a.pk}").status_code == 401
    assert client.get(f"/api/v1/households/{a.pk}", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
