"""A deaths file naming many payees holds their payments together (``verification.alerts._hold`` →
``cases.actions.enrolments.enrolments_suspend``): each payment suspended from the next payroll with its change in
the amount history, the alert marked held, one already suspended left as it is — and the statements a load costs do
not grow by a lock, an update, an insert and a second save per payee as they did one by one."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from doudi.cases.models import ChangeKind, Enrolment, EnrolmentChange, EnrolmentStatus
from doudi.verification.generator import _headers, file_bytes
from doudi.verification.loads import dataset_load
from doudi.verification.models import Alert, AlertRule
from doudi.verification.schemas import KINDS

from ..payments.conftest import enrol, finance  # noqa: F401
from .test_alerts import _head

DAY = (timezone.localdate() - dt.timedelta(days=20)).isoformat()


def _deaths(centre, people):
    spec = KINDS["death"]
    rows = [[p.name, p.id_number] + [{"death_date": DAY}.get(e.code, "") for e in spec.elements[2:]] for p in people]
    with CaptureQueriesContext(connection) as queries:
        dataset_load(
            actor=centre["centre"],
            kind="death",
            as_of=timezone.localdate() - dt.timedelta(days=1),
            filename="death.csv",
            content=file_bytes(_headers(spec), rows, "csv"),
        )
    return len(queries)


def test_many_payees_reported_dead_are_held_together(centre, enrol):
    enrolments = [enrol() for _ in range(14)]
    before = enrolments[0]
    Enrolment.objects.filter(pk=before.pk).update(status=EnrolmentStatus.SUSPENDED)  # already suspended
    few = _deaths(centre, [_head(e) for e in enrolments[:4]])
    many = _deaths(centre, [_head(e) for e in enrolments[4:]])  # ten more payees
    alerts = Alert.objects.filter(rule=AlertRule.DEATH_PAID)
    assert alerts.count() == 14 and alerts.filter(held=True).count() == 14
    held = Enrolment.objects.filter(pk__in=[e.pk for e in enrolments], status=EnrolmentStatus.SUSPENDED)
    assert held.count() == 14
    changes = EnrolmentChange.objects.filter(kind=ChangeKind.SUSPEND, enrolment__in=enrolments)
    assert changes.count() == 13  # one each, none for the payment already suspended
    assert not changes.filter(enrolment=before).exists()
    for c in changes:
        assert c.old_amount == c.new_amount == c.enrolment.monthly_amount
        assert c.reason.startswith("部门数据报告收款人死亡（死亡") and "暂停发放待核实" in c.reason
    # each payee beyond the first four costs the alert's own insert (in a savepoint) and little else: measured 16
    # statements for six more (it was 48 one by one: a lock, an update, an insert and a second save each besides)
    assert (many - few) / 6 <= 4, (few, many)
