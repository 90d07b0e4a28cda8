"""Item 5 on the low-income register: every new load is matched against the register's households that are not
paid (edge families, heavy rigid expenses, relapse risk) as well as against the enrolled. A member's death, a move
out of the county, a vehicle, a business role, the state payroll or a rise of income raises an alert naming the
register entry (nothing to hold); the township resolves it, or takes the household out of the register with the
reason; it cannot become a review case. A rerun raises nothing twice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from doudi.audit.models import AuditEvent
from doudi.cases.models import Case, Enrolment
from doudi.core.errors import ApplicationError
from doudi.verification.alerts import alerts_leave_register, alerts_resolve, alerts_to_review
from doudi.verification.models import Alert, AlertRule, AlertState, MonitoringEntry, Tier
from doudi.verification.monitoring import monitoring_enter

from ..conftest import member
from ..payments.conftest import enrol, finance  # noqa: F401
from .test_alerts import _head
from .test_alerts import _load as _load_one

TODAY = timezone.localdate()
DAY = (TODAY - dt.timedelta(days=20)).isoformat()


@pytest.fixture
def edge(centre, register):
    """A couple on the register as an edge family (no income registered, not paid anything)."""

    def _edge(tier=Tier.EDGE, seq=600):
        h = register(
            members=[member("边一", "1968-01-01", seq, "head"), member("边二", "1970-01-01", seq + 1, "spouse")]
        )
        entry = monitoring_enter(actor=centre["caseworker_a"], household_id=h.pk, tier=tier, reason="走访核实")
        return h, entry

    return _edge


def _spouse(h):
    return h.memberships.get(relation="spouse").person


CASES = {
    "death": ("death", {"death_date": DAY}, AlertRule.MEMBER_DIED),
    "funeral": ("funeral", {"death_date": DAY}, AlertRule.MEMBER_DIED),
    "moved": ("hukou", {"status": "迁出", "address_code": "510107001001", "event_date": DAY}, AlertRule.MOVED_OUT),
    "vehicle": ("vehicle", {"plate": "川Z12345", "vehicle_type": "小型汽车", "registered_on": DAY}, AlertRule.VEHICLE),
    "business": (
        "business",
        {
            "enterprise": "某商贸有限公司",
            "credit_code": "91511425MA12345678",
            "role": "法定代表人",
            "registered_on": DAY,
            "capital": "100000",
        },
        AlertRule.BUSINESS,
    ),
    "state_payroll": ("state_payroll", {"unit": "某局", "monthly_pay": "100.00"}, AlertRule.STATE_PAYROLL),
    "two_places": (
        "assistance",
        {"programme": "最低生活保障", "area_code": "511402101201", "since": DAY},
        AlertRule.TWO_PLACES,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_register_alert_is_raised_once_without_a_hold(case, centre, edge):
    kind, values, rule = CASES[case]
    h, entry = edge()
    spouse = _spouse(h)
    _load_one(centre, kind, spouse, **values)
    alert = Alert.objects.get()
    assert (alert.rule, alert.person_id, alert.household_id) == (rule, spouse.pk, h.pk)
    assert (alert.entry_id, alert.enrolment_id, alert.held, alert.state) == (entry.pk, None, False, AlertState.OPEN)
    assert alert.area_code == h.area_id
    assert AuditEvent.objects.get(action="verification.alerts").new["on_register"] == 1
    _load_one(centre, kind, spouse, **values)  # the same news again: nothing new while the alert is open
    assert Alert.objects.count() == 1


def test_an_edge_household_whose_income_rose_above_the_edge_line(centre, edge):
    """The head earns 1,200 a month: 600 a head for two, above the edge line 345 — an alert for the township, and
    the recompute takes the household out of the edge tier with the reason (both audited)."""
    h, entry = edge()
    low, _ = edge(seq=610)
    _load_one(
        centre, "wage", _head_of(low), employer="某厂", period=TODAY.strftime("%Y-%m"), monthly_wage="300.00"
    )  # 150 a head: still an edge family, no alert
    assert not Alert.objects.exists()
    _load_one(
        centre, "wage", _head_of(h), employer="县建筑公司", period=TODAY.strftime("%Y-%m"), monthly_wage="1200.00"
    )
    alert = Alert.objects.get()
    assert (alert.rule, alert.entry_id) == (AlertRule.INCOME_ABOVE, entry.pk)
    assert "600.00" in alert.detail and "345.00" in alert.detail
    entry.refresh_from_db()
    assert entry.left_on == TODAY and "不低于低保边缘线" in entry.leave_reason


def _head_of(h):
    return h.memberships.get(relation="head").person


def test_a_rigid_expense_household_member_earning_above_the_standard(centre, edge):
    h, entry = edge(tier=Tier.RIGID)
    _load_one(centre, "wage", _spouse(h), employer="某厂", period=TODAY.strftime("%Y-%m"), monthly_wage="200.00")
    assert not Alert.objects.exists()  # below the standard 230
    _load_one(centre, "wage", _spouse(h), employer="某厂", period=TODAY.strftime("%Y-%m"), monthly_wage="3800.00")
    alert = Alert.objects.get()
    assert (alert.rule, alert.entry_id) == (AlertRule.INCOME_ABOVE, entry.pk)
    assert MonitoringEntry.objects.get(pk=entry.pk).left_on is None  # the township decides for this tier


def test_a_paid_household_gets_the_enrolment_alert_not_a_second_one(centre, enrol):
    """A dibao household left on the register by hand as well (relapse risk): the enrolment's alert only. A
    register household drawing the old-age allowance: the death is the payment's alert, not a second one."""
    e = enrol()
    monitoring_enter(actor=centre["caseworker_a"], household_id=e.household_id, tier=Tier.RELAPSE, reason="防返贫")
    _load_one(centre, "vehicle", _head(e), plate="川Z1", vehicle_type="货车", registered_on=DAY)
    assert list(Alert.objects.values_list("rule", "enrolment_id", "entry_id")) == [(AlertRule.VEHICLE, e.pk, None)]
    Alert.objects.all().delete()
    elderly = Enrolment.objects.get(pk=e.pk)
    elderly.pk, elderly.programme_id, elderly.monthly_amount = None, "elderly", Decimal("20.00")
    elderly.person = _head(e)
    elderly.save()
    Enrolment.objects.filter(pk=e.pk).update(status="terminated")
    _load_one(centre, "death", _head(e), death_date=DAY)
    assert list(Alert.objects.values_list("rule", "enrolment_id")) == [(AlertRule.DEATH_PAID, elderly.pk)]


def test_register_alerts_are_resolved_or_leave_the_register_never_a_review(centre, edge, enrol):
    cw = centre["caseworker_a"]
    h, entry = edge()
    relapse = monitoring_enter(actor=cw, household_id=h.pk, tier=Tier.RELAPSE, reason="因病返贫风险")
    other, other_entry = edge(seq=620)
    _load_one(centre, "vehicle", _spouse(h), plate="川Z9", vehicle_type="小型汽车", registered_on=DAY)
    _load_one(centre, "vehicle", _spouse(other), plate="川Z8", vehicle_type="小型汽车", registered_on=DAY)
    e = enrol()
    _load_one(centre, "vehicle", _head(e), plate="川Z7", vehicle_type="货车", registered_on=DAY)
    mine = Alert.objects.get(household=h)
    theirs = Alert.objects.get(household=other)
    paid = Alert.objects.get(enrolment=e)
    with pytest.raises(ApplicationError) as refused:
        alerts_to_review(actor=cw, alert_ids=[mine.pk, paid.pk])
    assert refused.value.code == "not_enrolled" and f"#{mine.pk}" in refused.value.message
    assert not Case.objects.filter(kind="review").exists()
    with pytest.raises(ApplicationError) as refused:
        alerts_leave_register(actor=cw, alert_ids=[mine.pk, paid.pk], reason="核实为本人所有")
    assert refused.value.code == "enrolled"
    with pytest.raises(ApplicationError):
        alerts_leave_register(actor=cw, alert_ids=[mine.pk], reason=" ")
    with pytest.raises(ApplicationError):  # another township's caseworker: not found, nothing changed
        alerts_leave_register(actor=centre["caseworker_b"], alert_ids=[mine.pk], reason="不在本辖区")
    assert alerts_leave_register(actor=cw, alert_ids=[mine.pk], reason="车辆为本人所有，价值超标") == 2
    mine.refresh_from_db()
    assert (mine.state, mine.resolved_by, mine.reason) == (AlertState.LEFT, cw, "车辆为本人所有，价值超标")
    for m in (entry, relapse):
        m.refresh_from_db()
        assert m.left_on == TODAY and "有机动车" in m.leave_reason and "价值超标" in m.leave_reason
    assert AuditEvent.objects.filter(action="verification.monitoring_leave", household_id=h.pk).count() == 2
    assert AuditEvent.objects.filter(action="verification.alert_leave", target_id=str(mine.pk)).exists()
    assert alerts_resolve(actor=cw, alert_ids=[theirs.pk], reason="借用亲戚车辆") == 1
    other_entry.refresh_from_db()
    assert other_entry.left_on is None


def test_api_leave_and_list_name_the_register_entry(client, centre, edge):
    h, entry = edge(tier=Tier.RIGID)
    _load_one(
        centre,
        "business",
        _spouse(h),
        enterprise="某公司",
        credit_code="91511425MA12345679",
        role="股东",
        registered_on=DAY,
        capital="50000",
    )
    alert = Alert.objects.get()
    client.force_login(centre["caseworker_a"])
    listed = client.get("/api/v1/verification/alerts").json()
    assert [(a["id"], a["entry_id"], a["tier"], a["enrolment_id"]) for a in listed] == [
        (alert.pk, entry.pk, "rigid", None)
    ]
    r = client.post("/api/v1/verification/alerts/review", {"alert_ids": [alert.pk]}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "not_enrolled"
    r = client.post(
        "/api/v1/verification/alerts/leave",
        {"alert_ids": [alert.pk], "reason": "经营收入稳定"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["count"] == 1
    assert Alert.objects.get().state == AlertState.LEFT
    # the page names the tier and offers the action
    client.force_login(centre["caseworker_a"])
    page = client.get("/verification/alerts/?state=left").content.decode()
    assert f'data-register="{alert.pk}"' in page and "刚性支出困难家庭" in page
