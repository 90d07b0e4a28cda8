"""The benefits app's audit event types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.details import register_fields, register_values
from doudi.audit.events import register
from doudi.programmes.shapes import SHAPES
from doudi.programmes.shapes.veterans import CATEGORIES as VETERAN_CATEGORIES
from doudi.programmes.shapes.veterans import GRANTS as VETERAN_GRANTS
from doudi.programmes.shapes.veterans import ZH_GRADE


class BenefitEvent(models.TextChoices):
    GRANT = "benefit.grant", _("核定救助并纳入发放")
    ROSTER_BUILD = "benefit.roster_build", _("生成高龄津贴名册")
    ROSTER_CONFIRM = "benefit.roster_confirm", _("村（社区）确认高龄津贴名册")
    FUNERAL_HOME_CREATE = "benefit.funeral_home_create", _("登记殡仪馆")
    FUNERAL_HOME_UPDATE = "benefit.funeral_home_update", _("修改殡仪馆名称或收款账户")
    FUNERAL_EXPORT = "benefit.funeral_export", _("导出殡葬费用减免名单")
    HOTLINE_CALL = "benefit.hotline_call", _("登记12349来电")
    TEMPORARY_APPLY = "benefit.temporary_apply", _("登记临时救助申请")
    TEMPORARY_PAY_FIRST = "benefit.temporary_pay_first", _("先行救助")
    TEMPORARY_DECIDE = "benefit.temporary_decide", _("临时救助审批")
    TEMPORARY_PAPERWORK = "benefit.temporary_paperwork", _("先行救助补办手续")
    DEATH_RECORD = "benefit.death_record", _("登记死亡（各救助项目同时停发或复核）")
    MOVE_OUT = "benefit.move_out", _("登记迁出本县（各救助项目同时停发或复核）")
    MOVE_WITHIN = "benefit.move_within", _("登记县内迁移（各救助项目随人转移）")
    HOUSEHOLD_CHANGE = "benefit.household_change", _("登记家庭情况变化（各救助项目同时重新测算）")
    HOLD_RELEASE = "benefit.hold_release", _("处理暂缓发放的一次性救助")
    STOP = "benefit.stop", _("停发救助项目")
    TRANSFER_REQUEST = "benefit.transfer_request", _("申请家庭迁往本县其他乡镇")
    TRANSFER_ACCEPT = "benefit.transfer_accept", _("接收迁入家庭（各救助项目随户转入）")
    TRANSFER_REFUSE = "benefit.transfer_refuse", _("退回迁入申请")
    TRANSFER_WITHDRAW = "benefit.transfer_withdraw", _("撤回迁移申请")
    PARENT_RECORD = "benefit.parent_record", _("登记儿童父母情况")
    PARENT_END = "benefit.parent_end", _("登记儿童父母情形结束")
    STUDY_RECORD = "benefit.study_record", _("登记在校就读证明")
    STUDY_END = "benefit.study_end", _("登记就读结束")
    CHILDREN_REVIEW_RAISE = "benefit.children_review_raise", _("儿童保障复核立案")
    CHILDREN_REVIEWS_RUN = "benefit.children_reviews_run", _("儿童保障复核检查")
    CHILDREN_REVIEW_DECIDE = "benefit.children_review_decide", _("儿童保障复核决定")
    CHILDREN_CARE_CHANGE = "benefit.children_care_change", _("儿童养育方式变化")
    CHILDREN_ROSTER_IMPORT = "benefit.children_roster_import", _("导入孤儿保障名册")
    CHILDREN_APPLICATION_RECORD = "benefit.children_application_record", _("受理儿童保障申请")
    CHILDREN_APPLICATION_SUBMIT = "benefit.children_application_submit", _("儿童保障申请报县审批")
    CHILDREN_APPLICATION_DECIDE = "benefit.children_application_decide", _("儿童保障申请县级审批")


class VeteranEvent(models.TextChoices):
    """Veterans' periodic payments (doudi/benefits/veterans.py)."""

    ENTER = "veterans.enter", _("登记优抚对象")
    DECIDE = "veterans.decide", _("审批优抚对象")
    SUSPEND = "veterans.suspend", _("服刑中止优抚金")
    RESUME = "veterans.resume", _("刑满释放恢复优抚金")
    UPRATE = "veterans.uprate", _("按新标准调整优抚金")
    GRANTS = "veterans.grants", _("发放优抚一次性补助")
    AMOUNTS_LOAD = "veterans.amounts_load", _("导入优抚标准")
    CORRECT = "veterans.correct", _("更正伤残性质和等级")
    ACCOUNT = "veterans.account", _("变更优抚对象收款账户")


register(BenefitEvent, VeteranEvent)

# The keys the benefits app writes into its events besides model fields, and its code values, by name.
register_fields(
    {
        "holder_changed": ("账户名是否变更", "Account holder changed"),
        "applied_on": ("申请日期", "Application date"),
        "arrears_months": ("补发此前月数", "Earlier months paid as arrears"),
        "once": ("一次性发放", "Paid once"),
        "payee": ("收款方", "Payee"),
        "added": ("新纳入", "Added"),
        "changed": ("金额变化", "Amount changed"),
        "stopped": ("停发", "Stopped"),
        "paid": ("发放人数", "People paid"),
        "reported": ("已登记变化并重新测算", "Reported and re-evaluated"),
        "died_on": ("死亡日期", "Date of death"),
        "to_area": ("迁入地", "Moving to"),
        "from_area": ("迁出地", "Moving from"),
        "moved_on": ("迁移日期", "Date of the move"),
        "moved_enrolments": ("随户转入的救助项目", "Programmes moved with the household"),
        "moved_cases": ("随户转入的在办案件", "Open cases moved with the household"),
        "late": ("逾期补办", "Completed late"),
        "name": ("名称", "Name"),
        "present": ("属实", "Present"),
        "moved": ("已迁出", "Moved"),
        "died": ("已死亡", "Died"),
        "disputed": ("有疑问", "Disputed"),
        "mark": ("核实结果", "Result"),
        "rosters": ("新建村级名册", "Village rosters created"),
        "lines_added": ("名册新增人员", "People added to rosters"),
        "lines_removed": ("名册移出人员", "People removed from rosters"),
        "reopened": ("重新待确认的名册", "Rosters reopened"),
        "held": ("暂缓发放", "Held"),
        "transferred": ("随人转移", "Transferred"),
        "pay": ("核实后发放", "Paid after checking"),
        "child": ("儿童", "Child"),
        "applied_by": ("申请人", "Applicant"),
        "due": ("办理期限", "Due"),
        "parent": ("父母", "Parent"),
        "status": ("情形", "Situation"),
        "since": ("起始日期", "Since"),
        "until": ("结束日期", "Until"),
        "evidence": ("证明材料", "Evidence"),
        "end_reason": ("结束原因", "Reason ended"),
        "school": ("学校", "School"),
        "trigger": ("复核触发", "Trigger"),
        "outcome": ("复核结果", "Outcome"),
        "age_18": ("年满18周岁", "Turned 18"),
        "age_22": ("年满22周岁", "Turned 22"),
        "study_end": ("就读结束", "Study ended"),
        "in_institution": ("机构养育", "In an institution"),
        "unchanged": ("未变化", "Unchanged"),
        "category": ("优抚类别", "Category"),
        "grade": ("伤残等级", "Grade"),
        "started_on": ("服刑起始日期", "In prison from"),
        "released_on": ("刑满释放日期", "Released on"),
        "grants": ("发放人数", "Grants made"),
        "already": ("已发放过，跳过", "Already granted, skipped"),
        "approved": ("批准", "Approved"),
        "start_month": ("发放起始月", "First month paid"),
        "overpaid": ("已多发待追回", "Overpaid, to recover"),
        "batch_id": ("批次", "Batch"),
        "lines_updated": ("草稿发放表中改付新账户的笔数", "Lines of draft payrolls given the new account"),
        "lines_kept_checked": ("已复核发放表中仍为原账户的笔数", "Lines of checked payrolls kept on the old account"),
        "lines_kept_approved": ("已审批发放表中仍付原账户的笔数", "Lines of approved payrolls paying the old account"),
        "cause": ("伤残性质", "Cause of disability"),
        # the veterans' parameters by grade alone, before causes were modelled (programmes migration 0006)
        **{
            f"disabled_{g}": (
                f"残疾军人{ZH_GRADE[g - 1]}级（分伤残性质前）",
                f"Disabled serviceman, grade {g} (before causes)",
            )
            for g in range(1, 11)
        },
    }
)
register_values(
    {
        "emergency": ("急难型", "Emergency"),
        "war": ("因战", "War"),
        "duty": ("因公", "Duty"),
        "illness": ("因病", "Illness"),
        "expenditure": ("支出型", "Expenditure"),
        "township": ("乡镇审批", "Township approves"),
        "county": ("县级审批", "County approves"),
        "funeral_home": ("殡仪馆", "Funeral home"),
        "household": ("本户", "The household"),
        "open": ("待村（社区）确认", "Awaiting the village"),
        "confirmed": ("已确认", "Confirmed"),
        "father": ("父亲", "Father"),
        "mother": ("母亲", "Mother"),
        "continue": ("继续保障", "Continue"),
        "stop": ("停发", "Stop"),
        "dead": ("死亡", "Dead"),
        "missing": ("宣告失踪", "Declared missing"),
        "disabled": ("重度残疾（一二级）", "Severely disabled (grade 1–2)"),
        "seriously_ill": ("重病", "Seriously ill"),
        "in_prison": ("服刑在押", "In prison"),
        "compulsory_rehab": ("强制隔离戒毒", "In compulsory rehabilitation"),
        "lost_contact": ("失联", "Out of contact"),
        **{code: (shape.name_zh, shape.name_en) for code, shape in SHAPES.items()},  # programmes stopped, reported
        **{code: (zh, en) for code, zh, en, _param, _cats in VETERAN_GRANTS},  # veterans' one-off grants
        **{code: (zh, en) for code, zh, en, _param in VETERAN_CATEGORIES},  # and categories (kmt_veteran: the person)
    }
)
