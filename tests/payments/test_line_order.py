"""A payroll numbers its lines in enrolment order, whatever plan the database takes for the set-based lines: the
demo county built twice from one seed failed different households at the bank on PostgreSQL when the keys
followed the plan (its bank returns pick failed lines in a fixed order)."""

import datetime as dt

from doudi.cases.models import Enrolment, EnrolmentChange
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine


def test_lines_are_numbered_in_enrolment_order(enrol, finance):
    enrolments = [enrol(amount=f"{200 + i}.00") for i in range(8)]
    # rewrite the first ones and their amount history (on PostgreSQL an updated row is written anew after the
    # others, so a plain scan reads it last) so that the tables' physical order is not the key order
    for e in enrolments[:4]:
        Enrolment.objects.filter(pk=e.pk).update(counted_members=2)
        EnrolmentChange.objects.filter(enrolment=e).update(reason="纳入（更正）")
    payroll = payroll_generate(actor=finance["f1"], programme="dibao", month=dt.date(2026, 3, 1))
    by_key = list(PayrollLine.objects.filter(payroll=payroll).order_by("pk").values_list("enrolment_id", flat=True))
    assert len(by_key) == 8 and by_key == sorted(by_key)
