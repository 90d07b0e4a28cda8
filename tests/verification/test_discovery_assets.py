"""Step 1 of issue 13's follow-up: discovery knows assets. A household a discovery rule finds whose assets clearly
exceed the dibao limits (domain.md §2: financial assets 24 × standard per member, one livelihood vehicle worth
at most 30,000, homes, no enterprise role) — in the departments' data or in its own declaration — is listed last
with that reason, not as likely eligible; a later asset load weighs the open discoveries again."""

import datetime as dt

from django.utils import timezone

from doudi.audit.models import AuditEvent
from doudi.registry.actions import record_add
from doudi.verification.discovery import discoveries_xlsx
from doudi.verification.models import Discovery

from .test_discovery import _disability, _family, _load, _person

TODAY = timezone.localdate()
BOUGHT = (TODAY - dt.timedelta(days=100)).isoformat()


def _bank(balance):
    return {"institution": "农村商业银行", "account_kind": "存款", "account": "6228480000001", "balance": balance}


def _car(price, plate="川L12345"):
    return {"plate": plate, "vehicle_type": "小型汽车", "registered_on": BOUGHT, "price": price}


def _home(area, n):
    return {
        "certificate": f"川(2024)不动产权第00{n}号",
        "address": f"城关镇{n}号",
        "floor_area_m2": area,
        "registered_on": BOUGHT,
    }


def test_discoveries_with_assets_over_the_limits_are_listed_last_with_the_reason(centre, register, staff):
    poor = _family(register, staff, 301)
    banked = _family(register, staff, 311)  # limit 24 × 230 × 2 = 11,040
    fund = _family(register, staff, 321)  # 6,000 in the bank and 8,000 provident fund: 14,000 in all
    car = _family(register, staff, 331)
    cheap_car = _family(register, staff, 341)  # one vehicle under 30,000: allowed
    boss = _family(register, staff, 351)
    homes = _family(register, staff, 361)  # two homes, 2 × 90 m² for two: 90 m² a head > 70
    small_homes = _family(register, staff, 371)  # two homes, 2 × 60 m² for two: 60 m² a head
    declared_car = _family(register, staff, 381)
    record_add(
        actor=staff["caseworker_a"],
        household=declared_car,
        kind="vehicles",
        data={"plate": "川L99999", "value": "60000.00", "purpose": "other"},
    )
    _load(
        centre, "financial", [(_person(banked, "head"), _bank("20000.00")), (_person(fund, "head"), _bank("6000.00"))]
    )
    _load(
        centre,
        "housing_fund",
        [(_person(fund, "spouse"), {"employer": "县建筑公司", "monthly_deposit": "300.00", "balance": "8000.00"})],
    )
    _load(centre, "vehicle", [(_person(car, "head"), _car("85000.00")), (_person(cheap_car, "head"), _car("18000.00"))])
    _load(
        centre,
        "business",
        [
            (
                _person(boss, "spouse"),
                {
                    "enterprise": "某某农业开发有限公司",
                    "credit_code": "91511425MA6XXXXX1X",
                    "role": "法定代表人",
                    "registered_on": BOUGHT,
                    "capital": "500000.00",
                },
            )
        ],
    )
    _load(
        centre,
        "real_estate",
        [
            (_person(homes, "head"), _home("90.00", 1)),
            (_person(homes, "spouse"), _home("90.00", 2)),
            (_person(small_homes, "head"), _home("60.00", 3)),
            (_person(small_homes, "spouse"), _home("60.00", 4)),
        ],
    )
    families = [poor, banked, fund, car, cheap_car, boss, homes, small_homes, declared_car]
    _load(centre, "disability", [(_person(h, "spouse"), _disability()) for h in families])

    found = {d.household_id: d for d in Discovery.objects.all()}
    assert set(found) == {h.pk for h in families}  # all still listed: the visit tells
    likely = {poor.pk, cheap_car.pk, small_homes.pk}
    assert {pk for pk, d in found.items() if not d.assets_over} == likely
    assert all(found[pk].assets_reason == "" for pk in likely)
    assert "金融资产 20000.00 元" in found[banked.pk].assets_reason and "11040.00" in found[banked.pk].assets_reason
    assert "住房公积金余额 8000.00" in found[fund.pk].assets_reason and "14000.00" in found[fund.pk].assets_reason
    assert "85000.00" in found[car.pk].assets_reason
    assert "某某农业开发有限公司" in found[boss.pk].assets_reason
    assert "人均建筑面积 90.00" in found[homes.pk].assets_reason
    assert "申报车辆 1 辆" in found[declared_car.pk].assets_reason
    # the likely ones first, those over the limits last (the list, the API and the visit sheet)
    order = list(Discovery.objects.values_list("household_id", flat=True))
    assert set(order[:3]) == likely and set(order[3:]) == set(found) - likely
    assert AuditEvent.objects.filter(action="verification.discoveries", new__assets_over=6).exists()
    sheet = discoveries_xlsx(Discovery.objects.all())
    assert sheet[:2] == b"PK"


def test_a_later_asset_load_weighs_the_open_discoveries_again(centre, register, staff):
    h = _family(register, staff, 401)
    _load(centre, "disability", [(_person(h, "spouse"), _disability())])
    d = Discovery.objects.get(household=h)
    assert not d.assets_over
    _load(centre, "vehicle", [(_person(h, "head"), _car("120000.00"))])
    d.refresh_from_db()
    assert d.assets_over and "120000.00" in d.assets_reason
    assert AuditEvent.objects.filter(action="verification.discoveries_assets", new__reassessed=1).exists()
    # the next vehicle extract no longer names the car (sold): the discovery comes back to the front
    _load(centre, "vehicle", [(_person(h, "head"), _car("12000.00", plate="川L00001"))])
    d.refresh_from_db()
    assert not d.assets_over and d.assets_reason == ""


def test_the_pages_and_the_api_say_why_a_discovery_is_unlikely(centre, register, staff, client_for):
    h = _family(register, staff, 411)
    _load(centre, "financial", [(_person(h, "head"), _bank("50000.00"))])
    _load(centre, "disability", [(_person(h, "spouse"), _disability())])
    d = Discovery.objects.get()
    client = client_for(staff["cadre_a"])
    for url in ("/verification/discovery/", f"/verification/discovery/{d.pk}/"):
        page = client.get(url).content.decode()
        assert "资产明显超标，可能不符合条件" in page and "50000.00" in page
    assert "资产明显超标，可能不符合条件" in client.get("/").content.decode()  # the cadre's home page too
    api = client.get("/api/v1/verification/discoveries").json()
    assert api[0]["assets_over"] is True and "50000.00" in api[0]["assets_reason"]
