"""Departments' data, kept load by load; requests to departments; findings in a case's verification report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from doudi.cases.models import EnrolmentStatus
from doudi.core.fields import BlindIndexed, BlindIndexField, EncryptedTextField
from doudi.core.labels import said
from doudi.matching.linking import Reason

from .schemas import KINDS, Department

# the enrolment states in which a household is paid (alerts, the register and discovery read them)
IN_PAYMENT = [EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED, EnrolmentStatus.GRADUAL_EXIT]

STAFF = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 14, "decimal_places": 2}
# the kinds by name in the reader's language (the audit trail shows a load's kind by its choice label)
KIND_CHOICES = [(k.code, lazy(said, str)(k.zh, k.en)) for k in KINDS.values()]


class VerificationRequest(models.Model):
    """One batch of names and ID numbers sent to one department, tracked to its answer (MZ/T 072: obtain)."""

    class State(models.TextChoices):
        SENT = "sent", _("已发出，待答复")
        ANSWERED = "answered", _("已答复")

    reference = models.CharField(_("核对请求编号"), max_length=40, unique=True)
    department = models.CharField(_("部门"), max_length=32, choices=Department.choices)
    kinds = models.JSONField(_("核对事项"))
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="verification_requests"
    )
    area_prefix = models.CharField(max_length=12, db_index=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.SENT)
    sent_on = models.DateField(_("发出日期"))
    due_on = models.DateField(_("答复期限"))
    due_complete = models.BooleanField(default=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    created_by = models.ForeignKey(STAFF, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def answered_late(self) -> bool:
        """Whether the department's answer came after the deadline (the day the last answer file was loaded)."""
        return self.answered_on is not None and self.answered_on > self.due_on


class RequestSubject(models.Model):
    """A person named in a request, with the signed authorisation it rests on (无委托、不核对)."""

    request = models.ForeignKey(VerificationRequest, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    authorisation = models.ForeignKey("cases.Document", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["request", "person"], name="verification_subject_once")]


class DatasetLoad(models.Model):
    """One file a department delivered, loaded whole or not at all, kept as a version of its kind."""

    kind = models.CharField(_("数据类别"), max_length=24, choices=KIND_CHOICES)
    department = models.CharField(_("部门"), max_length=32, choices=Department.choices)
    as_of = models.DateField(_("数据截止日期"))
    version = models.PositiveIntegerField(_("版本"))
    area_prefix = models.CharField(max_length=12, db_index=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    matched = models.PositiveIntegerField(_("匹配到登记人员"), default=0)
    unmatched = models.PositiveIntegerField(_("未匹配"), default=0)
    request = models.ForeignKey(
        VerificationRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    loaded_by = models.ForeignKey(STAFF, null=True, on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField(auto_now_add=True)
    batch_id = models.CharField(max_length=36, db_index=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "area_prefix", "version"], name="verification_load_version")
        ]

    def __str__(self) -> str:
        return f"{KINDS[self.kind].zh} v{self.version}"

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind].label

    @property
    def kind_zh(self) -> str:
        return KINDS[self.kind].zh


class MatchMethod(models.TextChoices):
    ID = "id", _("身份证号一致")
    ID15 = "id15", _("15位旧号升位后一致")
    FUZZY = "fuzzy", _("概率匹配")
    NONE = "", _("未匹配")


class DatasetRecord(BlindIndexed):
    """One row of a load. Sensitive elements are sealed together in ``sealed`` (JSON, encrypted); the others are
    in ``values``. ``person`` is the registry person it matched, ``area_code`` that person's village then."""

    load = models.ForeignKey(DatasetLoad, on_delete=models.CASCADE, related_name="records")
    row = models.PositiveIntegerField(_("行号"))
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedTextField(_("身份证号"), max_length=18, null=True, blank=True, domain="id_number")
    id_index = BlindIndexField(source="id_number", domain="id_number", null=True, db_index=True)
    id_note = models.CharField(max_length=16, blank=True)  # "id15" (converted), "checksum", "missing"
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area_code = models.CharField(max_length=12, blank=True, db_index=True)
    match_method = models.CharField(max_length=8, choices=MatchMethod.choices, blank=True)
    # a probabilistic match only: its probability and reasons (comparison, level key, weight in bits)
    match_probability = models.FloatField(null=True, blank=True)
    match_reasons = models.JSONField(default=list, blank=True)
    values = models.JSONField(default=dict)
    sealed = EncryptedTextField(blank=True, domain="dataset_values")

    class Meta:
        ordering = ["load_id", "row"]
        indexes = [models.Index(fields=["person", "load"])]

    def match_percent(self) -> str:
        """'97.3%', or '≥99.9%' (a probability is never shown as a certainty)."""
        p = self.match_probability
        return "" if p is None else "≥99.9%" if p >= 0.999 else f"{p:.1%}"

    def match_explained(self) -> str:
        """A probabilistic match's reasons in the reader's language, the comparisons that had something to
        compare: '姓名：姓名相同（+12.1）；身份证号：前17位相同（校验位有误）（+13.3）'."""
        reasons = [Reason.from_keys(kept) for kept in self.match_reasons if kept.get("level") != "null"]
        return gettext("；").join(str(r) for r in reasons)


class FindingState(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISPUTED = "disputed", _("有争议，不采用")


class Finding(models.Model):
    """What one department record says about one member of a case's household, beside what was declared."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="findings")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(DatasetRecord, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(_("数据类别"), max_length=24, choices=KIND_CHOICES)
    what = models.CharField(_("核对发现"), max_length=400)  # "中文 / English" (shown with said)
    found_monthly = models.DecimalField(_("核对月收入"), null=True, blank=True, **MONEY)
    declared_monthly = models.DecimalField(_("申报月收入"), null=True, blank=True, **MONEY)
    found_asset = models.DecimalField(_("核对资产"), null=True, blank=True, **MONEY)
    declared_asset = models.DecimalField(_("申报资产"), null=True, blank=True, **MONEY)
    income_kind = models.CharField(max_length=32, blank=True)  # the registry income kind it derives
    discrepancy = models.CharField(_("差异"), max_length=400, blank=True)  # "中文 / English", "" when none
    state = models.CharField(_("确认状态"), max_length=12, choices=FindingState.choices, default=FindingState.PENDING)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    decided_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    income_record_id = models.BigIntegerField(null=True, blank=True)  # the registry income a confirmation wrote
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind].label

    class Meta:
        ordering = ["person_id", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "record"], name="verification_finding_once")]


class FindingObjection(models.Model):
    """The applicant's objection to a finding, with evidence; the township re-checks within 10 working days."""

    class Outcome(models.TextChoices):
        OPEN = "", _("复查中")
        UPHELD = "upheld", _("异议成立，不采用该数据")
        REJECTED = "rejected", _("异议不成立，维持核对结果")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("收到异议日期"))
    content = models.TextField(_("异议内容"))
    evidence = models.ForeignKey("cases.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recheck_due = models.DateField(_("复查期限"))
    due_complete = models.BooleanField(default=True)
    outcome = models.CharField(_("复查结论"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("复查说明"), max_length=200, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]


class AlertRule(models.TextChoices):
    DEATH_PAID = "death_paid", _("已死亡仍在保")
    VEHICLE = "vehicle", _("有机动车")
    BUSINESS = "business", _("有经营主体身份")
    INCOME_ABOVE = "income_above", _("收入高于保障标准")
    MOVED_OUT = "moved_out", _("户籍迁出本县")
    STATE_PAYROLL = "state_payroll", _("成员为财政供养人员")
    TWO_PLACES = "two_places", _("在外地同时享受救助")
    MEMBER_DIED = "member_died", _("监测户成员死亡")


class AlertState(models.TextChoices):
    OPEN = "open", _("待处理")
    RESOLVED = "resolved", _("已核实销号")
    REVIEW = "review", _("已转复核")
    LEFT = "left", _("已退出低收入人口监测")


class Alert(models.Model):
    """What a new load says about someone enrolled (``enrolment``), or about a member of a household on the
    low-income register that is not paid dibao or tekun (``entry``: its edge, rigid-expense or relapse-risk
    entry; nothing to hold, but the township must know), for the township to check (MZ/T 072: review)."""

    rule = models.CharField(_("预警规则"), max_length=16, choices=AlertRule.choices)
    state = models.CharField(_("状态"), max_length=12, choices=AlertState.choices, default=AlertState.OPEN)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey("cases.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(
        "verification.MonitoringEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    area_code = models.CharField(max_length=12, db_index=True)
    load = models.ForeignKey(DatasetLoad, on_delete=models.PROTECT, related_name="alerts")
    record = models.ForeignKey(DatasetRecord, on_delete=models.PROTECT, related_name="+")
    detail = models.CharField(_("预警内容"), max_length=400)  # "中文 / English" (shown with said)
    held = models.BooleanField(_("已暂停发放"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_on = models.DateField(null=True, blank=True)
    reason = models.CharField(_("处理说明"), max_length=200, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-id"]
        constraints = [
            # a rerun (or the same news in the next load) never raises the same open alert twice
            models.UniqueConstraint(
                fields=["rule", "person", "enrolment"], condition=models.Q(state="open"), name="verification_alert_once"
            ),
            # the same for a register household's alert (no enrolment: NULLs would not collide above)
            models.UniqueConstraint(
                fields=["rule", "person", "entry"],
                condition=models.Q(state="open", enrolment__isnull=True),
                name="verification_register_alert_once",
            ),
            models.CheckConstraint(
                condition=models.Q(enrolment__isnull=False) | models.Q(entry__isnull=False),
                name="verification_alert_enrolment_or_entry",
            ),
        ]
        indexes = [models.Index(fields=["state", "area_code", "rule"])]


class Tier(models.TextChoices):
    """The tiers of the low-income population register (低收入人口动态监测) [domain.md §6]."""

    DIBAO = "dibao", _("低保对象")
    TEKUN = "tekun", _("特困人员")
    EDGE = "edge", _("低保边缘家庭")
    RIGID = "rigid", _("刚性支出困难家庭")
    RELAPSE = "relapse", _("防止返贫监测对象")


# the tiers the register follows from the enrolments by itself; the others are entered and left by the township
ENROLLED_TIERS = (Tier.DIBAO, Tier.TEKUN)


class MonitoringEntry(models.Model):
    """One household's time in one tier of the register: when and why it entered, when and why it left."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    tier = models.CharField(_("监测类别"), max_length=12, choices=Tier.choices)
    area_code = models.CharField(max_length=12, db_index=True)
    entered_on = models.DateField(_("纳入日期"))
    entry_reason = models.CharField(_("纳入原因"), max_length=400)  # "中文 / English" when the system writes it
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    leave_reason = models.CharField(_("退出原因"), max_length=400, blank=True)
    enrolment = models.ForeignKey(
        "cases.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the dibao or tekun enrolment a tier follows
    discovery = models.ForeignKey(
        "verification.Discovery", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the visit that brought the household in
    entered_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    left_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # the home visit of dynamic monitoring (动态监测走访): the village cadre the township gives it to, by when;
    # the last visit recorded
    assigned_to = models.ForeignKey(
        STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("走访人")
    )
    visit_due = models.DateField(_("走访期限"), null=True, blank=True)
    visited_on = models.DateField(_("走访日期"), null=True, blank=True)
    visit_note = models.CharField(_("走访情况"), max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "tier"], condition=models.Q(left_on__isnull=True), name="monitoring_open_once"
            )
        ]
        indexes = [models.Index(fields=["tier", "area_code"])]


class DiscoveryRule(models.TextChoices):
    DISABILITY = "disability", _("新增一二级残疾且家庭收入低")
    ELDERLY_ALONE = "elderly_alone", _("独居老人无收入")
    MEDICAL = "medical", _("医疗自付费用高")
    UNEMPLOYED = "unemployed", _("主要劳动力新近失业")


class DiscoveryState(models.TextChoices):
    OPEN = "open", _("待走访")
    APPLIED = "applied", _("已申请救助")
    NOT_ELIGIBLE = "not_eligible", _("经走访不符合条件")
    REFUSED = "refused", _("本人不愿申请")
    MOVED = "moved", _("已迁走或不在本地")


class Discovery(models.Model):
    """Someone a department's data says probably qualifies but is not enrolled (主动发现), for a village cadre
    to visit; the visit's outcome is recorded (an application it led to is linked)."""

    rule = models.CharField(_("发现规则"), max_length=16, choices=DiscoveryRule.choices)
    state = models.CharField(_("走访结果"), max_length=16, choices=DiscoveryState.choices, default=DiscoveryState.OPEN)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=12, db_index=True)
    load = models.ForeignKey(DatasetLoad, on_delete=models.PROTECT, related_name="discoveries")
    record = models.ForeignKey(DatasetRecord, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("发现依据"), max_length=400)  # "中文 / English" (shown with said)
    # the household's assets clearly exceed the dibao limits (assets.py): listed last, not as likely eligible
    assets_over = models.BooleanField(_("资产明显超标"), default=False)
    assets_reason = models.CharField(_("资产情况"), max_length=400, blank=True)  # "中文 / English"
    assigned_to = models.ForeignKey(
        STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("走访人")
    )
    visit_due = models.DateField(_("走访期限"))
    visited_on = models.DateField(_("走访日期"), null=True, blank=True)
    outcome_note = models.CharField(_("走访情况"), max_length=200, blank=True)
    application = models.ForeignKey(
        "cases.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assets_over", "visit_due", "id"]
        constraints = [
            # a rerun (or the same news in the next load) never lists the same person twice for one rule
            models.UniqueConstraint(
                fields=["rule", "person"], condition=models.Q(state="open"), name="verification_discovery_once"
            )
        ]
        indexes = [models.Index(fields=["state", "area_code", "rule"])]


class VisitAssignment(models.Model):
    """One giving of a home visit to a village cadre (a discovery's or a register entry's), by the township: the
    history of who was to visit, who is now, who decided and why."""

    discovery = models.ForeignKey(
        Discovery, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    entry = models.ForeignKey(
        MonitoringEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    area_code = models.CharField(max_length=12, db_index=True)
    from_cadre = models.ForeignKey(
        STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("原走访人")
    )
    to_cadre = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+", verbose_name=_("新走访人"))
    visit_due = models.DateField(_("走访期限"))
    reason = models.CharField(_("调整原因"), max_length=200)
    assigned_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+", verbose_name=_("指派人"))
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discovery__isnull=False, entry__isnull=True)
                | models.Q(discovery__isnull=True, entry__isnull=False),
                name="visit_assignment_one_target",
            )
        ]
