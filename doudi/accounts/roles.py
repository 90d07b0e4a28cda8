"""Roles and what each may do. This table is the one place permissions are decided: pages, the API, the case
procedure (each move names the permission it needs), payroll moves, jobs, imports and exports all ask it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # A role added here needs `doudi makemigrations accounts`: the database constraint staff_role_known lists them.
    VILLAGE_CADRE = "village_cadre", _("村/社区干部")
    TOWNSHIP_CASEWORKER = "township_caseworker", _("乡镇经办人")
    TOWNSHIP_REVIEWER = "township_reviewer", _("乡镇审核人")
    COUNTY_REVIEWER = "county_reviewer", _("县级审核人")
    COUNTY_APPROVER = "county_approver", _("县级审批人")
    FINANCE_OFFICER = "finance_officer", _("财务人员")
    AUDITOR = "auditor", _("审计/纪检（只读）")
    # The three separated administrators (三员分立, GB/T 22239-2019 level 3, access control and security
    # management): none of them touches business data, none does another's work, no account holds two of them.
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("安全审计员")


# The three administrators. An account that was given one of them keeps it as its duty (Staff.admin_duty): it may
# never hold another of the three nor a business role (docs/security.md, "Three separated administrators").
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


class Perm:
    REGISTRY_VIEW = "registry.view"
    REGISTRY_EDIT = "registry.edit"
    REGISTRY_IMPORT = "registry.import"
    REGISTRY_EXPORT = "registry.export"
    PII_FULL = "pii.full"  # may ask to see a full ID number / bank account (each look is logged)
    AUDIT_VIEW = "audit.view"
    AUDIT_EXPORT = "audit.export"
    AUDIT_CHAIN = "audit.chain"  # the audit chain: verify it, write its head, see what is sealed and archived
    AREAS_MANAGE = "areas.manage"  # import areas, load the holiday calendar
    STAFF_MANAGE = "staff.manage"  # create accounts, edit name/area/phone, deactivate, reset passwords
    ROLES_ASSIGN = "roles.assign"  # grant or withdraw an account's role
    SECURITY_MANAGE = "security.manage"  # password and second-factor policy, reset a second factor, unlock, keys
    PARAMETERS_EDIT = "parameters.edit"  # draft a parameter version, run simulations
    PARAMETERS_APPROVE = "parameters.approve"
    EVALUATE = "evaluate"  # ask what a household would get
    EVALUATION_RUN = "evaluation.run"  # re-evaluate every household of one's area (a batch write)
    CASE_CREATE = "case.create"  # record applications, change reports, materials
    CASE_VIEW = "case.view"
    CASE_DOCUMENT = "case.document"  # attach documents to a case
    CASE_SURVEY = "case.survey"  # may be named as a surveyor of a household survey
    CASES_DAILY = "cases.daily"  # run the daily job (reviews due, gradual exits) for one's area
    # the moves of the case procedure (doudi/cases/workflow.py names one of these on each move)
    CASE_HANDLE = "case.handle"  # accept, survey, verification request, notice, objections, appraisal
    CASE_VERIFY = "case.verify"  # attach the verification results
    CASE_TOWNSHIP_REVIEW = "case.township_review"  # the township's opinion
    CASE_SUBMIT = "case.submit"  # submit to the county after the notice
    CASE_COUNTY_REVIEW = "case.county_review"  # record complaints and reports
    CASE_EXTEND = "case.extend"  # extend the time limit to 45 working days
    CASE_HOME_VISIT = "case.home_visit"  # county home visit
    CASE_DECIDE = "case.decide"  # approve or refuse
    CASE_WITHDRAW = "case.withdraw"
    ROSTER_CONFIRM = "roster.confirm"  # the village confirms its old-age allowance roster (present, moved, died…)
    PAYROLL_GENERATE = "payroll.generate"  # generate, check, handle anomalies, cancel
    PAYROLL_APPROVE = "payroll.approve"  # approve (not one's own), export, import returns, repayments
    PAYROLL_VIEW = "payroll.view"
    STATS_VIEW = "statistics.view"  # the indicators, their lists, dashboards and reports of one's area
    TARGETS_EDIT = "targets.edit"  # enter a year's target for an indicator (county staff)
    TARGETS_APPROVE = "targets.approve"  # approve a target someone else entered (county staff)
    STATS_REFRESH = "statistics.refresh"  # recompute a dashboard's figures at once (otherwise after each payroll)
    # household economic status verification (doudi/verification)
    VERIFICATION_VIEW = "verification.view"  # departments' data, requests, reports
    VERIFICATION_LOAD = "verification.load"  # load a department's file, send requests, import answers
    VERIFICATION_HANDLE = "verification.handle"  # build a report, confirm or dispute findings, record objections
    DISCOVERY_VIEW = "discovery.view"  # the low-income register and the active discovery lists of one's area
    DISCOVERY_VISIT = "discovery.visit"  # record a discovery visit's outcome; enter or leave a register tier
    DISCOVERY_ASSIGN = "discovery.assign"  # give a discovery's or a register entry's visit to a cadre of the township


R = Role
_VIEW = {Perm.REGISTRY_VIEW, Perm.EVALUATE, Perm.CASE_VIEW}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    R.VILLAGE_CADRE: frozenset(
        _VIEW
        | {
            Perm.REGISTRY_EDIT,
            Perm.CASE_CREATE,
            Perm.CASE_DOCUMENT,
            Perm.CASE_SURVEY,
            Perm.CASE_WITHDRAW,
            Perm.ROSTER_CONFIRM,
        }
    ),
    R.TOWNSHIP_CASEWORKER: frozenset(
        _VIEW
        | {
            Perm.REGISTRY_EDIT,
            Perm.REGISTRY_IMPORT,
            Perm.REGISTRY_EXPORT,
            Perm.PII_FULL,
            Perm.CASE_CREATE,
            Perm.CASE_DOCUMENT,
            Perm.CASE_SURVEY,
            Perm.CASES_DAILY,
            Perm.EVALUATION_RUN,
            Perm.CASE_HANDLE,
            Perm.CASE_SUBMIT,
            Perm.CASE_WITHDRAW,
            Perm.ROSTER_CONFIRM,  # on the village's behalf, from its signed paper roster
            Perm.STATS_VIEW,
        }
    ),
    R.TOWNSHIP_REVIEWER: frozenset(
        _VIEW
        | {
            Perm.REGISTRY_EXPORT,
            Perm.PII_FULL,
            Perm.CASE_DOCUMENT,
            Perm.CASE_SURVEY,
            Perm.EVALUATION_RUN,
            Perm.CASE_TOWNSHIP_REVIEW,
            Perm.CASE_SUBMIT,
            Perm.STATS_VIEW,
        }
    ),
    R.COUNTY_REVIEWER: frozenset(
        _VIEW
        | {
            Perm.REGISTRY_EXPORT,
            Perm.PII_FULL,
            Perm.PARAMETERS_EDIT,
            Perm.CASE_DOCUMENT,
            Perm.CASE_SURVEY,
            Perm.CASES_DAILY,  # the county's daily job (reviews due, gradual exits), held before by the bureau admin
            Perm.EVALUATION_RUN,
            Perm.CASE_VERIFY,
            Perm.CASE_COUNTY_REVIEW,
            Perm.CASE_EXTEND,
            Perm.CASE_HOME_VISIT,
            Perm.STATS_VIEW,
            Perm.STATS_REFRESH,
            Perm.TARGETS_EDIT,
        }
    ),
    R.COUNTY_APPROVER: frozenset(
        _VIEW
        | {
            Perm.REGISTRY_EXPORT,
            Perm.PII_FULL,
            Perm.PARAMETERS_EDIT,
            Perm.PARAMETERS_APPROVE,
            Perm.PAYROLL_VIEW,
            Perm.CASE_DOCUMENT,
            Perm.CASE_SURVEY,
            Perm.EVALUATION_RUN,
            Perm.CASE_COUNTY_REVIEW,
            Perm.CASE_EXTEND,
            Perm.CASE_HOME_VISIT,
            Perm.CASE_DECIDE,
            Perm.STATS_VIEW,
            Perm.STATS_REFRESH,
            Perm.TARGETS_EDIT,
            Perm.TARGETS_APPROVE,
        }
    ),
    R.FINANCE_OFFICER: frozenset(
        _VIEW
        | {
            Perm.REGISTRY_EXPORT,
            Perm.PII_FULL,
            Perm.PAYROLL_GENERATE,
            Perm.PAYROLL_APPROVE,
            Perm.PAYROLL_VIEW,
            Perm.STATS_VIEW,
            Perm.STATS_REFRESH,
        }
    ),
    R.AUDITOR: frozenset(
        _VIEW
        | {Perm.REGISTRY_EXPORT, Perm.PII_FULL, Perm.AUDIT_VIEW, Perm.AUDIT_EXPORT, Perm.PAYROLL_VIEW, Perm.STATS_VIEW}
    ),
    R.SYSTEM_ADMIN: frozenset({Perm.STAFF_MANAGE, Perm.AREAS_MANAGE}),
    R.SECURITY_ADMIN: frozenset({Perm.ROLES_ASSIGN, Perm.SECURITY_MANAGE}),
    R.AUDIT_ADMIN: frozenset({Perm.AUDIT_VIEW, Perm.AUDIT_EXPORT, Perm.AUDIT_CHAIN}),
}

# Household economic status verification: the county's verification centre (the county reviewer) loads
# departments' files and sends requests; the township's caseworker builds the report, confirms or disputes each
# finding (a confirmed income is written to the registry: it needs registry.edit too), records the applicant's
# objections and the re-check.
_VERIFICATION = {
    R.TOWNSHIP_CASEWORKER: {Perm.VERIFICATION_VIEW, Perm.VERIFICATION_HANDLE},
    R.TOWNSHIP_REVIEWER: {Perm.VERIFICATION_VIEW},
    R.COUNTY_REVIEWER: {Perm.VERIFICATION_VIEW, Perm.VERIFICATION_LOAD},
    R.COUNTY_APPROVER: {Perm.VERIFICATION_VIEW},
    R.AUDITOR: {Perm.VERIFICATION_VIEW},
}
ROLE_PERMISSIONS.update(
    {role: perms | _VERIFICATION[role] for role, perms in ROLE_PERMISSIONS.items() if role in _VERIFICATION}
)
# Low-income monitoring and active discovery: the village cadre visits the people a department's data points
# at and records what the visit found, as the township caseworker may; the township keeps the register's tiers
# and gives each visit to one of its own village cadres.
_DISCOVERY = {
    R.VILLAGE_CADRE: {Perm.DISCOVERY_VIEW, Perm.DISCOVERY_VISIT},
    R.TOWNSHIP_CASEWORKER: {Perm.DISCOVERY_VIEW, Perm.DISCOVERY_VISIT, Perm.DISCOVERY_ASSIGN},
    R.TOWNSHIP_REVIEWER: {Perm.DISCOVERY_VIEW, Perm.DISCOVERY_ASSIGN},
    R.COUNTY_REVIEWER: {Perm.DISCOVERY_VIEW},
    R.COUNTY_APPROVER: {Perm.DISCOVERY_VIEW},
    R.AUDITOR: {Perm.DISCOVERY_VIEW},
}
ROLE_PERMISSIONS.update(
    {role: perms | _DISCOVERY[role] for role, perms in ROLE_PERMISSIONS.items() if role in _DISCOVERY}
)


def role_may(role: str, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())


def roles_with(perm: str) -> list[str]:
    """The roles granted ``perm`` (e.g. who may be named a surveyor)."""
    return [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]


SHORT_NAMES = {
    R.VILLAGE_CADRE: "cadre",
    R.TOWNSHIP_CASEWORKER: "t.caseworker",
    R.TOWNSHIP_REVIEWER: "t.reviewer",
    R.COUNTY_REVIEWER: "c.reviewer",
    R.COUNTY_APPROVER: "c.approver",
    R.FINANCE_OFFICER: "finance",
    R.AUDITOR: "auditor",
    R.SYSTEM_ADMIN: "sys.admin",
    R.SECURITY_ADMIN: "sec.admin",
    R.AUDIT_ADMIN: "audit.admin",
}


def permissions_table() -> str:
    """The table above as Markdown (README.md carries it; a test keeps the two equal)."""
    perms = [v for k, v in vars(Perm).items() if k.isupper()]
    lines = [
        "| permission | " + " | ".join(SHORT_NAMES[r] for r in Role.values) + " |",
        "| --- |" + " --- |" * len(Role.values),
    ]
    lines += [
        "| `" + p + "` | " + " | ".join("✓" if p in ROLE_PERMISSIONS[r] else " " for r in Role.values) + " |"
        for p in perms
    ]
    return "\n".join(lines)
