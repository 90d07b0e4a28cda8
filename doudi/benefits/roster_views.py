"""The old-age allowance roster pages (rosters.py): the month's villages for the township and the county (those
not confirmed first, and the people held), one village's roster for its cadre to confirm on the page or through
its .xlsx, and building the month's roster (county). Views parse, call one action or selector, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.areas.models import Area
from doudi.core.errors import ApplicationError
from doudi.core.money import month_start
from doudi.core.uploads import import_max_bytes, upload_read
from doudi.core.validation import month_clean

from . import previews, selectors
from .actions import elderly_roster_build
from .models import RosterMark, RosterState
from .rosters import Mark, elderly_roster_confirm, elderly_roster_import, elderly_roster_preview, roster_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(request, default):
    value = request.GET.get("month") or request.POST.get("month")
    if not value:
        return default
    return month_clean(value, field="month", zh_label="名册月份", en_label="Month")


def _names(codes) -> dict[str, str]:
    return dict(Area.objects.filter(code__in=set(codes)).values_list("code", "name"))


@login_required
def elderly_rosters(request):
    """The month's rosters of the account's area: the villages not confirmed first (their people are not paid
    until they confirm), and the people the villages marked moved, died or disputed. The county builds the
    month's roster here."""
    perm_require(request.user, Perm.CASE_VIEW)
    today = timezone.localdate()
    ctx: dict = {"can_build": request.user.has_role_perm(Perm.CASE_DECIDE)}
    try:
        month = _month(request, month_start(today))
    except ApplicationError as e:
        ctx["error"], month = e, month_start(today)
    if request.method == "POST":
        perm_require(request.user, Perm.CASE_DECIDE)
        try:
            result = elderly_roster_build(actor=request.user, month=month)
        except ApplicationError as e:
            ctx["error"] = e
        else:
            messages.success(
                request,
                _("已生成%(month)s名册：发放%(paid)s人，新纳入%(added)s人，停发%(stopped)s人")
                % {"month": f"{month:%Y-%m}", "paid": result.paid, "added": result.added, "stopped": result.stopped},
            )
            return redirect(f"{reverse('elderly_rosters')}?month={month:%Y-%m}")
    rosters = list(selectors.rosters_of_month(request.user, month))
    held = list(selectors.roster_lines_held(request.user, month)[:200])
    names = _names([r.area_code for r in rosters] + [x.roster.area_code for x in held])
    for r in rosters:
        r.village = names.get(r.area_code, r.area_code)
    for x in held:
        x.village = names.get(x.roster.area_code, x.roster.area_code)
    open_rosters = [r for r in rosters if r.state == RosterState.OPEN]
    ctx.update(
        month=month,
        months=selectors.roster_months(request.user),
        rosters=rosters,
        held=held,
        open_count=len(open_rosters),
        waiting_people=sum(r.people - r.n_present for r in rosters),
        paid_people=sum(r.n_present for r in rosters),
    )
    return render(request, "benefits/elderly_rosters.html", ctx, status=400 if "error" in ctx else 200)


def _can_confirm(user, roster) -> bool:
    return user.has_role_perm(Perm.ROSTER_CONFIRM) and scope.covers(user, roster.area_code)


@login_required
def elderly_roster_detail(request, pk: int):
    """One village's roster: each person with the amount for the month, and the village's mark and note; the
    cadre marks everyone and confirms (whole or nothing), or fills in the exported .xlsx and imports it."""
    perm_require(request.user, Perm.CASE_VIEW)
    roster = selectors.roster_get(request.user, pk)
    lines = list(selectors.roster_lines(roster))
    ctx: dict = {"roster": roster, "village": _names([roster.area_code]).get(roster.area_code, roster.area_code)}
    if request.method == "POST":
        perm_require(request.user, Perm.ROSTER_CONFIRM)
        marks = [
            Mark(
                line.pk,
                request.POST.get(f"mark-{line.pk}", ""),
                request.POST.get(f"note-{line.pk}", ""),
                f"{line.person.name}（{_('编号')} {line.pk}）",
            )
            for line in lines
        ]
        try:
            elderly_roster_confirm(actor=request.user, roster=roster, marks=marks)
        except ApplicationError as e:
            ctx["error"] = e
            for line, m in zip(lines, marks, strict=True):
                line.mark, line.note = m.mark, m.note  # shown again as entered
        else:
            messages.success(request, _("名册已确认，标为属实的人员进入本月发放"))
            return redirect("elderly_roster_detail", pk=roster.pk)
    ctx.update(
        lines=lines,
        marks=[(v, label) for v, label in RosterMark.choices if v != RosterMark.PENDING],
        can_confirm=_can_confirm(request.user, roster),
        total=sum((x.amount for x in lines), start=0),
    )
    return render(request, "benefits/elderly_roster.html", ctx, status=400 if "error" in ctx else 200)


@login_required
def elderly_roster_export(request, pk: int):
    """The roster as an .xlsx for the village to fill in (ID numbers masked)."""
    perm_require(request.user, Perm.CASE_VIEW)
    roster = selectors.roster_get(request.user, pk)
    village = _names([roster.area_code]).get(roster.area_code, roster.area_code)
    response = HttpResponse(roster_xlsx(roster, village_name=village), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="elderly-roster-{roster.area_code}-{roster.month:%Y-%m}.xlsx"'
    )
    return response


@login_required
@require_POST
def elderly_roster_upload(request, pk: int):
    """The filled-in .xlsx uploaded and previewed first — each person whose mark changes, and every error by row and
    column — then confirmed from the preview (the file kept sealed meanwhile): whole or nothing; or cancelled. The
    file kept for the preview is removed either way (previews.py)."""
    perm_require(request.user, Perm.ROSTER_CONFIRM)
    roster = scope.get_actionable(request.user, "benefits.ElderlyRoster", pk)
    village = _names([roster.area_code]).get(roster.area_code, roster.area_code)
    ctx: dict = {"roster": roster, "village": village}
    what = f"elderly-{roster.pk}"  # a preview confirms the roster it previewed, no other
    try:
        if request.POST.get("token"):
            if request.POST.get("cancel"):
                previews.preview_drop(request.user, what, request.POST["token"])
                messages.info(request, _("已取消导入，未作任何更改"))
                return redirect("elderly_roster_detail", pk=roster.pk)
            content = previews.preview_take(request.user, what, request.POST["token"])
            if content is None:
                raise ApplicationError("预览已过期，请重新上传", "The preview has expired: upload again", field="file")
            elderly_roster_import(actor=request.user, roster=roster, content=content)
            messages.success(request, _("已按导入的名册确认，标为属实的人员进入本月发放"))
            return redirect("elderly_roster_detail", pk=roster.pk)
        _name, content = upload_read(
            request, max_bytes=import_max_bytes(), zh_label="填好的名册文件", en_label="filled-in roster"
        )
        ctx["preview"] = elderly_roster_preview(actor=request.user, roster=roster, content=content)
    except ApplicationError as e:
        ctx["error"] = e
        return render(request, "benefits/elderly_roster_preview.html", ctx, status=400)
    if ctx["preview"].errors:
        return render(request, "benefits/elderly_roster_preview.html", ctx, status=400)
    ctx["token"] = previews.preview_keep(request.user, what, content)
    return render(request, "benefits/elderly_roster_preview.html", ctx)
