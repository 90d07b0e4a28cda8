from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Perm

# (label, url name, permission needed or None)
NAV = [
    (_("首页"), "home", None),
    (_("家庭查询"), "household_search", Perm.REGISTRY_VIEW),
    (_("登记家庭"), "household_register", Perm.REGISTRY_EDIT),
    (_("批量导入"), "household_import", Perm.REGISTRY_IMPORT),
    (_("行政区划"), "area_list", Perm.REGISTRY_VIEW),
    (_("审计日志"), "audit_list", Perm.AUDIT_VIEW),
    (_("工作人员"), "staff_list", Perm.STAFF_MANAGE),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav": []}
    items = [{"label": label, "url": reverse(name), "active": request.resolver_match and
              request.resolver_match.url_name == name}
             for label, name, perm in NAV if perm is None or user.has_role_perm(perm)]
    return {"nav": items, "perms": {p: user.has_role_perm(p) for p in vars(Perm).values() if isinstance(p, str)
                                    and "." in p}}
