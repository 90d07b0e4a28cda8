"""Enrolments after approval: the amount history, termination (publicly noticed), change reports with
re-evaluation, gradual exit, and the overpayments a late or fraudulent report leaves to recover."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.core.money import ZERO, add_months, money_parse, month_start
from doudi.core.validation import date_range_check, text_clean
from doudi.programmes.selectors import params_in_force
from doudi.programmes.shapes import ONE_OFF_PROGRAMMES, SHAPES

from .. import workflow as wf
from ..amounts import overpaid_since
from ..audit_actions import AuditAction
from ..models import ChangeKind, ChangeReport, Enrolment, EnrolmentChange, EnrolmentStatus, Overpayment, ReportKind
from ..notify import notify
from ..selectors import case_decision
from ..watchers import enrolment_changed

TERMINATION_NOTICE = dt.timedelta(days=wf.NOTICE_DAYS)  # an ending is publicly noticed too [D21 §28]
# The details of a change report become the reason of the amount change and of an overpayment (200 characters,
# with a prefix such as "成员就业，渐退6个月："), so they are limited to 150 characters.
CHANGE_DETAILS_MAX = 150


def enrolment_change_record(
    enrolment: Enrolment,
    *,
    amount: Decimal,
    month: dt.date,
    actor,
    reason: str,
    case=None,
    status: str | None = None,
    kind: str | None = None,
) -> EnrolmentChange:
    """Set the enrolment's amount (and status) from ``month`` and add the change to its amount history. Runs
    inside the calling action's transaction, on a locked enrolment."""
    old = enrolment.monthly_amount
    if kind is None:
        kind = ChangeKind.INCREASE if amount > old else ChangeKind.DECREASE if amount < old else ChangeKind.UNCHANGED
    enrolment.monthly_amount = amount
    if status:
        enrolment.status = status
    enrolment.save()
    enrolment_changed(actor=actor, enrolment=enrolment)
    return EnrolmentChange.objects.create(
        enrolment=enrolment,
        kind=kind,
        from_month=month,
        old_amount=old,
        new_amount=amount,
        reason=reason[:200],
        case=case,
        actor=actor if getattr(actor, "pk", None) else None,
    )


SUSPEND_BATCH = 2000  # enrolments locked and suspended per statement


def enrolments_suspend(enrolment_ids, *, month_of, actor, reason: str) -> list[Enrolment]:
    """Suspend many payments at once, each from ``month_of(enrolment)``, with its change in the amount history as
    ``enrolment_change_record`` writes it: a fixed number of statements per batch, rows locked in key order;
    one already suspended is left as it is. Runs inside the calling action's transaction; the watchers are told
    of each (together, inside ``enrolments_changed_together``). Returns the enrolments suspended."""
    ids = sorted(set(enrolment_ids))
    recorder = actor if getattr(actor, "pk", None) else None
    done: list[Enrolment] = []
    for i in range(0, len(ids), SUSPEND_BATCH):
        batch = list(
            Enrolment.objects.select_for_update()
            .filter(pk__in=ids[i : i + SUSPEND_BATCH])
            .exclude(status=EnrolmentStatus.SUSPENDED)
            .order_by("pk")
        )
        changes = []
        for enrolment in batch:
            changes.append(
                EnrolmentChange(
                    enrolment=enrolment,
                    kind=ChangeKind.SUSPEND,
                    from_month=month_of(enrolment),
                    old_amount=enrolment.monthly_amount,
                    new_amount=enrolment.monthly_amount,
                    reason=reason[:200],
                    actor=recorder,
                )
            )
            enrolment.status = EnrolmentStatus.SUSPENDED
        Enrolment.objects.filter(pk__in=[e.pk for e in batch]).update(status=EnrolmentStatus.SUSPENDED)
        EnrolmentChange.objects.bulk_create(changes)
        for enrolment in batch:
            enrolment_changed(actor=actor, enrolment=enrolment)
        done += batch
    return done


def enrolment_terminate(
    enrolment: Enrolment, *, month: dt.date, on: dt.date, actor, reason: str, case=None
) -> EnrolmentChange:
    """Stop payment from ``month`` (the last month paid is the one before). The termination is publicly noticed
    for 7 days from ``on``, the day it is decided [D21 §28]. Runs inside the calling action's transaction."""
    enrolment.end_month = add_months(month, -1)
    enrolment.termination_notice_start = on
    enrolment.termination_notice_end = on + TERMINATION_NOTICE
    change = enrolment_change_record(
        enrolment,
        amount=ZERO,
        month=month,
        actor=actor,
        reason=reason,
        case=case,
        status=EnrolmentStatus.TERMINATED,
        kind=ChangeKind.TERMINATE,
    )
    notify(household=enrolment.household, message=termination_message(enrolment.programme.name_zh, month, reason))
    return change


def termination_message(programme_name: str, month: dt.date, reason: str) -> str:
    return f"您家的{programme_name}自{month:%Y年%m月}起终止，终止情况在村（社区）公示7天。原因：{reason}"


@action
def change_report_record(
    *,
    actor,
    enrolment: Enrolment,
    kind: str,
    effective_month: dt.date,
    details: str,
    overpaid: Decimal | None = None,
    on: dt.date | None = None,
) -> ChangeReport:
    """A reported change (income, members, death, move, a member finding work, whereabouts unknown, fraud):
    re-evaluate and increase, decrease, suspend, resume or terminate from the stated month. A household that
    becomes ineligible because a member found work keeps its amount for the gradual-exit months of the
    programme's parameters [D21 §32]. Fraud terminates and records the overpayment to recover."""
    perm_require(actor, Perm.CASE_CREATE)
    if not covers(actor, enrolment.area_code):
        raise NotFound()
    on = on or timezone.localdate()
    if kind not in ReportKind.values:
        raise ApplicationError(
            f"变化类型无效，可选：{'、'.join(ReportKind.values)}",
            f"Invalid kind of change; allowed: {', '.join(ReportKind.values)}",
            field="kind",
            code="invalid_choice",
        )
    details = text_clean(
        details,
        field="details",
        zh_label="情况说明",
        en_label="Details",
        max_length=CHANGE_DETAILS_MAX,
        required=True,
        multiline=True,
    )
    date_range_check(effective_month, field="effective_month", zh_label="起始月", en_label="Effective month")
    if overpaid is not None:
        overpaid = money_parse(
            overpaid, field="overpaid", zh_label="多发金额", en_label="Overpaid amount", positive=True
        )
    enrolment = Enrolment.objects.select_for_update().select_related("programme", "household").get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.TERMINATED:
        raise Conflict("该保障已终止", "This enrolment has ended", field="enrolment", code="terminated")
    if enrolment.programme_id in ONE_OFF_PROGRAMMES:
        raise Conflict(
            "一次性救助只发放一次，没有可重新测算的月发放金额；家庭情况变化请在家庭页面登记",
            "A one-off grant is paid once and has no monthly amount to re-evaluate; record the household's change "
            "on its page",
            field="enrolment",
            code="one_off",
        )
    month = month_start(effective_month)
    if month < enrolment.start_month:
        raise ApplicationError(
            "起始月不能早于开始发放的月份", "The month is before payment started", field="effective_month"
        )
    explanation, amount, outcome = None, enrolment.monthly_amount, ChangeKind.UNCHANGED
    if kind == ReportKind.WHEREABOUTS:
        outcome = ChangeKind.SUSPEND
        enrolment_change_record(
            enrolment,
            amount=enrolment.monthly_amount,
            month=month,
            actor=actor,
            reason=details,
            status=EnrolmentStatus.SUSPENDED,
            kind=ChangeKind.SUSPEND,
        )
    elif kind == ReportKind.FRAUD:
        outcome, amount = ChangeKind.TERMINATE, ZERO
        enrolment_terminate(enrolment, month=month, on=on, actor=actor, reason=f"骗取保障金：{details}")
    else:
        d = case_decision(enrolment.case, month)
        explanation = d.as_dict()
        if d.eligible:
            amount = d.monthly_amount
            change = enrolment_change_record(
                enrolment,
                amount=amount,
                month=month,
                actor=actor,
                reason=details,
                status=EnrolmentStatus.ACTIVE,
                kind=ChangeKind.RESUME if kind == ReportKind.RESUME else None,
            )
            outcome = change.kind
        else:
            months = (
                params_in_force(enrolment.programme_id, month, enrolment.area_code).values.get("gradual_exit_months", 0)
                if any(spec.name == "gradual_exit_months" for spec in SHAPES[enrolment.programme_id].specs)
                else 0  # only a programme whose parameters have a gradual exit (dibao [D21 §27]) has one
            )
            if kind == ReportKind.EMPLOYMENT and months > 0:
                outcome = ChangeKind.GRADUAL_EXIT
                enrolment.gradual_exit_until = add_months(month, months - 1)
                enrolment_change_record(
                    enrolment,
                    amount=enrolment.monthly_amount,
                    month=month,
                    actor=actor,
                    reason=f"成员就业，渐退{months}个月：{details}",
                    status=EnrolmentStatus.GRADUAL_EXIT,
                    kind=ChangeKind.GRADUAL_EXIT,
                )
            else:
                outcome, amount = ChangeKind.TERMINATE, ZERO
                enrolment_terminate(enrolment, month=month, on=on, actor=actor, reason=f"不再符合条件：{details}")
    if kind == ReportKind.DEATH and enrolment.status != EnrolmentStatus.TERMINATED:
        # review within 3 months of a member's death [D21 §31]
        enrolment.next_review_due = min(enrolment.next_review_due, add_months(on, 3) - dt.timedelta(days=1))
        enrolment.save(update_fields=["next_review_due"])
    if overpaid is None:
        late = overpaid_since(enrolment, month)
        if late > 0:
            overpaid = late  # a change reported late: what was paid since its month beyond what was due
    report = ChangeReport.objects.create(
        enrolment=enrolment,
        kind=kind,
        reported_on=on,
        effective_month=month,
        details=details,
        outcome=outcome,
        new_amount=amount,
        explanation=explanation,
        actor=actor,
    )
    if overpaid:
        Overpayment.objects.create(
            enrolment=enrolment,
            amount=overpaid,
            reason=details,
            fraud=kind == ReportKind.FRAUD,
            report=report,
            raised_on=on,
            created_by=actor,
        )
    audit_record(
        actor=actor,
        action=AuditAction.for_report(kind),
        target=enrolment,
        area_code=enrolment.area_code,
        household_id=enrolment.household_id,
        new={"outcome": outcome, "amount": amount, "month": month, "overpaid": overpaid},
    )
    return report
