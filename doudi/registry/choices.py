"""Taxonomies of the registry (domain.md §2), as choices with Chinese labels (translated to English)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HukouType(models.TextChoices):
    URBAN = "urban", _("城镇")
    RURAL = "rural", _("农村")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class LabourCapacity(models.TextChoices):
    FULL = "full", _("有劳动能力")
    PARTIAL = "partial", _("部分丧失劳动能力")
    NONE = "none", _("无劳动能力")


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("就业")
    SELF_EMPLOYED = "self_employed", _("个体经营")
    FARMING = "farming", _("务农")
    UNEMPLOYED = "unemployed", _("失业")
    RETIRED = "retired", _("退休")
    NOT_IN_LABOUR_FORCE = "none", _("非劳动力")


class DisabilityKind(models.TextChoices):
    PHYSICAL = "physical", _("肢体残疾")
    VISUAL = "visual", _("视力残疾")
    HEARING = "hearing", _("听力残疾")
    SPEECH = "speech", _("言语残疾")
    INTELLECTUAL = "intellectual", _("智力残疾")
    MENTAL = "mental", _("精神残疾")
    MULTIPLE = "multiple", _("多重残疾")


class IncomeKind(models.TextChoices):
    """Income kinds of domain.md §2 [D21 §13]. ``INCOME_TREATMENT`` says how each is counted."""

    WAGE = "wage", _("工资性收入")
    BUSINESS = "business", _("经营净收入")
    PROPERTY = "property", _("财产净收入")
    PENSION = "pension", _("养老金/离退休金")
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", _("失业保险金")
    COMPENSATION = "compensation", _("赔偿金")
    SUPPORT_RECEIVED = "support_received", _("赡养/抚养/扶养费（收到）")
    GIFT = "gift", _("赠与")
    SUPPORT_PAID = "support_paid", _("支付的赡养/抚养/扶养费")
    SOCIAL_INSURANCE_CONTRIBUTION = "social_insurance_contribution", _("个人缴纳的社会保险费")
    TAX = "tax", _("个人所得税")
    PREFERENTIAL_PAYMENT = "preferential_payment", _("优待抚恤金")
    FAMILY_PLANNING_AWARD = "family_planning_award", _("计划生育奖励与扶助金")
    SCHOLARSHIP = "scholarship", _("奖学金")
    GOOD_SAMARITAN_AWARD = "good_samaritan_award", _("见义勇为奖励")
    SOCIAL_ASSISTANCE = "social_assistance", _("社会救助金")
    RESIDENTS_BASIC_PENSION = "residents_basic_pension", _("城乡居民基本养老金基础养老金")


class IncomeTreatment(models.TextChoices):
    COUNTED = "counted", _("计入")
    SUBTRACTED = "subtracted", _("扣减")
    EXCLUDED = "excluded", _("不计入")


I = IncomeKind
INCOME_TREATMENT: dict[str, str] = {
    **{
        k: IncomeTreatment.COUNTED
        for k in (
            I.WAGE,
            I.BUSINESS,
            I.PROPERTY,
            I.PENSION,
            I.UNEMPLOYMENT_BENEFIT,
            I.COMPENSATION,
            I.SUPPORT_RECEIVED,
            I.GIFT,
        )
    },
    **{k: IncomeTreatment.SUBTRACTED for k in (I.SUPPORT_PAID, I.SOCIAL_INSURANCE_CONTRIBUTION, I.TAX)},
    **{
        k: IncomeTreatment.EXCLUDED
        for k in (
            I.PREFERENTIAL_PAYMENT,
            I.FAMILY_PLANNING_AWARD,
            I.SCHOLARSHIP,
            I.GOOD_SAMARITAN_AWARD,
            I.SOCIAL_ASSISTANCE,
            I.RESIDENTS_BASIC_PENSION,
        )
    },
}


class SupportFrom(models.TextChoices):
    SIBLING = "sibling", _("兄弟姐妹")
    SUPPORTER_60_PLUS = "supporter_60_plus", _("60岁以上赡养人")
    OTHER = "other", _("其他")


class ExpenditureKind(models.TextChoices):
    MEDICAL = "medical", _("重病医疗")
    DISABILITY = "disability", _("残疾康复")
    EDUCATION = "education", _("全日制教育")


class FinancialAssetKind(models.TextChoices):
    DEPOSIT = "deposit", _("存款")
    SECURITIES = "securities", _("有价证券")
    FUND = "fund", _("基金")
    COMMERCIAL_INSURANCE = "commercial_insurance", _("商业保险")
    RECEIVABLE = "receivable", _("债权")
    ONLINE_FINANCE = "online_finance", _("互联网金融资产")


class VehiclePurpose(models.TextChoices):
    LIVELIHOOD = "livelihood", _("主要生计工具")
    DISABILITY = "disability", _("残疾人代步车")
    OTHER = "other", _("其他")


class BusinessRoleKind(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
    SHAREHOLDER = "shareholder", _("股东")
    EXECUTIVE = "executive", _("高级管理人员")
    FAMILY_WORKSHOP = "family_workshop", _("个体工商户/家庭作坊")


PERSON_STATUS_FLAGS = ("deceased", "in_prison", "compulsory_rehab", "missing", "clergy_away")
ADL_FIELDS = ("adl_eating", "adl_dressing", "adl_bed", "adl_toilet", "adl_walking", "adl_bathing")
