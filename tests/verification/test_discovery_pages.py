"""Discovery and the register on their pages, in the API, on the cadre's home page and on the household's page:
each only within the account's area; the township's visit list exports to .xlsx with ID numbers masked."""

import io
import json

from django.test import Client
from openpyxl import load_workbook

from doudi.cases.models import Enrolment
from doudi.core.idnumber import id_mask
from doudi.verification.models import Alert, Discovery, DiscoveryState, MonitoringEntry, Tier

from ..payments.conftest import enrol, finance  # noqa: F401
from .test_alerts import _load as _alert_load
from .test_discovery import _found


def test_the_cadre_sees_the_visit_on_the_home_page_and_records_it_from_its_page(centre, register, staff, client_for):
    h, d = _found(centre, register, staff)
    person = d.person
    cadre = client_for(staff["cadre_a"])
    home = cadre.get("/").content.decode()
    assert "待走访的主动发现" in home and person.name in home and f"/verification/discovery/{d.pk}/" in home
    listing = cadre.get("/verification/discovery/").content.decode()
    assert person.name in listing and "新增一二级残疾且家庭收入低" in listing
    page = cadre.get(f"/verification/discovery/{d.pk}/").content.decode()
    assert id_mask(person.id_number) in page and person.id_number not in page and "1级" in page
    r = cadre.post(f"/verification/discovery/{d.pk}/", {"outcome": "refused", "note": ""})
    assert r.status_code == 302 and Discovery.objects.get().state == DiscoveryState.OPEN  # the note is required
    cadre.post(f"/verification/discovery/{d.pk}/", {"outcome": "refused", "note": "家中有子女赡养，暂不申请"})
    d.refresh_from_db()
    assert (d.state, d.outcome_note) == ("refused", "家中有子女赡养，暂不申请")
    cadre.post(f"/verification/discovery/{d.pk}/", {"do": "monitor", "tier": "edge", "reason": "收入接近边缘线"})
    assert MonitoringEntry.objects.get(household=h).discovery == d
    household = cadre.get(f"/households/{h.pk}/").content.decode()
    assert "预警与主动发现" in household and "本人不愿申请" in household and "低保边缘家庭" in household
    # township B sees none of it
    other = Client()
    other.force_login(staff["caseworker_b"])
    assert person.name not in other.get("/").content.decode()
    assert person.name not in other.get("/verification/discovery/").content.decode()
    assert other.get(f"/verification/discovery/{d.pk}/").status_code == 404


def test_the_township_list_exports_to_xlsx_with_masked_numbers(centre, register, staff, client_for):
    h, d = _found(centre, register, staff)
    r = client_for(staff["caseworker_a"]).get("/verification/discovery/export.xlsx?township=511425101")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("乡镇（街道）", "村/社区", "姓名", "身份证号")
    assert len(rows) == 2
    assert rows[1][:4] == ("汉阳镇", "东风村", d.person.name, id_mask(d.person.id_number))
    assert "1级" in rows[1][7] and not rows[1][8] and rows[1][9] == str(staff["cadre_a"])  # no asset over the limits
    other = Client()
    other.force_login(staff["caseworker_b"])
    empty = other.get("/verification/discovery/export.xlsx")
    assert len(list(load_workbook(io.BytesIO(empty.content)).active.iter_rows())) == 1  # the header alone


def test_the_register_page_syncs_and_enters_and_the_api_answers_in_the_area(centre, register, staff, client_for, enrol):
    e = enrol()
    cw = client_for(staff["caseworker_a"])
    cw.post("/verification/monitoring/", {"do": "sync"})
    assert MonitoringEntry.objects.get(household=e.household).tier == Tier.DIBAO
    h, d = _found(centre, register, staff)
    cw.post("/verification/monitoring/", {"household": str(h.pk), "tier": "rigid", "reason": "长期医疗支出"})
    page = cw.get("/verification/monitoring/").content.decode()
    assert "刚性支出困难家庭" in page and "长期医疗支出" in page and "低保对象" in page
    entries = cw.get("/api/v1/verification/monitoring").json()
    assert {(m["household_id"], m["tier"]) for m in entries} == {(e.household_id, "dibao"), (h.pk, "rigid")}
    rigid = MonitoringEntry.objects.get(tier="rigid")
    left = cw.post(
        f"/api/v1/verification/monitoring/{rigid.pk}/leave",
        json.dumps({"reason": "费用已报销"}),
        content_type="application/json",
    )
    assert left.status_code == 200 and left.json()["left_on"]

    listed = cw.get("/api/v1/verification/discoveries").json()
    assert [x["id"] for x in listed] == [d.pk] and "残疾" in listed[0]["reason"]
    other = Client()
    other.force_login(staff["caseworker_b"])
    assert other.get("/api/v1/verification/discoveries").json() == []
    r = cw.post(
        f"/api/v1/verification/discoveries/{d.pk}/visit",
        json.dumps({"outcome": "moved", "note": "已随子女迁居成都"}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["state"] == "moved"
    r = cw.post(
        f"/api/v1/verification/discoveries/{d.pk}/visit",
        json.dumps({"outcome": "refused", "note": "再次"}),
        content_type="application/json",
    )
    assert r.status_code == 409


def test_open_alerts_show_on_the_caseworker_home_and_the_household_page(centre, client_for, enrol, staff):
    e = enrol()
    head = e.household.memberships.get(relation="head").person
    _alert_load(centre, "assistance", head, programme="最低生活保障", area_code="511402101201", since="2026-01-05")
    alert = Alert.objects.get()
    assert alert.rule == "two_places" and Enrolment.objects.get().pk == e.pk
    home = client_for(staff["caseworker_a"]).get("/").content.decode()
    assert "待处理的核对预警" in home and "在外地同时享受救助" in home and "511402101201" in home
    household = client_for(staff["caseworker_a"]).get(f"/households/{e.household_id}/").content.decode()
    assert "在外地同时享受救助" in household
    other = Client()
    other.force_login(staff["caseworker_b"])
    assert "511402101201" not in other.get("/").content.decode()
