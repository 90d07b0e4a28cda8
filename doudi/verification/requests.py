"""Requests to departments, as the bureau sends them today (MZ/T 072: obtain): for one case, or for a batch of
review cases, one file per department in that department's layout — name, ID number and the reference of the
household's signed authorisation — tracked to its answer against a deadline in working days. Nothing is asked
about a household without its signed authorisation on file (先授权、后核对；无委托、不核对)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.conf import settings
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import get_actionable, perm_require, visible
from doudi.audit.actions import audit_record
from doudi.cases.models import Case, CaseKind, Document, DocumentKind
from doudi.cases.workflow import OPEN_STATES
from doudi.core.actions import action
from doudi.core.cells import csv_row
from doudi.core.errors import ApplicationError
from doudi.core.workdays import add_working_days
from doudi.registry.models import Membership

from .events import VerificationEvent
from .models import RequestSubject, VerificationRequest
from .schemas import Department, kinds_of


def authorisation_of(household_id: int) -> Document | None:
    """The household's signed authorisation (a scan attached to one of its cases as 核对授权书), latest first."""
    return (
        Document.objects.filter(case__household_id=household_id, kind=DocumentKind.AUTHORISATION)
        .order_by("-uploaded_at", "-id")
        .first()
    )


def authorisation_reference(doc: Document) -> str:
    """What the department is shown: the document's number and the start of its fingerprint."""
    return f"{doc.pk:06d}-{int(doc.sha256[:8], 16):010d}"


def review_cases(actor) -> list[Case]:
    """The open review cases of the account's area: a batch of reviews."""
    return list(
        visible(actor, "cases.Case", act=True).filter(kind=CaseKind.REVIEW, state__in=OPEN_STATES).order_by("id")
    )


@action
def request_send(*, actor, department: str, case_ids: list[int], on: dt.date | None = None) -> VerificationRequest:
    """One request to ``department`` about every current member of the cases' households."""
    perm_require(actor, Perm.VERIFICATION_LOAD)
    if department not in Department.values:
        raise ApplicationError("请选择部门", "Choose a department", field="department", code="invalid_choice")
    if not case_ids:
        raise ApplicationError("没有要核对的案件", "No cases to verify", field="case", code="required")
    cases = [get_actionable(actor, "cases.Case", pk) for pk in dict.fromkeys(case_ids)]
    missing = []
    authorisations = {}
    for case in cases:
        doc = authorisation_of(case.household_id)
        if doc is None:
            missing.append(case)
        authorisations[case.household_id] = doc
    if missing:
        names = "、".join(f"{c.household.label}（案件#{c.pk}）" for c in missing[:10])
        raise ApplicationError(
            f"以下家庭没有签字的核对授权书，不能发起核对（无委托、不核对）：{names}",
            f"No signed authorisation on file for {len(missing)} household(s): nothing was requested",
            field="case",
            code="no_authorisation",
            extra={"cases": [c.pk for c in missing]},
        )
    on = on or timezone.localdate()
    due = add_working_days(on, settings.DOUDI_VERIFICATION_ANSWER_DAYS)
    sequence = VerificationRequest.objects.filter(sent_on=on).count() + 1
    prefix = cases[0].area_code if len(cases) == 1 else actor.scope_prefix
    req = VerificationRequest.objects.create(
        reference=f"{on:%Y%m%d}-{Department.values.index(department) + 1:02d}-{sequence:04d}",
        department=department,
        kinds=[k.code for k in kinds_of(department)],
        case=cases[0] if len(cases) == 1 else None,
        area_prefix=prefix,
        sent_on=on,
        due_on=due.due,
        due_complete=due.calendar_complete,
        created_by=actor,
    )
    subjects = []
    for case in cases:
        for m in Membership.objects.filter(household_id=case.household_id, end_date__isnull=True).select_related(
            "person"
        ):
            if m.person.id_number and not m.person.deceased:
                subjects.append(
                    RequestSubject(
                        request=req,
                        person=m.person,
                        household_id=case.household_id,
                        authorisation=authorisations[case.household_id],
                    )
                )
    RequestSubject.objects.bulk_create(subjects, ignore_conflicts=True)
    audit_record(
        actor=actor,
        action=VerificationEvent.REQUEST_SEND,
        target=req,
        area_code=prefix.ljust(12, "0")[:12],
        household_id=cases[0].household_id if len(cases) == 1 else None,
        new={
            "reference": req.reference,
            "department": department,
            "cases": [c.pk for c in cases],
            "people": len(subjects),
            "due_on": req.due_on.isoformat(),
        },
    )
    return req


def request_file(req: VerificationRequest) -> bytes:
    """The request as the department takes it: its own headers for name, ID number and authorisation reference."""
    kinds = kinds_of(req.department)
    name_h, id_h, ref_h = kinds[0].request_headers
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["序号", name_h, id_h, ref_h, "核对事项", "请求编号", "答复期限"])
    items = "、".join(k.zh for k in kinds)
    for i, s in enumerate(req.subjects.select_related("person", "authorisation"), start=1):
        w.writerow(
            csv_row(
                [
                    i,
                    s.person.name,
                    s.person.id_number,
                    authorisation_reference(s.authorisation),
                    items,
                    req.reference,
                    req.due_on.isoformat(),
                ]
            )
        )
    return out.getvalue().encode("utf-8-sig")


def is_overdue(req: VerificationRequest, today: dt.date | None = None) -> bool:
    return req.state == VerificationRequest.State.SENT and req.due_on < (today or timezone.localdate())
