"""The daily job of dynamic management (动态管理): end the gradual exits that ran out, and open a review case for
every enrolment due for review (yearly, half-yearly, or within 3 months of a death) [D21 §31, §32].

It is set-based: a handful of ``INSERT … SELECT`` and one ``UPDATE`` whatever the number of enrolments, with each
deadline computed once per programme (every review opened today starts today). Everything it writes carries the
run's batch id, one audit event records the counts, and it commits whole or not at all. A rerun opens nothing
twice: an enrolment with an open review is skipped, and a unique index on open reviews holds even for two runs
at the same moment (the second skips what the first opened)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import connection, transaction
from django.db.models import Case as When_
from django.db.models import (
    DateField,
    DateTimeField,
    DecimalField,
    F,
    IntegerField,
    JSONField,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone, translation

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.core.actions import action
from doudi.core.money import ZERO, add_months, month_start
from doudi.core.workdays import WorkCalendar, add_working_days

from .. import workflow as wf
from ..audit_actions import AuditAction
from ..deadlines import step_limit
from ..models import (
    Case,
    CaseEvent,
    CaseEventMove,
    CaseKind,
    ChangeKind,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    Notification,
    ReviewCategory,
)
from ..notify import backend, notify_batch_send
from .enrolments import TERMINATION_NOTICE, termination_message

GRADUAL_EXIT_ENDED = "渐退期满"


@action
def dynamic_management_run(*, actor=None, on: dt.date | None = None) -> dict:
    """The daily job, for the actor's area (from a page) or everywhere (the command, no actor)."""
    on = on or timezone.localdate()
    enrolments = Enrolment.objects.order_by()
    if actor is not None:
        perm_require(actor, Perm.CASES_DAILY)
        enrolments = enrolments.filter(scope.scope_q(actor, "cases.Enrolment"))
    batch = uuid.uuid4().hex
    now = timezone.now()
    ended = _gradual_exits_end(enrolments, on=on, actor=actor, batch=batch, now=now)
    opened = _reviews_open(enrolments, on=on, batch=batch, now=now)
    counts = {"reviews_opened": opened, "gradual_exits_ended": ended}
    audit_record(
        actor=actor,
        action=AuditAction.DAILY,
        kind=EventKind.BATCH,
        target_type="job",
        target_id=on.isoformat(),
        label="动态管理",
        batch_id=batch,
        area_code=actor.scope_prefix.ljust(12, "0") if actor is not None else "",
        new={**counts, "on": on, "scope": actor.scope_prefix if actor is not None else ""},
    )
    if ended:
        transaction.on_commit(lambda: notify_batch_send(batch))
    return {**counts, "batch_id": batch}


def _insert_select(model, rows: QuerySet, columns: dict[str, str], *, skip_conflicts: bool = False) -> int:
    """``INSERT INTO model (columns) SELECT …``: ``columns`` maps each column to the name of a field or annotation
    of ``rows``, written in the order of ``rows``' keys (so the new rows are numbered the same way whatever plan the
    database takes: the demo county, built twice from one seed, opened its reviews under different keys on
    PostgreSQL). Returns the number of rows written."""
    names = list(columns.values())
    sql, params = rows.order_by("pk").values_list(*names).query.sql_with_params()
    quote = connection.ops.quote_name
    statement = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) {sql}" + (
        " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _gradual_exits_end(enrolments: QuerySet, *, on: dt.date, actor, batch: str, now: dt.datetime) -> int:
    """Gradual exits whose last month is before this month end: payment stops the month after the last, the
    ending is publicly noticed from today for 7 days, and the household is told [D21 §28, §32]."""
    ending = enrolments.filter(status=EnrolmentStatus.GRADUAL_EXIT, gradual_exit_until__lt=month_start(on))
    if connection.features.has_select_for_update:
        # lock them in primary-key order first, so that no change report moves one of them meanwhile
        sql, params = ending.order_by("pk").select_for_update().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) locked", params)
    actor_id = getattr(actor, "pk", None)
    ended = 0
    for until in ending.values_list("gradual_exit_until", flat=True).distinct():
        ended += _insert_select(
            EnrolmentChange,
            ending.filter(gradual_exit_until=until).annotate(
                v_kind=Value(ChangeKind.TERMINATE),
                v_from=Value(add_months(until, 1), DateField()),
                v_new=Value(ZERO, DecimalField()),
                v_reason=Value(GRADUAL_EXIT_ENDED),
                v_actor=Value(actor_id, IntegerField()),
                v_at=Value(now, DateTimeField()),
                v_batch=Value(batch),
            ),
            {
                "enrolment_id": "pk",
                "kind": "v_kind",
                "from_month": "v_from",
                "old_amount": "monthly_amount",
                "new_amount": "v_new",
                "reason": "v_reason",
                "actor_id": "v_actor",
                "at": "v_at",
                "batch_id": "v_batch",
            },
        )
    if not ended:
        return 0
    in_batch = Enrolment.objects.order_by().filter(
        pk__in=EnrolmentChange.objects.filter(batch_id=batch).values("enrolment_id")
    )
    in_batch.update(
        status=EnrolmentStatus.TERMINATED,
        end_month=F("gradual_exit_until"),
        monthly_amount=ZERO,
        termination_notice_start=on,
        termination_notice_end=on + TERMINATION_NOTICE,
    )
    sender = type(backend()).__name__
    for programme, name, until in in_batch.values_list(
        "programme_id", "programme__name_zh", "gradual_exit_until"
    ).distinct():
        message = termination_message(name, add_months(until, 1), GRADUAL_EXIT_ENDED)
        _insert_select(
            Notification,
            in_batch.filter(programme_id=programme, gradual_exit_until=until).annotate(
                v_message=Value(message),
                v_backend=Value(sender),
                v_at=Value(now, DateTimeField()),
                v_batch=Value(batch),
            ),
            {
                "household_id": "household_id",
                "phone": "household__phone",
                "message": "v_message",
                "backend": "v_backend",
                "created_at": "v_at",
                "batch_id": "v_batch",
            },
        )
    return ended


def _reviews_open(enrolments: QuerySet, *, on: dt.date, batch: str, now: dt.datetime) -> int:
    """A review case, accepted today, for every enrolment in payment whose review is due and that has no open
    review; it goes through the same procedure as an application [D21 §31]."""
    # NOT IN (a hashed list of the enrolments under review), not a correlated NOT EXISTS: with statistics taken
    # before the last run's reviews were written PostgreSQL planned the NOT EXISTS as a nested loop over every
    # open review for every due enrolment (quadratic: 0.14 s for a rerun on 300,000 households)
    under_review = Case.objects.filter(kind=CaseKind.REVIEW, state__in=wf.OPEN_STATES, enrolment__isnull=False).values(
        "enrolment_id"
    )
    due = enrolments.filter(
        status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.GRADUAL_EXIT], next_review_due__lte=on
    ).exclude(pk__in=under_review)
    cal = WorkCalendar.load()
    total = add_working_days(on, wf.TOTAL_LIMIT, cal)
    opened = 0
    for programme in due.values_list("programme_id", flat=True).distinct():
        limit = step_limit(programme, wf.CaseState.ACCEPTED)
        step = add_working_days(on, limit, cal) if limit is not None else None
        rows = due.filter(programme_id=programme).annotate(
            v_kind=Value(CaseKind.REVIEW),
            v_state=Value(wf.CaseState.ACCEPTED),
            v_zero=Value(0),
            v_false=Value(False),
            v_empty=Value(""),
            v_at=Value(now, DateTimeField()),
            v_on=Value(on, DateField()),
            v_step=Value(step.due if step else None, DateField()),
            v_step_complete=Value(step.calendar_complete if step else True),
            v_total=Value(total.due, DateField()),
            v_total_complete=Value(total.calendar_complete),
            v_batch=Value(batch),
        )
        opened += _insert_select(
            Case,
            rows,
            {
                "kind": "v_kind",
                "programme_id": "programme_id",
                "household_id": "household_id",
                "applicant_id": "case__applicant_id",
                "enrolment_id": "pk",
                "area_code": "area_code",
                "state": "v_state",
                "version": "v_zero",
                "flagged": "v_false",
                "complaint": "v_false",
                "extension": "v_false",
                "extension_reason": "v_empty",
                "created_by_id": "case__created_by_id",
                "created_at": "v_at",
                "accepted_on": "v_on",
                "state_since": "v_on",
                "step_due": "v_step",
                "step_due_complete": "v_step_complete",
                "total_due": "v_total",
                "total_due_complete": "v_total_complete",
                "township_opinion": "v_empty",
                "refusal_reason": "v_empty",
                "withdraw_reason": "v_empty",
                "batch_id": "v_batch",
            },
            skip_conflicts=True,
        )
    if opened:
        # the note in Chinese whatever the language of the page that ran the job, with its English beside it in
        # ``data`` for the English pages (the case's timeline)
        with translation.override("zh-hans"):
            zh = {c: f"复核到期（{c.label}）" for c in ReviewCategory}
        with translation.override("en"):
            en = {c: f"Review due ({c.label})" for c in ReviewCategory}
        note = When_(
            *[When(enrolment__review_category=c, then=Value(zh[c])) for c in ReviewCategory],
            default=Value("复核到期"),
        )
        data = When_(
            *[When(enrolment__review_category=c, then=Value({"en": en[c]}, JSONField())) for c in ReviewCategory],
            default=Value({"en": "Review due"}, JSONField()),
        )
        _insert_select(
            CaseEvent,
            Case.objects.filter(batch_id=batch).annotate(
                v_at=Value(now, DateTimeField()),
                v_on=Value(on, DateField()),
                v_move=Value(CaseEventMove.REVIEW_OPENED),
                v_empty=Value(""),
                v_note=note,
                v_data=data,
            ),
            {
                "case_id": "pk",
                "at": "v_at",
                "on": "v_on",
                "actor_id": "created_by_id",
                "move": "v_move",
                "from_state": "v_empty",
                "to_state": "state",
                "note": "v_note",
                "data": "v_data",
            },
        )
    return opened
