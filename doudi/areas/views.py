from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.roles import Perm
from doudi.accounts.scope import areas_visible, perm_require
from doudi.core.errors import ApplicationError
from doudi.core.models import CalendarYear
from doudi.core.uploads import import_max_bytes, upload_read

from .actions import areas_import


@login_required
def area_list(request):
    """The areas of one's subtree: business roles read them, the system administrator also imports them and loads
    the holiday calendar."""
    if not request.user.has_role_perm(Perm.AREAS_MANAGE):
        perm_require(request.user, Perm.REGISTRY_VIEW)
    if request.method == "POST":
        perm_require(request.user, Perm.AREAS_MANAGE)
        try:
            _name, content = upload_read(request, max_bytes=import_max_bytes(), zh_label="CSV文件", en_label="CSV file")
            if b"\x00" in content:
                raise ApplicationError(
                    "该文件不是CSV文本（含有二进制内容）",
                    "This is not a CSV text file (it has binary content)",
                    field="file",
                    code="bad_file",
                )
            n = areas_import(actor=request.user, text=content.decode("utf-8-sig"))
        except (ApplicationError, UnicodeDecodeError) as e:
            messages.error(request, getattr(e, "message", _("文件须为UTF-8编码的CSV / The file must be UTF-8 CSV")))
        else:
            messages.success(request, _("已导入%(n)s个区划") % {"n": n})
        return redirect("area_list")
    areas = areas_visible(request.user).filter(level__in=["county", "township", "village"]).select_related("parent")
    can_manage = request.user.has_role_perm(Perm.AREAS_MANAGE)
    years = list(CalendarYear.objects.order_by("year")) if can_manage else []
    this_year = timezone.localdate().year
    loaded = {y.year for y in years}
    return render(
        request,
        "areas/area_list.html",
        {
            "areas": areas,
            "can_manage": can_manage,
            "calendar_years": years,
            "calendar_span": (years[0].year, years[-1].year) if years else None,
            "calendar_missing": [y for y in (this_year, this_year + 1) if y not in loaded] if can_manage else [],
        },
    )
