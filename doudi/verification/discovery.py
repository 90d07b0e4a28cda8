"""Active discovery (主动发现): from each new department load, the people who probably qualify for assistance but
are not enrolled, listed for the village cadre to visit; the visit's outcome is recorded [domain.md §6; 民政部
《关于加强低收入人口动态监测做好分层分类社会救助工作的意见》 (2023): 主动发现、及时救助].

A discovery is a hint, not a decision: it names the rule and the figures that raised it, in Chinese (and
English), and the visit decides whether the family applies. Four rules, each read on the records of one load that
matched a registry person whose household is in none of the programmes paid (dibao, tekun):

- ``disability``: a disability certificate of grade 1 or 2 issued within ``NEW_WITHIN_DAYS`` of the as-of date,
  and the household's registered per-capita monthly income below the edge line;
- ``elderly_alone``: a registration record of a person aged ``ELDERLY_AGE`` or more who is the only member of
  the household, with no income registered and no wage, pension or unemployment benefit in the departments' data;
- ``medical``: out-of-pocket medical costs of the year that, spread over twelve months and the members, bring
  the per-capita income below the edge line (支出型困难), and at least ``MEDICAL_MIN_OUT_OF_POCKET`` yuan;
- ``unemployed``: unemployment benefit that began within ``NEW_WITHIN_DAYS`` for the member with the highest
  registered wage, and the household's per-capita income without that wage below the edge line.

The edge line is the programme parameter ``single_person_edge_ratio`` × the dibao standard of the household's
hukou type in force on the as-of date (低保边缘家庭: per-capita income below 1.5 times the standard in the demo
pack). The thresholds below are *local* parameters of the demo county.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from doudi.accounts.models import Staff
from doudi.accounts.roles import Perm, Role
from doudi.accounts.scope import get_actionable, perm_require, visible
from doudi.areas.models import Area
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.cases.models import Application, Enrolment
from doudi.core.actions import action
from doudi.core.cells import xlsx_row
from doudi.core.errors import ApplicationError, Conflict
from doudi.core.idnumber import id_mask
from doudi.core.labels import said
from doudi.core.validation import text_clean
from doudi.core.workdays import add_working_days
from doudi.programmes.selectors import params_in_force
from doudi.registry.models import Household, Income, Membership

from .assets import ASSET_KINDS, assets_over_limits
from .events import VerificationEvent
from .models import IN_PAYMENT, DatasetLoad, DatasetRecord, Discovery, DiscoveryRule, DiscoveryState
from .report import both, record_values

NEW_WITHIN_DAYS = 365  # a certificate issued, or a benefit begun, within a year of the data's as-of date
ELDERLY_AGE = 60
MEDICAL_MIN_OUT_OF_POCKET = Decimal("10000")  # yuan in the year
VISIT_WORKING_DAYS = 10  # the cadre visits within ten working days of the list
INCOME_SOURCES = ("wage", "pension", "unemployment")  # kinds whose record means the elderly person has an income
PROGRAMMES_PAID = ("dibao", "tekun")
CENT = Decimal("0.01")


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class FamilyFigures:
    """What the rules read about one household: members, registered monthly income and the edge line."""

    def __init__(self, household: Household, on: dt.date, cache: dict):
        self.household = household
        self.members = list(
            Membership.objects.filter(household=household, end_date__isnull=True)
            .select_related("person")
            .order_by("person_id")
        )
        self.incomes = list(Income.objects.filter(household=household))
        key = (household.area_id[:9], household.hukou_type)
        if key not in cache:
            try:
                values = params_in_force("dibao", on, household.area_id).values
            except ApplicationError:
                cache[key] = None
            else:
                standard = Decimal(values["standard_urban" if household.hukou_type == "urban" else "standard_rural"])
                edge = (Decimal(values["single_person_edge_ratio"]) * standard).quantize(CENT)
                cache[key] = (standard, edge, values)
        self.standard_edge = cache[key][:2] if cache[key] else None
        self.params = cache[key][2] if cache[key] else None
        self._assets: list[tuple[str, str]] | None = None

    def assets_over(self) -> list[tuple[str, str]]:
        """Why the household's assets clearly exceed the dibao limits (declared or in the departments' data)."""
        if self._assets is None:
            self._assets = (
                assets_over_limits(
                    household_id=self.household.pk,
                    person_ids=[m.person_id for m in self.members],
                    counted=self.count,
                    standard=self.standard_edge[0],
                    params=self.params,
                )
                if self.params
                else []
            )
        return self._assets

    @property
    def count(self) -> int:
        return len([m for m in self.members if not m.person.deceased]) or 1

    def income(self, *, without_person: int | None = None, kind: str | None = None) -> Decimal:
        return sum(
            (
                i.monthly
                for i in self.incomes
                if not (without_person and i.person_id == without_person and i.kind == kind)
            ),
            Decimal("0"),
        )

    def per_capita(self, monthly: Decimal) -> Decimal:
        return (monthly / self.count).quantize(CENT)


def _in_payment(household_ids: set[int]) -> set[int]:
    return set(
        Enrolment.objects.filter(
            household_id__in=household_ids, status__in=IN_PAYMENT, programme_id__in=PROGRAMMES_PAID
        ).values_list("household_id", flat=True)
    )


def _has_income_record(person_id: int, area_prefix: str) -> bool:
    """Whether the newest load of a wage, pension or unemployment kind names this person."""
    for kind in INCOME_SOURCES:
        newest = DatasetLoad.objects.filter(kind=kind, area_prefix__startswith=area_prefix[:6]).order_by("-id").first()
        if newest and DatasetRecord.objects.filter(load=newest, person_id=person_id).exists():
            return True
    return False


def _rules(load: DatasetLoad, record: DatasetRecord, values: dict, h: FamilyFigures):
    """(rule, reason) for what this record says about a person not enrolled."""
    if h.standard_edge is None:
        return
    standard, edge = h.standard_edge
    kind, person, on = load.kind, record.person, load.as_of
    income = h.income()
    pc = h.per_capita(income)
    if kind == "disability":
        grade, issued = int(values.get("grade") or 0), _date(values.get("issued_on"))
        if grade in (1, 2) and issued and (on - issued).days <= NEW_WITHIN_DAYS and pc < edge:
            yield (
                DiscoveryRule.DISABILITY,
                both(
                    f"{issued:%Y-%m-%d} 新办残疾人证（{grade}级）；家庭人均月收入 {pc} 元，"
                    f"低于低保边缘线 {edge} 元（保障标准 {standard} 元）",
                    f"Grade {grade} disability certificate issued {issued:%Y-%m-%d}; per-capita income {pc} "
                    f"a month, below the edge line {edge} (standard {standard})",
                ),
            )
    if kind == "hukou" and values.get("status") == "normal":
        age = age_on(person.birth_date, on)
        if (
            age >= ELDERLY_AGE
            and h.count == 1
            and income == 0
            and not _has_income_record(person.pk, load.area_prefix or record.area_code)
        ):
            yield (
                DiscoveryRule.ELDERLY_ALONE,
                both(
                    f"{age} 周岁，户内仅本人；登记无收入，人社数据无工资、养老金、失业保险金",
                    f"Aged {age}, lives alone; no income registered, no wage, pension or unemployment benefit "
                    "in the departments' data",
                ),
            )
    if kind == "medical":
        paid = Decimal(values.get("out_of_pocket") or "0")
        after = max(h.per_capita(income - paid / 12), Decimal("0.00"))
        if paid >= MEDICAL_MIN_OUT_OF_POCKET and after < edge:
            yield (
                DiscoveryRule.MEDICAL,
                both(
                    f"{values.get('year', '')} 年医疗费用个人自付 {paid} 元；扣除后家庭人均月收入 {after} 元，"
                    f"低于低保边缘线 {edge} 元",
                    f"Paid {paid} for medical costs out of pocket in {values.get('year', '')}; per-capita income "
                    f"after it {after} a month, below the edge line {edge}",
                ),
            )
    if kind == "unemployment":
        since = _date(values.get("start_date"))
        wages = {}
        for i in h.incomes:
            if i.kind == "wage" and i.person_id:
                wages[i.person_id] = wages.get(i.person_id, Decimal("0")) + i.monthly
        main = max(wages, key=lambda p: (wages[p], -p)) if wages else None
        if since and (on - since).days <= NEW_WITHIN_DAYS and main == person.pk:
            after = h.per_capita(h.income(without_person=person.pk, kind="wage"))
            if after < edge:
                yield (
                    DiscoveryRule.UNEMPLOYED,
                    both(
                        f"家庭主要劳动力（登记工资 {wages[main]} 元/月）自 {since:%Y-%m-%d} 领取失业保险金；"
                        f"不计其工资家庭人均月收入 {after} 元，低于低保边缘线 {edge} 元",
                        f"The main earner (wage {wages[main]} a month) has drawn unemployment benefit since "
                        f"{since:%Y-%m-%d}; per-capita income without the wage {after}, below the edge line {edge}",
                    ),
                )


def _cadre(area_code: str, cache: dict) -> Staff | None:
    """The village's cadre who visits (the first active account of the village, by id); none: the township's."""
    if area_code not in cache:
        cache[area_code] = (
            Staff.objects.filter(role=Role.VILLAGE_CADRE, area_id=area_code, is_active=True).order_by("id").first()
        )
    return cache[area_code]


def assets_text(reasons: list[tuple[str, str]]) -> str:
    """The asset reasons as one stored text ("中文 / English", at most 400 characters)."""
    if not reasons:
        return ""
    zh, en = "；".join(r[0] for r in reasons), "; ".join(r[1] for r in reasons)
    return both(zh[:160], en[: 400 - 3 - len(zh[:160])])


def discoveries_reassess_assets(*, actor, load: DatasetLoad) -> int:
    """A new load of assets (bank balances, provident fund, vehicles, real estate, businesses) weighs again the
    open discoveries of the households it names: one whose assets now clearly exceed the limits goes to the end
    of the list with the reason, one whose assets no longer do comes back. Returns how many changed."""
    if load.kind not in ASSET_KINDS:
        return 0
    household_ids = set(
        DatasetRecord.objects.filter(load=load, household__isnull=False).values_list("household_id", flat=True)
    )
    open_ = list(
        Discovery.objects.filter(state=DiscoveryState.OPEN, household_id__in=household_ids)
        .select_related("household")
        .select_for_update()
        .order_by("pk")
    )
    params: dict = {}
    figures: dict[int, FamilyFigures] = {}
    changed = []
    for d in open_:
        if d.household_id not in figures:
            figures[d.household_id] = FamilyFigures(d.household, load.as_of, params)
        reasons = figures[d.household_id].assets_over()
        text = assets_text(reasons)
        if d.assets_over != bool(reasons) or d.assets_reason != text:
            d.assets_over, d.assets_reason = bool(reasons), text
            changed.append(d)
    Discovery.objects.bulk_update(changed, ["assets_over", "assets_reason"])
    if changed:
        audit_record(
            actor=actor,
            action=VerificationEvent.DISCOVERIES_ASSETS,
            kind=EventKind.BATCH,
            target=load,
            area_code=load.area_prefix.ljust(12, "0")[:12],
            batch_id=load.batch_id,
            new={
                "reassessed": len(changed),
                "assets_over": sum(1 for d in changed if d.assets_over),
            },
        )
    return len(changed)


def discoveries_raise(*, actor, load: DatasetLoad) -> int:
    """Every discovery a new load makes (run inside the load's transaction; a rerun or the same news in a later
    load lists nobody twice while the first discovery is open). A household whose assets clearly exceed the
    limits (assets.py) is still listed, last, with that reason: the data may be stale, the visit tells."""
    if load.kind not in ("disability", "hukou", "medical", "unemployment"):
        return 0
    records = list(
        DatasetRecord.objects.filter(load=load, household__isnull=False, person__isnull=False).select_related(
            "person", "household"
        )
    )
    enrolled = _in_payment({r.household_id for r in records})
    params: dict = {}
    households: dict[int, FamilyFigures] = {}
    cadres: dict = {}
    due = add_working_days(timezone.localdate(), VISIT_WORKING_DAYS).due
    made = assets_over = 0
    for r in records:
        if r.household_id in enrolled or r.person.deceased:
            continue
        if r.household_id not in households:
            households[r.household_id] = FamilyFigures(r.household, load.as_of, params)
        h = households[r.household_id]
        for rule, reason in _rules(load, r, record_values(r), h):
            over = h.assets_over()
            discovery = Discovery(
                assets_over=bool(over),
                assets_reason=assets_text(over),
                rule=rule,
                person=r.person,
                household_id=r.household_id,
                area_code=r.area_code,
                load=load,
                record=r,
                reason=reason[:400],
                assigned_to=_cadre(r.area_code, cadres),
                visit_due=due,
            )
            try:
                with transaction.atomic():
                    discovery.save()
            except IntegrityError:
                continue  # already on the list
            made += 1
            assets_over += bool(over)
    if made:
        audit_record(
            actor=actor,
            action=VerificationEvent.DISCOVERIES_RAISE,
            kind=EventKind.BATCH,
            target=load,
            area_code=load.area_prefix.ljust(12, "0")[:12],
            batch_id=load.batch_id,
            new={"discoveries": made, "assets_over": assets_over},
        )
    return made


OUTCOMES = [s for s in DiscoveryState.values if s != DiscoveryState.OPEN]


@action
def discovery_visit(
    *,
    actor,
    discovery_id: int,
    outcome: str,
    note: str = "",
    application_id: int | None = None,
    visited_on: dt.date | None = None,
) -> Discovery:
    """Record what the visit found: the family applied (linked to its application), is not eligible, does not
    want to apply, or has moved away. The three last need a note saying what the cadre saw."""
    perm_require(actor, Perm.DISCOVERY_VISIT)
    d = get_actionable(actor, "verification.Discovery", discovery_id, queryset=Discovery.objects.select_for_update())
    if d.state != DiscoveryState.OPEN:
        raise Conflict("该线索已登记走访结果", "This discovery's visit is already recorded", field="outcome")
    if outcome not in OUTCOMES:
        raise ApplicationError(
            "请选择走访结果：已申请救助、不符合条件、本人不愿申请或已迁走",
            "Choose the visit's outcome: applied, not eligible, refused or moved",
            field="outcome",
            code="invalid_choice",
        )
    note = text_clean(
        note,
        field="note",
        zh_label="走访情况",
        en_label="What the visit found",
        max_length=200,
        required=outcome != DiscoveryState.APPLIED,
    )
    visited_on = visited_on or timezone.localdate()
    if visited_on > timezone.localdate() or visited_on < d.created_at.date():
        raise ApplicationError(
            "走访日期应在列入名单之后、不晚于今天",
            "The visit date must fall between the listing and today",
            field="visited_on",
            code="out_of_range",
        )
    application = None
    if outcome == DiscoveryState.APPLIED:
        if not application_id:
            raise ApplicationError(
                "已申请救助的，请选择该户的申请",
                "Choose the household's application",
                field="application",
                code="required",
            )
        application = visible(actor, "cases.Application").filter(pk=application_id, household_id=d.household_id).first()
        if application is None:
            raise ApplicationError(
                "所选申请不是该户的申请",
                "That application is not this household's",
                field="application",
                code="invalid",
            )
    d.state, d.outcome_note, d.visited_on, d.application, d.recorded_by = (
        outcome,
        note,
        visited_on,
        application,
        actor,
    )
    d.save(update_fields=["state", "outcome_note", "visited_on", "application", "recorded_by"])
    audit_record(
        actor=actor,
        action=VerificationEvent.DISCOVERY_VISIT,
        target=d,
        area_code=d.area_code,
        household_id=d.household_id,
        new={"rule": d.rule, "outcome": outcome, "note": note, "application": application.pk if application else None},
    )
    return d


def household_applications(actor, household_id: int) -> list[Application]:
    """The household's applications the account may see, newest first (to link a visit to)."""
    return list(visible(actor, "cases.Application").filter(household_id=household_id).order_by("-id")[:20])


def discoveries_xlsx(qs) -> bytes:
    """The discoveries of ``qs`` (already scoped and filtered) as a visit list: township, village, person (ID number
    masked), household head, rule, reason, cadre, deadline and outcome; headers in the active language."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("主动发现走访名单"))
    ws.append(
        [
            _("乡镇（街道）"),
            _("村/社区"),
            _("姓名"),
            _("身份证号"),
            _("户主"),
            _("家庭编号"),
            _("发现规则"),
            _("发现依据"),
            _("资产情况"),
            _("走访人"),
            _("走访期限"),
            _("走访结果"),
            _("走访日期"),
            _("走访情况"),
        ]
    )
    rows = list(
        qs.select_related("person", "household", "assigned_to").order_by("area_code", "assets_over", "visit_due", "id")
    )
    codes = {r.area_code for r in rows} | {r.area_code[:9].ljust(12, "0") for r in rows}
    names = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    for d in rows:
        ws.append(
            xlsx_row(
                ws,
                [
                    names.get(d.area_code[:9].ljust(12, "0"), ""),
                    names.get(d.area_code, d.area_code),
                    d.person.name,
                    id_mask(d.person.id_number),
                    d.household.head_name,
                    d.household_id,
                    d.get_rule_display(),
                    said(d.reason),
                    (_("资产明显超标，可能不符合条件") + "：" + said(d.assets_reason)) if d.assets_over else "",
                    str(d.assigned_to or _("未指派")),
                    d.visit_due,
                    d.get_state_display(),
                    d.visited_on or "",
                    d.outcome_note,
                ],
            )
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
