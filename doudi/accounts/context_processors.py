from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import Perm

# The menu's groups, in order: (key, label). A group with one page for the account shows as that page's link.
GROUPS = [
    ("home", _("首页")),
    ("registry", pgettext_lazy("菜单", "家庭")),  # the menu's group: "Households" in English
    ("assistance", _("救助")),
    ("payments", _("资金发放")),
    ("verification", _("核对")),
    ("statistics", _("统计")),
    ("policy", _("政策")),
    ("system", _("系统")),
]

# (group, label, url name, permission needed — or a tuple, any of them — or None)
NAV = [
    ("home", _("首页"), "home", None),
    ("registry", _("家庭查询"), "household_search", Perm.REGISTRY_VIEW),
    ("registry", _("登记家庭"), "household_register", Perm.REGISTRY_EDIT),
    ("registry", _("批量导入"), "household_import", Perm.REGISTRY_IMPORT),
    ("registry", _("跨乡镇迁移"), "transfer_list", Perm.REGISTRY_EDIT),
    ("assistance", _("案件"), "case_list", Perm.CASE_VIEW),
    ("assistance", _("保障对象"), "enrolment_list", Perm.CASE_VIEW),
    ("assistance", _("临时救助"), "temporary_list", Perm.CASE_VIEW),
    ("assistance", _("高龄津贴名册"), "elderly_rosters", Perm.CASE_VIEW),
    ("assistance", _("孤儿保障"), "children_allowance", Perm.CASE_VIEW),
    ("assistance", _("优抚对象"), "veterans_roster", Perm.CASE_VIEW),
    ("assistance", _("殡葬费用减免"), "funeral_list", Perm.CASE_VIEW),
    ("assistance", _("医疗救助"), "medical_home", Perm.CASE_VIEW),
    ("payments", _("资金发放"), "payroll_list", Perm.PAYROLL_VIEW),
    ("statistics", _("统计"), "statistics", Perm.STATS_VIEW),
    ("verification", _("核对"), "verification_home", Perm.VERIFICATION_VIEW),
    ("verification", _("主动发现"), "discovery_list", Perm.DISCOVERY_VIEW),
    ("policy", _("救助项目与参数"), "programme_list", Perm.EVALUATE),
    ("policy", _("批量测算"), "run_list", Perm.EVALUATE),
    ("system", _("行政区划"), "area_list", (Perm.REGISTRY_VIEW, Perm.AREAS_MANAGE)),
    ("system", _("审计日志"), "audit_list", Perm.AUDIT_VIEW),
    ("system", _("审计链"), "audit_chain", Perm.AUDIT_CHAIN),
    ("system", _("工作人员"), "staff_list", Perm.STAFF_MANAGE),
    ("system", _("账号角色"), "security_accounts", Perm.ROLES_ASSIGN),
    ("system", _("安全策略"), "security_policy", Perm.SECURITY_MANAGE),
    ("system", _("密钥"), "security_keys", Perm.SECURITY_MANAGE),
]


def _may(user, perm) -> bool:
    return perm is None or any(user.has_role_perm(p) for p in (perm if isinstance(perm, tuple) else (perm,)))


def navigation(request):
    """The menu: ``nav`` every page the account may open, ``nav_groups`` the same by group for the header."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav": [], "can": {}}
    items = [
        {"group": group, "label": label, "url": reverse(name), "active": False}
        for group, label, name, perm in NAV
        if _may(user, perm)
    ]
    # the page being read belongs to the menu entry whose address is the longest beginning of its own
    # (/cases/12/ to 案件, /households/new/ to 登记家庭 rather than 家庭查询)
    path = request.path
    here = max(
        (i for i in items if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))),
        key=lambda i: len(i["url"]),
        default=None,
    )
    if here is not None:
        here["active"] = True
    groups = []
    for key, label in GROUPS:
        pages = [i for i in items if i["group"] == key]
        if pages:
            groups.append({"label": label, "pages": pages, "active": any(i["active"] for i in pages)})
    # can.registry_export, can.pii_full, can.evaluate, … for templates
    can = {
        p.replace(".", "_"): user.has_role_perm(p)
        for name, p in vars(Perm).items()
        if name.isupper() and isinstance(p, str)
    }
    return {"nav": items, "nav_groups": groups, "can": can}
