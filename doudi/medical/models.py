"""Medical assistance (医疗救助, domain.md §4): the hospital's or insurer's settlements, each with the assistance
computed against the person's year and paid once through the payroll, and the yearly premium subsidies for the
residents' medical insurance. A settlement number is held once (a database constraint): a file imported twice
never pays twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.core.fields import EncryptedTextField

MONEY = {"max_digits": 12, "decimal_places": 2}
STAFF = settings.AUTH_USER_MODEL


class Group(models.TextChoices):
    """Who medical assistance covers, most favourable first (programmes/rules/medical.py ``group_of``)."""

    TEKUN = "tekun", _("特困人员")
    DIBAO = "dibao", _("低保对象")
    EDGE = "edge", _("低保边缘家庭成员")
    NONE = "", _("不属于救助对象")


class SettlementBatch(models.Model):
    """One settlement file as imported: all of its rows or none."""

    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("结算笔数"))
    paid = models.PositiveIntegerField(_("给予救助笔数"), default=0)
    total = models.DecimalField(_("救助金额合计"), default=0, **MONEY)
    area_prefix = models.CharField(max_length=12, db_index=True)
    loaded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField(auto_now_add=True)
    batch_id = models.CharField(max_length=36)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("结算文件")


class Settlement(models.Model):
    """One hospital stay's settlement and the assistance on it: the person's year before it (assistance and
    deductible used by earlier claims), what this claim used, and the whole decision with its explanation."""

    number = models.CharField(_("结算单号"), max_length=40, unique=True)
    batch = models.ForeignKey(SettlementBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=12, db_index=True)
    hospital = models.CharField(_("医疗机构"), max_length=100)
    admitted_on = models.DateField(_("入院日期"))
    discharged_on = models.DateField(_("出院（结算）日期"))
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    total_cost = models.DecimalField(_("医疗总费用"), **MONEY)
    insurance_paid = models.DecimalField(_("医保报销"), **MONEY)
    in_scope_oop = models.DecimalField(_("政策范围内自付"), **MONEY)
    serious_disease = models.BooleanField(_("重特大疾病"), default=False)
    group = models.CharField(_("救助对象类别"), max_length=8, choices=Group.choices, blank=True)
    assisted_before = models.DecimalField(_("本年此前已救助"), **MONEY)
    deductible_before = models.DecimalField(_("本年此前已用起付线"), **MONEY)
    deductible_applied = models.DecimalField(_("本次扣除起付线"), **MONEY)
    amount = models.DecimalField(_("救助金额"), **MONEY)
    cap_left = models.DecimalField(_("年度限额剩余"), **MONEY)
    decision = models.JSONField()
    enrolment = models.OneToOneField(
        "cases.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-discharged_on", "-id"]
        verbose_name = _("医疗费用结算")
        indexes = [models.Index(fields=["person", "year"], name="medical_settlement_year")]


class PremiumSubsidy(models.Model):
    """The year's subsidy towards a person's residents' medical insurance premium (domain.md §4): tekun in full,
    a dibao member the fixed amount; paid once, once per person and year (a database constraint)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=12, db_index=True)
    group = models.CharField(_("资助类别"), max_length=8, choices=Group.choices)
    amount = models.DecimalField(_("资助金额"), **MONEY)
    enrolment = models.OneToOneField("cases.Enrolment", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area_code", "id"]
        verbose_name = _("参保资助")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="medical_premium_once_a_year")]


class CertificateState(models.TextChoices):
    IMPORTED = "imported", _("待残联审核")
    REVIEWED = "reviewed", _("残联审核通过，待审批")
    REJECTED = "rejected", _("残联审核不通过")
    APPROVED = "approved", _("已审批")
    REFUSED = "refused", _("不予批准")


class CertificateBatch(models.Model):
    """One file of disability certificates from the disabled persons' federation: all of its rows or none."""

    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("证件数"))
    area_prefix = models.CharField(max_length=12, db_index=True)
    loaded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("残疾人证文件")


class DisabilityCertificate(models.Model):
    """A disability certificate (残疾人证) from the federation's file, matched to a person of the registry: the
    federation reviews it, then civil affairs approves it (domain.md §5c); approval writes the category and grade
    to the registry and puts the two subsidies in payment as the rules decide. The certificate number is sealed."""

    batch = models.ForeignKey(CertificateBatch, on_delete=models.PROTECT, related_name="certificates")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=12, db_index=True)
    number = EncryptedTextField(_("残疾人证号"), max_length=30, domain="disability_card")
    kind = models.CharField(_("残疾类别"), max_length=16)
    grade = models.PositiveSmallIntegerField(_("残疾等级"))
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"))
    # the day the person applied with the certificate (the file's 申请日期, else the day it was imported): the
    # subsidies are paid from that month (domain.md §5c), earlier months as arrears
    applied_on = models.DateField(_("申请日期"))
    state = models.CharField(
        _("状态"), max_length=10, choices=CertificateState.choices, default=CertificateState.IMPORTED, db_index=True
    )
    reviewed_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    decided_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    enrolment = models.ForeignKey("cases.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("残疾人证")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(state__in=["imported", "reviewed"]),
                name="medical_one_certificate_pending",
            )
        ]
