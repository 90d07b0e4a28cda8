"""The current weeks' demo cases in every state of the procedure, some of them overdue, made through the real actions by the
demo staff (so every timeline, audit event and deadline is genuine)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from doudi.accounts.models import Staff
from doudi.cases.actions import application_submit, case_move
from doudi.core.errors import ApplicationError
from doudi.registry.models import Household

ALL_MATERIALS = ["authorisation", "pledge", "id_copy", "income_proof"]
# How far each demo case gets, and how many working days ago it was accepted (long ago = overdue).
PLAN = [
    ("draft", 1),
    ("draft", 2),
    ("accepted", 1),
    ("accepted", 12),
    ("surveyed", 3),
    ("verifying", 8),
    ("verified", 4),
    ("township_reviewed", 5),
    ("noticing", 2),
    ("objected", 6),
    ("appraised", 9),
    ("county_review", 12),
    ("county_review", 40),
    ("approved", 20),
    ("approved", 25),
    ("approved", 30),
    ("approved", 35),
    ("refused", 20),
    ("withdrawn", 5),
    ("flagged", 15),
]


@transaction.atomic
def demo_cases(households: list[Household | None], today: dt.date | None = None) -> int:
    """``households``: one household of the caseworker's township for each line of PLAN (fewer in a small county),
    left out of the history (history.reserved_households): dibao-eligible for the cases furthest along."""
    today = today or timezone.localdate()
    staff = {s.username: s for s in Staff.objects.all()}
    cw, tsr, rev, appr, cadre = (
        staff["caseworker"],
        staff["tsreviewer"],
        staff["reviewer"],
        staff["approver"],
        staff["cadre"],
    )
    made = 0
    for (target, days_ago), h in zip(PLAN, households):
        if h is None:
            continue
        start = today - dt.timedelta(days=int(days_ago * 1.4) + 1)
        head = (
            h.memberships.filter(end_date__isnull=True, relation="head").first()
            or h.memberships.filter(end_date__isnull=True).first()
        )
        flagged = target == "flagged"
        partial = target == "draft" and days_ago == 2  # a village cadre's application, materials still missing
        by_cadre = partial and h.area_id.startswith(cadre.scope_prefix)
        app = application_submit(
            actor=cadre if by_cadre else cw,
            household=h,
            applicant=head.person,
            programmes=["dibao"],
            channel="village" if partial else "window",
            materials=["id_copy"] if partial else ALL_MATERIALS,
            relative_of_staff=flagged,
            relative_note="村委会委员之兄" if flagged else "",
            note="家庭收入低，生活困难",
            on=start,
            referrals=[{"department": "education", "need": "子女教育资助"}] if made % 4 == 0 else [],
        )
        case = app.cases.get()
        made += 1
        if target == "draft":
            continue
        day = start

        def move(name, who, data=None, on=None):
            nonlocal case
            # called only within this iteration, on the day as it stands then (never later than today)
            when = min(on or day, today)  # noqa: B023
            case = case_move(actor=who, case=case, move=name, data=data or {}, on=when)  # noqa: B023

        move("accept", cw)
        if target == "accepted":
            continue
        day += dt.timedelta(days=2)
        move(
            "record_survey",
            cw,
            {
                "surveyors": [cw.pk, tsr.pk],
                "visit_date": min(day, today),
                "findings": "入户核实，家庭收入主要为务农收入",
                "applicant_confirmed": True,
                "surveyors_confirmed": True,
            },
        )
        if target == "surveyed":
            continue
        move("request_verification", cw)
        if target == "verifying":
            continue
        day += dt.timedelta(days=2)
        move("attach_verification", rev, {"results": "经核对，未发现车辆、房产、工商登记信息"})
        if target == "verified":
            continue
        move("township_opinion", tsr, {"opinion": "经审核，同意纳入", "recommends": target != "refused"})
        if target == "township_reviewed":
            continue
        if target == "refused":
            move("submit_to_county", cw)
            move("refuse", appr, {"reason": "经核对家庭存款超过规定标准"})
            continue
        if target == "withdrawn":
            move("withdraw", cw, {"reason": "申请人外出务工，主动撤回"})
            continue
        day += dt.timedelta(days=1)
        move("start_notice", cw)
        if target == "noticing":
            continue
        if target in ("objected", "appraised"):
            move("record_objection", cw, {"content": "村民反映该户有经营收入"})
            if target == "appraised":
                move(
                    "record_appraisal",
                    cw,
                    {"attendance": 21, "attendees": "村民代表21人", "supports": True, "minutes": "多数同意"},
                )
            continue
        day = max(case.notice_end, day)
        move("submit_to_county", cw)
        if target == "county_review":
            continue
        if target == "flagged":
            move("record_home_visit", rev, {"findings": "县级入户核查，情况属实"})
            continue
        try:
            move("approve", appr)
        except ApplicationError as e:  # a small county without enough eligible households: refused, with the reason
            move("refuse", appr, {"reason": e.zh[:500]})
    return made
