"""A move refused for its input comes back with the refusal beside the form and every field as it was typed."""

from __future__ import annotations

import re

import pytest

from doudi.cases.models import Survey

from .conftest import walk

pytestmark = pytest.mark.django_db


def test_refused_survey_keeps_what_was_typed(apply, people, client_for):
    case = walk(apply().cases.first(), people, until="accepted")
    client = client_for(people["caseworker_a"])
    one = people["caseworker_a"].pk
    r = client.post(
        f"/cases/{case.pk}/move/record_survey/",
        {
            "version": case.version,
            "visit_date": "2026-03-01",
            "surveyors": [one],
            "findings": "家中无其他收入 <b>承包地2亩</b>",
            "applicant_confirmed": "1",
        },
    )
    assert r.status_code == 200
    page = r.content.decode()
    form = page[page.index('id="move-record_survey"') :]
    form = form[: form.index("</form>")]
    assert "入户调查须有2名以上调查人员" in form
    assert "家中无其他收入 &lt;b&gt;承包地2亩&lt;/b&gt;</textarea>" in form  # typed, and escaped
    assert 'name="visit_date" value="2026-03-01"' in form
    assert re.search(rf'name="surveyors" value="{one}" checked', form)
    assert re.search(r'name="applicant_confirmed" value="1" checked', form)
    assert not re.search(r'name="surveyors_confirmed" value="1" checked', form)
    # the surveyors are checkboxes of the township's staff, each named with role and area, under a labelled group
    assert f'name="surveyors" value="{people["caseworker_a2"].pk}"' in form
    assert "<legend>调查人员（至少2人）</legend>" in form
    assert "<select multiple" not in page
    assert not Survey.objects.exists()


def test_other_moves_start_empty(apply, people, client_for):
    case = walk(apply().cases.first(), people, until="accepted")
    page = client_for(people["caseworker_a"]).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="move-record_survey-error"' not in page
    assert "checked" not in page[page.index('id="move-record_survey"') :].split("</form>")[0]


def test_verification_results_are_labelled_for_what_they_are(apply, people, client_for):
    case = walk(apply().cases.first(), people, until="verifying")
    page = client_for(people["county_reviewer"]).get(f"/cases/{case.pk}/").content.decode()
    assert "录入核对结果" in page and "上传核对结果" not in page
    assert "核对报告原件请在下方“材料”处上传" in page
