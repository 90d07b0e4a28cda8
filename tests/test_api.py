import pytest

from doudi.accounts.actions import token_create
from doudi.audit.models import AuditEvent

from .conftest import make_id


@pytest.fixture
def api(client, staff):
    _t, key = token_create(actor=staff["caseworker_a"], name="test")

    def call(method, path, body=None, **params):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        elif params:
            kwargs["data"] = params
        return getattr(client, method)(f"/api/v1{path}", **kwargs)

    return call


def household_body(**over):
    return {
        "area_code": "511425101201",
        "hukou_type": "rural",
        "phone": "13800007777",
        "members": [
            {"name": "陈一", "id_number": make_id("1958-08-08", 81), "relation": "head"},
            {"name": "陈二", "id_number": make_id("1988-08-08", 82), "relation": "child", "labour_capacity": "partial"},
        ],
        **over,
    }


def test_register_read_update_and_audit(api):
    r = api("post", "/households", household_body())
    assert r.status_code == 201, r.content
    h = r.json()
    assert h["head_name"] == "陈一" and h["member_count"] == 2
    assert all("*" in m["id_number_masked"] for m in h["members"])
    r = api("patch", f"/households/{h['id']}", {"address": "东风村5组"})
    assert r.status_code == 200 and r.json()["address"] == "东风村5组"
    r = api(
        "post",
        f"/households/{h['id']}/records/incomes",
        {"kind": "wage", "monthly": "500.00", "person": h["members"][0]["id"]},
    )
    assert r.status_code == 201 and r.json()["fields"]["monthly"] == "500.00"
    assert api("get", f"/households/{h['id']}").json()["records"][0]["kind"] == "incomes"
    actions = list(AuditEvent.objects.filter(household_id=h["id"]).order_by("id").values_list("action", flat=True))
    assert actions == ["household.register", "household.update", "income.add"]
    found = api("get", "/households", q="陈二").json()
    assert found["count"] == 1 and found["items"][0]["id"] == h["id"]


def test_patch_with_null_for_a_field_every_household_has_leaves_it(api):
    """The schema allows null for each field of a PATCH; for the area and the hukou type it means "unchanged"."""
    h = api("post", "/households", household_body()).json()
    r = api("patch", f"/households/{h['id']}", {"hukou_type": None, "area_code": None, "address": "东风村6组"})
    assert r.status_code == 200, r.content
    assert r.json()["hukou_type"] == "rural" and r.json()["area_code"] == "511425101201"


def test_bad_input_names_the_field_in_both_languages(api):
    good = make_id("1958-08-08", 83)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    r = api("post", "/households", household_body(members=[{"name": "坏号", "id_number": bad, "relation": "head"}]))
    assert r.status_code == 400
    err = r.json()
    assert err["field"] == "members.0.id_number" and err["code"] == "id_checksum"
    assert err["message_zh"] and err["message_en"]
    r = api("post", "/households", household_body(hukou_type="city"))  # the schema lists the hukou types
    assert r.status_code == 422 and r.json()["field"] == "hukou_type"
    assert "urban" in r.json()["message_en"] and r.json()["message_zh"].startswith("hukou_type：取值无效")
    r = api("post", "/households", {"area_code": "511425101201"})  # schema: members missing
    assert r.status_code == 422
    assert AuditEvent.objects.filter(action="household.register").count() == 0


def test_duplicate_id_via_api_is_409_or_400_with_household(api):
    first = api("post", "/households", household_body()).json()
    r = api("post", "/households", household_body())
    assert r.status_code == 400 and r.json()["code"] == "duplicate_id"
    assert r.json()["household_id"] == first["id"]


def test_openapi_docs_are_served(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200 and "/api/v1/households" in r.json()["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_revoked_token_is_refused(client, staff):
    from doudi.accounts.actions import token_revoke

    token, key = token_create(actor=staff["caseworker_a"], name="t")
    assert client.get("/api/v1/areas", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    token_revoke(actor=staff["caseworker_a"], token=token)
    assert client.get("/api/v1/areas", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_every_api_schema_has_its_own_name():
    """The OpenAPI document names each schema by its class: two classes of one name would merge, and the docs
    (and the fuzzing from them) would describe one operation's answer with the other's fields."""
    import collections

    from ninja import Schema

    import doudi.api.api  # noqa: F401  (every router, with its schemas)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = {c for c in subclasses(Schema) if c.__module__.startswith("doudi.")}
    names = collections.defaultdict(set)
    for c in ours:
        names[c.__name__].add(f"{c.__module__}.{c.__qualname__}")
    assert {n: sorted(m) for n, m in names.items() if len(m) > 1} == {}


def test_a_household_from_outside_the_county_through_the_api(api):
    """Issue 15: the hukou place and the residence permit are written, read and refused as on the form."""
    from doudi.programmes.actions import policy_pack_load
    from doudi.programmes.pack import DEMO_PACK

    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    r = api("post", "/households", household_body(hukou_place="重庆市江北区", residence_permit=True))
    assert r.status_code == 201, r.content
    h = r.json()
    assert (h["hukou_place"], h["residence_permit"]) == ("重庆市江北区", True)
    decision = api("get", f"/households/{h['id']}/decision/dibao", on="2026-05-01").json()
    assert not decision["eligible"] and "hukou_outside_county" in [r["code"] for r in decision["reasons_ineligible"]]
    r = api("patch", f"/households/{h['id']}", {"hukou_place": ""})  # the hukou brought into the county
    assert r.status_code == 200 and (r.json()["hukou_place"], r.json()["residence_permit"]) == ("", False)
    body = household_body(residence_permit=True)
    body["members"] = [{"name": "陈三", "id_number": make_id("1960-01-01", 83), "relation": "head"}]
    r = api("post", "/households", body)
    assert r.status_code == 400 and r.json()["field"] == "residence_permit", r.content
