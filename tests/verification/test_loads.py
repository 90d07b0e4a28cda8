"""Item 1: each dataset kind imports from CSV, .xlsx and Parquet; schema, ID numbers and values are checked; bad
rows are named by row and column and nothing is loaded; each load is a version; sensitive values are encrypted."""

import datetime as dt
import json

import pytest
from django.db import connection

from doudi.audit.models import AuditEvent
from doudi.core.errors import ApplicationError, PermissionDenied
from doudi.verification.generator import Subject, _headers, _Maker, file_bytes
from doudi.verification.ids import dept_id, id15_to_18
from doudi.verification.loads import dataset_load
from doudi.verification.models import DatasetLoad, DatasetRecord
from doudi.verification.schemas import KINDS, MONEY, ElementClass

from ..conftest import member
from .conftest import AS_OF

# a value each kind refuses, in a column it checks
BAD = {
    "hukou": ("status", "失踪"),
    "death": ("death_date", "2026-02-30"),
    "wage": ("monthly_wage", "三千"),
    "pension": ("monthly_pension", "-5.00"),
    "unemployment": ("start_date", "2027-01-01"),
    "social_insurance": ("period", "2026-13"),
    "real_estate": ("floor_area_m2", "abc"),
    "vehicle": ("vehicle_type", "飞机"),
    "business": ("role", "董事长秘书"),
    "housing_fund": ("balance", "12.345"),
    "tax": ("year", "1850"),
    "state_payroll": ("monthly_pay", ""),
    "financial": ("account_kind", "比特币"),
    "disability": ("grade", "5"),
    "medical": ("out_of_pocket", "1e5x"),
    "marriage": ("event", "订婚"),
    "funeral": ("death_date", "昨天"),
    "assistance": ("programme", "五保"),
}


def _rows(kind, subjects, as_of=AS_OF, **fixed):
    import random

    make = _Maker(random.Random(3), as_of)
    return [make.row(kind, s, **fixed) for s in subjects]


@pytest.fixture
def household(register):
    return register(members=[member("张大山", "1960-03-02", 11, "head"), member("李秀英", "1972-06-15", 22, "spouse")])


def _subjects(household):
    return [
        Subject(m.person_id, m.person.name, m.person.id_number, m.person.birth_date)
        for m in household.memberships.select_related("person")
    ]


def test_every_kind_is_declared_with_classes_and_sensitivity():
    assert len(KINDS) == 18
    departments = {k.department for k in KINDS.values()}
    assert len(departments) == 12
    for kind in KINDS.values():
        assert kind.elements[0].code == "name" and kind.elements[1].code == "id_number"
        assert all(e.cls in ElementClass.values for e in kind.elements)
        # every amount is sensitive but the floor area (a physical measure)
        assert all(e.sensitive for e in kind.elements if e.type == MONEY and e.code != "floor_area_m2")


@pytest.mark.parametrize("code", sorted(KINDS))
def test_each_kind_loads_and_matches(code, centre, household):
    kind = KINDS[code]
    content = file_bytes(_headers(kind), _rows(kind, _subjects(household)), "csv")
    load = dataset_load(actor=centre["centre"], kind=code, as_of=AS_OF, filename=f"{code}.csv", content=content)
    assert (load.rows, load.matched, load.unmatched, load.version) == (2, 2, 0, 1)
    records = list(load.records.all())
    assert {r.person_id for r in records} == {m.person_id for m in household.memberships.all()}
    assert all(r.area_code == "511425101201" and r.household_id == household.pk for r in records)
    sealed = set(json.loads(records[0].sealed or "{}"))
    assert sealed == set(kind.sensitive_codes) - {"id_number"}  # the generator fills every element
    assert not set(kind.sensitive_codes) & set(records[0].values)  # nothing sensitive in the readable part
    assert AuditEvent.objects.filter(action="verification.load", target_id=str(load.pk)).count() == 1


@pytest.mark.parametrize("code", sorted(KINDS))
def test_each_kind_refuses_a_bad_row_and_loads_nothing(code, centre, household):
    kind = KINDS[code]
    element, bad = BAD[code]
    rows = _rows(kind, _subjects(household))
    header = _headers(kind)
    rows[1][header.index(kind.element(element).zh)] = bad
    with pytest.raises(ApplicationError) as e:
        dataset_load(
            actor=centre["centre"], kind=code, as_of=AS_OF, filename="x.csv", content=file_bytes(header, rows, "csv")
        )
    assert e.value.code == "bad_rows"
    assert e.value.extra["errors"][0]["row"] == 3  # the header is row 1
    assert e.value.extra["errors"][0]["column"] == kind.element(element).zh
    assert f"第3行【{kind.element(element).zh}】" in e.value.zh
    assert DatasetLoad.objects.count() == 0 and DatasetRecord.objects.count() == 0


def test_missing_required_column_is_named(centre, household):
    kind = KINDS["wage"]
    header = _headers(kind)
    rows = [r[:-1] for r in _rows(kind, _subjects(household))]
    with pytest.raises(ApplicationError) as e:
        dataset_load(
            actor=centre["centre"],
            kind="wage",
            as_of=AS_OF,
            filename="w.csv",
            content=file_bytes(header[:-1], rows, "csv"),
        )
    assert e.value.code == "bad_header" and "应发工资（元/月）" in e.value.zh


@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_xlsx_and_parquet(fmt, centre, household):
    kind = KINDS["vehicle"]
    content = file_bytes(_headers(kind), _rows(kind, _subjects(household)), fmt)
    load = dataset_load(actor=centre["centre"], kind="vehicle", as_of=AS_OF, filename=f"v.{fmt}", content=content)
    assert (load.rows, load.matched) == (2, 2)


def test_not_a_parquet_file(centre):
    with pytest.raises(ApplicationError) as e:
        dataset_load(actor=centre["centre"], kind="vehicle", as_of=AS_OF, filename="v.parquet", content=b"PK\x03\x04")
    assert e.value.code == "bad_file"


def test_id_numbers_old_wrong_missing(centre, household):
    """The old 15-digit form matches its person; a wrong check character loads and is matched probabilistically
    (test_fuzzy_loads.py has the cases); a missing number with a name alone loads unmatched; a number of the wrong
    length is refused naming the row."""
    head, spouse = _subjects(household)
    old = head.id_number[:6] + head.id_number[8:17]
    assert id15_to_18(old) == head.id_number and dept_id(old).note == "id15"
    wrong = spouse.id_number[:15] + str((int(spouse.id_number[15]) + 1) % 10) + spouse.id_number[16:]
    kind = KINDS["death"]
    header = _headers(kind)
    rows = [[head.name, old, "2026-03-01"], [spouse.name, wrong, "2026-03-01"], ["王伟", "", "2026-03-02"]]
    load = dataset_load(
        actor=centre["centre"], kind="death", as_of=AS_OF, filename="d.csv", content=file_bytes(header, rows, "csv")
    )
    by_row = {r.row: r for r in load.records.all()}
    assert by_row[2].person_id == head.person_id and by_row[2].match_method == "id15"
    assert by_row[3].id_note == "checksum"
    assert by_row[3].person_id == spouse.person_id and by_row[3].match_method == "fuzzy"
    assert by_row[4].person_id is None and by_row[4].id_note == "missing"
    assert (load.matched, load.unmatched) == (2, 1)
    rows.append(["赵六", "51142519800101", "2026-03-02"])
    with pytest.raises(ApplicationError) as e:
        dataset_load(
            actor=centre["centre"], kind="death", as_of=AS_OF, filename="d.csv", content=file_bytes(header, rows, "csv")
        )
    assert "第5行【公民身份号码】身份证号应为18位（或15位旧号），实际为14位" in e.value.zh


def test_each_load_is_a_version(centre, household):
    kind = KINDS["pension"]
    content = file_bytes(_headers(kind), _rows(kind, _subjects(household)), "csv")
    first = dataset_load(actor=centre["centre"], kind="pension", as_of=AS_OF, filename="p.csv", content=content)
    second = dataset_load(
        actor=centre["centre"], kind="pension", as_of=AS_OF + dt.timedelta(days=30), filename="p.csv", content=content
    )
    assert (first.version, second.version) == (1, 2)
    assert DatasetRecord.objects.filter(load=first).count() == 2  # the old version is kept


def test_encrypted_at_rest(centre, household):
    kind = KINDS["wage"]
    head = _subjects(household)[0]
    rows = [[head.name, head.id_number, "青神县竹编产业园", "2026-03", "3812.57"]]
    load = dataset_load(
        actor=centre["centre"],
        kind="wage",
        as_of=AS_OF,
        filename="w.csv",
        content=file_bytes(_headers(kind), rows, "csv"),
    )
    with connection.cursor() as c:
        c.execute('SELECT id_number, sealed, "values" FROM verification_datasetrecord WHERE load_id = %s', [load.pk])
        raw = " ".join(str(v) for v in c.fetchone())
    assert head.id_number not in raw and "3812.57" not in raw and "2026-03" in raw
    record = load.records.get()
    assert record.id_number == head.id_number and json.loads(record.sealed) == {"monthly_wage": "3812.57"}


def test_scope_and_permission(centre, household, register):
    """A township's verification load matches only its own township's people; a caseworker may not load."""
    b = register(actor=centre["caseworker_b"], area="511425102201", members=[member("王五", "1965-01-01", 55, "head")])
    kind = KINDS["vehicle"]
    content = file_bytes(_headers(kind), _rows(kind, _subjects(household) + _subjects(b)), "csv")
    load = dataset_load(actor=centre["reviewer_b"], kind="vehicle", as_of=AS_OF, filename="v.csv", content=content)
    assert load.area_prefix == "511425102" and (load.matched, load.unmatched) == (1, 2)
    with pytest.raises(PermissionDenied):
        dataset_load(actor=centre["caseworker_a"], kind="vehicle", as_of=AS_OF, filename="v.csv", content=content)
