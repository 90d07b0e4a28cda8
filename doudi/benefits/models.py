"""The programmes beyond dibao and tekun, paid through the same payroll: where a grant's money goes when it is
not the household's account (the funeral home), and the funeral homes themselves. A grant is an enrolment
(doudi/cases ``Enrolment``) with the decision recorded as its case; a one-off payment is an enrolment for one
month (start and end the month paid), so the payroll, ledger, bank file and return treat it as any other line."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.cases.models import Department
from doudi.core.fields import EncryptedTextField

MONEY = {"max_digits": 12, "decimal_places": 2}
STAFF = settings.AUTH_USER_MODEL


class FuneralHome(models.Model):
    """A funeral home the county pays basic funeral fee waivers to (docs/programmes.md)."""

    name = models.CharField(_("殡仪馆名称"), max_length=100, unique=True)
    area_code = models.CharField(max_length=12, db_index=True)
    bank_account = EncryptedTextField(_("银行账号"), max_length=32, domain="bank_account")
    account_holder = models.CharField(_("账户名"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("殡仪馆")

    def __str__(self) -> str:
        return self.name


class Payee(models.Model):
    """Whom a grant is paid to when it is not the household: the funeral home of a funeral waiver."""

    enrolment = models.OneToOneField("cases.Enrolment", on_delete=models.PROTECT, related_name="+")
    funeral_home = models.ForeignKey(FuneralHome, on_delete=models.PROTECT, related_name="payees")


class CallOutcome(models.TextChoices):
    APPLICATION = "application", _("转为临时救助申请")
    REFERRAL = "referral", _("转介其他部门")
    ADVICE = "advice", _("政策解答，无需救助")


class HotlineCall(models.Model):
    """A call to the 12349 hotline (domain.md §5): who called, the need, and what became of it — an application
    for temporary assistance, a referral to another department, or advice."""

    received_at = models.DateTimeField(_("来电时间"))
    taken_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    caller_name = models.CharField(_("求助人"), max_length=50)
    caller_phone = EncryptedTextField(_("联系电话"), max_length=20, blank=True, domain="phone")
    area_code = models.CharField(_("困难发生地"), max_length=12, db_index=True)
    need = models.TextField(_("困难和诉求"))
    outcome = models.CharField(_("处理结果"), max_length=12, choices=CallOutcome.choices)
    department = models.CharField(_("转介部门"), max_length=20, blank=True)
    note = models.CharField(_("处理说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("12349来电")

    @property
    def department_label(self) -> str:
        """The department referred to, by its name in the user's language (the field keeps the code)."""
        return str(Department(self.department).label) if self.department in Department.values else self.department


class TemporaryState(models.TextChoices):
    AWAITING = "awaiting", _("待审批")
    PAID_FIRST = "paid_first", _("已先行救助，待补办手续")
    APPROVED = "approved", _("已批准发放")
    DOCUMENTED = "documented", _("先行救助手续已补齐")
    REFUSED = "refused", _("不予救助")


class TemporaryAssistance(models.Model):
    """One household's temporary assistance for one hardship (domain.md §5): the policy engine's amount, approval
    level and fast track; paid first and documented by its deadline, or approved by the township or the county.
    The same household, for the same cause, once a calendar year — a database constraint."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    # who handles it (the scope): the household's area when the hardship happened in its own township, else the
    # township where it happened (domain.md §5: apply where the hardship happens; that township's staff handle it)
    area_code = models.CharField(max_length=12, db_index=True)
    # where the hardship happened (a village or a township of the county; the hotline call's 困难发生地)
    hardship_area_code = models.CharField(_("困难发生地"), max_length=12)
    call = models.OneToOneField(HotlineCall, null=True, blank=True, on_delete=models.PROTECT, related_name="assistance")
    kind = models.CharField(_("救助类型"), max_length=12)
    cause = models.CharField(_("致困原因"), max_length=100)
    year = models.PositiveSmallIntegerField()
    hardship_date = models.DateField(_("困难发生日期"))
    loss = models.DecimalField(_("损失金额"), default=0, **MONEY)
    rigid_expenses = models.DecimalField(_("刚性支出"), default=0, **MONEY)
    reimbursed = models.DecimalField(_("已获赔偿或报销"), default=0, **MONEY)
    amount = models.DecimalField(_("救助金额"), **MONEY)
    approval_level = models.CharField(_("审批层级"), max_length=12)
    fast_track = models.BooleanField(_("可先行救助"), default=False)
    state = models.CharField(
        _("状态"), max_length=12, choices=TemporaryState.choices, default=TemporaryState.AWAITING, db_index=True
    )
    decision = models.JSONField()
    enrolment = models.OneToOneField(
        "cases.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paperwork_due = models.DateField(_("补办手续期限"), null=True, blank=True, db_index=True)
    paperwork_done_on = models.DateField(_("补办完成日期"), null=True, blank=True)
    paperwork_record = models.TextField(_("补办记录（事由、金额、签字）"), blank=True)
    refusal_reason = models.CharField(_("不予救助理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("临时救助")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "cause", "year"],
                condition=~models.Q(state="refused"),
                name="temporary_same_cause_once_a_year",
            )
        ]


class RosterMark(models.TextChoices):
    """What the village found for one person of the old-age allowance roster (domain.md §5a)."""

    PENDING = "pending", _("待核实")
    PRESENT = "present", _("属实，照常发放")
    MOVED = "moved", _("已迁出")
    DIED = "died", _("已死亡")
    DISPUTED = "disputed", _("有疑问")


class RosterState(models.TextChoices):
    OPEN = "open", _("待村（社区）确认")
    CONFIRMED = "confirmed", _("已确认")


class ElderlyRoster(models.Model):
    """One village's (community's) old-age allowance roster for one month: built from the registry by birth date
    (``elderly_roster_build``), confirmed by the village before it is paid (the programme's procedure, step 2).
    Only lines the village marked present reach the payroll."""

    area_code = models.CharField(_("村（社区）"), max_length=12, db_index=True)
    month = models.DateField(_("名册月份"), db_index=True)
    state = models.CharField(_("状态"), max_length=12, choices=RosterState.choices, default=RosterState.OPEN)
    confirmed_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "area_code"]
        verbose_name = _("高龄津贴名册")
        constraints = [models.UniqueConstraint(fields=["area_code", "month"], name="elderly_roster_village_month")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.month:%Y-%m}"


class ElderlyRosterLine(models.Model):
    """One person of a village's roster: the amount the registry gives for the month and the village's mark."""

    roster = models.ForeignKey(ElderlyRoster, on_delete=models.CASCADE, related_name="lines")
    enrolment = models.ForeignKey("cases.Enrolment", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()  # the roster's month, here too so the payroll asks one table
    amount = models.DecimalField(_("本月金额"), **MONEY)
    mark = models.CharField(_("核实结果"), max_length=12, choices=RosterMark.choices, default=RosterMark.PENDING)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    marked_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["roster", "id"]
        verbose_name = _("高龄津贴名册人员")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "month"], name="elderly_roster_line_once_a_month"),
        ]
        indexes = [models.Index(fields=["enrolment", "month", "mark"], name="elderly_line_paid_idx")]


class TransferState(models.TextChoices):
    PENDING = "pending", _("待迁入地接收")
    ACCEPTED = "accepted", _("已接收")
    REFUSED = "refused", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


class Transfer(models.Model):
    """A household moving to another township of the county (跨乡镇迁移): the township it leaves asks, the
    township it moves to accepts (the household, its programmes and open cases then belong there) or sends it back
    with a reason. Seen by both townships' staff (doudi/accounts/scope.py), and by the county above them."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="transfers")
    from_area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("迁出地"))
    to_area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("迁入地"))
    moved_on = models.DateField(_("迁移日期"))
    address = models.CharField(_("新住址"), max_length=200, blank=True)
    reason = models.CharField(_("迁移原因"), max_length=200)
    state = models.CharField(_("状态"), max_length=12, choices=TransferState.choices, default=TransferState.PENDING)
    requested_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("接收或退回说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("跨乡镇迁移")
        constraints = [  # one move under way at a time
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(state="pending"), name="benefits_transfer_one_pending"
            )
        ]


class ParentRole(models.TextChoices):
    FATHER = "father", _("父亲")
    MOTHER = "mother", _("母亲")


class ParentStatus(models.TextChoices):
    """A parent's situation that qualifies a child for the children's allowance (domain.md §5b); the rules'
    codes (doudi/programmes/rules/children.py). No record in force means none of these."""

    DEAD = "dead", _("死亡")
    MISSING = "missing", _("宣告失踪")
    DISABLED = "disabled", _("重度残疾（一二级）")
    SERIOUSLY_ILL = "seriously_ill", _("重病")
    IN_PRISON = "in_prison", _("服刑在押")
    COMPULSORY_REHAB = "compulsory_rehab", _("强制隔离戒毒")
    LOST_CONTACT = "lost_contact", _("失联")


class ParentSituation(models.Model):
    """One parent's situation for a child, from ``since`` until the day before ``until`` (none while open): the
    facts the children's allowance is decided on (domain.md §5b), each with its evidence (a death certificate, a
    court's declaration, a disability certificate, a diagnosis, a prison's or the police's notice). A situation
    ended (released, found, recovered, no longer disabled) raises a review of the child's allowance."""

    child = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="parent_situations")
    area_code = models.CharField(max_length=12, db_index=True)  # the child's household's, for scope
    parent = models.CharField(_("父母"), max_length=8, choices=ParentRole.choices)
    status = models.CharField(_("情形"), max_length=20, choices=ParentStatus.choices)
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)
    evidence = models.CharField(_("证明材料"), max_length=200)
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["child", "parent", "-since", "-id"]
        verbose_name = _("父母情况")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gt=models.F("since")),
                name="parent_situation_until_after_since",
            ),
            models.UniqueConstraint(
                fields=["child", "parent"], condition=models.Q(until__isnull=True), name="parent_situation_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_parent_display()} {self.get_status_display()}"

    def in_force(self, on) -> bool:
        return self.since <= on and (self.until is None or on < self.until)


class StudyProof(models.Model):
    """Proof of full-time study of a child past 18 (domain.md §5b): the allowance continues while it is in force,
    until the month before the 22nd birthday. Its end (graduation, leaving school) raises a review."""

    child = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="study_proofs")
    area_code = models.CharField(max_length=12, db_index=True)
    school = models.CharField(_("学校"), max_length=100)
    since = models.DateField(_("就读起始日期"))
    until = models.DateField(_("就读结束日期"), null=True, blank=True)
    evidence = models.CharField(_("在读证明"), max_length=200)
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["child", "-since", "-id"]
        verbose_name = _("在校就读证明")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gt=models.F("since")),
                name="study_proof_until_after_since",
            ),
        ]

    def in_force(self, on) -> bool:
        return self.since <= on and (self.until is None or on < self.until)


class VeteranState(models.TextChoices):
    PENDING = "pending", _("待县级审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class VeteranCause(models.TextChoices):
    """The cause of a disabled serviceman's disability (伤残性质), as the national table's columns."""

    WAR = "war", _("因战")
    DUTY = "duty", _("因公")
    ILLNESS = "illness", _("因病")


class VeteranEntitlement(models.Model):
    """One person entitled to veterans' periodic payments (优抚对象, domain.md §5e): the category, the grade and the
    cause of the disability of a disabled serviceman (因战、因公、因病; illness only grades 1–6), the certificate, the month payment starts, and the account it is paid to (the person's
    own; empty: the household's). Entered by the township, approved by the county, which puts a monthly category
    into payment (``enrolment``); a former Kuomintang war veteran has no monthly payment, only the year's grants.
    One entitlement per person."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=12, db_index=True)
    category = models.CharField(_("优抚类别"), max_length=24)
    grade = models.PositiveSmallIntegerField(_("伤残等级"), null=True, blank=True)
    cause = models.CharField(_("伤残性质"), max_length=8, choices=VeteranCause.choices, blank=True, default="")
    certificate_no = models.CharField(_("证件编号"), max_length=40, blank=True)
    start_month = models.DateField(_("发放起始月"))
    state = models.CharField(_("状态"), max_length=12, choices=VeteranState.choices, default=VeteranState.PENDING)
    enrolment = models.OneToOneField(
        "cases.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bank_account = EncryptedTextField(_("本人银行账号"), max_length=32, blank=True, domain="bank_account")
    account_holder = models.CharField(_("账户名"), max_length=100, blank=True)
    refusal_reason = models.CharField(_("不予批准理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area_code", "id"]
        verbose_name = _("优抚对象")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=~models.Q(state="refused"), name="veterans_one_entitlement_per_person"
            ),
            models.CheckConstraint(
                condition=(models.Q(category="disabled", grade__gte=1, grade__lte=10, cause__in=("war", "duty")))
                | models.Q(category="disabled", grade__gte=1, grade__lte=6, cause="illness")
                | (~models.Q(category="disabled") & models.Q(grade__isnull=True, cause="")),
                name="veterans_grade_and_cause_for_disabled_only",
            ),
        ]


class VeteranPrisonTerm(models.Model):
    """A term in prison of an entitled person: payment is suspended from the month it began and resumed from the
    month after release (《军人抚恤优待条例》)."""

    entitlement = models.ForeignKey(VeteranEntitlement, on_delete=models.PROTECT, related_name="prison_terms")
    started_on = models.DateField(_("服刑起始日期"))
    released_on = models.DateField(_("刑满释放日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = _("服刑期间")
        constraints = [
            models.UniqueConstraint(
                fields=["entitlement"], condition=models.Q(released_on__isnull=True), name="veterans_one_open_term"
            )
        ]


class VeteranGrant(models.Model):
    """A one-off grant (the Spring Festival visit, the former Kuomintang war veterans' grant) of one year to one
    entitled person, paid once through the veterans' payroll of ``month`` (its ``enrolment`` is for that month
    only). Once per person, kind and year: a database constraint, so a grant run killed and run again never pays
    twice."""

    entitlement = models.ForeignKey(VeteranEntitlement, on_delete=models.PROTECT, related_name="grants")
    kind = models.CharField(_("补助类型"), max_length=24)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.DateField(_("发放月份"))
    amount = models.DecimalField(_("金额"), **MONEY)
    enrolment = models.OneToOneField("cases.Enrolment", on_delete=models.PROTECT, related_name="+")
    batch_id = models.CharField(max_length=36)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind", "id"]
        verbose_name = _("优抚一次性补助")
        constraints = [
            models.UniqueConstraint(fields=["entitlement", "kind", "year"], name="veterans_grant_once_a_year")
        ]
