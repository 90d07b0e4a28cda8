"""The old-age roster pages and API (doudi/benefits/roster_views.py, api.py): the cadre's home page lists the
roster to confirm, the cadre confirms on the page or by uploading the filled-in .xlsx, the township sees its
villages not confirmed first, and a village cadre sees only its own village."""

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from doudi.audit.models import AuditEvent
from doudi.benefits.actions import elderly_roster_build
from doudi.benefits.models import ElderlyRoster, RosterState
from doudi.benefits.rosters import elderly_roster_preview
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK

from ..conftest import member

OCT = dt.date(2026, 10, 1)


@pytest.fixture
def rosters(staff, register):
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    register(members=[member("周老汉", "1938-03-20", 31, "head"), member("王老太", "1930-05-05", 42, "spouse")])
    register(actor=staff["caseworker_b"], area="511425102201", members=[member("李阿婆", "1940-01-15", 51, "head")])
    elderly_roster_build(actor=staff["approver"], month=OCT)
    return {
        "own": ElderlyRoster.objects.get(area_code="511425101201"),
        "other": ElderlyRoster.objects.get(area_code="511425102201"),
    }


def test_cadre_confirms_on_the_page_from_the_home_page(client, staff, rosters):
    own = rosters["own"]
    client.force_login(staff["cadre_a"])
    home = client.get("/").content.decode()
    assert "待确认的高龄津贴名册" in home and f"/elderly/rosters/{own.pk}/" in home
    lines = list(own.lines.select_related("person"))
    page = client.get(f"/elderly/rosters/{own.pk}/").content.decode()
    assert all(x.person.name in page for x in lines) and "李阿婆" not in page
    # 王老太 marked died without a note: refused, nothing saved, the entry shown again
    wang = next(x for x in lines if x.person.name == "王老太")
    data = {f"mark-{x.pk}": "present" for x in lines} | {f"mark-{wang.pk}": "died"}
    r = client.post(f"/elderly/rosters/{own.pk}/", data)
    assert r.status_code == 400 and "王老太" in r.content.decode() and "须写明情况" in r.content.decode()
    own.refresh_from_db()
    assert own.state == RosterState.OPEN
    r = client.post(f"/elderly/rosters/{own.pk}/", data | {f"note-{wang.pk}": "10月3日去世"})
    assert r.status_code == 302
    own.refresh_from_db()
    assert own.state == RosterState.CONFIRMED
    assert "待确认的高龄津贴名册" not in client.get("/").content.decode()


def test_cadre_sees_only_its_village(client, staff, rosters):
    other = rosters["other"]
    client.force_login(staff["cadre_a"])
    for url in (f"/elderly/rosters/{other.pk}/", f"/elderly/rosters/{other.pk}/roster.xlsx"):
        assert client.get(url).status_code == 404
    assert client.post(f"/elderly/rosters/{other.pk}/", {}).status_code == 404
    overview = client.get("/elderly/rosters/?month=2026-10").content.decode()
    assert "东风村" in overview and "南河村" not in overview and "李阿婆" not in overview
    api = client.get("/api/v1/elderly-rosters?month=2026-10").json()
    assert [r["area_code"] for r in api] == ["511425101201"]
    assert client.get(f"/api/v1/elderly-rosters/{other.pk}").status_code == 404
    r = client.post(
        f"/api/v1/elderly-rosters/{other.pk}/confirm", json.dumps({"lines": []}), content_type="application/json"
    )
    assert r.status_code == 404


def test_township_overview_shows_unconfirmed_first_and_the_held(client, staff, rosters):
    own = rosters["own"]
    client.force_login(staff["cadre_a"])
    lines = list(own.lines.select_related("person"))
    body = {
        "lines": [
            {"line_id": x.pk, "mark": "disputed" if x.person.name == "王老太" else "present", "note": "家属说已去世"}
            for x in lines
        ]
    }
    r = client.post(f"/api/v1/elderly-rosters/{own.pk}/confirm", json.dumps(body), content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "confirmed"
    assert r.json()["marks"] == {"pending": 0, "present": 1, "moved": 0, "died": 0, "disputed": 1}
    client.force_login(staff["approver"])  # the county sees both townships
    page = client.get("/elderly/rosters/?month=2026-10").content.decode()
    assert page.index("南河村") < page.index("东风村")  # not confirmed first
    assert "王老太" in page and "家属说已去世" in page  # the change the village reported
    api = client.get("/api/v1/elderly-rosters?month=2026-10").json()
    assert [(r["area_code"], r["state"]) for r in api] == [("511425102201", "open"), ("511425101201", "confirmed")]


def test_api_confirm_names_the_line(client, staff, rosters):
    own = rosters["own"]
    client.force_login(staff["cadre_a"])
    first = own.lines.order_by("pk").first()
    body = {"lines": [{"line_id": first.pk, "mark": "present"}]}
    r = client.post(f"/api/v1/elderly-rosters/{own.pk}/confirm", json.dumps(body), content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "lines"
    body = {"lines": [{"line_id": x.pk, "mark": "moved"} for x in own.lines.order_by("pk")]}
    r = client.post(f"/api/v1/elderly-rosters/{own.pk}/confirm", json.dumps(body), content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "lines.0.note"
    client.force_login(staff["auditor"])
    r = client.post(f"/api/v1/elderly-rosters/{own.pk}/confirm", json.dumps(body), content_type="application/json")
    assert r.status_code == 403


def test_upload_the_filled_in_roster(client, staff, rosters):
    own = rosters["own"]
    client.force_login(staff["cadre_a"])
    r = client.get(f"/elderly/rosters/{own.pk}/roster.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    for row in ws.iter_rows(min_row=4):
        row[5].value = "属实"
    ws["F5"] = "搬走了"  # not one of the choices
    bad = io.BytesIO()
    wb.save(bad)
    bad.seek(0)
    bad.name = "roster.xlsx"
    r = client.post(f"/elderly/rosters/{own.pk}/import/", {"file": bad})
    assert r.status_code == 400 and "第5行「核实结果」" in r.content.decode()
    ws["F5"] = "属实"
    good = io.BytesIO()
    wb.save(good)
    good.seek(0)
    good.name = "roster.xlsx"
    r = client.post(f"/elderly/rosters/{own.pk}/import/", {"file": good})
    text = r.content.decode()  # the preview: each person's mark changed, nothing saved yet
    assert r.status_code == 200 and "将要发生的变化" in text and 'name="token"' in text
    own.refresh_from_db()
    assert own.state != RosterState.CONFIRMED
    token = text.split('name="token" value="')[1].split('"')[0]
    r = client.post(f"/elderly/rosters/{own.pk}/import/", {"token": token})
    assert r.status_code == 302
    assert client.post(f"/elderly/rosters/{own.pk}/import/", {"token": token}).status_code == 400  # used once
    own.refresh_from_db()
    assert own.state == RosterState.CONFIRMED and set(own.lines.values_list("mark", flat=True)) == {"present"}


def test_an_upload_preview_leaves_no_file_once_confirmed_or_cancelled(client, staff, rosters, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    folder = tmp_path / "roster-previews"
    own = rosters["own"]
    client.force_login(staff["cadre_a"])
    wb = load_workbook(io.BytesIO(client.get(f"/elderly/rosters/{own.pk}/roster.xlsx").content))
    for row in wb.active.iter_rows(min_row=4):
        row[5].value = "属实"
    content = io.BytesIO()
    wb.save(content)

    def preview():
        upload = io.BytesIO(content.getvalue())
        upload.name = "roster.xlsx"
        r = client.post(f"/elderly/rosters/{own.pk}/import/", {"file": upload})
        assert r.status_code == 200 and len(list(folder.iterdir())) == 1  # kept sealed while the preview waits
        return r.content.decode().split('name="token" value="')[1].split('"')[0]

    token = preview()
    r = client.post(f"/elderly/rosters/{own.pk}/import/", {"token": token, "cancel": "1"})
    assert r.status_code == 302 and r["Location"] == f"/elderly/rosters/{own.pk}/"
    assert list(folder.iterdir()) == []
    own.refresh_from_db()
    assert own.state != RosterState.CONFIRMED  # nothing imported
    token = preview()
    assert client.post(f"/elderly/rosters/{own.pk}/import/", {"token": token}).status_code == 302
    assert list(folder.iterdir()) == []  # confirmed: no file left behind
    own.refresh_from_db()
    assert own.state == RosterState.CONFIRMED


def test_county_builds_the_month_on_the_page(client, staff, rosters):
    client.force_login(staff["cadre_a"])
    assert client.post("/elderly/rosters/", {"month": "2026-11"}).status_code == 403
    client.force_login(staff["approver"])
    r = client.post("/elderly/rosters/", {"month": "2026-11"})
    assert r.status_code == 302 and ElderlyRoster.objects.filter(month=dt.date(2026, 11, 1)).count() == 2
    assert client.get("/elderly/rosters/?month=2026-13").status_code == 400


def test_preview_collects_every_error_by_row_and_saves_nothing(client, staff, rosters):
    own = rosters["own"]
    client.force_login(staff["cadre_a"])
    wb = load_workbook(io.BytesIO(client.get(f"/elderly/rosters/{own.pk}/roster.xlsx").content))
    ws = wb.active
    ws["F4"], ws["F5"] = "已迁出", "搬走了"  # moved without a note; not one of the choices
    ws["B5"] = "别人"  # and row 5's name does not match either
    f = io.BytesIO()
    wb.save(f)
    preview = elderly_roster_preview(actor=staff["cadre_a"], roster=own, content=f.getvalue())
    text = " ".join(e.zh for e in preview.errors)
    assert "第4行「说明」" in text and "第5行「姓名」" in text
    own.refresh_from_db()
    assert (
        own.state != RosterState.CONFIRMED and not AuditEvent.objects.filter(action="benefit.roster_confirm").exists()
    )
