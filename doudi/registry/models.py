"""Households, people, membership over time, and each household's economic records."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doudi.core.fields import BlindIndexed, BlindIndexField, EncryptedTextField, last4

from .choices import (
    ADL_FIELDS,
    BusinessRoleKind,
    DisabilityKind,
    Employment,
    ExpenditureKind,
    FinancialAssetKind,
    HukouType,
    IncomeKind,
    LabourCapacity,
    Relation,
    Sex,
    SupportFrom,
    VehiclePurpose,
)
from .validation import account_problem

MONEY = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Household(BlindIndexed):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, verbose_name=_("户籍所在村/社区"))
    hukou_type = models.CharField(_("户籍类型"), max_length=8, choices=HukouType.choices)
    address = models.CharField(_("居住地址"), max_length=200, blank=True)
    # A household whose hukou is outside the county (流动人员) is registered where it lives in the county (``area``)
    # with its hukou place named here; empty means the hukou is in the county, at ``area``. The programmes that
    # require a hukou in the county refuse it; temporary assistance is given where the hardship happens, the
    # expenditure kind only to a holder of the county's residence permit (docs/programmes.md).
    hukou_place = models.CharField(_("户籍所在地（非本县户籍）"), max_length=100, blank=True)
    residence_permit = models.BooleanField(_("持本县居住证"), default=False)
    phone = EncryptedTextField(_("联系电话"), max_length=20, blank=True, domain="phone")
    phone_index = BlindIndexField(source="phone", domain="phone", db_index=True)
    bank_name = models.CharField(_("开户银行"), max_length=60, blank=True)
    bank_account = EncryptedTextField(_("银行账号"), max_length=32, blank=True, domain="bank_account")
    account_holder = models.CharField(_("账户户名"), max_length=50, blank=True)
    # why the account cannot be paid into ("" when it can), recomputed whenever the household is saved
    bank_account_problem = models.CharField(_("账号问题"), max_length=100, blank=True, editable=False)
    head_name = models.CharField(_("户主姓名"), max_length=50, blank=True, db_index=True, editable=False)
    member_count = models.PositiveSmallIntegerField(_("人数"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    batch_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("家庭")
        indexes = [
            models.Index(
                fields=["bank_account_problem"], condition=~Q(bank_account_problem=""), name="household_account_problem"
            )
        ]

    def __str__(self) -> str:
        return f"{self.head_name or _('（无户主）')}户 #{self.pk}"

    @property
    def label(self) -> str:
        """The household as people call it, in the reader's language (the head's name is data)."""
        return _("%(head)s户 #%(n)s") % {"head": self.head_name or _("（无户主）"), "n": self.pk}

    @property
    def hukou_in_county(self) -> bool:
        return not self.hukou_place

    def save(self, *args, **kwargs):
        self.bank_account_problem = account_problem(self.bank_account) or ""
        self.residence_permit = bool(self.hukou_place) and self.residence_permit  # only for a hukou elsewhere
        if kwargs.get("update_fields") is not None and "bank_account" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "bank_account_problem"}
        super().save(*args, **kwargs)


class Person(BlindIndexed):
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    id_number = EncryptedTextField(_("身份证号"), max_length=18, null=True, blank=True, domain="id_number")
    # equality search, uniqueness and matching on the ID number go through its keyed index; the last 4
    # characters (what a caller reads out) have their own
    id_index = BlindIndexField(source="id_number", domain="id_number", null=True, unique=True)
    id_last4 = BlindIndexField(source="id_number", domain="id_last4", transform=last4, db_index=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    student = models.BooleanField(_("在校学生"), default=False)
    labour_capacity = models.CharField(
        _("劳动能力"), max_length=8, choices=LabourCapacity.choices, default=LabourCapacity.FULL
    )
    employment = models.CharField(_("就业状况"), max_length=16, choices=Employment.choices, blank=True)
    disability_kind = models.CharField(_("残疾类别"), max_length=16, choices=DisabilityKind.choices, blank=True)
    disability_grade = models.PositiveSmallIntegerField(
        _("残疾等级"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    disability_card = EncryptedTextField(_("残疾证号"), max_length=30, blank=True, domain="disability_card")
    serious_illness = models.BooleanField(_("认定重病"), default=False)
    diagnosis = EncryptedTextField(_("诊断"), max_length=100, blank=True, domain="diagnosis")
    # Six daily activities [T21 §21]: True = the person cannot do it.
    adl_eating = models.BooleanField(_("不能自主进食"), default=False)
    adl_dressing = models.BooleanField(_("不能自主穿衣"), default=False)
    adl_bed = models.BooleanField(_("不能自主上下床"), default=False)
    adl_toilet = models.BooleanField(_("不能自主如厕"), default=False)
    adl_walking = models.BooleanField(_("不能室内行走"), default=False)
    adl_bathing = models.BooleanField(_("不能自主洗澡"), default=False)
    deceased = models.BooleanField(_("已死亡"), default=False)
    # The date of death (issue 15): set by the death report and the funeral waiver; ``deceased`` stays the flag
    # every count and check reads, kept true whenever a date is set (a constraint). A person recorded dead before
    # dates were kept has the flag without a date (date unknown).
    died_on = models.DateField(_("死亡日期"), null=True, blank=True)
    in_prison = models.BooleanField(_("服刑"), default=False)
    compulsory_rehab = models.BooleanField(_("强制隔离戒毒"), default=False)
    missing = models.BooleanField(_("宣告失踪"), default=False)
    clergy_away = models.BooleanField(_("出家3年以上"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("人员")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(died_on__isnull=True) | models.Q(deceased=True), name="person_died_on_is_deceased"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def adl_unable(self) -> int:
        return sum(bool(getattr(self, f)) for f in ADL_FIELDS)


class Membership(models.Model):
    """A person's membership of a household over a period. ``end_date`` null = current.

    At most one current membership per person (database constraint).
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    relation = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices)
    start_date = models.DateField(_("加入日期"))
    end_date = models.DateField(_("离开日期"), null=True, blank=True)
    end_reason = models.CharField(_("离开原因"), max_length=100, blank=True)

    class Meta:
        ordering = ["household_id", "end_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="one_current_household_per_person"
            ),
        ]
        indexes = [models.Index(fields=["household", "end_date"])]


class HouseholdRecord(models.Model):
    """Base of the economic records attached to a household (and optionally one member)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("成员")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["id"]


class Income(HouseholdRecord):
    """Monthly income by kind, averaged over the last 12 months [D21 §13]."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="incomes")
    kind = models.CharField(_("收入类型"), max_length=32, choices=IncomeKind.choices)
    monthly = models.DecimalField(_("月均金额"), validators=NON_NEGATIVE, **MONEY)
    support_from = models.CharField(_("赡养费来源"), max_length=20, choices=SupportFrom.choices, blank=True)

    class Meta(HouseholdRecord.Meta):
        verbose_name = _("收入")


class Expenditure(HouseholdRecord):
    """Documented monthly rigid out-of-pocket expenditure (illness, disability, education)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="expenditures")
    kind = models.CharField(_("支出类型"), max_length=16, choices=ExpenditureKind.choices)
    monthly = models.DecimalField(_("月均金额"), validators=NON_NEGATIVE, **MONEY)

    class Meta(HouseholdRecord.Meta):
        verbose_name = _("刚性支出")


class FinancialAsset(HouseholdRecord):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="financial_assets")
    kind = models.CharField(_("金融资产类型"), max_length=24, choices=FinancialAssetKind.choices)
    amount = models.DecimalField(_("金额"), validators=NON_NEGATIVE, **MONEY)

    class Meta(HouseholdRecord.Meta):
        verbose_name = _("金融资产")


class Vehicle(HouseholdRecord):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="vehicles")
    plate = models.CharField(_("号牌"), max_length=12, blank=True)
    value = models.DecimalField(_("估值"), validators=NON_NEGATIVE, **MONEY)
    purpose = models.CharField(_("用途"), max_length=12, choices=VehiclePurpose.choices)

    class Meta(HouseholdRecord.Meta):
        verbose_name = _("车辆")


class Home(HouseholdRecord):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="homes")
    address = models.CharField(_("房屋地址"), max_length=200, blank=True)
    floor_area_m2 = models.DecimalField(
        _("建筑面积（平方米）"), max_digits=8, decimal_places=2, validators=NON_NEGATIVE
    )

    class Meta(HouseholdRecord.Meta):
        verbose_name = _("房屋")


class BusinessRole(HouseholdRecord):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="business_roles")
    enterprise = models.CharField(_("企业/字号名称"), max_length=100, blank=True)
    role = models.CharField(_("身份"), max_length=24, choices=BusinessRoleKind.choices)
    employees = models.PositiveIntegerField(_("雇工人数"), default=0)

    class Meta(HouseholdRecord.Meta):
        verbose_name = _("经营主体身份")


class Supporter(HouseholdRecord):
    """A legal supporter living outside the household (for extreme poverty support, T21 §8)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="supporters")
    name = models.CharField(_("赡养/抚养/扶养人姓名"), max_length=50)
    relation = models.CharField(_("关系"), max_length=20, blank=True)
    id_number = EncryptedTextField(_("身份证号"), max_length=18, blank=True, domain="id_number")
    able = models.BooleanField(_("有赡养能力"), default=True)
    reason = models.CharField(_("无能力原因"), max_length=100, blank=True)

    class Meta(HouseholdRecord.Meta):
        verbose_name = _("赡养/抚养/扶养人")


# The record kinds the household page and the generic record actions know, by URL slug.
RECORD_MODELS: dict[str, type[HouseholdRecord]] = {
    "incomes": Income,
    "expenditures": Expenditure,
    "financial-assets": FinancialAsset,
    "vehicles": Vehicle,
    "homes": Home,
    "business-roles": BusinessRole,
    "supporters": Supporter,
}


class HouseholdFacts(models.Model):
    """What the means test needs from a household, kept in step with the registry by ``registry.facts`` in the
    same transaction as every change (see docs/registry.md, "Facts for batch evaluation"). Amounts are integer
    fen, areas integer hundredths of a square metre. Only current, counted members (not deceased, in prison,
    in compulsory rehabilitation, missing or clergy away) contribute; income recorded for the household as a
    whole belongs to its head (else its first member), as in the one-by-one rules. Derived data: rebuilt by
    ``doudi registry_facts --rebuild`` and checked against the registry by ``--check``."""

    household = models.OneToOneField(
        Household, primary_key=True, on_delete=models.CASCADE, related_name="facts", db_constraint=False
    )
    area_code = models.CharField(max_length=12)
    hukou_type = models.CharField(max_length=8)
    hukou_local = models.BooleanField(default=True)  # the hukou is in the county (no ``Household.hukou_place``)
    members = models.PositiveSmallIntegerField(default=0)  # counted members
    income_counted = models.BigIntegerField(default=0)  # counted kinds other than support received
    support_sibling = models.BigIntegerField(default=0)  # support received, by where it comes from
    support_60_plus = models.BigIntegerField(default=0)
    support_other = models.BigIntegerField(default=0)
    support_unspecified = models.BigIntegerField(default=0)
    income_subtracted = models.BigIntegerField(default=0)  # support paid, social insurance, tax
    rigid_expenditure = models.BigIntegerField(default=0)
    financial_assets = models.BigIntegerField(default=0)
    vehicles = models.PositiveIntegerField(default=0)  # other than for a disabled member
    vehicles_other_purpose = models.PositiveIntegerField(default=0)  # neither livelihood nor disability
    vehicle_livelihood_max = models.BigIntegerField(default=0)  # dearest livelihood vehicle
    homes = models.PositiveIntegerField(default=0)
    home_area = models.BigIntegerField(default=0)
    business_roles = models.PositiveIntegerField(default=0)  # roles that bar (not a family workshop without staff)
    # Member slots: the wages of the first two earners (by person key) and the birth dates of the two oldest
    # members with neither a grade 1–2 disability nor a serious illness. Most households' member-by-member
    # terms (job-cost deduction, age add-on) are computed from these four columns; the other members' terms
    # come from MemberFacts rows not marked as carried here (docs/registry.md, "Facts for batch evaluation").
    wage_1 = models.BigIntegerField(default=0)
    wage_2 = models.BigIntegerField(default=0)
    born_1 = models.DateField(null=True)
    born_2 = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["area_code"], name="facts_area_code", opclasses=["varchar_pattern_ops"])]


class MemberFacts(models.Model):
    """One row per counted current member whose own amounts depend on the parameters: wages (job-cost
    deduction) and the classified add-on (age, disability grade 1–2, serious illness)."""

    person = models.OneToOneField(
        Person, primary_key=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    area_code = models.CharField(max_length=12)
    hukou_type = models.CharField(max_length=8)
    birth_date = models.DateField()
    disability_1_2 = models.BooleanField(default=False)
    serious_illness = models.BooleanField(default=False)
    wage = models.BigIntegerField(default=0)
    wage_inline = models.BooleanField(default=False)  # this wage is in one of the household's wage slots
    age_inline = models.BooleanField(default=False)  # this birth date is in one of the household's age slots
