import datetime as dt
import json

import pytest
from django.core.management import call_command

from doudi.cases.actions import case_move
from doudi.core.errors import ApplicationError
from doudi.core.models import CalendarDay, CalendarYear
from doudi.core.workdays import add_working_days, calendar_year_load, working_days_between

from .conftest import D


@pytest.mark.parametrize(
    "start, n, due",
    [
        # Spring Festival 2026: 15–23 February off; Saturday 14 and Saturday 28 February are working days.
        ("2026-02-12", 1, "2026-02-13"),
        ("2026-02-12", 2, "2026-02-14"),  # a make-up Saturday counts
        ("2026-02-12", 3, "2026-02-24"),  # the whole holiday is skipped
        ("2026-02-24", 4, "2026-02-28"),  # Saturday 28 Feb is a working day
        # National Day 2026: 1–7 October off; Sunday 20 September and Saturday 10 October are working days.
        ("2026-09-18", 1, "2026-09-20"),
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-09-30", 2, "2026-10-09"),
        ("2026-09-30", 3, "2026-10-10"),
        # National Day 2025 with the Mid-Autumn Festival: 1–8 October off, 28 Sept and 11 Oct worked.
        ("2025-09-26", 1, "2025-09-28"),
        ("2025-09-30", 1, "2025-10-09"),
        ("2026-03-02", 30, "2026-04-14"),  # Qingming (4–6 April) on the way
    ],
)
def test_deadlines_across_holidays_and_make_up_days(db, start, n, due):
    result = add_working_days(dt.date.fromisoformat(start), n)
    assert result.due == dt.date.fromisoformat(due) and result.calendar_complete


def test_a_year_without_a_calendar_is_flagged_not_silently_weekends(db):
    result = add_working_days(dt.date(2026, 12, 24), 10)
    assert not result.calendar_complete and result.missing_years == (2027,)
    inside = add_working_days(dt.date(2026, 12, 1), 3)
    assert inside.calendar_complete


def test_administrator_loads_a_new_year(db, staff):
    text = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,休,元旦调休\n2027-01-09,班,调休上班\n"
    assert calendar_year_load(actor=staff["admin"], year=2027, text=text, source="国办发明电〔2026〕X号") == 3
    assert CalendarYear.objects.filter(year=2027).exists()
    result = add_working_days(dt.date(2026, 12, 31), 3)
    # 1 Jan holiday, 2–3 weekend, 4 Jan holiday, 5 Jan Tue is the 1st … 7 Jan the 3rd
    assert result.due == dt.date(2027, 1, 7) and result.calendar_complete
    assert working_days_between(dt.date(2027, 1, 8), dt.date(2027, 1, 11)) == 2  # Sat 9 worked, Mon 11


def test_bad_calendar_file_loads_nothing(db, staff):
    with pytest.raises(ApplicationError) as info:
        calendar_year_load(
            actor=staff["admin"],
            year=2027,
            text="2027-01-01,holiday\n2027-13-01,holiday\n2028-01-01,holiday\n2027-01-05,班\n",
        )
    errors = info.value.extra["errors"]
    assert len(errors) == 3 and "第2行" in errors[0] and "第3行" in errors[1] and "第4行" in errors[2]
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    from doudi.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        calendar_year_load(actor=staff["caseworker_a"], year=2027, text="2027-01-01,holiday\n")


def test_deadline_command_contract(db, capsys):
    call_command("deadline", "--from", "2026-09-30", "--working-days", "1")
    assert json.loads(capsys.readouterr().out) == {"due": "2026-10-08", "calendar_complete": True}
    call_command("deadline", "--from", "2026-12-30", "--working-days", "5")
    out = json.loads(capsys.readouterr().out)
    assert out["calendar_complete"] is False and out["due"] == "2027-01-06"
    with pytest.raises(SystemExit) as info:
        call_command("deadline", "--from", "2026-02-30", "--working-days", "1")
    assert info.value.code == 2


def test_case_deadlines_dibao_and_tekun(apply, people):
    app = apply(programmes=["dibao", "tekun"])
    dibao, tekun = app.cases.get(programme_id="dibao"), app.cases.get(programme_id="tekun")
    dibao = case_move(actor=people["caseworker_a"], case=dibao, move="accept", on=D)
    tekun = case_move(actor=people["caseworker_a"], case=tekun, move="accept", on=D)
    assert dibao.step_due == dt.date(2026, 3, 5)  # survey within 3 working days
    assert tekun.step_due == dt.date(2026, 3, 23)  # tekun: 15 working days
    assert dibao.total_due == dt.date(2026, 4, 14)  # 30 working days (Qingming on the way)
    dibao = case_move(actor=people["county_reviewer"], case=dibao, move="extend", on=D, data={"reason": "需补充核对"})
    assert dibao.total_due == add_working_days(D, 45).due


def test_overdue_queue(apply, people):
    from doudi.cases.selectors import case_queues

    case = case_move(actor=people["caseworker_a"], case=apply().cases.get(), move="accept", on=D)
    queues = case_queues(people["caseworker_a"], today=D)
    assert case.pk in {c.pk for c in queues["mine"]}
    assert case.pk not in {c.pk for c in queues["overdue"]}
    queues = case_queues(people["caseworker_a"], today=dt.date(2026, 3, 4))
    assert case.pk in {c.pk for c in queues["due_soon"]}
    queues = case_queues(people["caseworker_a"], today=dt.date(2026, 3, 6))
    assert case.pk in {c.pk for c in queues["overdue"]}
    assert case_queues(people["caseworker_b"], today=dt.date(2026, 3, 6))["overdue"] == []
