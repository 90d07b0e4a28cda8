"""Evaluation runs and simulations as lists of households: who newly qualifies, who would lose, who gains or
loses how much; filters, keyset paging, scope, .xlsx export read back with numbers, and the API."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from doudi.core.sealedfiles import is_sealed_file
from doudi.programmes.actions import parameter_version_approve, parameter_version_create
from doudi.programmes.batch import evaluation_run
from doudi.programmes.models import EvaluationChange
from doudi.programmes.pack import DIBAO_COMMON
from doudi.programmes.selectors import ChangeFilter, run_changes, run_changes_page
from doudi.programmes.tasks import export_path

from .test_versions_and_simulation import raise_rural, registry  # noqa: F401  (a fixture)

JULY = dt.date(2015, 7, 1)


@pytest.fixture
def simulation(staff, pack, registry):  # noqa: F811
    """Rural standard 190 → 230: A (Hanyang, 150 per capita) 120 → 240; B (Ruifeng, 200) newly qualifies, 30."""
    draft = raise_rural(staff["approver"])
    return evaluation_run(actor=staff["approver"], programme="dibao", on=JULY, draft=draft, compare=True)


def lines(run):
    return {c.household_id: c for c in EvaluationChange.objects.filter(run=run)}


def test_a_simulation_lists_who_gains_and_who_newly_qualifies(simulation, registry):  # noqa: F811
    a, b, c = registry
    rows = lines(simulation)
    assert set(rows) == {a.pk, b.pk}  # C qualifies under neither standard
    assert (rows[a.pk].kind, rows[a.pk].before_amount, rows[a.pk].after_amount) == ("up", Decimal("120.00"), 240)
    assert rows[a.pk].difference == Decimal("120.00") and rows[a.pk].area_code == "511425101201"
    assert (rows[b.pk].kind, rows[b.pk].before_amount, rows[b.pk].difference) == ("new", 0, Decimal("30.00"))
    assert rows[b.pk].township_code == "511425102000" and rows[b.pk].counted_members == 1
    assert simulation.base_id == simulation.summary["totals"]["baseline_run"]


def test_lowering_the_standard_lists_who_would_lose(staff, pack, registry):  # noqa: F811
    a, b, c = registry
    draft = raise_rural(staff["approver"], rural="150.00")
    run = evaluation_run(actor=staff["approver"], programme="dibao", on=JULY, draft=draft, compare=True)
    rows = lines(run)
    assert set(rows) == {a.pk}
    assert (rows[a.pk].kind, rows[a.pk].before_amount, rows[a.pk].after_amount) == ("lost", Decimal("120.00"), 0)
    assert rows[a.pk].difference == Decimal("-120.00")


def test_a_plain_run_is_compared_with_the_previous_run_not_with_a_simulation(staff, pack, registry, county_reviewer):  # noqa: F811
    a, b, c = registry
    first = evaluation_run(actor=county_reviewer, programme="dibao", on=dt.date(2015, 6, 1))
    assert first.base is None and {r.kind for r in lines(first).values()} == {"eligible"}
    draft = raise_rural(staff["approver"])
    evaluation_run(actor=staff["approver"], programme="dibao", on=JULY, draft=draft, compare=True)
    from doudi.accounts.actions import staff_create

    second_approver = staff_create(
        actor=None, username="ap2", password="x" * 12, role="county_approver", area_code="511425000000",
        check_password=False,
    )  # fmt: skip
    parameter_version_approve(actor=second_approver, version=draft)
    second = evaluation_run(actor=county_reviewer, programme="dibao", on=JULY)
    assert second.base_id == first.pk  # not the simulation's baseline run
    rows = lines(second)
    assert rows[a.pk].kind == "up" and rows[b.pk].kind == "new"


def test_filters_order_and_keyset_pages(simulation, registry):  # noqa: F811
    a, b, c = registry
    every = ChangeFilter()
    qs = run_changes(simulation, scope_prefix="511425", f=every)
    assert [r.household_id for r in run_changes_page(qs, order="-difference")[0]] == [a.pk, b.pk]
    assert [r.household_id for r in run_changes_page(qs, order="difference")[0]] == [b.pk, a.pk]
    first, cursor = run_changes_page(qs, order="-difference", limit=1)
    assert [r.household_id for r in first] == [a.pk] and cursor
    second, end = run_changes_page(qs, order="-difference", after=cursor, limit=1)
    assert [r.household_id for r in second] == [b.pk] and end == ""
    assert first[0].head_name == "甲"

    def only(**kw):
        return [r.household_id for r in run_changes(simulation, scope_prefix="511425", f=ChangeFilter(**kw))]

    assert only(kind="new") == [b.pk]
    assert only(prefix="511425102") == [b.pk]
    assert only(prefix="511425101201") == [a.pk]
    assert only(amount_min=Decimal("100")) == [a.pk]
    assert only(diff_max=Decimal("50")) == [b.pk]
    assert only(diff_min=Decimal("-10"), diff_max=Decimal("10")) == []
    # a township's account sees its own households only, whatever it asks for
    assert [r.household_id for r in run_changes(simulation, scope_prefix="511425102", f=every)] == [b.pk]


def test_the_page_shows_the_list_with_filters_and_counts(client_for, staff, simulation, registry):  # noqa: F811
    a, b, c = registry
    client = client_for(staff["approver"])
    url = reverse("run_detail", args=[simulation.pk])
    html = client.get(url).content.decode()
    assert "家庭名单" in html and "甲" in html and "丁" in html and "+120.00" in html and "+30.00" in html
    assert "新增符合" in html and "金额增加" in html and "汉阳镇" in html  # totals by township as before
    html = client.get(url, {"kind": "new"}).content.decode()
    assert "丁" in html and ">甲<" not in html
    html = client.get(url, {"area": "511425101000"}).content.decode()
    assert ">甲<" in html and ">丁<" not in html
    bad = client.get(url, {"amount_min": "abc"})
    assert bad.status_code == 200 and "测算金额下限：" in bad.content.decode()
    assert client.get(url, {"area": "511426000000"}).status_code == 404  # an area outside: as if missing


def test_lists_are_scoped_to_the_township(client_for, staff, pack, registry):  # noqa: F811
    a, b, c = registry
    run_a = evaluation_run(actor=staff["caseworker_a"], programme="dibao", on=dt.date(2015, 6, 1))
    run_b = evaluation_run(actor=staff["caseworker_b"], programme="dibao", on=JULY)
    ca = client_for(staff["caseworker_a"])
    html = ca.get(reverse("run_detail", args=[run_a.pk])).content.decode()
    assert ">甲<" in html and ">丁<" not in html
    for name in ("run_detail", "run_export"):
        assert ca.get(reverse(name, args=[run_b.pk])).status_code == 404
    assert ca.get(f"/api/v1/evaluation-runs/{run_b.pk}/households").status_code == 404
    assert ca.get(f"/api/v1/evaluation-runs/{run_b.pk}/households.xlsx").status_code == 404
    assert ca.get(reverse("run_detail", args=[run_a.pk]), {"area": "511425102000"}).status_code == 404


def test_the_xlsx_export_reads_back_with_numbers(client_for, staff, simulation, registry):  # noqa: F811
    client = client_for(staff["approver"])
    answer = client.get(reverse("run_export", args=[simulation.pk]), {"order": "difference"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(answer.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("乡镇/街道", "村/社区", "户主") and rows[0][7] == "现行标准月金额（元）"
    assert rows[1][:3] == ("瑞峰镇", "南河村", "丁") and rows[1][6] == "新增符合"
    assert rows[1][7:] == (0, 30, 30) and rows[2][7:] == (120, 240, 120)
    assert all(isinstance(v, int | float) for row in rows[1:] for v in row[7:])  # numbers, not text
    assert ws.cell(row=2, column=10).number_format == "0.00"
    assert rows[-1][0] == "合计" and rows[-1][3] == 2 and rows[-1][7:] == (120, 270, 150)
    only_new = client.get(reverse("run_export", args=[simulation.pk]), {"kind": "new"})
    assert len(list(load_workbook(io.BytesIO(only_new.content)).active.iter_rows())) == 3


def test_the_api_gives_the_same_list_paged(client_for, staff, simulation, registry):  # noqa: F811
    a, b, c = registry
    client = client_for(staff["approver"])
    url = f"/api/v1/evaluation-runs/{simulation.pk}/households"
    body = client.get(url, {"limit": 1}).json()
    assert body["total"] == 2 and body["base_run"] == simulation.base_id
    assert body["items"][0]["household_id"] == a.pk and body["items"][0]["difference"] == "120.00"
    assert body["items"][0]["kind"] == "up" and body["items"][0]["kind_zh"] == "金额增加"
    assert body["counts"]["new"]["households"] == 1 and body["counts"]["all"]["difference"] == "150.00"
    body = client.get(url, {"limit": 1, "after": body["next"]}).json()
    assert [i["household_id"] for i in body["items"]] == [b.pk] and body["next"] is None
    assert [i["household_id"] for i in client.get(url, {"kind": "new"}).json()["items"]] == [b.pk]
    assert client.get(url, {"amount_min": "abc"}).status_code == 422
    assert client.get(url, {"amount_min": "300", "amount_max": "100"}).json()["field"] == "amount_max"
    xlsx = client.get(url + ".xlsx", {"area": "511425101000"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert xlsx.status_code == 200 and [r[2] for r in rows[1:-1]] == ["甲"]


def test_the_api_gives_a_version_with_its_changes_and_the_parameter_schema(client_for, staff, pack):
    v = parameter_version_create(
        actor=staff["approver"],
        programme="dibao",
        area_code="511425000000",
        effective_from=dt.date(2016, 7, 1),
        values={"standard_urban": "420.00", "standard_rural": "230.00", **DIBAO_COMMON},
    )
    client = client_for(staff["caseworker_a"])  # a county draft is seen, read-only, from a township
    body = client.get(f"/api/v1/versions/{v.pk}").json()
    changed = [c for c in body["changes"] if c["changed"]]
    assert [c["name"] for c in changed] == ["standard_urban"]
    assert changed[0]["old"] == "400.00 元/人·月" and changed[0]["change"] == "+20.00 元/人·月（+5.00%）"
    specs = {s["name"]: s for s in client.get("/api/v1/programmes/dibao/parameters").json()}
    assert specs["standard_urban"]["kind"] == "money" and specs["standard_urban"]["greater_than_zero"]
    assert specs["job_cost_ratio"]["unit_zh"] == "%" and specs["job_cost_ratio"]["maximum"] == "1"


def test_a_long_list_is_exported_by_a_background_job_for_its_asker_only(
    client_for,
    staff,
    simulation,
    registry,
    settings,
    tmp_path,
    monkeypatch,  # noqa: F811
    county_reviewer,
):
    from doudi.core.models import BackgroundJob
    from doudi.programmes import views

    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(views, "EXPORT_INLINE_MAX", 1)
    client = client_for(staff["approver"])
    answer = client.get(reverse("run_export", args=[simulation.pk]), {"order": "difference"})
    job = BackgroundJob.objects.get(kind="evaluation_export")
    assert answer.status_code == 302 and answer["Location"] == reverse("job_detail", args=[job.pk])
    assert job.state == "finished" and job.params["filters"] == {"order": "difference"}  # run inline in tests
    page = client.get(answer["Location"])
    assert page.status_code == 302 and page["Location"] == reverse("run_export_file", args=[job.pk])
    rows = list(load_workbook(io.BytesIO(client.get(page["Location"]).content)).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[1:-1]] == ["丁", "甲"] and rows[-1][9] == 150
    assert is_sealed_file(export_path(job.pk))  # kept sealed on disk, like every file the system keeps
    # nobody else gets the file, not even a county colleague who may see the run
    other = client_for(county_reviewer)
    assert other.get(reverse("run_export_file", args=[job.pk])).status_code == 404
    assert other.get(f"/api/v1/evaluation-exports/{job.pk}").status_code == 404
    # the API answers 202 with the job, whose result is the file
    api = client_for(staff["approver"]).get(f"/api/v1/evaluation-runs/{simulation.pk}/households.xlsx")
    assert api.status_code == 202
    result = api.json()["result"]
    assert result.startswith("/api/v1/evaluation-exports/")
    assert client_for(staff["approver"]).get(result)["Content-Type"].startswith("application/vnd.openxml")


def test_each_result_keeps_its_village_and_a_run_before_that_is_looked_up(staff, pack, registry, county_reviewer):  # noqa: F811
    """The list takes each household's village from its result row (no lookup per household); a run written
    before results kept the village (area_code "") is still listed with the household's village, looked up."""
    from doudi.programmes.batch import changes_insert
    from doudi.programmes.models import EvaluationResult

    a, b, c = registry
    for engine in ("auto", "python"):
        run = evaluation_run(
            actor=county_reviewer, programme="dibao", on=dt.date(2015, 6, 1), engine=engine, keep_all=True
        )
        kept = dict(EvaluationResult.objects.filter(run=run).values_list("household_id", "area_code"))
        assert kept == {h.pk: h.area_id for h in (a, b, c)}, engine
    EvaluationResult.objects.filter(run=run).update(area_code="")  # as a run written before
    EvaluationChange.objects.filter(run=run).delete()
    changes_insert(run, run.base)
    assert lines(run)[a.pk].area_code == a.area_id == "511425101201"
