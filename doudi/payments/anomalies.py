"""Checks before a payroll may be approved. Each anomaly blocks approval until it is resolved (the data is
corrected and the check passes) or accepted with a written reason. Every check is a query over the whole
payroll that returns only the lines with a problem; nothing walks the million lines in Python."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q

from doudi.cases.models import Enrolment, EnrolmentStatus
from doudi.core.money import add_months
from doudi.core.sql import fen
from doudi.programmes.shapes import SHAPES
from doudi.registry.validation import account_problem

from .models import Anomaly, AnomalyKind, Payroll, PayrollLine
from .payees import PAYEE_RESOLVERS


def payees_elsewhere() -> set[str]:
    """Programmes whose lines are paid to someone other than the household (a resolver is registered)."""
    return {code for code, resolvers in PAYEE_RESOLVERS.items() if resolvers}


ACTIVE = [EnrolmentStatus.ACTIVE, EnrolmentStatus.GRADUAL_EXIT]


def detect_anomalies(payroll: Payroll) -> int:
    found: list[Anomaly] = []
    lines = PayrollLine.objects.filter(payroll=payroll)

    # bank accounts: a line carries its household's account, and each household's account is checked (Luhn
    # included) whenever the household is saved, so the anomalies are the lines of households with a problem.
    # A programme paid to someone else (a funeral waiver to the funeral home: ``PAYEE_RESOLVERS``) has the payee's
    # account on its lines: that account is the one checked, line by line (a few lines a month).
    if payroll.programme_id in payees_elsewhere():
        for line_id, account in lines.order_by("id").values_list("id", "account"):
            problem = account_problem(account or "")
            if problem:
                found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.ACCOUNT, detail=problem))
    else:
        for line_id, problem in lines.exclude(household__bank_account_problem="").values_list(
            "id", "household__bank_account_problem"
        ):
            found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.ACCOUNT, detail=problem))

    # amount changed by more than the threshold since last month's regular payroll
    previous = list(
        Payroll.objects.filter(programme_id=payroll.programme_id, month=add_months(payroll.month, -1), kind="regular")
        .exclude(state="cancelled")
        .values_list("pk", flat=True)
    )
    if previous:
        sql = f"""SELECT c.id, c.current_amount, p.current_amount
                  FROM payments_payrollline c JOIN payments_payrollline p ON p.enrolment_id = c.enrolment_id
                  WHERE c.payroll_id = %s AND p.payroll_id IN ({", ".join(["%s"] * len(previous))})
                    AND p.status <> 'failed' AND c.current_amount > 0 AND p.current_amount > 0
                    AND ABS({fen("c.current_amount")} - {fen("p.current_amount")}) * 100
                        > {fen("p.current_amount")} * %s
                  ORDER BY c.id"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [payroll.pk, *previous, Decimal(str(settings.DOUDI_PAYROLL_CHANGE_PCT))])
            seen = set()
            for line_id, current, last in cursor.fetchall():
                if line_id not in seen:
                    seen.add(line_id)
                    found.append(
                        Anomaly(
                            payroll=payroll,
                            line_id=line_id,
                            kind=AnomalyKind.CHANGE,
                            detail=f"本月 {current:.2f} 元，上月 {last:.2f} 元 / {last:.2f} → {current:.2f}",
                        )
                    )

    # deceased: the recipient of a programme paid to people (the tekun person, the old-age allowance's elder …), or
    # any current member of a household paid as a household (dibao): a living spouse's own allowance is not flagged
    # because her husband died. A programme paid to someone else for the person (the funeral waiver, to the funeral
    # home) is paid because of the death: not an anomaly.
    shape = SHAPES.get(payroll.programme_id)
    if payroll.programme_id in payees_elsewhere():
        pass
    elif shape is not None and shape.unit == "person":
        # named as the programme's shape names its recipient (tekun: 供养对象, the supported person)
        for line_id, name in lines.filter(enrolment__person__deceased=True).values_list(
            "id", "enrolment__person__name"
        ):
            found.append(
                Anomaly(
                    payroll=payroll,
                    line_id=line_id,
                    kind=AnomalyKind.DECEASED,
                    detail=f"{shape.recipient_zh} {name} 已登记死亡 / {name}, {shape.recipient_en}, is recorded as deceased",
                )
            )
    else:
        for line_id, name in lines.filter(
            household__memberships__end_date__isnull=True, household__memberships__person__deceased=True
        ).values_list("id", "household__memberships__person__name"):
            found.append(
                Anomaly(
                    payroll=payroll,
                    line_id=line_id,
                    kind=AnomalyKind.DECEASED,
                    detail=f"成员 {name} 已登记死亡 / member {name} is recorded as deceased",
                )
            )

    # the same person paid by two programmes one may not receive together (the shape's ``exclusive_with``: dibao
    # and tekun): a line paid to a household is flagged for a current member receiving the other (or the household,
    # if the other is paid to households); a line paid to a person for that person (or their household)
    for other in shape.exclusive_with if shape is not None else ():
        zh, en = SHAPES[other].name_zh, SHAPES[other].name_en
        active = Enrolment.objects.filter(programme_id=other, status__in=ACTIVE)
        if SHAPES[other].unit == "person" and shape.unit == "household":
            rows = lines.filter(
                household__memberships__end_date__isnull=True,
                household__memberships__person__in=active.values("person_id"),
            ).values_list("id", "household__memberships__person__name")
            flagged = [(line_id, f"成员 {name} 同时享受{zh} / {name} also receives {en}") for line_id, name in rows]
        elif SHAPES[other].unit == "person":
            rows = lines.filter(enrolment__person_id__in=active.values("person_id")).values_list("id", flat=True)
            flagged = [(line_id, f"该人同时享受{zh} / the person also receives {en}") for line_id in rows]
        else:
            rows = lines.filter(household_id__in=active.values("household_id")).values_list("id", flat=True)
            flagged = [(line_id, f"所在家庭同时享受{zh} / the household also receives {en}") for line_id in rows]
        for line_id, detail in flagged:
            found.append(Anomaly(payroll=payroll, line_id=line_id, kind=AnomalyKind.EXCLUSIVE, detail=detail))

    # the same recipient twice in this payroll: the household for a programme paid to households (dibao, temporary
    # assistance), the person for one paid to people (tekun, the old-age allowance …), where two members of one
    # household (an old couple) are two recipients
    key = "enrolment__person_id" if shape is not None and shape.unit == "person" else "household_id"
    # … though a one-off grant paid through a monthly programme's payroll (the veterans' Spring Festival grant) beside
    # the same person's monthly payment is not a duplicate: one-offs are compared with one-offs only
    # read first (a few keys at most, none in most payrolls): as a subquery PostgreSQL, with no statistics yet on
    # a just-filled table, ran it once per line (seconds for the demo's payroll after a rebuild)
    twice = list(lines.values(key).annotate(n=Count("id")).filter(n__gt=1).values_list(key, flat=True))
    once = ExpressionWrapper(Q(enrolment__end_month=F("enrolment__start_month")), output_field=BooleanField())
    seen: dict = {}
    for line_id, *value in (
        lines.filter(**{f"{key}__in": twice}).annotate(once=once).order_by("id").values_list("id", key, "once")
    ):
        value = tuple(value)
        if value in seen:
            found.append(
                Anomaly(
                    payroll=payroll,
                    line_id=line_id,
                    kind=AnomalyKind.DUPLICATE,
                    detail=f"与第 {seen[value]} 行为同一对象 / same recipient as line {seen[value]}",
                )
            )
        seen.setdefault(value, line_id)
    Anomaly.objects.bulk_create(found, batch_size=5000)
    return len(found)
