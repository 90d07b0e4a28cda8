"""Every page renders for the roles that use it, in Chinese by default and in English on request."""

import pytest

from doudi.registry.models import Person


@pytest.mark.parametrize("role", ["caseworker_a", "cadre_a", "auditor", "approver"])
def test_main_pages_render_for_each_role(client_for, staff, register, role):
    h = register()
    c = client_for(staff[role])
    for url in ("/", "/households/", f"/households/{h.pk}/", "/areas/", "/accounts/tokens/"):
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
        assert "兜底" in r.content.decode()


def test_navigation_follows_role(client_for, staff):
    def nav(user):
        return [item["url"] for item in client_for(user).get("/").context["nav"]]

    assert nav(staff["cadre_a"]) == [
        "/",
        "/households/",
        "/households/new/",
        "/transfers/",
        "/cases/",
        "/enrolments/",
        "/temporary/",
        "/elderly/rosters/",
        "/children/",
        "/veterans/",
        "/funeral/",
        "/medical/",
        "/verification/discovery/",
        "/programmes/",
        "/programmes/runs/",
        "/areas/",
    ]
    assert nav(staff["auditor"]) == [
        "/",
        "/households/",
        "/cases/",
        "/enrolments/",
        "/temporary/",
        "/elderly/rosters/",
        "/children/",
        "/veterans/",
        "/funeral/",
        "/medical/",
        "/payments/",
        "/statistics/",
        "/verification/",
        "/verification/discovery/",
        "/programmes/",
        "/programmes/runs/",
        "/areas/",
        "/audit/",
    ]
    assert nav(staff["admin"]) == ["/", "/areas/", "/staff/"]  # the system administrator: no business page
    assert "/households/import/" in nav(staff["caseworker_a"])


def test_the_system_administrators_pages_render(client_for, staff):
    c = client_for(staff["admin"])
    for url in ("/", "/staff/", f"/staff/{staff['caseworker_a'].pk}/", "/areas/", "/accounts/tokens/"):
        r = c.get(url)
        assert r.status_code == 200 and "兜底" in r.content.decode(), url


def test_english_on_request(client_for, staff):
    c = client_for(staff["approver"])
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = c.get("/households/").content.decode()
    assert "Household search" in body
    assert 'lang="en"' in body


def test_edit_forms_show_field_errors(client_for, staff, register):
    h = register()
    c = client_for(staff["caseworker_a"])
    r = c.post(f"/households/{h.pk}/edit/", {"area": "511425101201", "hukou_type": "rural", "phone": "abc"})
    assert r.status_code == 200 and "联系电话格式不正确" in r.content.decode()
    r = c.post(f"/households/{h.pk}/members/new/", {"name": "新成员", "id_number": "123", "relation": "child"})
    assert "身份证号应为18位" in r.content.decode()
    assert Person.objects.count() == 2


def test_register_page_creates_household_and_shows_member_errors(client_for, staff):
    from .conftest import make_id

    c = client_for(staff["caseworker_a"])
    assert c.get("/households/new/").status_code == 200
    data = {
        "area": "511425101201",
        "hukou_type": "rural",
        "member_count": "2",
        "m0-name": "何大",
        "m0-id_number": make_id("1970-07-07", 7),
        "m0-relation": "head",
        "m0-labour_capacity": "full",
        "m1-name": "何二",
        "m1-id_number": "511425",
        "m1-relation": "child",
        "m1-labour_capacity": "full",
    }
    r = c.post("/households/new/", data)
    assert r.status_code == 200 and "身份证号应为18位" in r.content.decode()
    data["m1-id_number"] = make_id("2000-07-07", 8)
    r = c.post("/households/new/", data)
    assert r.status_code == 302
    assert Person.objects.filter(name__startswith="何").count() == 2


def test_move_and_record_pages(client_for, staff, register):
    from .conftest import member

    a = register()
    b = register(members=[member("赵四", "1980-02-02", 31, "head")])
    wife = Person.objects.get(name="李秀英")
    c = client_for(staff["caseworker_a"])
    assert c.get(f"/people/{wife.pk}/move/").status_code == 200
    r = c.post(f"/people/{wife.pk}/move/", {"to_household": b.pk, "relation": "spouse"})
    assert r.status_code == 302
    assert c.get(f"/households/{a.pk}/incomes/new/").status_code == 200
    r = c.post(f"/households/{a.pk}/incomes/new/", {"kind": "wage", "monthly": "abc"})
    assert r.status_code == 200 and "monthly" in r.content.decode()
    r = c.post(f"/households/{a.pk}/incomes/new/", {"kind": "wage", "monthly": "1200.50"})
    assert r.status_code == 302
    body = c.get(f"/households/{a.pk}/").content.decode()
    assert "1,200.50" in body and "曾经的成员" in body


def test_chinese_by_default_even_for_an_english_browser(client_for, staff):
    body = client_for(staff["approver"]).get("/households/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "家庭查询" in body and 'lang="zh-hans"' in body


def test_the_menu_groups_pages_and_marks_where_one_is(client_for, staff, register):
    c = client_for(staff["caseworker_a"])
    groups = c.get("/").context["nav_groups"]
    by_label = {str(g["label"]): [str(p["label"]) for p in g["pages"]] for g in groups}
    assert list(by_label)[:3] == ["首页", "家庭", "救助"]
    assert by_label["家庭"] == ["家庭查询", "登记家庭", "批量导入", "跨乡镇迁移"]
    assert by_label["救助"][:2] == ["案件", "保障对象"]
    assert all(len(pages) >= 1 for pages in by_label.values())
    # a page under a menu entry marks that entry and its group (the longest address that begins it)
    h = register()
    nav = c.get(f"/households/{h.pk}/").context
    active = [str(i["label"]) for i in nav["nav"] if i["active"]]
    assert active == ["家庭查询"] and [str(g["label"]) for g in nav["nav_groups"] if g["active"]] == ["家庭"]
    active = [str(i["label"]) for i in c.get("/households/new/").context["nav"] if i["active"]]
    assert active == ["登记家庭"]
    # a group of one page is that page's link (the auditor's payrolls), not a group to open
    nav = client_for(staff["auditor"]).get("/").content.decode().split("</nav>")[0]
    assert '<a href="/payments/">资金发放</a>' in nav and "<summary>资金发放" not in nav


def test_english_says_household_for_one_and_households_for_the_menu(client_for, staff):
    """家庭 heads a column of one household a row ("Household"); the menu's group of household pages is plural."""
    c = client_for(staff["caseworker_a"])
    c.cookies["django_language"] = "en"
    body = c.get("/transfers/").content.decode()
    nav, page = body.split("</nav>", 1)
    assert "<summary>Households</summary>" in nav
    assert "<th>Household</th>" in page and "<th>Households</th>" not in page


def test_the_notice_links_count_in_english_as_in_chinese(client_for, staff, monkeypatch):
    """One case in public notice is "1 case", not "1 cases", on the English home page."""
    from doudi.registry import views

    monkeypatch.setattr(views.case_selectors, "notices_to_post", lambda user, today: {"cases": 1, "terminations": 2})
    c = client_for(staff["caseworker_a"])
    c.cookies["django_language"] = "en"
    page = c.get("/").content.decode()
    assert "Public notice of proposed recipients (1 case), PDF" in page
    assert "Public notice of terminations (2 households), PDF" in page
    c.cookies["django_language"] = "zh-hans"
    assert "拟纳入保障公示名单（1 件）PDF" in c.get("/").content.decode()


def test_empty_lists_say_so_and_title_buttons_stay_together(client_for, staff):
    """The batch runs page with no run yet says 无 under its headings (it was a bare header row); the veterans'
    page keeps its two buttons together at the right of the title (they were spread across it)."""
    c = client_for(staff["caseworker_a"])
    page = c.get("/programmes/runs/").content.decode()
    assert '<td colspan="7">无</td>' in page
    page = c.get("/veterans/").content.decode()
    assert '<div class="actions"><a class="button" href="/veterans/amounts/">' in page


def test_no_merge_conflict_markers_in_the_tree():
    """A merge left a conflict in a template once (both tables rendered, git's markers on the page)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    marker = re.compile(r"^(<{7} |>{7} |={7}$)", re.M)
    found = [
        str(p.relative_to(root))
        for folder in ("doudi", "tests", "scripts", "docs", "benchmarks")
        for p in (root / folder).rglob("*")
        if p.suffix in {".py", ".html", ".md", ".po", ".js", ".css", ".json"} and marker.search(p.read_text("utf-8"))
    ]
    assert found == []
