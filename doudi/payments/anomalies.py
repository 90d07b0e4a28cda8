"""Checks before a payroll may be approved. Each anomaly blocks approval until it is resolved (the data is
corrected and the check passes) or accepted with a written reason. The checks are queries over the whole
payroll; only the bank-account check reads the lines, and it skips accounts already checked last month."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from stdnum import luhn

from doudi.cases.models import Enrolment, EnrolmentStatus
from doudi.core.money import add_months

from .models import Anomaly, AnomalyKind, Payroll, PayrollLine

CHANGE_THRESHOLD = Decimal(str(getattr(settings, "DOUDI_PAYROLL_CHANGE_PCT", "30"))) / 100
EXCLUSIVE = {"dibao": "tekun", "tekun": "dibao"}  # programmes one person may not receive together
ACTIVE = [EnrolmentStatus.ACTIVE, EnrolmentStatus.GRADUAL_EXIT]


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
    previous_lines = PayrollLine.objects.filter(
        payroll__programme_id=payroll.programme_id, payroll__month=add_months(payroll.month, -1),
        payroll__kind="regular").exclude(payroll__state="cancelled").exclude(status="failed")

    # bank accounts: what was paid last month to the same account needs no second look
    checked = set(previous_lines.values_list("enrolment_id", "account").iterator(chunk_size=20_000))
    for line_id, eid, account in lines.values_list("id", "enrolment_id", "account").iterator(chunk_size=20_000):
        if (eid, account) in checked:
            continue
        problem = account_problem(account)
        if problem:
            found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.ACCOUNT, detail=problem))
    checked.clear()

    # amount changed by more than the threshold since last month
    previous = previous_lines.values("enrolment_id", "current_amount")

    before = Subquery(previous.filter(enrolment_id=OuterRef("enrolment_id")).values("current_amount")[:1])
    for line_id, current, last in lines.annotate(before=before).filter(before__isnull=False).values_list(
            "id", "current_amount", "before").iterator(chunk_size=20_000):
        if last and current and abs(current - last) > last * CHANGE_THRESHOLD:
            found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.CHANGE,
                                 detail=f"本月 {current} 元，上月 {last} 元 / {last} → {current}"))

    # deceased: the tekun person, or any current member of a dibao household
    if payroll.programme_id == "tekun":
        for line_id in lines.filter(enrolment__person__deceased=True).values_list("id", flat=True):
            found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.DECEASED,
                                 detail="供养对象已登记死亡 / the supported person is recorded as deceased"))
    else:
        for line_id, name in lines.filter(household__memberships__end_date__isnull=True,
                                          household__memberships__person__deceased=True).values_list(
                "id", "household__memberships__person__name"):
            found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.DECEASED,
                                 detail=f"成员 {name} 已登记死亡 / member {name} is recorded as deceased"))

    # the same person paid by dibao and tekun
    other = EXCLUSIVE.get(payroll.programme_id)
    if other:
        active = Enrolment.objects.filter(programme_id=other, status__in=ACTIVE)
        if payroll.programme_id == "dibao":
            rows = lines.filter(household__memberships__end_date__isnull=True,
                                household__memberships__person__in=active.values("person_id")).values_list(
                "id", "household__memberships__person__name")
            for line_id, name in rows:
                found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.EXCLUSIVE,
                                     detail=f"成员 {name} 同时享受特困供养 / {name} also receives tekun"))
        else:
            for line_id in lines.filter(household_id__in=active.values("household_id")).values_list("id", flat=True):
                found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.EXCLUSIVE,
                                     detail="该人所在家庭同时享受低保 / the person's household also receives dibao"))

    # the same household (dibao) or person (tekun) twice in this payroll
    key = "enrolment__person_id" if payroll.programme_id == "tekun" else "household_id"
    twice = lines.values(key).annotate(n=Count("id")).filter(n__gt=1).values(key)
    seen: dict = {}
    for line_id, value in lines.filter(**{f"{key}__in": twice}).order_by("id").values_list("id", key):
        if value in seen:
            found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.DUPLICATE,
                                 detail=f"与第 {seen[value]} 行为同一对象 / same recipient as line {seen[value]}"))
        seen.setdefault(value, line_id)
    Anomaly.objects.bulk_create(found, batch_size=5000)
    return len(found)
