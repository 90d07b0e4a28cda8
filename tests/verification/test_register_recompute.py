"""Step 2 of issue 13's follow-up: the low-income register is recomputed when the facts change, not only when
the township presses the button: a dibao exit through a change report (the cases app's watcher, same
transaction), a department's load (income, deaths), and a rerun changes nothing."""

import datetime as dt

from django.utils import timezone

from doudi.audit.models import AuditEvent
from doudi.cases.actions import change_report_record
from doudi.registry.actions import record_add
from doudi.verification.models import MonitoringEntry, Tier
from doudi.verification.monitoring import monitoring_enter, monitoring_sync

from ..conftest import member
from ..payments.conftest import enrol, finance  # noqa: F401
from .test_alerts import _head
from .test_alerts import _load as _load_one

TODAY = timezone.localdate()
DAY = (TODAY - dt.timedelta(days=30)).isoformat()


def _wage(staff, household, person, monthly):
    record_add(
        actor=staff["caseworker_a"],
        household=household,
        kind="incomes",
        data={"person": person.pk, "kind": "wage", "monthly": monthly},
    )


def _open(household):
    return dict(MonitoringEntry.objects.filter(household=household, left_on__isnull=True).values_list("tier", "id"))


def test_a_dibao_exit_through_a_change_report_moves_the_register_at_once(centre, staff, enrol):
    cw = staff["caseworker_a"]
    near, far = enrol(), enrol()
    monitoring_sync(actor=cw)
    assert _open(near.household).keys() == {Tier.DIBAO} and _open(far.household).keys() == {Tier.DIBAO}
    # one member: 300 a month → 270 after the job-cost deduction, above the standard 230, below the edge 345
    _wage(staff, near.household, _head(near), "300.00")
    _wage(staff, far.household, _head(far), "2000.00")
    month = timezone.localdate().replace(day=1)
    for e in (near, far):
        change_report_record(actor=cw, enrolment=e, kind="income", effective_month=month, details="就业后收入增加")
        e.refresh_from_db()
        assert e.status == "terminated"
    # no button pressed: the exit left the dibao tier in the same transaction
    assert _open(near.household).keys() == {Tier.EDGE}
    edge = MonitoringEntry.objects.get(pk=_open(near.household)[Tier.EDGE])
    assert "300.00" in edge.entry_reason and "345.00" in edge.entry_reason
    assert _open(far.household) == {}
    dibao = MonitoringEntry.objects.get(household=far.household, tier=Tier.DIBAO)
    assert dibao.left_on is not None and "终止保障" in dibao.leave_reason
    assert (
        AuditEvent.objects.filter(action="verification.monitoring_sync", target_label__contains="保障变动").count() == 2
    )
    before = MonitoringEntry.objects.count()
    assert monitoring_sync(actor=cw) == {"entered": 0, "left": 0}  # a rerun changes nothing
    assert MonitoringEntry.objects.count() == before


def test_a_department_load_takes_households_out_of_the_edge_and_the_dead_out_of_every_tier(centre, register, staff):
    cw = staff["caseworker_a"]
    earner = register(members=[member("周一", "1970-01-01", 501, "head"), member("周二", "1972-01-01", 502, "spouse")])
    alone = register(members=[member("吴老汉", "1940-01-01", 503, "head")])
    stays = register(members=[member("郑一", "1971-01-01", 504, "head")])
    for h in (earner, stays):
        monitoring_enter(actor=cw, household_id=h.pk, tier=Tier.EDGE, reason="走访核实：收入低于边缘线")
    monitoring_enter(actor=cw, household_id=alone.pk, tier=Tier.RIGID, reason="长期卧床，医疗支出大")
    head = earner.memberships.get(relation="head").person
    # the wage office: the head earns 1,200 a month now — 600 a head for two, above the edge line 345
    _load_one(centre, "wage", head, employer="县建筑公司", period=TODAY.strftime("%Y-%m"), monthly_wage="1200.00")
    assert _open(earner) == {} and _open(stays).keys() == {Tier.EDGE}
    left = MonitoringEntry.objects.get(household=earner, tier=Tier.EDGE)
    assert "600.00" in left.leave_reason and "不低于低保边缘线" in left.leave_reason
    assert AuditEvent.objects.filter(action="verification.monitoring_sync", target_label__contains="工资").exists()
    # the funeral records: the only member died
    old = alone.memberships.get(relation="head").person
    _load_one(centre, "funeral", old, death_date=DAY, cremation_date=DAY, funeral_home="县殡仪馆")
    rigid = MonitoringEntry.objects.get(household=alone, tier=Tier.RIGID)
    assert rigid.left_on == TODAY and "家庭成员均已死亡" in rigid.leave_reason
    assert monitoring_sync(actor=cw) == {"entered": 0, "left": 0}  # a rerun changes nothing
