"""Item 5: each alert kind is raised from a new load on households in payment, a rerun raises nothing twice,
a payment to a person reported dead is held from the next payroll, alerts are resolved in bulk with a reason or
turned into a review case, and only inside the account's area."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from doudi.audit.models import AuditEvent
from doudi.cases.models import CaseKind, Enrolment, EnrolmentStatus
from doudi.core.errors import ApplicationError
from doudi.payments.generation import payroll_generate
from doudi.verification.alerts import alerts_resolve, alerts_to_review, next_unpaid_month
from doudi.verification.generator import _headers, file_bytes
from doudi.verification.loads import dataset_load
from doudi.verification.models import Alert, AlertRule, AlertState
from doudi.verification.schemas import KINDS

from ..conftest import member
from ..payments.conftest import enrol, finance  # noqa: F401

TODAY = timezone.localdate()
AS_OF = TODAY - dt.timedelta(days=1)


def _load(centre, kind, person, **values):
    spec = KINDS[kind]
    row = [person.name, person.id_number] + [values.get(e.code, "") for e in spec.elements[2:]]
    return dataset_load(
        actor=centre["centre"],
        kind=kind,
        as_of=AS_OF,
        filename=f"{kind}.csv",
        content=file_bytes(_headers(spec), [row], "csv"),
    )


def _head(enrolment):
    return enrolment.household.memberships.get(relation="head").person


DAY = (TODAY - dt.timedelta(days=20)).isoformat()
CASES = {
    "death": ("death", {"death_date": DAY}, AlertRule.DEATH_PAID),
    "funeral": ("funeral", {"death_date": DAY}, AlertRule.DEATH_PAID),
    "hukou_dead": (
        "hukou",
        {"status": "死亡注销", "address_code": "511425101201", "event_date": DAY},
        AlertRule.DEATH_PAID,
    ),
    "vehicle": (
        "vehicle",
        {"plate": "川Z12345", "vehicle_type": "小型汽车", "registered_on": DAY, "price": "98000"},
        AlertRule.VEHICLE,
    ),
    "business": (
        "business",
        {
            "enterprise": "青神县某商贸有限公司",
            "credit_code": "91511425MA12345678",
            "role": "法定代表人",
            "registered_on": DAY,
            "capital": "100000",
        },
        AlertRule.BUSINESS,
    ),
    "wage": (
        "wage",
        {"employer": "某厂", "period": AS_OF.strftime("%Y-%m"), "monthly_wage": "3800.00"},
        AlertRule.INCOME_ABOVE,
    ),
    "moved": ("hukou", {"status": "迁出", "address_code": "510107001001", "event_date": DAY}, AlertRule.MOVED_OUT),
    "state_payroll": ("state_payroll", {"unit": "某局", "monthly_pay": "5200.00"}, AlertRule.STATE_PAYROLL),
    "two_places": (
        "assistance",
        {"programme": "最低生活保障", "area_code": "511402101201", "since": DAY},
        AlertRule.TWO_PLACES,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_alert_kind_is_raised_once(case, centre, enrol):
    kind, values, rule = CASES[case]
    e = enrol()
    head = _head(e)
    _load(centre, kind, head, **values)
    alert = Alert.objects.get(rule=rule)
    assert (alert.person_id, alert.enrolment_id, alert.state) == (head.pk, e.pk, AlertState.OPEN)
    # pay from the state payroll above the standard is both a state payroll member and an income above it
    assert Alert.objects.count() == (2 if kind == "state_payroll" else 1)
    assert AuditEvent.objects.filter(action="verification.alerts").count() == 1
    before = Alert.objects.count()
    _load(centre, kind, head, **values)  # the same news in the next load: nothing new while the alert is open
    assert Alert.objects.count() == before


def _dibao_and_elderly(enrol):
    """A household on dibao whose head also draws the old-age allowance (a copy of the enrolment): (dibao, head, elderly)."""
    e = enrol()
    head = _head(e)
    elderly = Enrolment.objects.get(pk=e.pk)
    elderly.pk = None
    elderly.programme_id, elderly.person, elderly.monthly_amount = "elderly", head, Decimal("20.00")
    elderly.save()
    return e, head, elderly


def test_means_test_alerts_once_a_record_deaths_on_every_programme(centre, enrol):
    """A household on dibao whose head also draws the old-age allowance: a vehicle concerns dibao only (one
    alert, not one per programme); a death concerns both payments (one alert each, each to be acted on)."""
    e, head, elderly = _dibao_and_elderly(enrol)
    _load(centre, "vehicle", head, plate="川Z1", vehicle_type="小型汽车", registered_on=DAY)
    assert list(Alert.objects.values_list("rule", "enrolment_id")) == [(AlertRule.VEHICLE, e.pk)]
    _load(centre, "death", head, death_date=DAY)
    assert set(Alert.objects.filter(rule=AlertRule.DEATH_PAID).values_list("enrolment_id", flat=True)) == {
        e.pk,
        elderly.pk,
    }


def test_no_alert_below_the_standard_or_outside_payment(centre, enrol, register):
    e = enrol()
    _load(centre, "wage", _head(e), employer="某厂", period=AS_OF.strftime("%Y-%m"), monthly_wage="200.00")
    _load(centre, "hukou", _head(e), status="迁出", address_code="511425102201", event_date=DAY)  # within the county
    # the province's database lists the enrolment here itself (this county's code): not two places
    _load(centre, "assistance", _head(e), programme="最低生活保障", area_code="511425101201", since=DAY)
    not_enrolled = register(members=[member("未保", "1970-01-01", 38, "head")])
    _load(centre, "death", not_enrolled.memberships.get().person, death_date=DAY)
    assert Alert.objects.count() == 0


def test_death_of_the_payee_holds_the_next_payroll(centre, enrol, finance):
    e = enrol(amount="300.00", start=TODAY.replace(day=1))
    other = enrol(amount="250.00", start=TODAY.replace(day=1))
    month = next_unpaid_month("dibao", TODAY)
    assert month == TODAY.replace(day=1)
    _load(centre, "funeral", _head(e), death_date=DAY, cremation_date=DAY)
    e.refresh_from_db()
    alert = Alert.objects.get()
    assert alert.held and e.status == EnrolmentStatus.SUSPENDED
    assert e.changes.order_by("-id").first().from_month == month
    payroll = payroll_generate(actor=finance["f1"], programme="dibao", month=month)
    assert list(payroll.lines.values_list("enrolment_id", flat=True)) == [other.pk]  # the dead payee's is held
    assert AuditEvent.objects.filter(action="verification.alerts").get().new["held"] == 1


def test_bulk_resolve_and_review_case(centre, enrol):
    cw = centre["caseworker_a"]
    a1, a2, a3 = enrol(), enrol(), enrol()
    for e in (a1, a2, a3):
        _load(centre, "vehicle", _head(e), plate="川Z1", vehicle_type="货车", registered_on=DAY)
    ids = list(Alert.objects.order_by("id").values_list("id", flat=True))
    with pytest.raises(ApplicationError):
        alerts_resolve(actor=cw, alert_ids=ids[:2], reason=" ")
    assert alerts_resolve(actor=cw, alert_ids=ids[:2], reason="农用车，已登记为生计工具") == 2
    assert set(Alert.objects.filter(pk__in=ids[:2]).values_list("state", flat=True)) == {AlertState.RESOLVED}
    (case,) = alerts_to_review(actor=cw, alert_ids=[ids[2]], on=TODAY)
    assert (case.kind, case.state, case.enrolment_id) == (CaseKind.REVIEW, "accepted", a3.pk)
    alert = Alert.objects.get(pk=ids[2])
    assert (alert.state, alert.case_id) == (AlertState.REVIEW, case.pk)
    assert case.step_due is not None and case.total_due is not None


def test_alerts_only_inside_the_area(centre, enrol):
    e = enrol()
    _load(centre, "vehicle", _head(e), plate="川Z1", vehicle_type="货车", registered_on=DAY)
    alert = Alert.objects.get()
    with pytest.raises(ApplicationError):
        alerts_resolve(actor=centre["caseworker_b"], alert_ids=[alert.pk], reason="不在本辖区")
    assert Alert.objects.get().state == AlertState.OPEN


def test_alerts_page_names_the_programme_and_links_only_loads_the_reader_may_open(centre, enrol, client_for):
    """A death on two programmes is two alerts: each row names its programme (they read as one alert twice). The
    source load is the county's: linked for the county's staff, named without a link (that was a 404) for the
    township's caseworker; likewise on the caseworker's home page."""
    e, head, _elderly = _dibao_and_elderly(enrol)
    load = _load(centre, "death", head, death_date=DAY)
    assert Alert.objects.count() == 2
    href = f'href="/verification/loads/{load.pk}/"'
    page = client_for(centre["caseworker_a"]).get("/verification/alerts/").content.decode()
    assert "<small>最低生活保障</small>" in page and "<small>高龄津贴</small>" in page
    assert href not in page and "死亡人员 v1" in page
    assert client_for(centre["caseworker_a"]).get(f"/verification/loads/{load.pk}/").status_code == 404
    assert href in client_for(centre["centre"]).get("/verification/alerts/").content.decode()
    home = client_for(centre["caseworker_a"]).get("/").content.decode()
    assert '<small class="muted">最低生活保障</small>' in home and '<small class="muted">高龄津贴</small>' in home
