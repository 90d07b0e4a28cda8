"""Checks before a payroll may be approved. Each anomaly blocks approval until it is resolved (the data is
corrected and the check passes) or accepted with a written reason."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from stdnum import luhn

from doudi.cases.models import Enrolment, EnrolmentStatus
from doudi.core.money import add_months
from doudi.registry.models import Membership

from .models import Anomaly, AnomalyKind, Payroll, PayrollLine

CHANGE_THRESHOLD = Decimal(str(getattr(settings, "DOUDI_PAYROLL_CHANGE_PCT", "30"))) / 100
EXCLUSIVE = {"dibao": "tekun", "tekun": "dibao"}  # programmes one person may not receive together


def account_problem(account: str) -> str | None:
    """Missing, not digits, or a 16–19 digit card number failing its Luhn check digit."""
    if not account:
        return "没有银行账号 / no bank account"
    if not account.isdigit() or not 10 <= len(account) <= 32:
        return "银行账号格式不正确 / bank account is not 10–32 digits"
    if 16 <= len(account) <= 19 and not luhn.is_valid(account):
        return "银行卡号校验位错误 / card number fails its check digit"
    return None


def detect_anomalies(payroll: Payroll) -> int:
    found: list[Anomaly] = []
    lines = PayrollLine.objects.filter(payroll=payroll)
    # previous month's amount per enrolment, for the change check
    previous = dict(PayrollLine.objects.filter(
        payroll__programme_id=payroll.programme_id, payroll__month=add_months(payroll.month, -1),
        payroll__kind="regular").exclude(payroll__state="cancelled").values_list("enrolment_id", "current_amount"))
    by_household: dict[int, int] = {}
    seen: dict[tuple, int] = {}
    rows = lines.values_list("id", "household_id", "enrolment_id", "enrolment__person_id", "account", "current_amount")
    for line_id, hid, eid, person_id, account, current in rows.iterator(chunk_size=10_000):
        by_household.setdefault(hid, line_id)
        problem = account_problem(account)
        if problem:
            found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.ACCOUNT, detail=problem))
        before = previous.get(eid)
        if before and current and abs(current - before) > before * CHANGE_THRESHOLD:
            found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.CHANGE,
                                 detail=f"本月 {current} 元，上月 {before} 元 / {before} → {current}"))
        # the same household (dibao) or person (tekun) twice in this payroll
        key = (person_id, 0) if person_id else (0, hid)
        if key in seen:
            found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.DUPLICATE,
                                 detail=f"与第 {seen[key]} 行为同一对象 / same recipient as line {seen[key]}"))
        seen.setdefault(key, line_id)

    # deceased: the tekun person, or any current member of a dibao household
    if payroll.programme_id == "tekun":
        for line_id in lines.filter(enrolment__person__deceased=True).values_list("id", flat=True):
            found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.DECEASED,
                                 detail="供养对象已登记死亡 / the supported person is recorded as deceased"))
    else:
        dead = Membership.objects.filter(household_id__in=lines.values("household_id"), end_date__isnull=True, person__deceased=True) \
            .values_list("household_id", "person__name")
        for hid, name in dead:
            found.append(Anomaly(payroll=payroll, line_id=by_household[hid], kind=AnomalyKind.DECEASED,
                                 detail=f"成员 {name} 已登记死亡 / member {name} is recorded as deceased"))
    # the same person paid by dibao and tekun
    other = EXCLUSIVE.get(payroll.programme_id)
    if other:
        active = Enrolment.objects.filter(programme_id=other, status__in=[EnrolmentStatus.ACTIVE,
                                                                          EnrolmentStatus.GRADUAL_EXIT])
        if payroll.programme_id == "dibao":
            tekun_people = dict(active.filter(person__memberships__household_id__in=lines.values("household_id"),
                                              person__memberships__end_date__isnull=True)
                                .values_list("person__memberships__household_id", "person__name"))
            for hid, name in tekun_people.items():
                found.append(Anomaly(payroll=payroll, line_id=by_household[hid], kind=AnomalyKind.EXCLUSIVE,
                                     detail=f"成员 {name} 同时享受特困供养 / {name} also receives tekun"))
        else:
            dibao_households = set(active.filter(household_id__in=lines.values("household_id")).values_list("household_id", flat=True))
            for line_id in lines.filter(household_id__in=dibao_households).values_list("id", flat=True):
                found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.EXCLUSIVE,
                                     detail="该人所在家庭同时享受低保 / the person's household also receives dibao"))
    Anomaly.objects.bulk_create(found, batch_size=5000)
    return len(found)
