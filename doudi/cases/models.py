"""Applications (one-door acceptance), cases and their state, the records each step leaves, enrolments with
their amount history, reviews, change reports, overpayments, documents and notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doudi.core.fields import EncryptedTextField

from .workflow import MOVES, OPEN_STATES, STATES, CaseState

MONEY = {"max_digits": 12, "decimal_places": 2}
STAFF = settings.AUTH_USER_MODEL


class Channel(models.TextChoices):
    WINDOW = "window", _("乡镇受理窗口")
    VILLAGE = "village", _("村（社区）代为申请")
    HOTLINE = "hotline", _("12349热线")


class Application(models.Model):
    """One application at one window, possibly for several programmes (一门受理)."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    programmes = models.JSONField(_("申请项目"))
    channel = models.CharField(_("受理渠道"), max_length=12, choices=Channel.choices, default=Channel.WINDOW)
    received_on = models.DateField(_("受理日期"))
    area_code = models.CharField(max_length=12, db_index=True)
    materials = models.JSONField(_("已交材料"), default=list)
    relative_of_staff = models.BooleanField(_("经办人员或村委会成员近亲属"), default=False)
    relative_note = models.CharField(_("亲属关系说明"), max_length=200, blank=True)
    note = models.TextField(_("申请事由"), blank=True)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class MaterialsNotice(models.Model):
    """The one notice that lists every missing item at once (一次性告知)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    missing = models.JSONField(_("缺少的材料"))
    issued_on = models.DateField()
    issued_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")


class Department(models.TextChoices):
    EDUCATION = "education", _("教育部门")
    HOUSING = "housing", _("住房城乡建设部门")
    HEALTH = "health", _("卫生健康/医保部门")
    HUMAN_RESOURCES = "human_resources", _("人力资源社会保障部门")
    OTHER = "other", _("其他部门")


class Referral(models.Model):
    """A need passed to another department (协同办理), tracked until it answers."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="referrals")
    department = models.CharField(_("转办部门"), max_length=20, choices=Department.choices)
    need = models.CharField(_("需要办理的事项"), max_length=200)
    sent_on = models.DateField(_("转办日期"))
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)


class CaseKind(models.TextChoices):
    NEW = "new", _("新申请")
    REVIEW = "review", _("定期/动态复核")


class SupportMode(models.TextChoices):
    """How an extreme-poverty person is supported [T21 §19]: at home, or in an institution (a nursing home)."""

    SCATTERED = "scattered", _("分散供养")
    CENTRALISED = "centralised", _("集中供养")


class Case(models.Model):
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(_("类型"), max_length=8, choices=CaseKind.choices, default=CaseKind.NEW)
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="cases")
    applicant = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(
        "Enrolment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="for a review case: the enrolment under review",
    )
    area_code = models.CharField(max_length=12, db_index=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=CaseState.choices, default=CaseState.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(default=0)
    flagged = models.BooleanField(_("近亲属备案（单独登记）"), default=False)
    complaint = models.BooleanField(_("有投诉举报"), default=False)
    extension = models.BooleanField(_("已延期（45个工作日）"), default=False)
    extension_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    state_since = models.DateField(null=True, blank=True)
    step_due = models.DateField(_("本环节期限"), null=True, blank=True, db_index=True)
    step_due_complete = models.BooleanField(default=True)
    total_due = models.DateField(_("办结期限"), null=True, blank=True, db_index=True)
    total_due_complete = models.BooleanField(default=True)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示结束"), null=True, blank=True)
    notice_amount = models.DecimalField(
        _("公示的拟保障金额"),
        null=True,
        blank=True,
        help_text="the policy engine's amount when the notice started: what the notice list prints",
        **MONEY,
    )
    township_opinion = models.TextField(_("乡镇审核意见"), blank=True)
    township_recommends = models.BooleanField(null=True)
    decision_amount = models.DecimalField(_("核定金额"), null=True, blank=True, **MONEY)
    decision_explanation = models.JSONField(null=True, blank=True)
    decided_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    refusal_reason = models.TextField(_("不予批准理由"), blank=True)
    withdraw_reason = models.CharField(max_length=200, blank=True)
    payment_start = models.DateField(_("发放起始月"), null=True, blank=True)
    # tekun: how the person asks to be supported, and the institution for centralised support
    support_mode = models.CharField(
        _("供养方式"), max_length=12, choices=SupportMode.choices, blank=True, default="", db_default=""
    )
    institution = models.CharField(_("供养机构"), max_length=100, blank=True, default="", db_default="")
    batch_id = models.CharField(
        max_length=36,
        blank=True,
        default="",
        db_default="",
        help_text="the daily job's batch that opened this review case",
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            # the daily job never opens a second review of an enrolment while one is open, even run twice at once
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(kind=CaseKind.REVIEW, state__in=OPEN_STATES),
                name="cases_one_open_review_per_enrolment",
            ),
        ]
        indexes = [models.Index(fields=["batch_id"], condition=~models.Q(batch_id=""), name="cases_case_batch")]

    def __str__(self) -> str:
        return f"案件 #{self.pk}"


class CaseEventMove(models.TextChoices):
    """What a timeline row records besides the moves of ``workflow.MOVES``: how the case was opened."""

    CREATE = "create", _("登记申请")
    REVIEW_OPENED = "review_opened", _("复核到期")


class CaseEvent(models.Model):
    """The case's timeline: every move, who, when, and what was recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    on = models.DateField()
    actor = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    move = models.CharField(max_length=32)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]

    @property
    def move_label(self) -> str:
        """The move in the reader's language (a move of the procedure, or how the case was opened)."""
        if self.move in MOVES:
            return MOVES[self.move].label
        return str(CaseEventMove(self.move).label) if self.move in CaseEventMove.values else self.move

    @property
    def to_state_label(self) -> str:
        return STATES[self.to_state].label if self.to_state in STATES else self.to_state


class Survey(models.Model):
    """Household economic survey: at least two surveyors, a home visit, signed by both sides."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="surveys")
    visit_date = models.DateField(_("入户日期"))
    surveyors = models.ManyToManyField(STAFF, related_name="+", verbose_name=_("调查人员"))
    findings = models.TextField(_("调查情况"))
    applicant_confirmed = models.BooleanField(_("申请人签字确认"))
    surveyors_confirmed = models.BooleanField(_("调查人员签字确认"))
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class ObjectionResolution(models.TextChoices):
    RESURVEY = "resurvey", _("重新调查")
    APPRAISAL = "appraisal", _("民主评议")


class Objection(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"))
    resolution = models.CharField(_("处理方式"), max_length=12, blank=True, choices=ObjectionResolution.choices)


class Appraisal(models.Model):
    """Democratic appraisal (民主评议) after an objection, with attendance recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appraisals")
    held_on = models.DateField(_("评议日期"))
    attendance = models.PositiveSmallIntegerField(_("参会人数"))
    attendees = models.TextField(_("参会人员"))
    supports = models.BooleanField(_("评议结果：同意"))
    minutes = models.TextField(_("评议记录"), blank=True)


class HomeVisit(models.Model):
    """The county's own home visit (required for separately registered cases and after complaints)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="home_visits")
    visited_on = models.DateField(_("入户核查日期"))
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(_("核查情况"))


class DocumentKind(models.TextChoices):
    AUTHORISATION = "authorisation", _("家庭经济状况核对授权书（全体成员签字）")
    PLEDGE = "pledge", _("承诺书")
    ID_COPY = "id_copy", _("身份证/户口簿复印件")
    INCOME_PROOF = "income_proof", _("收入证明")
    DISABILITY_CARD = "disability_card", _("残疾证")
    MEDICAL = "medical", _("病历/诊断证明")
    VERIFICATION = "verification", _("核对报告")
    OTHER = "other", _("其他")


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类型"), max_length=20, choices=DocumentKind.choices)
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("在保")
    SUSPENDED = "suspended", _("暂停")
    GRADUAL_EXIT = "gradual_exit", _("渐退期")
    TERMINATED = "terminated", _("已终止")
    ENDED = "ended", _("已发放完毕")  # a one-off payment once the bank has paid it


# A one-off payment's enrolment (a programme that pays ``once``), in words that fit a payment made once.
ONE_OFF_STATES = {
    EnrolmentStatus.ACTIVE: _("待发放"),
    EnrolmentStatus.SUSPENDED: _("暂缓发放"),
    EnrolmentStatus.ENDED: _("已发放"),
    EnrolmentStatus.TERMINATED: _("已撤销"),
}

# Enrolments still paying (or able to pay again); the others have ended for good.
LIVE_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED, EnrolmentStatus.GRADUAL_EXIT)
CLOSED_STATUSES = (EnrolmentStatus.TERMINATED, EnrolmentStatus.ENDED)


class ReviewCategory(models.TextChoices):
    STABLE = "stable", _("收入稳定（每年复核）")
    IRREGULAR = "irregular", _("收入不稳定或有劳动能力（每半年复核）")


class Enrolment(models.Model):
    """A household (dibao) or person (tekun) receiving a programme, with its current monthly amount."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=12, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)
    start_month = models.DateField(_("发放起始月"))
    end_month = models.DateField(_("最后发放月"), null=True, blank=True)
    monthly_amount = models.DecimalField(_("月发放金额"), **MONEY)
    counted_members = models.PositiveSmallIntegerField(default=1)
    review_category = models.CharField(_("复核类别"), max_length=12, choices=ReviewCategory.choices)
    next_review_due = models.DateField(_("下次复核"), db_index=True)
    gradual_exit_until = models.DateField(_("渐退期至"), null=True, blank=True)
    termination_notice_start = models.DateField(_("终止公示开始"), null=True, blank=True)
    termination_notice_end = models.DateField(_("终止公示结束"), null=True, blank=True)
    support_mode = models.CharField(
        _("供养方式"), max_length=12, choices=SupportMode.choices, blank=True, default="", db_default=""
    )
    institution = models.CharField(_("供养机构"), max_length=100, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        # the daily job looks for the gradual exits that ran out: a few rows among a million
        indexes = [
            models.Index(
                fields=["gradual_exit_until"],
                condition=models.Q(status="gradual_exit"),
                name="cases_enrolment_gradual_exit",
            )
        ]


class ChangeKind(models.TextChoices):
    START = "start", _("纳入保障")
    INCREASE = "increase", _("增发")
    DECREASE = "decrease", _("减发")
    SUSPEND = "suspend", _("暂停")
    RESUME = "resume", _("恢复")
    GRADUAL_EXIT = "gradual_exit", _("进入渐退期")
    TERMINATE = "terminate", _("终止")
    UNCHANGED = "unchanged", _("不变")


class EnrolmentChange(models.Model):
    """The amount history: every change of amount or status, from which month, and why."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    from_month = models.DateField()
    old_amount = models.DecimalField(null=True, blank=True, **MONEY)
    new_amount = models.DecimalField(**MONEY)
    reason = models.CharField(max_length=200)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    batch_id = models.CharField(
        max_length=36, blank=True, default="", db_default="", help_text="the daily job's batch that made this change"
    )

    class Meta:
        ordering = ["from_month", "id"]
        indexes = [models.Index(fields=["batch_id"], condition=~models.Q(batch_id=""), name="cases_change_batch")]


class ReportKind(models.TextChoices):
    INCOME = "income", _("收入变化")
    MEMBERS = "members", _("家庭成员变化")
    DEATH = "death", _("成员死亡")
    MOVE = "move", _("迁移")
    EMPLOYMENT = "employment", _("成员就业")
    WHEREABOUTS = "whereabouts", _("下落不明/暂停")
    RESUME = "resume", _("恢复")
    FRAUD = "fraud", _("骗取保障金")


class ChangeReport(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("变化类型"), max_length=16, choices=ReportKind.choices)
    reported_on = models.DateField(_("报告日期"))
    effective_month = models.DateField(_("起始月"))
    details = models.TextField(_("情况说明"))
    outcome = models.CharField(max_length=16, choices=ChangeKind.choices)
    new_amount = models.DecimalField(**MONEY)
    explanation = models.JSONField(null=True, blank=True)
    actor = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class OverpaymentStatus(models.TextChoices):
    OPEN = "open", _("待追回")
    RECOVERED = "recovered", _("已追回")
    WRITTEN_OFF = "written_off", _("核销")


class Overpayment(models.Model):
    """Money paid that should not have been (late-reported change, fraud): a receivable the payments module
    offsets against future payments or collects."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="overpayments")
    amount = models.DecimalField(_("应追回金额"), **MONEY)
    reason = models.CharField(_("原因"), max_length=200)
    fraud = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=OverpaymentStatus.choices, default=OverpaymentStatus.OPEN)
    report = models.ForeignKey(ChangeReport, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The day the overpayment was established (the change report's date): what the monthly statistics count it
    # by, so a past month keeps its figure whenever it was keyed in (created_at is only when it was recorded).
    raised_on = models.DateField(_("发现日期"), default=timezone.localdate)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class Notification(models.Model):
    """A message to an applicant (SMS or other), as handed to the configured backend."""

    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    phone = EncryptedTextField(max_length=20, blank=True, domain="phone")
    message = models.TextField()
    backend = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    batch_id = models.CharField(
        max_length=36, blank=True, default="", db_default="", help_text="the daily job's batch that wrote this message"
    )

    class Meta:
        indexes = [models.Index(fields=["batch_id"], condition=~models.Q(batch_id=""), name="cases_notification_batch")]
