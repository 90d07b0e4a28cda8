"""The audit event types the case actions write (``AuditEvent.action``). The values are the strings stored since
the first version, so existing events and the audit page's filter by prefix (``case.``, ``enrolment.``) keep
working; tests check that every move of the workflow and every kind of change report has its member."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.events import register


class AuditAction(models.TextChoices):
    APPLICATION_SUBMIT = "application.submit", _("登记救助申请")
    MATERIALS_NOTICE = "application.materials_notice", _("出具一次性告知书")
    MATERIALS_ADD = "application.materials_add", _("补充申请材料")
    REFERRAL_ANSWER = "referral.answer", _("登记部门答复")
    DOCUMENT_ATTACH = "case.document_attach", _("上传案件材料")
    # one per move of workflow.MOVES
    CASE_ACCEPT = "case.accept", _("受理")
    CASE_RECORD_SURVEY = "case.record_survey", _("录入入户调查")
    CASE_REQUEST_VERIFICATION = "case.request_verification", _("申请经济状况核对")
    CASE_ATTACH_VERIFICATION = "case.attach_verification", _("录入核对结果")
    CASE_TOWNSHIP_OPINION = "case.township_opinion", _("乡镇审核意见")
    CASE_START_NOTICE = "case.start_notice", _("开始公示")
    CASE_RECORD_OBJECTION = "case.record_objection", _("登记公示异议")
    CASE_RESURVEY = "case.resurvey", _("重新入户调查")
    CASE_RECORD_APPRAISAL = "case.record_appraisal", _("录入民主评议")
    CASE_SUBMIT_TO_COUNTY = "case.submit_to_county", _("报县审批")
    CASE_RECORD_COMPLAINT = "case.record_complaint", _("登记投诉举报")
    CASE_RECORD_HOME_VISIT = "case.record_home_visit", _("县级入户核查")
    CASE_EXTEND = "case.extend", _("延期")
    CASE_APPROVE = "case.approve", _("批准")
    CASE_REFUSE = "case.refuse", _("不予批准")
    CASE_WITHDRAW = "case.withdraw", _("撤回申请")
    # one per kind of change report (models.ReportKind)
    REPORT_INCOME = "enrolment.report_income", _("报告收入变化")
    REPORT_MEMBERS = "enrolment.report_members", _("报告家庭成员变化")
    REPORT_DEATH = "enrolment.report_death", _("报告成员死亡")
    REPORT_MOVE = "enrolment.report_move", _("报告迁出")
    REPORT_EMPLOYMENT = "enrolment.report_employment", _("报告成员就业")
    REPORT_WHEREABOUTS = "enrolment.report_whereabouts", _("报告下落不明")
    REPORT_RESUME = "enrolment.report_resume", _("报告恢复")
    REPORT_FRAUD = "enrolment.report_fraud", _("报告骗取保障金")
    # the enrolment list downloaded as .xlsx (names, no ID or account numbers): who took which list
    ENROLMENT_EXPORT = "enrolment.export", _("导出保障对象名单")
    # the daily job: one event per run, with its counts
    DAILY = "cases.daily", _("动态管理（到期复核、渐退期满）")

    @classmethod
    def for_move(cls, move: str) -> AuditAction:
        """The event type of a move of the procedure (``ValueError`` for a move without one)."""
        return cls(f"case.{move}")

    @classmethod
    def for_report(cls, kind: str) -> AuditAction:
        """The event type of a change report of ``kind``."""
        return cls(f"enrolment.report_{kind}")


register(AuditAction)
