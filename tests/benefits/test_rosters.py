"""The old-age allowance roster confirmed by the village (issue 15, rosters step 1; doudi/benefits/rosters.py):
only what the village marked present is paid, a late confirmation is paid as arrears, the .xlsx round trip names
the row and field of each error and saves nothing of a bad file, and a cadre sees only its own village."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from doudi.audit.models import AuditEvent
from doudi.benefits.actions import elderly_roster_build
from doudi.benefits.models import ElderlyRoster, ElderlyRosterLine, RosterMark, RosterState
from doudi.benefits.rosters import Mark, elderly_roster_confirm, elderly_roster_import, roster_xlsx
from doudi.core.errors import ApplicationError, NotFound, PermissionDenied
from doudi.payments.generation import payroll_generate
from doudi.payments.models import LedgerEntry, PayrollLine
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK

from ..conftest import county_finance, member

OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


@pytest.fixture
def county(staff, register):
    """Two old people in 东风村 (汉阳镇), one in 南河村 (瑞峰镇); the rosters of October built."""
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    fin = county_finance()
    register(members=[member("周老汉", "1938-03-20", 31, "head"), member("王老太", "1930-05-05", 42, "spouse")])
    register(actor=staff["caseworker_b"], area="511425102201", members=[member("李阿婆", "1940-01-15", 51, "head")])
    elderly_roster_build(actor=staff["approver"], month=OCT)
    return {**staff, "finance": fin}


def roster_of(village, month=OCT):
    return ElderlyRoster.objects.get(area_code=village, month=month)


def marks(roster, **by_name):
    """Everyone present unless named: 王老太=("died", "10月3日去世")."""
    out = []
    for line in roster.lines.select_related("person"):
        mark, note = by_name.get(line.person.name, ("present", ""))
        out.append(Mark(line.pk, mark, note))
    return out


def paid_people(payroll):
    return sorted(PayrollLine.objects.filter(payroll=payroll).values_list("enrolment__person__name", "amount"))


def test_build_makes_one_roster_per_village_and_a_rerun_changes_nothing(county):
    dongfeng, nanhe = roster_of("511425101201"), roster_of("511425102201")
    assert dongfeng.state == nanhe.state == RosterState.OPEN
    assert sorted(dongfeng.lines.values_list("person__name", "amount", "mark")) == [
        ("周老汉", Decimal("20.00"), "pending"),
        ("王老太", Decimal("41.66"), "pending"),
    ]
    elderly_roster_build(actor=county["approver"], month=OCT)
    assert ElderlyRosterLine.objects.filter(month=OCT).count() == 3 and ElderlyRoster.objects.count() == 2


def test_only_confirmed_lines_reach_the_payroll_and_late_confirmation_is_arrears(county):
    """东风村 confirms 周老汉 present and 王老太 dead; 南河村 does not confirm October: October's payroll pays
    周老汉 only. 南河村 confirms October late; November's payroll pays 李阿婆 October as arrears with November."""
    cadre = county["cadre_a"]
    elderly_roster_confirm(
        actor=cadre,
        roster=roster_of("511425101201"),
        marks=marks(roster_of("511425101201"), 王老太=("died", "10月3日去世")),
    )
    october = payroll_generate(actor=county["finance"], programme="elderly", month=OCT)
    assert paid_people(october) == [("周老汉", Decimal("20.00"))]
    assert not LedgerEntry.objects.filter(enrolment__person__name__in=["王老太", "李阿婆"]).exists()
    # November: 南河村 confirms October late (and November); 东风村 confirms November
    elderly_roster_build(actor=county["approver"], month=NOV)
    cw_b = county["caseworker_b"]  # the township's caseworker confirms from the village's signed paper roster
    for month in (OCT, NOV):
        r = roster_of("511425102201", month)
        elderly_roster_confirm(actor=cw_b, roster=r, marks=marks(r))
    r = roster_of("511425101201", NOV)
    elderly_roster_confirm(actor=cadre, roster=r, marks=marks(r, 王老太=("disputed", "家属称老人已去世，待核实")))
    november = payroll_generate(actor=county["finance"], programme="elderly", month=NOV)
    line = PayrollLine.objects.get(payroll=november, enrolment__person__name="李阿婆")
    assert (line.current_amount, line.arrears_amount, line.months) == (
        Decimal("20.00"),
        Decimal("20.00"),
        ["2026-10-01", "2026-11-01"],
    )
    assert paid_people(november) == [("周老汉", Decimal("20.00")), ("李阿婆", Decimal("40.00"))]


def test_confirmation_is_whole_or_nothing_and_names_the_line(county):
    roster = roster_of("511425101201")
    cadre = county["cadre_a"]
    all_marks = marks(roster)
    with pytest.raises(ApplicationError) as e:
        elderly_roster_confirm(actor=cadre, roster=roster, marks=all_marks[:1])
    assert e.value.field == "lines" and "未核实" in e.value.zh
    with pytest.raises(ApplicationError) as e:
        elderly_roster_confirm(actor=cadre, roster=roster, marks=[all_marks[0], Mark(all_marks[1].line_id, "moved")])
    assert e.value.field == "lines.1.note" and "须写明情况" in e.value.zh
    with pytest.raises(ApplicationError) as e:
        elderly_roster_confirm(actor=cadre, roster=roster, marks=[all_marks[0], Mark(all_marks[1].line_id, "gone")])
    assert e.value.field == "lines.1.mark"
    with pytest.raises(ApplicationError) as e:
        elderly_roster_confirm(actor=cadre, roster=roster, marks=[*all_marks, all_marks[0]])
    assert e.value.code == "duplicate"
    nanhe_line = roster_of("511425102201").lines.get()
    with pytest.raises(ApplicationError) as e:
        elderly_roster_confirm(actor=cadre, roster=roster, marks=[*all_marks, Mark(nanhe_line.pk, "present")])
    assert e.value.code == "unknown_line"
    # nothing of the refused attempts was saved
    assert set(roster.lines.values_list("mark", flat=True)) == {"pending"}
    assert roster_of("511425101201").state == RosterState.OPEN
    assert not AuditEvent.objects.filter(action="benefit.roster_confirm").exists()


def test_a_paid_line_cannot_be_marked_otherwise_and_a_new_person_reopens_the_roster(county, register):
    roster = roster_of("511425101201")
    cadre = county["cadre_a"]
    elderly_roster_confirm(actor=cadre, roster=roster, marks=marks(roster))
    payroll_generate(actor=county["finance"], programme="elderly", month=OCT)
    with pytest.raises(ApplicationError) as e:
        elderly_roster_confirm(actor=cadre, roster=roster, marks=marks(roster, 王老太=("died", "补报：9月去世")))
    assert e.value.code == "already_paid"
    # a person registered afterwards comes onto the confirmed roster unmarked, and the roster waits again
    register(members=[member("赵老爷子", "1935-02-02", 61, "head")])
    elderly_roster_build(actor=county["approver"], month=OCT)
    roster.refresh_from_db()
    assert roster.state == RosterState.OPEN
    assert roster.lines.get(person__name="赵老爷子").mark == RosterMark.PENDING
    assert set(roster.lines.exclude(person__name="赵老爷子").values_list("mark", flat=True)) == {"present"}


def test_who_may_confirm_and_scope(county):
    """A village cadre confirms its own village only; the township's caseworker its township's; a county
    approver (who builds the roster) does not confirm for the village."""
    nanhe = roster_of("511425102201")
    with pytest.raises(NotFound):
        elderly_roster_confirm(actor=county["cadre_a"], roster=nanhe, marks=marks(nanhe))
    with pytest.raises(NotFound):
        elderly_roster_confirm(actor=county["caseworker_a"], roster=nanhe, marks=marks(nanhe))
    with pytest.raises(PermissionDenied):
        elderly_roster_confirm(actor=county["approver"], roster=nanhe, marks=marks(nanhe))
    with pytest.raises(PermissionDenied):
        elderly_roster_confirm(actor=county["auditor"], roster=nanhe, marks=marks(nanhe))


def fill(content: bytes, **by_name) -> bytes:
    """The village fills in the exported file: 核实结果 and 说明 per name (default 属实)."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    for row in ws.iter_rows(min_row=4):
        if row[1].value:
            mark, note = by_name.get(row[1].value, ("属实", ""))
            row[5].value, row[6].value = mark, note
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_round_trip(county):
    roster = roster_of("511425101201")
    content = roster_xlsx(roster, village_name="东风村")
    ws = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[3]] == ["编号", "姓名", "身份证号", "出生日期", "本月金额（元）", "核实结果", "说明"]
    assert "*" in ws["C4"].value  # the ID number masked
    filled = fill(content, 王老太=("已死亡", "10月3日去世"))
    elderly_roster_import(actor=county["cadre_a"], roster=roster, content=filled)
    roster.refresh_from_db()
    assert roster.state == RosterState.CONFIRMED and roster.confirmed_by == county["cadre_a"]
    assert dict(roster.lines.values_list("person__name", "mark")) == {"周老汉": "present", "王老太": "died"}
    # exported again, the file shows the marks made
    again = load_workbook(io.BytesIO(roster_xlsx(roster, village_name="东风村"))).active
    assert {r[1].value: r[5].value for r in again.iter_rows(min_row=4)} == {"周老汉": "属实", "王老太": "已死亡"}


def test_xlsx_errors_name_row_and_field_and_save_nothing(county):
    roster = roster_of("511425101201")
    cadre = county["cadre_a"]
    content = roster_xlsx(roster, village_name="东风村")
    # a bad mark on row 5
    wb = load_workbook(io.BytesIO(fill(content)))
    ws = wb.active
    ws["F5"] = "不知道"
    bad = io.BytesIO()
    wb.save(bad)
    with pytest.raises(ApplicationError) as e:
        elderly_roster_import(actor=cadre, roster=roster, content=bad.getvalue())
    assert e.value.zh.startswith("第5行「核实结果」")
    # a name changed on row 4
    ws["F5"], ws["B4"] = "属实", "张三"
    bad = io.BytesIO()
    wb.save(bad)
    with pytest.raises(ApplicationError) as e:
        elderly_roster_import(actor=cadre, roster=roster, content=bad.getvalue())
    assert e.value.zh.startswith("第4行「姓名」")
    # another village's file
    other = fill(roster_xlsx(roster_of("511425102201"), village_name="南河村"))
    with pytest.raises(ApplicationError) as e:
        elderly_roster_import(actor=cadre, roster=roster, content=other)
    assert e.value.code == "wrong_roster"
    # not an .xlsx
    with pytest.raises(ApplicationError) as e:
        elderly_roster_import(actor=cadre, roster=roster, content=b"name,mark\n")
    assert e.value.code == "bad_file"
    assert set(roster.lines.values_list("mark", flat=True)) == {"pending"}
    assert roster_of("511425101201").state == RosterState.OPEN
