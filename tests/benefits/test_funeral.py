"""The basic funeral fee waiver on the pages and the API (doudi/benefits/funeral.py, funeral_views.py,
doudi/api/funeral.py): the preview's capped amounts worked out by hand from the demo pack's caps (transport 300.00,
cold storage 50.00 a day for at most 3 days, cremation 400.00, urn 200.00, ash storage 100.00, anything else
nothing), the grant paid to the funeral home, one waiver per deceased, a death not recorded, bad fees named by
field, area scope, funeral homes, the list and its .xlsx."""

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from doudi.accounts.actions import staff_create
from doudi.audit.models import AuditEvent
from doudi.benefits.actions import funeral_home_create
from doudi.benefits.life import person_death_record
from doudi.benefits.models import FuneralHome, Payee
from doudi.cases.models import Enrolment
from doudi.core.money import month_start
from doudi.payments.generation import payroll_generate
from doudi.registry.models import Person

from ..conftest import PASSWORD, member
from ..hostile.conftest import HOSTILE_TEXT

D = Decimal
# The funeral home's fees, and what the demo pack waives of each (domain.md §5d)
FEES = {
    "fee_transport": "350.00",  # cap 300.00 → 300.00
    "fee_cold_storage": "200.00",  # 4 days at 50.00 a day; 3 days waived at most → 3 × 50.00 = 150.00
    "days_cold_storage": "4",
    "fee_cremation": "380.00",  # below the cap of 400.00 → 380.00
    "fee_urn": "260.00",  # cap 200.00 → 200.00
    "fee_ash_storage": "120.00",  # cap 100.00 → 100.00
    "fee_other": "500.00",  # not a basic service → 0.00
}
WAIVED = {"transport": "300.00", "cold_storage": "150.00", "cremation": "380.00", "urn": "200.00",
          "ash_storage": "100.00", "other": "0.00"}  # fmt: skip
TOTAL = "1130.00"
SHOWN = "1,130.00"  # as the pages write yuan


@pytest.fixture
def world(setup):
    """A household of 东风村 (汉阳镇) whose head died two days ago, recorded by the township; the county's funeral
    home; a county approver of 瑞峰镇 only (another township)."""
    today = timezone.localdate()
    h = setup["register"](
        members=[member("张大山", "1940-03-02", 11, "head"), member("李秀英", "1942-06-15", 22, "spouse")]
    )
    head = Person.objects.get(name="张大山")
    person_death_record(actor=setup["caseworker"], person=head, died_on=today - dt.timedelta(days=2), details="病故")
    home = funeral_home_create(
        actor=setup["approver"],
        name="青神县殡仪馆",
        area_code="511425000000",
        bank_account="6228480000123456789",
        account_holder="青神县殡仪馆账户",
    )
    approver_b = staff_create(
        actor=None,
        username="approver_b",
        password=PASSWORD,
        role="county_approver",
        area_code="511425102000",
        check_password=False,
    )
    return {**setup, "household": h, "dead": head, "alive": Person.objects.get(name="李秀英"), "home": home,
            "approver_b": approver_b, "today": today}  # fmt: skip


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def preview(c, person, **changes):
    body = {"funeral_home": str(FuneralHome.objects.get().pk), **FEES, "do": "preview", **changes}
    return c.post(f"/people/{person.pk}/funeral/", {k: v for k, v in body.items() if v is not None})


def fingerprint(response) -> str:
    return re.search(r'name="previewed" value="([0-9a-f]+)"', response.content.decode()).group(1)


def grant(c, person, **changes):
    shown = preview(c, person, **changes)
    body = {"funeral_home": str(FuneralHome.objects.get().pk), **FEES, **changes}
    body = {k: v for k, v in body.items() if v is not None}
    return c.post(f"/people/{person.pk}/funeral/", {**body, "do": "grant", "previewed": fingerprint(shown)})


def test_the_preview_shows_each_cap_and_the_amount_and_saves_nothing(world):
    c = login(world["approver"])
    page = c.get(f"/people/{world['dead'].pk}/funeral/").content.decode()
    for cap in ("不超过 300.00 元", "每天不超过 50.00 元，至多 3 天", "不超过 400.00 元", "不超过 200.00 元",
                "不超过 100.00 元", "不属于基本殡葬服务，不减免"):  # fmt: skip
        assert cap in page  # shown before anything is typed
    assert "青神县殡仪馆" in page and 'name="fee_cold_storage"' in page and 'name="days_cold_storage"' in page
    r = preview(c, world["dead"])
    assert r.status_code == 200
    html = r.content.decode()
    assert f"减免合计 {SHOWN} 元，直接拨付殡仪馆，列入" in html
    for kind, waived in WAIVED.items():
        row = re.search(rf'<tr data-kind="{kind}">(.*?)</tr>', html, re.S).group(1)
        assert row.rstrip().endswith(f'<td class="num">{waived}</td>'), (kind, row)
    # the explanation a caseworker reads aloud, step by step
    for step in (
        "遗体接运：收费 350.00 元，上限 300.00 元，减免 300.00 元",
        "遗体冷藏：收费 200.00 元共 4 天（每天 50.00 元），减免 3 天 × （50.00 与 50.00 中较小者）= 150.00 元",
        "其他服务：收费 500.00 元，不属于基本殡葬服务，不减免",
        f"减免合计 {TOTAL} 元，直接拨付殡仪馆",
    ):
        assert step in html
    assert 'id="grant-button"' in html
    assert not Enrolment.objects.filter(programme_id="funeral").exists()


def test_the_grant_pays_the_funeral_home_once(world):
    c = login(world["approver"])
    dead = world["dead"]
    r = grant(c, dead, note="家属已确认")
    assert r.status_code == 302 and r["Location"] == f"/people/{dead.pk}/"
    e = Enrolment.objects.get(programme_id="funeral")
    month = month_start(world["today"])
    assert (e.person_id, e.monthly_amount, e.start_month, e.end_month) == (dead.pk, D(TOTAL), month, month)
    assert Payee.objects.get(enrolment=e).funeral_home == world["home"]
    page = c.get(r["Location"]).content.decode()
    assert f"已办理殡葬费用减免 {SHOWN} 元，付给青神县殡仪馆" in page
    assert "办理殡葬费用减免</a>" not in page  # the link goes once the waiver is granted
    # paid to the funeral home's account through the funeral payroll of the month
    p = payroll_generate(actor=world["finance"], programme="funeral", month=month)
    assert [(x.amount, x.account, x.account_holder) for x in p.lines.all()] == [
        (D(TOTAL), "6228480000123456789", "青神县殡仪馆账户")
    ]
    # a second waiver for the same deceased is refused, and the page says the first
    again = c.get(f"/people/{dead.pk}/funeral/").content.decode()
    assert f"已办理殡葬费用减免：减免 {SHOWN} 元" in again and 'id="funeral-form"' not in again
    r = c.post(f"/people/{dead.pk}/funeral/", {**FEES, "funeral_home": world["home"].pk, "do": "grant"})
    assert r.status_code == 400 and "每位逝者只减免一次" in r.content.decode()
    assert Enrolment.objects.filter(programme_id="funeral").count() == 1


def test_granting_other_fees_than_previewed_previews_them_first(world):
    c = login(world["approver"])
    shown = preview(c, world["dead"])
    body = {**FEES, "fee_urn": "150.00", "funeral_home": world["home"].pk, "do": "grant"}
    r = c.post(f"/people/{world['dead'].pk}/funeral/", {**body, "previewed": fingerprint(shown)})
    assert r.status_code == 200
    html = r.content.decode()
    assert "收费与测算时不同" in html and "减免合计 1,080.00 元" in html  # the urn's 150.00 under its cap
    assert not Enrolment.objects.filter(programme_id="funeral").exists()


def test_a_death_not_recorded_is_refused_with_the_way_to_record_it(world):
    c = login(world["approver"])
    alive = world["alive"]
    page = c.get(f"/people/{alive.pk}/funeral/").content.decode()
    assert "此人尚未登记死亡" in page and f'href="/people/{alive.pk}/"' in page and 'id="funeral-form"' not in page
    r = preview(c, alive)
    assert r.status_code == 400 and "此人尚未登记死亡" in r.content.decode()
    r = c.post(f"/people/{alive.pk}/funeral/", {**FEES, "funeral_home": world["home"].pk, "do": "grant"})
    assert r.status_code == 400
    assert not Enrolment.objects.filter(programme_id="funeral").exists()
    # the action refuses the same way, whatever facts it is given
    r = login(world["approver"]).post(
        f"/api/v1/people/{alive.pk}/funeral-waiver",
        json.dumps({"funeral_home_id": world["home"].pk, "services": [{"kind": "cremation", "fee": "400.00"}]}),
        content_type="application/json",
    )
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (400, "death_unrecorded", "person")


@pytest.mark.parametrize(
    ("changes", "named", "field"),
    [
        ({"fee_cremation": "四百"}, "遗体火化收费格式不正确", "cremation"),
        ({"fee_transport": "-5"}, "遗体接运收费应不小于 0", "transport"),
        ({"fee_urn": "1e3"}, "基本骨灰盒收费", "urn"),
        ({"fee_urn": "120.005"}, "基本骨灰盒收费", "urn"),
        ({"days_cold_storage": None}, "请填写遗体冷藏天数", "cold_storage"),
        ({"days_cold_storage": "三"}, "遗体冷藏天数应为整数", "cold_storage"),
        ({k: None for k in FEES}, "请至少填写一项服务的收费", "transport"),
    ],
)
def test_a_bad_fee_is_named_and_nothing_is_saved(world, changes, named, field):
    c = login(world["approver"])
    for do in ("preview", "grant"):
        r = preview(c, world["dead"], do=do, **changes)
        html = r.content.decode()
        assert r.status_code == 400 and named in html, html[html.find("error-box") :][:300]
        assert re.search(rf'<tr class="has-error"><td><label for="fee_{field}">', html)
    assert not Enrolment.objects.filter(programme_id="funeral").exists()
    # a grant without a funeral home names it
    r = grant(c, world["dead"], funeral_home="")
    assert r.status_code == 400 and "请选择殡仪馆" in r.content.decode()
    assert not Enrolment.objects.filter(programme_id="funeral").exists()


def test_scope_and_role(world):
    dead = world["dead"]
    b = login(world["approver_b"])  # decides, but for 瑞峰镇 only
    assert b.get(f"/people/{dead.pk}/funeral/").status_code == 404
    assert preview(b, dead).status_code == 404
    assert grant_blind(b, dead).status_code == 404
    cw = login(world["caseworker"])  # sees the person, may not decide
    assert cw.get(f"/people/{dead.pk}/funeral/").status_code == 403
    assert "办理殡葬费用减免" not in cw.get(f"/people/{dead.pk}/").content.decode()
    assert "办理殡葬费用减免" in login(world["approver"]).get(f"/people/{dead.pk}/").content.decode()
    assert "办理殡葬费用减免" not in login(world["approver"]).get(f"/people/{world['alive'].pk}/").content.decode()
    assert not Enrolment.objects.filter(programme_id="funeral").exists()


def grant_blind(c, person):
    body = {**FEES, "funeral_home": FuneralHome.objects.get().pk, "do": "grant", "previewed": "0" * 16}
    return c.post(f"/people/{person.pk}/funeral/", body)


def test_funeral_homes_are_added_by_the_county_naming_a_bad_field(world):
    c = login(world["approver"])
    page = c.get("/funeral/").content.decode()
    assert 'id="home-form"' in page and "青神县殡仪馆" in page and "***************6789" in page
    assert "6228480000123456789" not in page
    good = {"name": "瑞峰殡仪服务站", "area": "511425102000", "bank_account": "6228 4800 0012 3456 78",
            "account_holder": "瑞峰殡仪服务站"}  # fmt: skip
    for bad, named in (
        ({"bank_account": "62284800abc"}, "银行账号应为12至30位数字"),
        ({"name": " "}, "殡仪馆名称"),
        ({"account_holder": ""}, "账户名"),
        ({"area": "511426000000"}, "不在您的管辖区域内"),  # another county
        ({"name": "青神县殡仪馆"}, "已有同名殡仪馆"),
    ):
        r = c.post("/funeral/", {**good, **bad})
        html = r.content.decode()
        assert r.status_code == 400 and named in html, (bad, html[html.find("error-box") :][:300])
        field = next(iter(bad)) if next(iter(bad)) != "area" else "area"
        assert re.search(rf'<div class="field has-error"><label for="{field}">', html), bad
    assert FuneralHome.objects.count() == 1
    r = c.post("/funeral/", good)
    assert r.status_code == 302
    home = FuneralHome.objects.get(name="瑞峰殡仪服务站")
    assert (home.area_code, home.bank_account) == ("511425102000", "622848000012345678")
    assert AuditEvent.objects.filter(action="benefit.funeral_home_create", target_id=str(home.pk)).exists()
    # a township's caseworker sees the county's home and its own township's, adds none
    cw_b = login(world["caseworker_b"])
    page = cw_b.get("/funeral/").content.decode()
    assert "青神县殡仪馆" in page and "瑞峰殡仪服务站" in page and 'id="home-form"' not in page
    assert cw_b.post("/funeral/", {**good, "name": "另一家"}).status_code == 403
    page = login(world["caseworker"]).get("/funeral/").content.decode()
    assert "青神县殡仪馆" in page and "瑞峰殡仪服务站" not in page  # 汉阳镇 does not see 瑞峰镇's


def test_the_list_is_scoped_filtered_and_exported(world):
    grant(login(world["approver"]), world["dead"])
    month = month_start(world["today"])
    cw = login(world["caseworker"])
    page = cw.get("/funeral/").content.decode()
    row = re.search(r'<tr data-item="waiver-\d+">(.*?)</tr>', page, re.S).group(1)
    died = (world["today"] - dt.timedelta(days=2)).isoformat()
    for text in ("张大山", died, "汉阳镇", "东风村", "青神县殡仪馆", SHOWN, f"{month:%Y-%m}", "待发放", "未生成"):
        assert text in row, text
    assert "张大山" not in login(world["caseworker_b"]).get("/funeral/").content.decode()  # another township's
    assert "张大山" not in cw.get("/funeral/", {"month": "2020-01"}).content.decode()
    assert "张大山" in cw.get("/funeral/", {"month": f"{month:%Y-%m}", "area": "511425101201"}).content.decode()
    approver = login(world["approver"])
    assert "张大山" not in approver.get("/funeral/", {"area": "511425102000"}).content.decode()
    r = cw.get("/funeral/", {"month": "2026-13"})
    assert r.status_code == 200 and "张大山" not in r.content.decode()  # refused, said, nothing listed
    payroll_generate(actor=world["finance"], programme="funeral", month=month)
    r = cw.get("/funeral/waivers.xlsx", {"month": f"{month:%Y-%m}"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in line] for line in ws.iter_rows()]
    assert rows[0] == ["编号", "逝者", "死亡日期", "乡镇（街道）", "村（社区）", "殡仪馆", "减免金额（元）", "发放月份",
                       "状态", "发放表状态"]  # fmt: skip
    e = Enrolment.objects.get(programme_id="funeral")
    assert rows[1:] == [[e.pk, "张大山", died, "汉阳镇", "东风村", "青神县殡仪馆", float(TOTAL), f"{month:%Y-%m}",
                         "待发放", "草稿"]]  # fmt: skip
    assert AuditEvent.objects.filter(action="benefit.funeral_export", kind="access").count() == 1
    other = login(world["caseworker_b"]).get("/funeral/waivers.xlsx")
    assert "张大山" not in str(
        [[c.value for c in x] for x in load_workbook(io.BytesIO(other.content)).active.iter_rows()]
    )


def test_the_menu_has_it(world):
    page = login(world["caseworker"]).get("/").content.decode()
    assert 'href="/funeral/"' in page and "殡葬费用减免" in page


# ---- the API -------------------------------------------------------------------------------------------------------
def post(c, path, body):
    return c.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


SERVICES = [
    {"kind": "transport", "fee": "350.00"},
    {"kind": "cold_storage", "fee": "200.00", "days": 4},
    {"kind": "cremation", "fee": "380.00"},
    {"kind": "urn", "fee": "260.00"},
    {"kind": "ash_storage", "fee": "120.00"},
    {"kind": "other", "fee": "500.00"},
]


def test_the_api(world):
    a, dead, home = login(world["approver"]), world["dead"], world["home"]
    path = f"/people/{dead.pk}/funeral-waiver"
    r = post(a, path, {"services": SERVICES, "preview": True})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["eligible"] and body["amount"] == TOTAL and body["month"] == f"{month_start(world['today'])}"
    assert {s["kind"]: (s["cap"], s["cap_days"], s["waived"]) for s in body["services"]} == {
        "transport": ("300.00", None, "300.00"),
        "cold_storage": ("50.00", 3, "150.00"),
        "cremation": ("400.00", None, "380.00"),
        "urn": ("200.00", None, "200.00"),
        "ash_storage": ("100.00", None, "100.00"),
        "other": (None, None, "0.00"),
    }
    step = next(s for s in body["explanation"] if s["rule"] == "service_urn")
    assert step["zh"] == "基本骨灰盒：收费 260.00 元，上限 200.00 元，减免 200.00 元"
    assert step["en"] == "Basic urn: fee 260.00, cap 200.00, waived 200.00"
    assert not Enrolment.objects.filter(programme_id="funeral").exists()
    # refusals: the field and a code, in Chinese and English
    for bad, status, code, field in (
        ({"services": [{"kind": "cold_storage", "fee": "100.00"}]}, 400, "days_required", "services.0.days"),
        ({"services": [{"kind": "other", "fee": "0"}]}, 400, "no_services", "services"),
        ({"services": [SERVICES[0], SERVICES[0]]}, 400, "duplicate", "services.1.fee"),
        ({"services": [{"kind": "flowers", "fee": "1.00"}]}, 422, "schema", "services.0.kind"),
        ({"services": [{"kind": "urn", "fee": "-1"}]}, 422, "schema", "services.0.fee"),
        ({"services": SERVICES}, 400, "required", "funeral_home_id"),  # granting needs the funeral home
        ({"services": SERVICES, "funeral_home_id": 987654}, 404, "not_found", "funeral_home_id"),
    ):
        r = post(a, path, bad)
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (status, code, field), (bad, r.json())
        assert r.json()["message_zh"] and r.json()["message_en"]
    r = post(a, path, {"services": SERVICES, "funeral_home_id": home.pk, "note": "家属已确认"})
    assert r.status_code == 201, r.json()
    body = r.json()
    e = Enrolment.objects.get(programme_id="funeral")
    assert (body["enrolment_id"], body["amount"], body["funeral_home_id"]) == (e.pk, TOTAL, home.pk)
    assert Payee.objects.get(enrolment=e).funeral_home == home
    for again in ({"services": SERVICES, "funeral_home_id": home.pk}, {"services": SERVICES, "preview": True}):
        r = post(a, path, again)
        assert (r.status_code, r.json()["code"]) == (409, "already_waived")
    assert Enrolment.objects.filter(programme_id="funeral").count() == 1
    # the list, filtered and paged
    cw = login(world["caseworker"])
    rows = cw.get("/api/v1/funeral-waivers").json()
    assert [(x["name"], x["amount"], x["funeral_home"], x["village"], x["payroll_state"]) for x in rows] == [
        ("张大山", TOTAL, "青神县殡仪馆", "东风村", "")
    ]
    assert cw.get("/api/v1/funeral-waivers", {"month": "2020-01"}).json() == []
    assert cw.get("/api/v1/funeral-waivers", {"offset": 1}).json() == []
    assert cw.get("/api/v1/funeral-waivers", {"month": "2026-13"}).status_code == 422


def test_the_api_keeps_to_the_area(world):
    dead, home = world["dead"], world["home"]
    body = {"services": SERVICES, "funeral_home_id": home.pk}
    b = login(world["approver_b"])
    for preview_only in (True, False):
        r = post(b, f"/people/{dead.pk}/funeral-waiver", {**body, "preview": preview_only})
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert post(login(world["caseworker"]), f"/people/{dead.pk}/funeral-waiver", body).status_code == 403
    # a township's funeral home is not another township's to choose
    town_b = funeral_home_create(
        actor=world["approver"],
        name="瑞峰殡仪服务站",
        area_code="511425102000",
        bank_account="6228480000123456700",
        account_holder="瑞峰殡仪服务站",
    )
    a_township = staff_create(
        actor=None,
        username="approver_a",
        password=PASSWORD,
        role="county_approver",
        area_code="511425101000",
        check_password=False,
    )
    a = login(a_township)
    assert [h["name"] for h in a.get("/api/v1/funeral-homes").json()] == ["青神县殡仪馆"]
    r = post(a, f"/people/{dead.pk}/funeral-waiver", {**body, "funeral_home_id": town_b.pk})
    assert (r.status_code, r.json()["field"]) == (404, "funeral_home_id")
    assert not Enrolment.objects.filter(programme_id="funeral").exists()
    assert login(world["caseworker_b"]).get("/api/v1/funeral-waivers").json() == []
    # funeral homes: listed masked, added by the county inside its area
    homes = login(world["approver"]).get("/api/v1/funeral-homes").json()
    assert {h["name"]: h["bank_account"] for h in homes} == {
        "瑞峰殡仪服务站": "***************6700",
        "青神县殡仪馆": "***************6789",
    }
    new = {
        "name": "汉阳殡仪服务站",
        "area_code": "511425101000",
        "bank_account": "622848000012345",
        "account_holder": "汉阳",
    }
    r = post(a, "/funeral-homes", new)
    assert r.status_code == 201 and r.json()["bank_account"] == "***********2345"
    assert post(a, "/funeral-homes", {**new, "name": "x", "area_code": "511425102000"}).status_code == 404
    assert post(a, "/funeral-homes", {**new, "name": "y", "area_code": "511425101999"}).status_code == 404
    r = post(a, "/funeral-homes", {**new, "name": "汉阳殡仪服务站"})
    assert (r.status_code, r.json()["field"]) == (409, "name")
    r = post(login(world["caseworker"]), "/funeral-homes", {**new, "name": "z"})
    assert r.status_code == 403
    assert FuneralHome.objects.count() == 3


def test_hostile_values_in_every_field_never_fail_nor_save(world):
    """Each field of the grant form given each hostile value (huge, non-finite, exponent, markup, control
    characters, other scripts): a clear refusal or a preview, never a server error; nothing saved without a grant."""
    c = login(world["approver"])
    fields = ["funeral_home", *(k for k in FEES), "note", "previewed"]
    for field_name in fields:
        for value in HOSTILE_TEXT[:-1]:  # the 100,000-character text: once, below
            for do in ("preview", "grant"):
                body = {"funeral_home": str(world["home"].pk), **FEES, "do": do, field_name: value}
                r = c.post(f"/people/{world['dead'].pk}/funeral/", body)
                assert r.status_code in (200, 400), (field_name, value, r.status_code)
    r = c.post(f"/people/{world['dead'].pk}/funeral/", {**FEES, "note": HOSTILE_TEXT[-1], "do": "preview"})
    assert r.status_code in (200, 400)
    assert not Enrolment.objects.filter(programme_id="funeral").exists()


# ---- changing a funeral home (funeral_home_update, /funeral/homes/<id>/, PATCH /api/v1/funeral-homes/{id}) ----------
GOOD_CARD = "6228480000123456782"  # passes its check digit (the world's home's ...6789 does not)
NEW_CARD = "6217000099998888776"  # passes too


def patch(c, home, body):
    return c.patch(f"/api/v1/funeral-homes/{home.pk}", json.dumps(body), content_type="application/json")


def edit(c, home, **changes):
    body = {"name": home.name, "bank_account": "", "account_holder": home.account_holder, **changes}
    return c.post(f"/funeral/homes/{home.pk}/", body)


def test_the_county_approver_changes_a_home_on_the_page(world):
    home = world["home"]
    c = login(world["approver"])
    listing = c.get("/funeral/").content.decode()
    row = re.search(rf'<tr data-item="home-{home.pk}">(.*?)</tr>', listing, re.S).group(1)
    assert f'href="/funeral/homes/{home.pk}/"' in row and "修改" in row
    page = c.get(f"/funeral/homes/{home.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="home-edit-form"' in html
    assert 'name="name" maxlength="100" required value="青神县殡仪馆"' in html
    assert 'value="青神县殡仪馆账户"' in html
    assert 'placeholder="***************6789" value=""' in html  # the account masked, its box empty
    assert "6228480000123456789" not in html and "留空表示不修改账号" in html
    # a bad value: 400, the field marked, nothing saved
    for bad, named, field in (
        ({"bank_account": "6228-4800"}, "银行账号应为12至30位数字", "bank_account"),
        ({"name": " "}, "殡仪馆名称", "name"),
        ({"account_holder": "户" * 101}, "账户名", "account_holder"),
        ({}, "没有修改任何内容", None),
    ):
        r = edit(c, home, **bad)
        html = r.content.decode()
        assert r.status_code == 400 and named in html, (bad, html[html.find("error-box") :][:300])
        if field:
            assert re.search(rf'<div class="field has-error"><label for="{field}">', html), bad
        assert "6228480000123456789" not in html
    home.refresh_from_db()
    assert (home.name, home.bank_account, home.account_holder) == (
        "青神县殡仪馆",
        "6228480000123456789",
        "青神县殡仪馆账户",
    )
    assert not AuditEvent.objects.filter(action="benefit.funeral_home_update").exists()
    # the name alone: the account stays as it was (the box left empty)
    r = edit(c, home, name="青神县殡仪服务中心")
    assert r.status_code == 302 and r["Location"] == "/funeral/#homes"
    home.refresh_from_db()
    assert (home.name, home.bank_account) == ("青神县殡仪服务中心", "6228480000123456789")
    assert "已修改殡仪馆：青神县殡仪服务中心" in c.get(r["Location"]).content.decode()
    # the account typed with spaces, and the holder
    r = edit(c, home, bank_account="6228 4800 0012 3456 782", account_holder="青神县殡仪服务中心")
    assert r.status_code == 302
    home.refresh_from_db()
    assert (home.bank_account, home.account_holder) == (GOOD_CARD, "青神县殡仪服务中心")
    assert AuditEvent.objects.filter(action="benefit.funeral_home_update", target_id=str(home.pk)).count() == 2


def test_a_township_approver_changes_its_own_townships_homes_not_the_countys(world):
    county_home, b = world["home"], login(world["approver_b"])  # approver_b: 瑞峰镇's
    listing = b.get("/funeral/").content.decode()
    assert "青神县殡仪馆" in listing and f"/funeral/homes/{county_home.pk}/" not in listing  # seen, not changed
    assert b.get(f"/funeral/homes/{county_home.pk}/").status_code == 404  # as a home that does not exist
    assert b.get("/funeral/homes/987654/").status_code == 404
    assert edit(b, county_home, name="改名").status_code == 404
    r = patch(b, county_home, {"name": "改名"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    county_home.refresh_from_db()
    assert county_home.name == "青神县殡仪馆"
    # its own township's home it changes, on the page and through the API
    own = funeral_home_create(
        actor=world["approver_b"],
        name="瑞峰殡仪服务站",
        area_code="511425102000",
        bank_account="622848000012345",
        account_holder="瑞峰殡仪服务站",
    )
    assert f'href="/funeral/homes/{own.pk}/"' in b.get("/funeral/").content.decode()
    assert b.get(f"/funeral/homes/{own.pk}/").status_code == 200
    assert edit(b, own, account_holder="瑞峰镇殡仪服务站").status_code == 302
    r = patch(b, own, {"bank_account": "6228 4800 0012 3450"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["id"], body["name"], body["account_holder"], body["bank_account"]) == (
        own.pk,
        "瑞峰殡仪服务站",
        "瑞峰镇殡仪服务站",
        "************3450",
    )
    assert (body["changed"], body["lines_updated"], body["notes"]) == (["bank_account"], 0, [])
    # and the other township's approver does not see it at all
    a_township = staff_create(
        actor=None,
        username="approver_a",
        password=PASSWORD,
        role="county_approver",
        area_code="511425101000",
        check_password=False,
    )
    assert login(a_township).get(f"/funeral/homes/{own.pk}/").status_code == 404
    assert patch(login(a_township), own, {"name": "x"}).status_code == 404


def test_a_caseworker_may_not_change_a_home(world):
    home = world["home"]
    for user in (world["caseworker"], world["caseworker_b"]):
        cw = login(user)
        assert f"/funeral/homes/{home.pk}/" not in cw.get("/funeral/").content.decode()
        assert cw.get(f"/funeral/homes/{home.pk}/").status_code == 403
        assert cw.get("/funeral/homes/987654/").status_code == 403  # the role first: the id does not matter
        assert edit(cw, home, name="改名").status_code == 403
        r = patch(cw, home, {"name": "改名"})
        assert (r.status_code, r.json()["code"]) == (403, "forbidden_role")
    home.refresh_from_db()
    assert home.name == "青神县殡仪馆"


def test_the_api_refusals_name_the_field(world):
    home, a = world["home"], login(world["approver"])
    funeral_home_create(
        actor=world["approver"],
        name="瑞峰殡仪服务站",
        area_code="511425102000",
        bank_account="622848000012345",
        account_holder="瑞峰殡仪服务站",
    )
    for bad, status, code, field in (
        ({"name": "瑞峰殡仪服务站"}, 409, "conflict", "name"),  # another home's name
        ({"bank_account": "6228480000abcd"}, 422, "schema", "bank_account"),
        ({"bank_account": "            "}, 400, "invalid", "bank_account"),  # spaces only: no digits
        ({"name": "殡" * 101}, 422, "schema", "name"),
        ({"account_holder": " "}, 422, "schema", "account_holder"),
        ({}, 400, "unchanged", None),
        (
            {"name": "青神县殡仪馆", "bank_account": "6228480000123456789", "account_holder": None},
            400,
            "unchanged",
            None,
        ),
    ):
        r = patch(a, home, bad)
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (status, code, field), (bad, r.json())
        assert r.json()["message_zh"] and r.json()["message_en"]
    assert patch(a, home, {"name": "青神县殡仪馆"}).json()["code"] == "unchanged"
    r = a.patch("/api/v1/funeral-homes/987654", json.dumps({"name": "x"}), content_type="application/json")
    assert r.status_code == 404
    home.refresh_from_db()
    assert (home.name, home.bank_account) == ("青神县殡仪馆", "6228480000123456789")
    assert not AuditEvent.objects.filter(action="benefit.funeral_home_update").exists()


@pytest.fixture
def payrolls(world, settings, tmp_path):
    """Four deceased of one household, each with a waiver paid to the county's funeral home (its card now a good
    one) in another month, and the funeral payroll of each month: August's exported to the bank, September's
    approved, October's checked, November's a draft."""
    settings.DATA_DIR = tmp_path
    from doudi.benefits.funeral import funeral_waive
    from doudi.payments.actions import payroll_approve, payroll_check, payroll_export
    from doudi.programmes.rules.inputs import FuneralService

    home = world["home"]
    FuneralHome.objects.filter(pk=home.pk).update(bank_account=GOOD_CARD)
    home.refresh_from_db()
    world["register"](
        members=[member("王孝子", "1970-01-01", 31, "head")]
        + [member(f"王{n}", f"194{i}-01-01", 32 + i, "other") for i, n in enumerate("甲乙丙丁")]
    )
    months = [dt.date(2026, m, 1) for m in (8, 9, 10, 11)]
    out = {}
    for name, month in zip("甲乙丙丁", months, strict=True):
        dead = Person.objects.get(name=f"王{name}")
        person_death_record(actor=world["caseworker"], person=dead, died_on=dt.date(2026, 7, 20), details="病故")
        funeral_waive(
            actor=world["approver"],
            person=dead,
            funeral_home=home,
            services=(FuneralService("cremation", D("400.00")),),
            note="",
            on=month.replace(day=5),
        )
        p = payroll_generate(actor=world["f1"], programme="funeral", month=month)
        assert [(x.account, x.enrolment.person_id) for x in p.lines.all()] == [(GOOD_CARD, dead.pk)]
        assert not p.anomalies.exists()
        if month <= months[2]:
            payroll_check(actor=world["f1"], payroll=p)
        if month <= months[1]:
            payroll_approve(actor=world["f2"], payroll=p)
        if month == months[0]:
            payroll_export(actor=world["f2"], payroll=p, fmt="csv")
        out[f"{month:%m}"] = p
    for p in out.values():
        p.refresh_from_db()
    assert [p.state for p in out.values()] == ["exported", "approved", "checked", "draft"]
    return out


def _line(payroll):
    return payroll.lines.values_list("account", "account_holder").get()


def test_a_new_account_reaches_draft_lines_only_and_says_what_it_left(world, payrolls):
    home, a = world["home"], login(world["approver"])
    page = a.get(f"/funeral/homes/{home.pk}/").content.decode()
    pending = re.search(r'<p class="notice warn-box" id="pending-lines">(.*?)</p>', page, re.S).group(1)
    assert "草稿 1 笔" in pending and "已复核 1 笔、已审批 1 笔" in pending
    r = edit(a, home, bank_account=NEW_CARD, account_holder="青神县殡仪服务中心")
    assert r.status_code == 302
    shown = a.get(r["Location"]).content.decode()
    aug, sep, oct_, nov = (payrolls[m] for m in ("08", "09", "10", "11"))
    assert "草稿发放表中付给该殡仪馆的 1 笔已改为新的账号和账户名" in shown
    assert f"已复核的发放表（#{oct_.pk}）中有 1 笔仍是原账号：如需付到新账号，请作废该发放表后重新生成" in shown
    assert f"已审批的发放表（#{sep.pk}）中有 1 笔将按原账号发放；如银行退回，次月改付新账号" in shown
    assert _line(nov) == (NEW_CARD, "青神县殡仪服务中心")  # the draft: nobody has checked it yet
    for p in (aug, sep, oct_):  # exported, approved, checked: as their checker saw them
        assert _line(p) == (GOOD_CARD, "青神县殡仪馆账户"), p.state
    assert not nov.anomalies.exists()  # the new card passes its check digit
    event = AuditEvent.objects.get(action="benefit.funeral_home_update")
    assert (event.new["lines_updated"], event.new["lines_kept_checked"], event.new["lines_kept_approved"]) == (1, 1, 1)
    # the API says the same; the holder alone changed back reaches the draft again
    r = patch(a, home, {"account_holder": "青神县殡仪馆账户"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["changed"], body["lines_updated"]) == (["account_holder"], 1)
    assert (body["lines_kept_checked"], body["payrolls_kept_checked"]) == (1, [oct_.pk])
    assert (body["lines_kept_approved"], body["payrolls_kept_approved"]) == (1, [sep.pk])
    assert [n["code"] for n in body["notes"]] == ["lines_updated", "kept_checked", "kept_approved"]
    assert "cancel the payroll and generate it again" in body["notes"][1]["en"]
    assert "paid again the month after to the new account" in body["notes"][2]["en"]
    assert _line(nov) == (NEW_CARD, "青神县殡仪馆账户")
    assert _line(oct_) == (GOOD_CARD, "青神县殡仪馆账户")
    # renaming alone touches no line and counts none
    body = patch(a, home, {"name": "青神县殡仪服务中心"}).json()
    assert (body["changed"], body["lines_updated"], body["lines_kept_checked"], body["notes"]) == (["name"], 0, 0, [])
    # the checked payroll cancelled and generated again pays the new account
    from doudi.payments.actions import payroll_cancel

    payroll_cancel(actor=world["f1"], payroll=oct_, reason="殡仪馆更换账户")
    again = payroll_generate(actor=world["f1"], programme="funeral", month=oct_.month)
    assert again.pk != oct_.pk and _line(again) == (NEW_CARD, "青神县殡仪馆账户")
    assert _line(oct_) == (GOOD_CARD, "青神县殡仪馆账户")  # the cancelled one is never touched
    # a new account failing its check digit is an anomaly on the draft line, as generation would have found
    r = patch(a, home, {"bank_account": "6228480000123456789"})
    assert r.status_code == 200 and r.json()["lines_updated"] == 2  # November's and October's again
    assert [x.kind for x in nov.anomalies.all()] == ["account"]
    assert [x.kind for x in again.anomalies.all()] == ["account"]
    assert _line(aug) == (GOOD_CARD, "青神县殡仪馆账户")  # the exported one never


def test_a_funeral_lines_account_anomaly_is_resolved_on_the_funeral_homes_account(world):
    """The world's home's card fails its check digit: the draft line's anomaly, resolved once the home's account is
    corrected, keeps the home's new account — never the family's."""
    from doudi.payments.actions import anomaly_handle

    grant(login(world["approver"]), world["dead"])
    p = payroll_generate(actor=world["finance"], programme="funeral", month=month_start(world["today"]))
    anomaly = p.anomalies.get()
    assert anomaly.kind == "account"
    with pytest.raises(Exception, match="收款方的银行账号仍然缺失或无效"):
        anomaly_handle(actor=world["finance"], anomaly=anomaly, accept=False)
    r = edit(login(world["approver"]), world["home"], bank_account=GOOD_CARD)
    assert r.status_code == 302
    assert _line(p) == (GOOD_CARD, "青神县殡仪馆账户")
    assert p.anomalies.count() == 1  # already open: not raised twice
    anomaly.refresh_from_db()
    anomaly_handle(actor=world["finance"], anomaly=anomaly, accept=False)
    anomaly.refresh_from_db()
    assert anomaly.status == "resolved"
    assert _line(p) == (GOOD_CARD, "青神县殡仪馆账户")  # not the household's 6217000011112222333


def test_the_audit_event_holds_the_account_masked_only(world):
    home, a = world["home"], login(world["approver"])
    r = patch(a, home, {"name": "青神县殡仪服务中心", "bank_account": NEW_CARD, "account_holder": "殡仪服务中心"})
    assert r.status_code == 200, r.json()
    event = AuditEvent.objects.get(action="benefit.funeral_home_update")
    assert (event.target_type, event.target_id, event.area_code) == ("funeralhome", str(home.pk), "511425000000")
    assert event.old == {
        "name": "青神县殡仪馆",
        "bank_account": "***************6789",
        "account_holder": "青神县殡仪馆账户",
    }
    assert {k: event.new[k] for k in ("name", "bank_account", "account_holder")} == {
        "name": "青神县殡仪服务中心",
        "bank_account": "***************8776",
        "account_holder": "殡仪服务中心",
    }
    stored = json.dumps([event.old, event.new, event.target_label], ensure_ascii=False)
    assert "6228480000123456789" not in stored and NEW_CARD not in stored
    assert "23456789" not in stored and "99998888776" not in stored  # not even the digits before the last 4
    # as the audit trail shows it: each field by its name, the account masked
    from doudi.audit.details import details

    assert ("银行账号", "***************8776") in details(event.new, "funeralhome")
    assert ("草稿发放表中改付新账户的笔数", "0") in details(event.new, "funeralhome")


def test_hostile_values_in_the_home_form_never_fail_nor_save(world):
    home, c = world["home"], login(world["approver"])
    for field_name in ("name", "bank_account", "account_holder"):
        for value in HOSTILE_TEXT:
            r = edit(c, home, **{field_name: value})
            assert r.status_code in (302, 400), (field_name, value[:40], r.status_code)
            if r.status_code == 302:  # a value accepted: put the home back for the next
                FuneralHome.objects.filter(pk=home.pk).update(
                    name="青神县殡仪馆", bank_account="6228480000123456789", account_holder="青神县殡仪馆账户"
                )
