"""Veterans' pages, API and the year's amounts import (doudi/benefits/veterans_views.py, api.py, amounts.py): a
township caseworker sees only the township's veterans (another township's answer 404, as a missing one), the
county acts through the pages and the API, and the amounts file is refused naming its row and column with nothing
saved, or previewed and confirmed into one draft version."""

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from doudi.benefits.amounts import amounts_confirm, amounts_preview
from doudi.benefits.models import VeteranEntitlement
from doudi.benefits.veterans import veteran_decide, veteran_enter
from doudi.core.errors import ApplicationError
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.models import ParameterVersion
from doudi.programmes.pack import DEMO_PACK
from doudi.programmes.shapes.veterans import SHAPE
from doudi.registry.models import Person

from ..conftest import member

M = dt.date.fromisoformat


@pytest.fixture
def two(staff, register):
    """One approved veteran in each township."""
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    out = {}
    for key, name, seq, area, cw in (
        ("a", "王建国", 31, "511425101201", staff["caseworker_a"]),
        ("b", "刘卫东", 32, "511425102201", staff["caseworker_b"]),
    ):
        register(members=[member(name, "1955-04-10", seq, "head")], area=area, actor=cw)
        v = veteran_enter(
            actor=cw,
            person=Person.objects.get(name=name),
            category="disabled",
            grade=8,
            cause="duty",
            start_month=M("2026-06-01"),
        )
        out[key] = veteran_decide(actor=staff["approver"], entitlement=v, approve=True, on=M("2026-06-03"))
    return out


def test_township_sees_only_its_own_veterans(two, staff, client_for):
    c = client_for(staff["caseworker_a"])
    page = c.get("/veterans/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "王建国" in text and "刘卫东" not in text
    assert c.get(f"/veterans/{two['a'].pk}/").status_code == 200
    assert c.get(f"/veterans/{two['b'].pk}/").status_code == 404  # another township's: as a missing one
    assert c.get("/veterans/987654321/").status_code == 404
    api = c.get("/api/v1/veterans")
    assert [row["name"] for row in api.json()] == ["王建国"]
    assert c.get(f"/api/v1/veterans/{two['b'].pk}").status_code == 404
    filtered = c.get("/veterans/?category=martyr_family").content.decode()
    assert "王建国" not in filtered


def test_county_sees_both_and_suspends_through_the_api(two, staff, client_for):
    c = client_for(staff["approver"])
    rows = c.get("/api/v1/veterans?status=active").json()
    assert sorted(r["name"] for r in rows) == ["刘卫东", "王建国"]
    assert {r["monthly_amount"] for r in rows} == {"1700.00"}  # grade 8 from August 2026 (approved in June)
    r = c.post(
        f"/api/v1/veterans/{two['a'].pk}/suspend",
        data={"started_on": "2026-09-10"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "suspended" and r.json()["prison_terms"][0]["started_on"] == "2026-09-10"
    r = c.post(
        f"/api/v1/veterans/{two['a'].pk}/resume", data={"released_on": "2026-08-01"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["field"] == "released_on"  # before the term began


def test_the_person_page_offers_entry_and_the_form_names_the_field(two, staff, register, client_for):
    register(members=[member("孙立", "1960-02-02", 71, "head")])
    person = Person.objects.get(name="孙立")
    c = client_for(staff["caseworker_a"])
    assert "/veterans/new/?person=" in c.get(f"/people/{person.pk}/").content.decode()
    bad = c.post("/veterans/new/", {"person": person.pk, "category": "disabled", "start_month": "2026-09"})
    assert bad.status_code == 400 and "伤残等级" in bad.content.decode()
    assert not VeteranEntitlement.objects.filter(person=person).exists()
    good = c.post(
        "/veterans/new/",
        {"person": person.pk, "category": "disabled", "grade": "3", "cause": "duty", "start_month": "2026-09"},
    )
    assert good.status_code == 302
    assert VeteranEntitlement.objects.get(person=person).state == "pending"
    other = client_for(staff["caseworker_b"])
    assert other.get(f"/veterans/new/?person={person.pk}").status_code == 404


HEADER = ("类别", "伤残等级", "伤残性质", "金额（元）", "生效日期")


def sheet(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


CAUSE_ZH = {"war": "因战", "duty": "因公", "illness": "因病"}


def full_table(day="2027-08-01"):
    """The 2026 table plus 100 yuan on every row: the 26 disabled servicemen's rows (因战 1–10, 因公 1–10, 因病
    1–6) first, then the 7 other categories and the 2 grants."""
    labels = {
        "martyr_family": "烈士遗属",
        "duty_death_family": "因公牺牲军人遗属",
        "illness_death_family": "病故军人遗属",
        "demobilised": "在乡复员军人",
        "ill_returned": "带病回乡退伍军人",
        "war_participant": "参战退役人员",
        "nuclear_participant": "参试退役人员",
        "grant_spring_festival": "春节慰问金",
        "grant_kmt_veteran": "原国民党抗战老兵生活补助",
    }
    rows = []
    for k, v in SHAPE.pack[-1]["values"].items():
        amount = str(float(v) + 100)
        if k.startswith("disabled_"):
            _d, cause, grade = k.split("_")
            rows.append(("残疾军人", grade, CAUSE_ZH[cause], amount, day))
        else:
            rows.append((labels[k], "", "", amount, day))
    return rows


def _set(i, row):
    return lambda rows: rows.__setitem__(i, row)


def _drop(param):
    return lambda rows: rows.remove(next(r for r in rows if (r[0], r[1], r[2]) == param))


D = "2027-08-01"


@pytest.mark.parametrize(
    "change,message",
    [
        (_set(3, ("残疾军人", "11", "因战", "100", D)), "第5行“伤残等级”列"),
        (_set(0, ("残疾军人", "1", "", "100", D)), "第2行“伤残性质”列：残疾军人须填因战、因公或因病"),
        (_set(0, ("残疾军人", "1", "因伤", "100", D)), "第2行“伤残性质”列"),
        (_set(0, ("残疾军人", "8", "因病", "100", D)), "第2行“伤残等级”列：因病只有一至六级"),
        (_set(26, ("烈士遗属", "", "因战", "100", D)), "第28行“伤残性质”列：只有残疾军人填写伤残性质"),
        (_set(11, ("英雄", "", "", "100", D)), "第13行“类别”列"),
        (_set(12, ("因公牺牲军人遗属", "", "", "12.345", D)), "第14行“金额（元）”列"),
        (_set(13, ("病故军人遗属", "", "", "100", "2027-09-01")), "第15行“生效日期”列"),
        (_set(14, ("烈士遗属", "", "", "100", D)), "第28行“类别”列：与第16行重复"),  # the real row repeats it
        (_set(15, ("带病回乡退伍军人", "2", "", "100", D)), "第17行“伤残等级”列"),
        (_set(1, ("残疾军人", "1", "war", "100", D)), "第3行“类别”列：与第2行重复"),  # a code is a name too
        (lambda rows: rows.pop(), "原国民党抗战老兵生活补助"),  # a row missing
        (_drop(("残疾军人", "6", "因病")), "缺少“因病六级残疾军人”一行"),
    ],
)
def test_amounts_file_errors_name_row_and_column_and_save_nothing(two, county_reviewer, change, message):
    rows = full_table()
    change(rows)
    before = ParameterVersion.objects.count()
    with pytest.raises(ApplicationError) as e:
        amounts_preview(actor=county_reviewer, filename="标准.xlsx", content=sheet(rows))
    assert message in e.value.zh
    assert ParameterVersion.objects.count() == before


def test_last_years_file_without_the_cause_column_is_refused_naming_it(two, county_reviewer):
    rows = [(r[0], r[1], r[3], r[4]) for r in full_table()]
    with pytest.raises(ApplicationError) as e:
        amounts_preview(
            actor=county_reviewer,
            filename="标准.xlsx",
            content=sheet(rows, ("类别", "伤残等级", "金额（元）", "生效日期")),
        )
    assert "“伤残性质”列：缺少此列" in e.value.zh


def test_amounts_preview_then_confirm_makes_one_draft(two, county_reviewer, staff, client_for):
    rows = full_table()
    csv_bytes = ("类别,伤残等级,伤残性质,金额（元）,生效日期\n" + "\n".join(",".join(r) for r in rows)).encode("utf-8")
    preview = amounts_preview(actor=county_reviewer, filename="标准.csv", content=csv_bytes)
    assert preview.effective_from == M("2027-08-01") and len(preview.rows) == 35  # 26 disabled + 7 + 2 grants
    grade1 = next(r for r in preview.rows if r.param == "disabled_war_1")
    assert (str(grade1.current), str(grade1.amount), str(grade1.change)) == ("9140.00", "9240.00", "100.00")
    assert ParameterVersion.objects.filter(programme_id="veterans", status="draft").count() == 0  # preview: nothing
    with pytest.raises(ApplicationError):
        amounts_confirm(actor=staff["approver"], token=preview.token)  # another person's preview
    version = amounts_confirm(actor=county_reviewer, token=preview.token)
    assert version.status == "draft" and version.effective_from == M("2027-08-01")
    assert (version.values["disabled_war_1"], version.values["disabled_illness_6"]) == ("9240.00", "3390.00")
    assert "disabled_illness_7" not in version.values
    page = client_for(county_reviewer).get("/veterans/amounts/?on=2026-08-01")
    assert page.status_code == 200 and "8,700.00" in page.content.decode()


def test_entered_and_decided_through_the_api(two, staff, register):
    """The township enters through the API (bad input named, another township's person 404), the county approves
    or refuses (not the caseworker; a refusal needs its reason), and an approved monthly category is paid."""
    register(members=[member("赵志刚", "1950-02-02", 41, "head")], actor=staff["caseworker_a"])
    person = Person.objects.get(name="赵志刚")

    def client_for(user):
        c = Client()
        c.force_login(user)
        return c

    cw = client_for(staff["caseworker_a"])

    def post(client, path, body=None):
        return client.post(f"/api/v1{path}", data=body or {}, content_type="application/json")

    body = {"person_id": person.pk, "category": "disabled", "cause": "duty", "start_month": "2026-06"}
    no_grade = post(cw, "/veterans", body)
    assert no_grade.status_code == 400 and no_grade.json()["field"] == "grade"
    assert post(cw, "/veterans", {**body, "grade": 11}).status_code in (400, 422)
    other = post(client_for(staff["caseworker_b"]), "/veterans", {**body, "grade": 6})
    assert other.status_code == 404
    assert not VeteranEntitlement.objects.filter(person=person).exists()
    r = post(cw, "/veterans", {**body, "grade": 6, "certificate_no": "川残军 0041"})
    assert r.status_code == 201, r.content
    v = r.json()
    assert (v["status"], v["monthly_amount"], v["certificate_no"]) == ("pending", None, "川残军 0041")
    assert post(cw, "/veterans", {**body, "grade": 6}).status_code == 409  # entered once
    assert post(cw, f"/veterans/{v['id']}/approve").status_code == 403  # the county decides
    approver = client_for(staff["approver"])
    assert post(approver, f"/veterans/{v['id']}/refuse", {"reason": ""}).json()["field"] == "reason"
    done = post(approver, f"/veterans/{v['id']}/approve")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "active" and done.json()["monthly_amount"]
    assert post(approver, f"/veterans/{v['id']}/approve").status_code == 409  # decided once


def test_the_amounts_page_previews_the_grid_and_confirms_into_a_draft(two, county_reviewer, client_for):
    """Through the page as the county reviewer uses it: the file uploaded, the preview's grid (grade by cause, the
    change beside each amount, illness grades 7–10 empty), the rows of the other categories, then the confirmation
    making one draft and leading to the version's page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(county_reviewer)
    upload = SimpleUploadedFile("标准.xlsx", sheet(full_table()))
    page = c.post("/veterans/amounts/", {"file": upload})
    assert page.status_code == 200, page.content.decode()[:500]
    text = page.content.decode()
    preview = text[text.index("导入预览：标准.xlsx，2027-08-01起生效") : text.index("确认，生成参数草稿")]
    grid = preview[: preview.index("</table>")]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', grid, re.S)
    assert [grade for grade, _ in rows] == [f"{g}级" for g in "一二三四五六七八九十"]
    cells = {grade: re.findall(r'<td class="num">(.*?)</td>', row, re.S) for grade, row in rows}
    first = [re.sub(r"<[^>]+>|\s", "", cell) for cell in cells["一级"]]
    assert first == ["9,240.00（100.00）", *first[1:]] and len(first) == 3  # war, duty, illness
    assert all("（100.00）" in cell for cell in first)
    assert "因病七至十级不享受伤残抚恤金" in cells["七级"][2] and "（" not in re.sub(r"<[^>]+>", "", cells["七级"][2])
    assert "烈士遗属" in preview[preview.index("</table>") :]
    assert not ParameterVersion.objects.filter(programme_id="veterans", status="draft").exists()  # a preview only
    token = re.search(r'name="token" value="([^"]+)"', text).group(1)
    done = c.post("/veterans/amounts/", {"token": token})
    version = ParameterVersion.objects.get(programme_id="veterans", status="draft")
    assert done.status_code == 302 and done["Location"] == reverse("version_detail", args=[version.pk])
    assert version.values["disabled_war_1"] == "9240.00"


def test_the_county_changes_a_veterans_account_on_the_page_and_through_the_api(two, staff, client_for):
    """The detail page's form records the new account and says it in the reader's language; the township sees no
    form and is refused; the API answers with the lines moved; a bad account is refused naming the field."""
    v = two["a"]
    township = client_for(staff["caseworker_a"])
    assert "变更收款账户" not in township.get(f"/veterans/{v.pk}/").content.decode()
    assert (
        township.post(
            f"/veterans/{v.pk}/account/", {"bank_account": "6217000099998888776", "reason": "换卡"}
        ).status_code
        == 403
    )
    c = client_for(staff["approver"])
    page = c.get(f"/veterans/{v.pk}/").content.decode()
    assert "变更收款账户" in page and 'name="bank_account"' in page
    r = c.post(f"/veterans/{v.pk}/account/", {"bank_account": "6217000099998888776", "reason": "本人更换银行卡"})
    assert r.status_code == 302
    shown = c.get(r["Location"]).content.decode()
    assert "已保存" in shown and "本人账户" in shown and "8776" in shown
    assert "6217000099998888776" not in shown  # masked on the page
    r = c.post(f"/veterans/{v.pk}/account/", {"bank_account": "6217000099998888776", "reason": "又一次"})
    assert "银行账号和账户名与现登记的相同" in c.get(r["Location"]).content.decode()
    # the API: the lines moved (no payroll yet: none), in both languages when there are
    r = c.post(
        f"/api/v1/veterans/{v.pk}/account",
        data={"bank_account": "6228480000000012345", "account_holder": "王建国", "reason": "开户行撤并"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["lines_updated"], body["lines_kept_checked"], body["notes"]) == (0, 0, [])
    assert body["id"] == v.pk
    v.refresh_from_db()
    assert v.bank_account == "6228480000000012345"
    r = c.post(
        f"/api/v1/veterans/{v.pk}/account",
        data={"bank_account": "12ab", "reason": "换卡"},
        content_type="application/json",
    )
    assert r.status_code in (400, 422) and "bank_account" in r.content.decode()
    # the other township's approver is the county's: the township's own staff of B cannot reach A's veteran
    assert client_for(staff["caseworker_b"]).post(
        f"/api/v1/veterans/{v.pk}/account",
        data={"bank_account": "6228480000000012345", "reason": "x"},
        content_type="application/json",
    ).status_code in (403, 404)
