"""Roles and what each may do. This table is the one place permissions are decided."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VILLAGE_CADRE = "village_cadre", _("村/社区干部")
    TOWNSHIP_CASEWORKER = "township_caseworker", _("乡镇经办人")
    TOWNSHIP_REVIEWER = "township_reviewer", _("乡镇审核人")
    COUNTY_REVIEWER = "county_reviewer", _("县级审核人")
    COUNTY_APPROVER = "county_approver", _("县级审批人")
    FINANCE_OFFICER = "finance_officer", _("财务人员")
    AUDITOR = "auditor", _("审计/纪检（只读）")
    BUREAU_ADMIN = "bureau_admin", _("系统管理员")


class Perm:
    REGISTRY_VIEW = "registry.view"
    REGISTRY_EDIT = "registry.edit"
    REGISTRY_IMPORT = "registry.import"
    REGISTRY_EXPORT = "registry.export"
    PII_FULL = "pii.full"  # may ask to see a full ID number / bank account (each look is logged)
    AUDIT_VIEW = "audit.view"
    AUDIT_EXPORT = "audit.export"
    AREAS_MANAGE = "areas.manage"
    STAFF_MANAGE = "staff.manage"
    PARAMETERS_EDIT = "parameters.edit"  # draft a parameter version, run simulations
    PARAMETERS_APPROVE = "parameters.approve"
    EVALUATE = "evaluate"  # ask what a household would get
    CASE_CREATE = "case.create"  # record applications, change reports, materials
    CASE_VIEW = "case.view"
    PAYROLL_GENERATE = "payroll.generate"  # generate, check, handle anomalies, cancel
    PAYROLL_APPROVE = "payroll.approve"  # approve (not one's own), export, import returns, repayments
    PAYROLL_VIEW = "payroll.view"


R = Role
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    R.VILLAGE_CADRE: frozenset(
        {Perm.REGISTRY_VIEW, Perm.REGISTRY_EDIT, Perm.EVALUATE, Perm.CASE_CREATE, Perm.CASE_VIEW}
    ),
    R.TOWNSHIP_CASEWORKER: frozenset(
        {
            Perm.REGISTRY_VIEW,
            Perm.REGISTRY_EDIT,
            Perm.REGISTRY_IMPORT,
            Perm.REGISTRY_EXPORT,
            Perm.PII_FULL,
            Perm.EVALUATE,
            Perm.CASE_CREATE,
            Perm.CASE_VIEW,
        }
    ),
    R.TOWNSHIP_REVIEWER: frozenset(
        {Perm.REGISTRY_VIEW, Perm.REGISTRY_EXPORT, Perm.PII_FULL, Perm.EVALUATE, Perm.CASE_VIEW}
    ),
    R.COUNTY_REVIEWER: frozenset(
        {Perm.REGISTRY_VIEW, Perm.REGISTRY_EXPORT, Perm.PII_FULL, Perm.EVALUATE, Perm.PARAMETERS_EDIT, Perm.CASE_VIEW}
    ),
    R.COUNTY_APPROVER: frozenset(
        {
            Perm.REGISTRY_VIEW,
            Perm.REGISTRY_EXPORT,
            Perm.PII_FULL,
            Perm.EVALUATE,
            Perm.PARAMETERS_EDIT,
            Perm.PARAMETERS_APPROVE,
            Perm.CASE_VIEW,
            Perm.PAYROLL_VIEW,
        }
    ),
    R.FINANCE_OFFICER: frozenset(
        {
            Perm.REGISTRY_VIEW,
            Perm.REGISTRY_EXPORT,
            Perm.PII_FULL,
            Perm.EVALUATE,
            Perm.CASE_VIEW,
            Perm.PAYROLL_GENERATE,
            Perm.PAYROLL_APPROVE,
            Perm.PAYROLL_VIEW,
        }
    ),
    R.AUDITOR: frozenset(
        {
            Perm.REGISTRY_VIEW,
            Perm.REGISTRY_EXPORT,
            Perm.PII_FULL,
            Perm.AUDIT_VIEW,
            Perm.AUDIT_EXPORT,
            Perm.EVALUATE,
            Perm.CASE_VIEW,
            Perm.PAYROLL_VIEW,
        }
    ),
    R.BUREAU_ADMIN: frozenset(
        {
            Perm.REGISTRY_VIEW,
            Perm.REGISTRY_EDIT,
            Perm.REGISTRY_IMPORT,
            Perm.REGISTRY_EXPORT,
            Perm.PII_FULL,
            Perm.AUDIT_VIEW,
            Perm.AUDIT_EXPORT,
            Perm.AREAS_MANAGE,
            Perm.STAFF_MANAGE,
            Perm.EVALUATE,
            Perm.PARAMETERS_EDIT,
            Perm.CASE_CREATE,
            Perm.CASE_VIEW,
            Perm.PAYROLL_GENERATE,
            Perm.PAYROLL_VIEW,
        }
    ),
}
