import io
import json

from openpyxl import load_workbook

from doudi.accounts.actions import token_create
from doudi.audit.events import action_label
from doudi.audit.models import AuditEvent
from doudi.core.idnumber import id_mask
from doudi.registry.models import Person

from .conftest import HOSTILE, make_id, member
from .sheets import xlsx_text


def test_revealing_a_full_id_number_writes_one_access_event(client_for, staff, register):
    h = register()
    p = Person.objects.get(name="张大山")
    c = client_for(staff["caseworker_a"])
    page = c.get(f"/households/{h.pk}/").content.decode()
    assert p.id_number not in page and "511425********" in page  # masked in the page
    assert "6217000011112222333" not in page
    r = c.get(f"/reveal/person/{p.pk}/")
    assert p.id_number in r.content.decode()
    r = c.get(f"/reveal/household/{h.pk}/")
    assert "6217000011112222333" in r.content.decode()
    events = AuditEvent.objects.filter(kind="access").order_by("id")
    assert [(e.action, e.target_id, e.actor.username) for e in events] == [
        ("access.id_number.view", str(p.pk), "cw_a"),
        ("access.bank_account.view", str(h.pk), "cw_a"),
    ]
    assert all(e.request_id for e in events)


def test_village_cadre_cannot_reveal(client_for, staff, register):
    register()
    p = Person.objects.get(name="张大山")
    assert client_for(staff["cadre_a"]).get(f"/reveal/person/{p.pk}/").status_code == 403
    assert not AuditEvent.objects.filter(kind="access").exists()


def test_api_full_number_is_logged(client, staff, register):
    register()
    p = Person.objects.get(name="张大山")
    _t, key = token_create(actor=staff["caseworker_a"], name="t")
    r = client.get(f"/api/v1/people/{p.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.json()["id_number_masked"] == "511425********" + p.id_number[-4:]
    assert not AuditEvent.objects.filter(kind="access").exists()
    r = client.get(f"/api/v1/people/{p.pk}/id-number", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.json() == {"id_number": p.id_number}
    assert AuditEvent.objects.filter(kind="access", action="access.id_number.view").count() == 1


def test_full_export_is_access_logged_with_row_count(client_for, staff, register):
    register()
    c = client_for(staff["caseworker_a"])
    r = c.get("/households/export.xlsx", {"full": "1"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    number = rows[0].index("身份证号")  # the import template's columns, by header
    assert {row[number] for row in rows[1:]} == set(Person.objects.values_list("id_number", flat=True))
    e = AuditEvent.objects.get(kind="access")
    assert e.action == "access.id_number+bank_account.export" and e.new["count"] == 2
    # A village cadre may export masked lists? No: cadres have no export permission at all.
    assert client_for(staff["cadre_a"]).get("/households/export.xlsx", {"full": "1"}).status_code == 403


def test_audit_page_filters_and_masks(client_for, staff, register):
    """The page names each event and field in the reader's language (never the code or raw JSON)."""
    h = register()
    p = Person.objects.get(name="张大山")
    c = client_for(staff["auditor"])
    registered, created = action_label("household.register"), action_label("staff.create")
    body = c.get("/audit/", {"action": "household.register"}).content.decode()
    assert f">{registered}</td>" in body and f">{created}</td>" not in body
    assert p.id_number not in body and id_mask(p.id_number) in body  # snapshots show ID numbers masked
    assert "户籍类型" in body and '"hukou_type"' not in body  # fields by their names, not JSON
    body = c.get("/audit/", {"actor": "cw_a"}).content.decode()
    assert f">{registered}</td>" in body
    body = c.get("/audit/", {"actor": "nobody"}).content.decode()
    assert f">{registered}</td>" not in body
    body = c.get("/audit/", {"target": str(h.pk)}).content.decode()
    assert f">{registered}</td>" in body
    body = c.get("/audit/", {"date_from": "2000-01-01", "date_to": "2000-01-02"}).content.decode()
    assert f">{registered}</td>" not in body
    c.cookies["django_language"] = "en"
    body = c.get("/audit/", {"target": str(h.pk)}).content.decode()
    assert ">Register household</td>" in body and "Hukou type" in body and "户籍类型" not in body


def test_auditor_exports_audit_trail_and_others_cannot(client_for, staff, register):
    register()
    r = client_for(staff["auditor"]).get("/audit/export.xlsx", {"action": "household."})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == "household.register"
    assert client_for(staff["caseworker_a"]).get("/audit/").status_code == 403
    assert client_for(staff["caseworker_a"]).get("/audit/export.xlsx").status_code == 403


def test_failed_action_leaves_no_audit_event_and_nothing_half_saved(staff, register, monkeypatch):
    """The failure comes after the household, its people and memberships were written (checked at that moment),
    so only the action's transaction can take them away again."""
    import pytest

    from doudi.registry import actions as registry_actions
    from doudi.registry.models import Household, Membership, Person

    register()
    counts = lambda: (
        Household.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),  # noqa: E731
        AuditEvent.objects.count(),
    )
    before = counts()
    seen = {}

    def audit_fails(**kwargs):
        seen["written"] = counts()
        raise RuntimeError("the audit store failed")

    monkeypatch.setattr(registry_actions, "audit_record", audit_fails)
    with pytest.raises(RuntimeError, match="audit store failed"):
        register(
            members=[{"name": "王新", "id_number": make_id("1980-01-02", 77), "relation": "head"}], phone="13900001234"
        )
    assert seen["written"][:3] == (before[0] + 1, before[1] + 1, before[2] + 1)  # it had written them
    assert counts() == before  # and nothing of it stayed


def test_audit_export_writes_formula_like_text_as_text(client_for, staff, register):
    households = [register(members=[member(value, "1960-01-01", 10 + i, "head")]) for i, value in enumerate(HOSTILE)]
    content = client_for(staff["auditor"]).get("/audit/export.xlsx", {"action": "household."}).content
    for h in households:  # the target label begins with the head's name
        assert xlsx_text(content, str(h)).column == 7
    assert str(households[0]).startswith("=HYPERLINK")


def test_audit_event_types_are_enumerations_with_names(client_for, staff, register):
    """Every event type is a member of an app's enumeration with a Chinese name; the audit page shows the name
    (the code stays in the page as a data attribute for support, never as text or a tooltip)."""
    from doudi.accounts.events import AccountEvent
    from doudi.audit.events import AccessEvent, action_label
    from doudi.cases.audit_actions import AuditAction
    from doudi.payments.events import PaymentEvent
    from doudi.programmes.events import ProgrammeEvent
    from doudi.registry.events import RecordEvent, RegistryEvent

    for enum in (AccountEvent, AccessEvent, ProgrammeEvent, RecordEvent, RegistryEvent, AuditAction, PaymentEvent):
        for event in enum:
            assert action_label(event.value) == str(event.label) != event.value
    register()
    page = client_for(staff["auditor"]).get("/audit/").content.decode()
    assert (
        "登记家庭" in page and 'data-action="household.register"' in page and 'title="household.register"' not in page
    )
    assert action_label("no.such_event") == "no.such_event"


def test_audit_record_refuses_a_bare_string(staff):
    import pytest
    from django.db import transaction

    from doudi.audit.actions import audit_record
    from doudi.registry.events import RegistryEvent

    with transaction.atomic(), pytest.raises(TypeError, match="not a registered event type"):
        audit_record(actor=staff["admin"], action="household.register", target_type="x", target_id=1)
    with transaction.atomic():
        audit_record(actor=staff["admin"], action=RegistryEvent.HOUSEHOLD_REGISTER, target_type="x", target_id=1)
    assert AuditEvent.objects.filter(action="household.register", target_type="x").count() == 1


def test_the_trail_holds_masked_personal_data_not_the_data(register):
    """Registering a household audits its whole content, yet no ID number, bank account or phone in full."""
    h = register()
    ids = list(h.memberships.values_list("person__id_number", flat=True))
    stored = json.dumps(list(AuditEvent.objects.values_list("old", "new")), ensure_ascii=False)
    assert ids and all(i[:6] + "********" + i[-4:] in stored for i in ids)
    for full in (*ids, "6217000011112222333", "13800001111"):
        assert full not in stored


def test_an_id_number_anywhere_in_an_event_is_masked_and_nothing_else():
    from doudi.audit.actions import masked

    event = {
        "note": "身份证511425197503020110有误，旧证511425750302011",
        "numbers": ["51142519800101118X", "511425197503020111"],  # the second's check character is wrong: not one
        "sha256": "a1234567890123456789012b" + "0" * 40,
        "area_code": "511425101201",
        "amount": "511425197503020110.00",
    }
    assert masked(event) == {
        "note": "身份证511425********0110有误，旧证511425*****2011",
        "numbers": ["511425********118X", "511425197503020111"],
        "sha256": event["sha256"],
        "area_code": "511425101201",
        "amount": "511425********0110.00",
    }


def test_a_prefix_is_a_token_s_on_its_events_and_an_area_elsewhere(areas):
    """A background job's details named its area prefix 令牌前缀 (an API token's); it is the area it covers."""
    from doudi.audit.details import details

    assert ("区划范围", "青神县") in details({"prefix": "511425", "year": 2026}, "job")
    assert ("令牌前缀", "abcd1234") in details({"prefix": "abcd1234"}, "apitoken")
