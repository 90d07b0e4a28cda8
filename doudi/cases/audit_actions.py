"""The audit event types the case actions write (``AuditEvent.action``). The values are the strings stored since
the first version, so existing events and the audit page's filter by prefix (``case.``, ``enrolment.``) keep
working; tests check that every move of the workflow and every kind of change report has its member."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    APPLICATION_SUBMIT = "application.submit"
    MATERIALS_NOTICE = "application.materials_notice"
    MATERIALS_ADD = "application.materials_add"
    REFERRAL_ANSWER = "referral.answer"
    DOCUMENT_ATTACH = "case.document_attach"
    # one per move of workflow.MOVES
    CASE_ACCEPT = "case.accept"
    CASE_RECORD_SURVEY = "case.record_survey"
    CASE_REQUEST_VERIFICATION = "case.request_verification"
    CASE_ATTACH_VERIFICATION = "case.attach_verification"
    CASE_TOWNSHIP_OPINION = "case.township_opinion"
    CASE_START_NOTICE = "case.start_notice"
    CASE_RECORD_OBJECTION = "case.record_objection"
    CASE_RESURVEY = "case.resurvey"
    CASE_RECORD_APPRAISAL = "case.record_appraisal"
    CASE_SUBMIT_TO_COUNTY = "case.submit_to_county"
    CASE_RECORD_COMPLAINT = "case.record_complaint"
    CASE_RECORD_HOME_VISIT = "case.record_home_visit"
    CASE_EXTEND = "case.extend"
    CASE_APPROVE = "case.approve"
    CASE_REFUSE = "case.refuse"
    CASE_WITHDRAW = "case.withdraw"
    # one per kind of change report (models.ReportKind)
    REPORT_INCOME = "enrolment.report_income"
    REPORT_MEMBERS = "enrolment.report_members"
    REPORT_DEATH = "enrolment.report_death"
    REPORT_MOVE = "enrolment.report_move"
    REPORT_EMPLOYMENT = "enrolment.report_employment"
    REPORT_WHEREABOUTS = "enrolment.report_whereabouts"
    REPORT_RESUME = "enrolment.report_resume"
    REPORT_FRAUD = "enrolment.report_fraud"
    # the daily job: one event per run, with its counts
    DAILY = "cases.daily"

    @classmethod
    def for_move(cls, move: str) -> AuditAction:
        """The event type of a move of the procedure (``ValueError`` for a move without one)."""
        return cls(f"case.{move}")

    @classmethod
    def for_report(cls, kind: str) -> AuditAction:
        """The event type of a change report of ``kind``."""
        return cls(f"enrolment.report_{kind}")
