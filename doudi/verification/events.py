"""The verification app's audit event types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.details import register_fields
from doudi.audit.events import register


class VerificationEvent(models.TextChoices):
    DATASET_LOAD = "verification.load", _("导入部门数据")
    REQUEST_SEND = "verification.request", _("发出核对请求")
    REQUEST_ANSWER = "verification.answer", _("导入部门答复")
    REPORT_BUILD = "verification.report", _("生成核对报告")
    FINDING_CONFIRM = "verification.confirm", _("确认核对发现")
    FINDING_DISPUTE = "verification.dispute", _("对核对发现提出争议")
    OBJECTION_RECORD = "verification.objection", _("登记申请人异议")
    OBJECTION_RESOLVE = "verification.objection_resolve", _("异议复查结论")
    ALERTS_RAISE = "verification.alerts", _("部门数据产生预警")
    ALERT_RESOLVE = "verification.alert_resolve", _("预警核实销号")
    ALERT_REVIEW = "verification.alert_review", _("预警转复核")
    ALERT_LEAVE = "verification.alert_leave", _("预警核实后退出低收入人口监测")
    DISCOVERIES_RAISE = "verification.discoveries", _("部门数据主动发现")
    DISCOVERIES_ASSETS = "verification.discoveries_assets", _("按部门资产数据重新评估主动发现")
    DISCOVERY_VISIT = "verification.discovery_visit", _("登记主动发现走访结果")
    VISIT_ASSIGN = "verification.visit_assign", _("指派走访人")
    MONITORING_VISIT = "verification.monitoring_visit", _("登记低收入人口监测走访")
    MONITORING_SYNC = "verification.monitoring_sync", _("低收入人口名单随在保情况更新")
    MONITORING_ENTER = "verification.monitoring_enter", _("纳入低收入人口监测")
    MONITORING_LEAVE = "verification.monitoring_leave", _("退出低收入人口监测")


register(VerificationEvent)

# the keys these events write that are not fields of their target, and the codes they hold
register_fields(
    {
        "request": ("核对请求", "Request"),
        "people": ("人数", "People"),
        "cases": ("案件", "Cases"),
        "findings": ("核对发现", "Findings"),
        "discrepancies": ("有差异的发现", "With a discrepancy"),
        "found_monthly": ("核对月收入", "Found monthly income"),
        "income_record": ("写入的收入记录", "Income record written"),
        "objection": ("异议", "Objection"),
        "recheck_due": ("复查期限", "Re-check due"),
        "outcome": ("复查结论", "Re-check outcome"),
        "note": ("说明", "Note"),
        "content": ("内容", "Content"),
        "alerts": ("预警数", "Alerts"),
        "held": ("暂停发放", "Payments held"),
        "on_register": ("其中低收入人口监测户", "Of them on the low-income register"),
        "alert": ("核对预警", "Alert"),
        "entry": ("低收入人口监测记录", "Register entry"),
        "rule": ("预警规则", "Rule"),
        "discoveries": ("主动发现人数", "Discoveries"),
        "assets_over": ("资产明显超标", "Assets clearly over the limits"),
        "reassessed": ("重新评估", "Reassessed"),
        "tier": ("监测类别", "Tier"),
        "from_cadre": ("原走访人", "Previous visitor"),
        "to_cadre": ("新走访人", "New visitor"),
        "visit_due": ("走访期限", "Visit due"),
        "entered": ("纳入户数", "Entered"),
        "left": ("退出户数", "Left"),
    }
)
