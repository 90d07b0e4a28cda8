"""Medical assistance settlements (issue 15, medical): a settlement file imported whole or not at all, each claim
computed against the person's year (deductible and cap carried across claims in date order), paid once through
the payroll; a re-imported settlement number refused; one claim entered by hand; the premium roster; the annual
statement (page, PDF, workbook); and each township seeing only its own claims."""

import base64
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from doudi.accounts.actions import staff_create
from doudi.cases.models import Enrolment
from doudi.core.errors import ApplicationError, PermissionDenied
from doudi.medical.models import PremiumSubsidy, Settlement, SettlementBatch
from doudi.medical.premiums import premium_roster_build
from doudi.medical.settlements import settlement_enter, settlement_import
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine

from ..conftest import PASSWORD
from ..pdftext import flat, pdf_text
from .conftest import HEADER, LI, WANG, ZHANG, csv


def test_claims_of_one_year_share_the_cap_in_date_order_and_are_paid_once(county):
    # the later stay comes first in the file: the claims are computed in discharge-date order all the same
    content = csv(
        f"JS-002,张大山,{ZHANG},青神县人民医院,2026-06-01,2026-06-10,9000.00,3500.00,5000.00,否",
        f"JS-001,张大山,{ZHANG},眉山市人民医院,2026-03-01,2026-03-12,25000.00,14000.00,10000.00,否",
        f"JS-003,王老汉,{WANG},青神县中医医院,2026-04-02,2026-04-09,3200.00,2200.00,800.50,否",
    )
    batch = settlement_import(actor=county["approver"], filename="结算.csv", content=content, on=dt.date(2026, 11, 5))
    first, second = Settlement.objects.get(number="JS-001"), Settlement.objects.get(number="JS-002")
    # dibao: 70%, general cap 8,000 a year; 10,000 × 70% = 7,000, then 5,000 × 70% = 3,500 but only 1,000 left
    assert (first.group, first.amount, first.cap_left) == ("dibao", Decimal("7000.00"), Decimal("1000.00"))
    assert (second.assisted_before, second.amount, second.cap_left) == (
        Decimal("7000.00"),
        Decimal("1000.00"),
        Decimal("0.00"),
    )
    assert any("剩余 1000.00 元" in s["zh"] for s in second.decision["explanation"])
    tekun = Settlement.objects.get(number="JS-003")
    assert (tekun.group, tekun.amount) == ("tekun", Decimal("800.50"))  # tekun: 100%
    assert (batch.rows, batch.paid, batch.total) == (3, 3, Decimal("8800.50"))
    p = payroll_generate(actor=county["finance"], programme="medical", month=dt.date(2026, 11, 1))
    assert sorted(x.amount for x in PayrollLine.objects.filter(payroll=p)) == [
        Decimal("800.50"),
        Decimal("1000.00"),
        Decimal("7000.00"),
    ]
    # a third claim that year gets nothing: the cap is used up (recorded, explained, not paid)
    third = settlement_enter(
        actor=county["approver"],
        data={
            "number": "JS-004",
            "name": "张大山",
            "id_number": ZHANG,
            "hospital": "青神县人民医院",
            "admitted_on": "2026-07-01",
            "discharged_on": "2026-07-03",
            "total_cost": "1200",
            "insurance_paid": "700",
            "in_scope_oop": "500",
            "serious_disease": "no",
        },
        on=dt.date(2026, 11, 5),
    )
    assert third.amount == 0 and third.enrolment is None
    assert third.decision["reasons_ineligible"][0]["code"] == "amount_zero"
    # a serious disease claim has its own, higher cap: 30,000 − 8,000 assisted = 22,000 left
    serious = settlement_enter(
        actor=county["approver"],
        data={
            "number": "JS-005",
            "name": "张大山",
            "id_number": ZHANG,
            "hospital": "四川大学华西医院",
            "admitted_on": "2026-08-01",
            "discharged_on": "2026-08-30",
            "total_cost": "90000",
            "insurance_paid": "50000",
            "in_scope_oop": "40000",
            "serious_disease": "yes",
        },
        on=dt.date(2026, 11, 5),
    )
    assert (serious.amount, serious.cap_left) == (Decimal("22000.00"), Decimal("0.00"))


def test_a_settlement_file_imported_twice_never_pays_twice(county):
    content = csv(f"JS-101,张大山,{ZHANG},青神县人民医院,2026-05-01,2026-05-08,4000.00,2000.00,1500.00,否")
    settlement_import(actor=county["approver"], filename="a.csv", content=content, on=dt.date(2026, 11, 5))
    enrolments = Enrolment.objects.filter(programme_id="medical").count()
    with pytest.raises(ApplicationError) as e:
        settlement_import(actor=county["approver"], filename="a.csv", content=content, on=dt.date(2026, 11, 6))
    assert e.value.code == "bad_rows"
    assert e.value.extra["errors"][0]["column"] == "结算单号" and "不重复救助" in e.value.extra["errors"][0]["message"]
    assert Settlement.objects.count() == 1 and SettlementBatch.objects.count() == 1
    assert Enrolment.objects.filter(programme_id="medical").count() == enrolments
    # the same number twice in one file is refused too
    with pytest.raises(ApplicationError) as e:
        settlement_import(
            actor=county["approver"],
            filename="b.csv",
            content=csv(
                f"JS-200,张大山,{ZHANG},青神县人民医院,2026-05-01,2026-05-08,4000.00,2000.00,1500.00,否",
                f"JS-200,李秀英,{LI},青神县人民医院,2026-05-01,2026-05-08,4000.00,2000.00,1500.00,否",
            ),
            on=dt.date(2026, 11, 6),
        )
    assert e.value.extra["errors"] == [{"row": 3, "column": "结算单号", "message": "与第2行重复"}]


def test_bad_rows_are_named_and_nothing_is_loaded(county):
    content = csv(
        f"JS-301,张大山,{ZHANG},青神县人民医院,2026-05-01,2026-05-08,4000.00,2000.00,1500.00,否",
        f"JS-302,李秀英,{LI},青神县人民医院,2026-05-09,2026-05-08,4000.00,2000.00,1500.00,否",
        "JS-303,无此人,511425198001010016,青神县人民医院,2026-05-01,2026-05-08,4000.00,2000.00,1500.00,否",
        f"JS-304,张大山,{ZHANG},青神县人民医院,2026/05/01,昨天,4000.00,2000.00,1500.00,也许",
        f"JS-305,李小英,{LI},青神县人民医院,2026-05-01,2026-05-08,4000.00,3000.00,1500.00,否",
    )
    with pytest.raises(ApplicationError) as e:
        settlement_import(actor=county["approver"], filename="bad.csv", content=content, on=dt.date(2026, 11, 5))
    found = {(x["row"], x["column"]) for x in e.value.extra["errors"]}
    assert found == {
        (3, "入院日期"),
        (4, "公民身份号码"),
        (5, "出院日期"),
        (5, "重特大疾病"),
        (6, "姓名"),
        (6, "政策范围内自付"),
    }
    assert "整个文件未导入" in e.value.zh and "第3行【入院日期】" in e.value.zh
    assert not Settlement.objects.exists() and not SettlementBatch.objects.exists()
    assert not Enrolment.objects.filter(programme_id="medical").exists()


def test_an_xlsx_file_and_the_api(county, client_for):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.split(","))
    ws.append(
        ["JS-401", "李秀英", LI, "青神县人民医院", dt.date(2026, 9, 1), dt.date(2026, 9, 9), 6000, 3000.5, 2000, "否"]
    )
    out = io.BytesIO()
    wb.save(out)
    c = client_for(county["approver"])
    r = c.post(
        "/api/v1/medical/settlement-imports",
        {"file_name": "s.xlsx", "content_base64": base64.b64encode(out.getvalue()).decode()},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["total"] == "1400.00"  # 2,000 × 70%
    r = c.get("/api/v1/medical/settlements?year=2026")
    assert [s["number"] for s in r.json()] == ["JS-401"]
    r = c.post(
        "/api/v1/medical/settlements",
        {
            "number": "JS-402",
            "name": "李秀英",
            "id_number": LI,
            "hospital": "青神县人民医院",
            "admitted_on": "2026-10-01",
            "discharged_on": "2026-10-02",
            "total_cost": "100.00",
            "insurance_paid": "90.00",
            "in_scope_out_of_pocket": "20.00",
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "in_scope_oop"


def test_a_township_sees_only_its_own_claims(county, client_for):
    content = csv(
        f"JS-501,张大山,{ZHANG},青神县人民医院,2026-05-01,2026-05-08,4000.00,2000.00,1500.00,否",
        f"JS-502,王老汉,{WANG},青神县人民医院,2026-05-01,2026-05-08,4000.00,2000.00,1500.00,否",
    )
    settlement_import(actor=county["approver"], filename="c.csv", content=content, on=dt.date(2026, 11, 5))
    mine, theirs = Settlement.objects.get(number="JS-501"), Settlement.objects.get(number="JS-502")
    c = client_for(county["caseworker_a"])
    page = c.get("/medical/?year=2026").content.decode()
    assert "JS-501" in page and "JS-502" not in page and "王老汉" not in page
    assert c.get(f"/medical/settlements/{mine.pk}/").status_code == 200
    assert c.get(f"/medical/settlements/{theirs.pk}/").status_code == 404
    assert c.get(f"/medical/people/{theirs.person_id}/2026/").status_code == 404
    assert c.get(f"/api/v1/medical/settlements/{theirs.pk}").status_code == 404
    assert [s["number"] for s in c.get("/api/v1/medical/settlements").json()] == ["JS-501"]
    # a caseworker may not import (the county computes and approves)
    assert c.post("/medical/import/").status_code == 403
    with pytest.raises(PermissionDenied):
        settlement_import(actor=county["caseworker_b"], filename="d.csv", content=content, on=dt.date(2026, 11, 5))
    # an approver of township B finds township A's people unknown: the row is refused, nothing loaded
    b_approver = staff_create(
        actor=None,
        username="b_app",
        password=PASSWORD,
        role="county_approver",
        area_code="511425102000",
        check_password=False,
    )
    again = csv(f"JS-509,张大山,{ZHANG},青神县人民医院,2026-05-01,2026-05-08,4000.00,2000.00,1500.00,否")
    with pytest.raises(ApplicationError) as e:
        settlement_import(actor=b_approver, filename="d.csv", content=again, on=dt.date(2026, 11, 5))
    assert e.value.extra["errors"] == [
        {"row": 2, "column": "公民身份号码", "message": "在您辖区的登记人员中找不到此身份证号"}
    ]


def test_premium_roster_tekun_in_full_dibao_fixed_once_a_year(county):
    roster = premium_roster_build(actor=county["approver"], year=2026, on=dt.date(2026, 11, 5))
    got = {(p.person.name, p.group, p.amount) for p in PremiumSubsidy.objects.select_related("person")}
    assert got == {
        ("张大山", "dibao", Decimal("90.00")),
        ("李秀英", "dibao", Decimal("90.00")),
        ("王老汉", "tekun", Decimal("400.00")),
    }
    assert (roster.added, roster.total) == (3, Decimal("580.00"))
    again = premium_roster_build(actor=county["approver"], year=2026, on=dt.date(2026, 11, 20))
    assert again.added == 0
    p = payroll_generate(actor=county["finance"], programme="medical", month=dt.date(2026, 11, 1))
    assert sum(x.amount for x in PayrollLine.objects.filter(payroll=p)) == Decimal("580.00")
    with pytest.raises(ApplicationError):
        premium_roster_build(actor=county["approver"], year=2025, on=dt.date(2026, 11, 5))


def test_statement_page_pdf_and_the_years_workbook(county, client_for):
    content = csv(
        f"JS-601,张大山,{ZHANG},眉山市人民医院,2026-03-01,2026-03-12,25000.00,14000.00,10000.00,否",
        f"JS-602,张大山,{ZHANG},青神县人民医院,2026-06-01,2026-06-10,9000.00,3500.00,5000.00,否",
    )
    settlement_import(actor=county["approver"], filename="e.csv", content=content, on=dt.date(2026, 11, 5))
    premium_roster_build(actor=county["approver"], year=2026, on=dt.date(2026, 11, 5))
    person = Settlement.objects.get(number="JS-601").person
    c = client_for(county["caseworker_a"])
    page = c.get(f"/medical/people/{person.pk}/2026/").content.decode()
    assert "JS-601" in page and "JS-602" in page and "8,090.00" in page  # 8,000 assistance + 90 premium
    r = c.get(f"/medical/people/{person.pk}/2026/statement.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for expected in ("青神县民政局2026年度医疗救助明细", "张大山", "JS-601", "7000.00", "1000.00", "8090.00"):
        assert flat(expected) in text
    r = c.get("/medical/export.xlsx?year=2026")
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb["医疗救助结算"].iter_rows(min_row=3, values_only=True))
    assert [(x[0], x[4], x[12]) for x in rows] == [("张大山", "JS-601", "7000.00"), ("张大山", "JS-602", "1000.00")]
    assert len(list(wb["参保资助"].iter_rows(min_row=2))) == 2  # the township's two dibao members, not 王老汉


def test_an_edge_family_on_the_register_is_assisted_at_the_edge_rate_while_it_is_on_it(county, staff, register):
    """Domain.md §4: an edge family (低保边缘) is covered at 60% after a 1,500.00 deductible a year, the deductible
    consumed across claims; only while the household is on the low-income register as one."""
    from doudi.verification.models import MonitoringEntry

    from ..conftest import make_id, member

    edge = register(
        actor=staff["caseworker_a"],
        area="511425101201",
        members=[member("赵边缘", "1980-02-02", 44, "head")],
        bank_account="6217000011114444333",
    )
    MonitoringEntry.objects.create(
        household=edge,
        tier="edge",
        area_code=edge.area_id,
        entered_on=dt.date(2026, 2, 1),
        entry_reason="人均收入低于低保标准1.5倍",
        left_on=dt.date(2026, 9, 1),
        leave_reason="收入增加",
    )
    number = make_id("1980-02-02", 44)

    def claim(no, discharged, oop):
        return settlement_enter(
            actor=county["approver"],
            data={
                "number": no,
                "name": "赵边缘",
                "id_number": number,
                "hospital": "青神县人民医院",
                "admitted_on": (dt.date.fromisoformat(discharged) - dt.timedelta(days=3)).isoformat(),
                "discharged_on": discharged,
                "total_cost": str(Decimal(oop) * 2),
                "insurance_paid": oop,
                "in_scope_oop": oop,
                "serious_disease": "no",
            },
            on=dt.date(2026, 11, 5),
        )

    before = claim("BY-001", "2026-01-20", "3000.00")  # not yet on the register: not covered
    assert (before.group, before.amount) == ("", Decimal("0.00"))
    first = claim("BY-002", "2026-05-10", "4000.00")  # (4,000 − 1,500) × 60% = 1,500.00
    assert (first.group, first.amount) == ("edge", Decimal("1500.00"))
    second = claim("BY-003", "2026-06-01", "1000.00")  # the deductible is used up: 1,000 × 60% = 600.00
    assert (second.group, second.amount) == ("edge", Decimal("600.00"))
    after = claim("BY-004", "2026-09-10", "2000.00")  # left the register on 1 September
    assert (after.group, after.amount) == ("", Decimal("0.00"))


def test_the_years_page_writes_its_sums_as_money(county, client_for):
    """The year's sums on the medical assistance page are money: two decimals and thousands grouped (they were a
    database's sum as it came, 14657.3500000000), as are the amounts of each settlement."""
    content = csv(
        f"JS-701,张大山,{ZHANG},眉山市人民医院,2026-03-01,2026-03-12,25000.00,14000.00,10000.00,否",
        f"JS-702,张大山,{ZHANG},青神县人民医院,2026-06-01,2026-06-10,9000.00,3500.00,5000.00,否",
    )
    settlement_import(actor=county["approver"], filename="e.csv", content=content, on=dt.date(2026, 11, 5))
    page = client_for(county["caseworker_a"]).get("/medical/?year=2026").content.decode()
    assert "<dd>15,000.00 元</dd>" in page and "<dd><b>8,000.00</b> 元</dd>" in page
    assert ">10,000.00<" in page and ">10000.00<" not in page
    s = Settlement.objects.get(number="JS-701")
    assert "10,000.00 元" in client_for(county["caseworker_a"]).get(f"/medical/settlements/{s.pk}/").content.decode()
