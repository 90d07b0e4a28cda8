"""Targets: entered by one county officer, approved by another, audited; the year-to-date figure against them."""

from decimal import Decimal as D

import pytest

from doudi.audit.models import AuditEvent
from doudi.core.errors import ApplicationError, NotFound, PermissionDenied
from doudi.statistics.actions import target_approve, target_enter
from doudi.statistics.models import TargetStatus
from doudi.statistics.selectors import figures, figures_json, targets_visible

from .conftest import MAR

pytestmark = pytest.mark.django_db
URBAN, RURAL = "DB0302100000", "DB0302200000"


def test_a_target_counts_once_another_officer_approves_it(county):
    p = county["people"]
    t = target_enter(actor=p["county_reviewer"], year=2026, code=URBAN, area_code="511425000000", value="220")
    [f] = figures(p["approver"], MAR, codes=[URBAN])
    assert f.target is None  # not approved yet
    with pytest.raises(PermissionDenied):  # the reviewer may not approve
        target_approve(actor=p["county_reviewer"], target_id=t.pk)
    mine = target_enter(actor=p["approver"], year=2026, code=RURAL, area_code="511425000000", value="120.00")
    with pytest.raises(PermissionDenied) as e:  # nobody approves their own
        target_approve(actor=p["approver"], target_id=mine.pk)
    assert e.value.code == "maker_checker"
    target_approve(actor=p["approver"], target_id=t.pk)
    target_approve(actor=p["approver2"], target_id=mine.pk)
    urban, rural = figures(p["approver"], MAR, codes=[URBAN, RURAL])
    # urban: 200.0 for the year against 220 → 90.9%; rural 111.5 against 120 → 92.9%
    assert (urban.year_to_date, urban.target, urban.completion) == (D("200.0"), D("220.00"), D("90.9"))
    assert (rural.year_to_date, rural.target, rural.completion) == (D("111.5"), D("120.00"), D("92.9"))
    assert figures_json([rural])[RURAL]["target"] == "120.00" and figures_json([rural])[RURAL]["completion"] == "92.9"
    # a township is held to the county's target, and sees it
    [township] = figures(p["caseworker_b"], MAR, codes=[RURAL])
    assert township.target == D("120.00")
    assert {t.code for t in targets_visible(p["caseworker_b"])} == {URBAN, RURAL}
    actions = list(AuditEvent.objects.filter(action__startswith="target.").values_list("action", flat=True))
    assert actions.count("target.enter") == 2 and actions.count("target.approve") == 2


def test_a_new_approved_target_replaces_the_old(county):
    p = county["people"]
    first = target_enter(actor=p["county_reviewer"], year=2026, code=URBAN, area_code="511425000000", value="220")
    target_approve(actor=p["approver"], target_id=first.pk)
    second = target_enter(actor=p["county_reviewer"], year=2026, code=URBAN, area_code="511425000000", value="250")
    target_approve(actor=p["approver"], target_id=second.pk)
    first.refresh_from_db()
    assert first.status == TargetStatus.SUPERSEDED
    [f] = figures(p["approver"], MAR, codes=[URBAN])
    assert (f.target, f.completion) == (D("250.00"), D("80.0"))
    with pytest.raises(ApplicationError) as e:
        target_approve(actor=p["approver"], target_id=second.pk)
    assert e.value.code == "not_draft"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"code": "DB0101000000"}, "code"),  # households take no target
        ({"code": "nonsense"}, "code"),
        ({"value": "-5"}, "value"),
        ({"value": "abc"}, "value"),
        ({"year": "20x6"}, "year"),
        ({"area_code": "511425101201"}, "area"),  # a village
        ({"area_code": "999999000000"}, "area"),
    ],
)
def test_bad_input_is_refused_naming_the_field(county, data, field):
    p = county["people"]
    args = {"year": 2026, "code": URBAN, "area_code": "511425000000", "value": "220", **data}
    with pytest.raises(ApplicationError) as e:
        target_enter(actor=p["county_reviewer"], **args)
    assert e.value.field == field
    assert not AuditEvent.objects.filter(action="target.enter").exists()


def test_township_staff_cannot_enter_or_approve(county):
    p = county["people"]
    with pytest.raises(PermissionDenied):
        target_enter(actor=p["caseworker_a"], year=2026, code=URBAN, area_code="511425101000", value="220")
    t = target_enter(actor=p["county_reviewer"], year=2026, code=URBAN, area_code="511425101000", value="230")
    with pytest.raises((PermissionDenied, NotFound)):
        target_approve(actor=p["caseworker_a"], target_id=t.pk)
    target_approve(actor=p["approver"], target_id=t.pk)
    # 汉阳镇's own target replaces the county's there; 瑞峰镇 keeps the county's (none set)
    [f] = figures(p["caseworker_a"], MAR, codes=[URBAN])
    assert f.target == D("230.00")
    [f] = figures(p["caseworker_b"], MAR, codes=[URBAN])
    assert f.target is None
