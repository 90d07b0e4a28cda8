from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Perm

# (label, url name, permission needed — or a tuple, any of them — or None)
NAV = [
    (_("首页"), "home", None),
    (_("家庭查询"), "household_search", Perm.REGISTRY_VIEW),
    (_("登记家庭"), "household_register", Perm.REGISTRY_EDIT),
    (_("批量导入"), "household_import", Perm.REGISTRY_IMPORT),
    (_("案件"), "case_list", Perm.CASE_VIEW),
    (_("保障对象"), "enrolment_list", Perm.CASE_VIEW),
    (_("临时救助"), "temporary_list", Perm.CASE_VIEW),
    (_("高龄津贴名册"), "elderly_rosters", Perm.CASE_VIEW),
    (_("孤儿保障"), "children_allowance", Perm.CASE_VIEW),
    (_("医疗救助"), "medical_home", Perm.CASE_VIEW),
    (_("资金发放"), "payroll_list", Perm.PAYROLL_VIEW),
    (_("统计"), "statistics", Perm.STATS_VIEW),
    (_("核对"), "verification_home", Perm.VERIFICATION_VIEW),
    (_("主动发现"), "discovery_list", Perm.DISCOVERY_VIEW),
    (_("救助项目与参数"), "programme_list", Perm.EVALUATE),
    (_("批量测算"), "run_list", Perm.EVALUATE),
    (_("行政区划"), "area_list", (Perm.REGISTRY_VIEW, Perm.AREAS_MANAGE)),
    (_("审计日志"), "audit_list", Perm.AUDIT_VIEW),
    (_("审计链"), "audit_chain", Perm.AUDIT_CHAIN),
    (_("工作人员"), "staff_list", Perm.STAFF_MANAGE),
    (_("账号角色"), "security_accounts", Perm.ROLES_ASSIGN),
    (_("安全策略"), "security_policy", Perm.SECURITY_MANAGE),
    (_("密钥"), "security_keys", Perm.SECURITY_MANAGE),
]


def _may(user, perm) -> bool:
    return perm is None or any(user.has_role_perm(p) for p in (perm if isinstance(perm, tuple) else (perm,)))


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav": [], "can": {}}
    items = [
        {
            "label": label,
            "url": reverse(name),
            "active": request.resolver_match and request.resolver_match.url_name == name,
        }
        for label, name, perm in NAV
        if _may(user, perm)
    ]
    # can.registry_export, can.pii_full, can.evaluate, … for templates
    can = {
        p.replace(".", "_"): user.has_role_perm(p)
        for name, p in vars(Perm).items()
        if name.isupper() and isinstance(p, str)
    }
    return {"nav": items, "can": can}
