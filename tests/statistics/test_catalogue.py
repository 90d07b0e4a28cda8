"""Each indicator on the hand-built county of conftest.py, its figures worked out by hand; the list behind each
figure adds up to it; the dibao households and money of a month are that month's payroll; a township sees its own."""

import datetime as dt
import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from doudi.core.errors import NotFound
from doudi.registry.models import Person
from doudi.statistics.catalogue import CATALOGUE
from doudi.statistics.selectors import drill_list, figures, figures_json

from .conftest import JAN, MAR

pytestmark = pytest.mark.django_db

# code: (March, February, year to date at March); "-" where the indicator has no year to date.
# Worked by hand from the county in conftest.py:
EXPECTED = {
    # on the roll in March: H1 (3, rural), H2 (1, urban), H3 (2, rural); H4 ended in February
    "DB0101000000": (3, 3, "-"),  # February: H1, H2 (returned: still on the roll), H4
    "DB0101100000": (1, 1, "-"),
    "DB0101200000": (2, 2, "-"),
    "DB0102000000": (6, 5, "-"),  # 3 + 1 + 2; February 3 + 1 + 1
    "DB0102100000": (1, 1, "-"),
    "DB0102200000": (5, 4, "-"),
    # members at 31 March: H1 65, 56 (disabled), 14; H2 36; H3 76, 70. February: H1's, H2's, H4's (46)
    "DB0103100000": (3, 1, "-"),
    "DB0103200000": (2, 3, "-"),
    "DB0103300000": (1, 1, "-"),
    "DB0103400000": (1, 1, "-"),
    # March: 300 + (200 + 200 arrears) + 150; February: 300 + 200 (H4); H2's 200 returned; January 300 + 200 + 200
    "DB0301000000": (D("850.00"), D("500.00"), D("2050.00")),
    "DB0301100000": (D("400.00"), D("0.00"), D("600.00")),
    "DB0301200000": (D("450.00"), D("500.00"), D("1450.00")),
    # urban: 400 / (1 × 2 months); February nothing paid; year 600 / 3 person-months
    "DB0302100000": (D("200.0"), None, D("200.0")),
    # rural: 450 / 5; February 500 / 4 = 125; year (500 + 500 + 450) / (4 + 4 + 5) = 111.538…
    "DB0302200000": (D("90.0"), D("125.0"), D("111.5")),
    "DB0201100000": (D("400.00"), D("400.00"), "-"),  # the demo pack's standards from 2016
    "DB0201200000": (D("230.00"), D("230.00"), "-"),
    "DB0401000000": (2, 0, 7),  # H3 in March; H1, H2, H4 in January: 3 + 1 + 1 + 2
    "DB0402000000": (1, 0, 1),  # H4 ended from March
    "TK0102000000": (2, 2, "-"),
    "TK0102100000": (1, 1, "-"),  # T2, urban hukou
    "TK0102200000": (1, 1, "-"),  # T1
    "TK0103100000": (2, 2, "-"),  # born 1940 and 1945
    "TK0103200000": (0, 0, "-"),
    "TK0103300000": (0, 0, "-"),
    "TK0103400000": (0, 0, "-"),
    "TK0104100000": (1, 1, "-"),
    "TK0104200000": (1, 1, "-"),
    "TK0105000000": (D("50.0"), D("50.0"), "-"),
    "TK0105100000": (D("0.0"), D("0.0"), "-"),  # T2 at home
    "TK0105200000": (D("100.0"), D("100.0"), "-"),  # T1 in the county welfare home
    "TK0201100000": (D("360.00"), D("360.00"), "-"),
    "TK0201200000": (D("460.00"), D("460.00"), "-"),
    "TK0301000000": (D("1300.00"), D("1300.00"), D("3900.00")),
    "TK0401000000": (0, 0, 2),
    "TK0402000000": (0, 0, 0),
    "SQ0101000000": (3, 1, 4),  # C1, C2, C3; February C4
    "SQ0102000000": (1, 0, 1),
    "SQ0103000000": (1, 0, 1),
    # open at the end of March: C3 (C4 was withdrawn on 3 March); at the end of February: C4, not yet withdrawn
    "SQ0104000000": (1, 1, "-"),
    "SQ0104100000": (0, 1, "-"),  # C4 at the end of February, awaiting the survey
    "SQ0104200000": (1, 0, "-"),  # C3 surveyed on 25 March (sent for verification only in April)
    "SQ0104300000": (0, 0, "-"),
    "SQ0104400000": (0, 0, "-"),
    "SQ0105000000": (1, 0, 1),  # C4 on 3 March
    "SQ0201000000": (D("50.0"), None, D("50.0")),  # C1 on time, C2 late
    # C1: 3–6, 9–13, 16–20 March = 14 working days; C2: 6, 9–13, 16–20, 23–27, 30–31 March = 18
    "SQ0202000000": (D("16.0"), None, D("16.0")),
    "ZH0101000000": (D("120.00"), D("0.00"), D("120.00")),
    "ZH0102000000": (D("50.00"), D("0.00"), D("50.00")),
    # February: H2's dibao; March: H2's temporary assistance
    "FF0101000000": (1, 1, 2),
    "FF0102000000": (D("500.00"), D("200.00"), D("700.00")),
    # every programme's money paid: March 850 + 1,300 + 100 + 1,200 + 80 + 1,100 + 0 + 350 + 2,000; February
    # 500 + 1,300 + 200 + 1,200 + 80 + 1,000; the year 2,050 + 3,900 + 500 + 2,400 + 240 + 1,100 + 1,000 + 350 + 2,000
    "FF0201000000": (D("6980.00"), D("4280.00"), D("13540.00")),
    # the other programmes: old-age allowance 郑五 from January, 冯六 January–February
    "GL0102000000": (1, 2, "-"),
    "GL0301000000": (D("100.00"), D("200.00"), D("500.00")),  # 200 + 200 + 100
    "GL0401000000": (0, 0, 2),
    "GL0402000000": (1, 0, 1),
    # children's allowance: 王小一 from February
    "ET0102000000": (1, 1, "-"),
    "ET0301000000": (D("1200.00"), D("1200.00"), D("2400.00")),
    "ET0401000000": (0, 1, 1),
    "ET0402000000": (0, 0, 0),
    # disability subsidies: 李一 from January
    "CJ0102000000": (1, 1, "-"),
    "CJ0301000000": (D("80.00"), D("80.00"), D("240.00")),
    "CJ0401000000": (0, 0, 1),
    "CJ0402000000": (0, 0, 0),
    # veterans: 孙三 from March; his Spring Festival grant of 500.00 is money paid, not one more on the roll or added
    "YF0102000000": (1, 0, "-"),
    "YF0301000000": (D("1100.00"), D("0.00"), D("1100.00")),
    "YF0401000000": (1, 0, 1),
    "YF0402000000": (0, 0, 0),
    # one-offs: temporary assistance to H4 in February; H2's in March was returned by the bank
    "LS0101000000": (0, 1, 1),
    "LS0301000000": (D("0.00"), D("1000.00"), D("1000.00")),
    "YL0101000000": (1, 0, 1),  # 赵二 in March
    "YL0301000000": (D("350.00"), D("0.00"), D("350.00")),
    "BZ0101000000": (1, 0, 1),  # 周三 in March
    "BZ0301000000": (D("2000.00"), D("0.00"), D("2000.00")),
}


def test_every_indicator_has_a_hand_worked_figure():
    assert set(EXPECTED) == set(CATALOGUE)
    assert all(len(code) == 12 for code in CATALOGUE)


def test_figures_for_march_as_worked_by_hand(county):
    got = {
        f.indicator.code: (f.value, f.previous, f.year_to_date if f.indicator.cumulative else "-")
        for f in figures(county["people"]["approver"], MAR)
    }
    assert {c: got[c] for c in EXPECTED} == EXPECTED


@pytest.mark.parametrize("code", sorted(c for c, i in CATALOGUE.items() if i.drill))
def test_the_list_behind_each_figure_adds_up_to_it(county, code):
    user = county["people"]["approver"]
    ind = CATALOGUE[code]
    [f] = figures(user, MAR, codes=[code])
    assert ind.recount(list(drill_list(user, code, MAR))) == f.value
    if ind.cumulative:
        assert ind.recount(list(drill_list(user, code, MAR, ytd=True))) == f.year_to_date


def test_dibao_households_and_money_of_a_month_equal_its_payroll(county):
    user = county["people"]["approver"]
    p = county["payrolls"][("dibao", JAN)]
    [households, money] = figures(user, JAN, codes=["DB0101000000", "DB0301000000"])
    assert (households.value, money.value) == (p.line_count, p.total) == (3, D("700.00"))
    # February: the roll is the payroll's lines; the money is its total less what the bank returned
    feb = county["payrolls"][("dibao", dt.date(2026, 2, 1))]
    feb.refresh_from_db()
    [households, money, failed] = figures(user, feb.month, codes=["DB0101000000", "DB0301000000", "FF0102000000"])
    assert households.value == feb.line_count == 3
    assert money.value + failed.value == feb.total == D("700.00")


def test_a_township_sees_its_own_figures(county):
    cw_b = county["people"]["caseworker_b"]  # 瑞峰镇: H3 and T2
    got = {f.indicator.code: f.value for f in figures(cw_b, MAR)}
    assert got["DB0101000000"] == 1 and got["DB0102000000"] == 2
    assert got["DB0301000000"] == D("150.00") and got["TK0102000000"] == 1
    assert got["TK0105000000"] == D("0.0")  # T2 is supported at home
    assert got["SQ0101000000"] == 0 and got["ZH0101000000"] == D("0.00")
    # 孙三's veterans' payment and 周三's funeral waiver; 冯六's old-age allowance ended from March
    assert (got["YF0102000000"], got["BZ0101000000"], got["BZ0301000000"]) == (1, 1, D("2000.00"))
    assert (got["GL0102000000"], got["GL0402000000"], got["LS0101000000"]) == (0, 1, 0)
    # the county asks for one township
    admin = county["people"]["approver"]
    assert {f.indicator.code: f.value for f in figures(admin, MAR, area="511425102000")} == got
    # a township asking for another township's figures, or its list, is told there is no such area
    cw_a = county["people"]["caseworker_a"]
    with pytest.raises(NotFound):
        figures(cw_a, MAR, area="511425102000")
    with pytest.raises(NotFound):
        drill_list(cw_a, "DB0101000000", MAR, area="511425102000")
    assert {line.household_id for line in drill_list(cw_b, "DB0101000000", MAR)} == {
        county["enrolments"]["h3"].household_id
    }


def test_the_command_prints_the_catalogue_as_json(county):
    out = StringIO()
    call_command("indicators", "--month", "2026-03", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == set(CATALOGUE)
    assert data["DB0301000000"] == {
        "name": "低保资金支出",
        "name_en": "Minimum living allowance paid",
        "unit": "元",
        "value": "850.00",
        "previous": "500.00",
        "change": "350.00",
        "year_to_date": "2050.00",
    }
    assert data["DB0101000000"]["value"] == 3 and "year_to_date" not in data["DB0101000000"]
    out = StringIO()
    call_command("indicators", "--month", "2026-03", "--area", "511425102000", stdout=out)
    assert json.loads(out.getvalue())["DB0102000000"]["value"] == 2
    assert figures_json(figures(county["people"]["approver"], MAR))["DB0102000000"]["value"] == 6


def test_the_command_refuses_a_bad_month_naming_it(county):
    err = StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("indicators", "--month", "2026-13", stderr=err)
    assert exit.value.code == 2 and "YYYY-MM" in err.getvalue()


def test_a_death_after_the_month_leaves_its_categories_alone(county):
    """People are counted by category as they were at the month's end: H3's 76-year-old, who died on 2 April,
    is still one of March's elderly (a death report the next month must not rewrite March's form); a death dated
    in March takes her out of March."""
    user = county["people"]["approver"]
    elderly = "DB0103100000"
    [before] = figures(user, MAR, codes=[elderly])
    old = Person.objects.get(birth_date=min(p.birth_date for p in drill_list(user, elderly, MAR)))
    Person.objects.filter(pk=old.pk).update(deceased=True, died_on=dt.date(2026, 4, 2))
    [after] = figures(user, MAR, codes=[elderly])
    assert after.value == before.value == EXPECTED[elderly][0]
    Person.objects.filter(pk=old.pk).update(died_on=dt.date(2026, 3, 20))
    [dead] = figures(user, MAR, codes=[elderly])
    assert dead.value == before.value - 1


def test_a_direct_grant_is_not_an_application(county):
    """The SQ indicators count applications that go through a procedure (dibao, tekun, a child's allowance): the
    case a direct grant records at its decision — here an old-age allowance granted on 10 March, accepted and
    decided that day — would have counted as one more application accepted and approved on time, in 0 days."""
    from doudi.benefits.actions import grant_record
    from doudi.registry.models import Membership

    user = county["people"]["approver"]
    codes = ["SQ0101000000", "SQ0102000000", "SQ0201000000", "SQ0202000000"]
    before = {f.indicator.code: f.value for f in figures(user, MAR, codes=codes)}
    zheng = Person.objects.get(name="郑五")
    grant_record(
        actor=county["people"]["caseworker_a"],
        programme="elderly",
        household=Membership.objects.get(person=zheng, end_date__isnull=True).household,
        person=zheng,
        on=dt.date(2026, 3, 10),
        month=MAR,
        amount=D("100.00"),
        decision={},
    )
    assert {f.indicator.code: f.value for f in figures(user, MAR, codes=codes)} == before
    assert before["SQ0101000000"] == 3 and before["SQ0102000000"] == 1  # C1–C3 accepted, C1 approved (the table above)
    listed = drill_list(user, "SQ0101000000", MAR)
    assert len(listed) == 3 and zheng.pk not in {c.applicant_id for c in listed}
