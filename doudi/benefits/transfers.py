"""A household moving to another township of the county (跨乡镇迁移).

A township's staff act only inside their township, so neither side can move a household across alone: the
township it leaves asks (the village it moves to, the date, the new address, why); the township it moves to sees
the request on its home page with the family and what it receives, and accepts or sends it back with a reason.
Accepting moves the household to the new village and, with it, every programme it receives that is still paying
(its enrolments' area, so payrolls and rosters from then on are the new township's) and its open applications and
cases; the amounts are unchanged (the standards are the county's), and the next review is the new township's.
The township it left may withdraw a request not yet answered. Within one township no request is needed: the
household's village is changed on its page. Every step is in the audit trail of both townships."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.areas.models import Area
from doudi.audit.actions import audit_record
from doudi.cases import workflow as wf
from doudi.cases.models import LIVE_STATUSES, Application, Case, Enrolment
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from doudi.core.validation import date_range_check, text_clean
from doudi.registry.facts import facts_refresh
from doudi.registry.models import Household

from .events import BenefitEvent
from .models import Transfer, TransferState

TOWNSHIP = 9  # significant digits of a township's code
COUNTY = 6

# Apps above benefits (verification's register, alerts and discoveries) are told, in the same transaction, that a
# household moved: ``watcher(actor=..., household=..., old_area=..., new_area=...)``.
_MOVED: list = []


def household_moved_register(watcher) -> None:
    if watcher not in _MOVED:
        _MOVED.append(watcher)


def transfers_visible(user) -> QuerySet[Transfer]:
    return scope.visible(user, "benefits.Transfer")


def transfers_incoming(user) -> QuerySet[Transfer]:
    """Requests waiting for the account's township to accept or send back (its home page's work)."""
    if len(user.scope_prefix) != TOWNSHIP or not user.has_role_perm(Perm.REGISTRY_EDIT):
        return Transfer.objects.none()
    return (
        transfers_visible(user)
        .filter(state=TransferState.PENDING, to_area__code__startswith=user.scope_prefix)
        .select_related("household", "from_area__parent", "to_area__parent", "requested_by")
    )


def _township_staff(actor) -> None:
    """A move between townships is the townships' business: a village's or the county's account is refused."""
    perm_require(actor, Perm.REGISTRY_EDIT)
    if len(actor.scope_prefix) != TOWNSHIP:
        raise PermissionDenied(
            "跨乡镇迁移由乡镇（街道）经办人办理", "A move between townships is made by a township's caseworker"
        )


def destinations(user) -> QuerySet[Area]:
    """The villages of the county's other townships a household of the account's township may move to."""
    prefix = user.scope_prefix
    if len(prefix) < TOWNSHIP:
        return Area.objects.none()  # a county account moves no household: the townships do
    return (
        Area.objects.filter(level="village", code__startswith=prefix[:COUNTY])
        .exclude(code__startswith=prefix[:TOWNSHIP])
        .select_related("parent")
        .order_by("code")
    )


@action
def transfer_request(
    *, actor, household: Household, to_area: str, moved_on: dt.date, address: str = "", reason: str
) -> Transfer:
    """The township the household leaves asks the township it moves to."""
    _township_staff(actor)
    if not covers(actor, household.area_id):
        raise NotFound(field="household")
    household = Household.objects.select_for_update().get(pk=household.pk)
    to_area = text_clean(
        to_area, field="to_area", zh_label="迁入地", en_label="Moving to", max_length=12, required=True
    )
    area = destinations(actor).filter(code=to_area).first()
    if area is None:
        raise ApplicationError(
            "迁入地应为本县其他乡镇（街道）的村（社区）；本乡镇内迁移请直接修改家庭所在村",
            "Choose a village of another township of the county; within the township, change the household's village",
            field="to_area",
        )
    date_range_check(moved_on, field="moved_on", zh_label="迁移日期", en_label="Date of the move")
    if moved_on > timezone.localdate():
        raise ApplicationError("迁移日期不能晚于今天", "The date of the move cannot be in the future", field="moved_on")
    reason = text_clean(reason, field="reason", zh_label="迁移原因", en_label="Reason", max_length=200, required=True)
    address = text_clean(address, field="address", zh_label="新住址", en_label="New address", max_length=200)
    if Transfer.objects.filter(household=household, state=TransferState.PENDING).exists():
        raise Conflict("该家庭已有待接收的迁移申请", "A move of this household is already waiting", field="household")
    t = Transfer.objects.create(
        household=household,
        from_area_id=household.area_id,
        to_area=area,
        moved_on=moved_on,
        address=address,
        reason=reason,
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action=BenefitEvent.TRANSFER_REQUEST,
        target=t,
        area_code=household.area_id,
        household_id=household.pk,
        new={"to_area": area.code, "moved_on": moved_on, "reason": reason},
    )
    return t


def _pending(transfer: Transfer) -> Transfer:
    t = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if t.state != TransferState.PENDING:
        raise Conflict(
            f"该迁移申请{t.get_state_display()}，不能再处理",
            f"This move is already {t.state}",
            field="state",
            code="decided",
        )
    return t


@action
def transfer_accept(*, actor, transfer: Transfer, note: str = "") -> Transfer:
    """The township the household moves to takes it in, with its programmes and open cases."""
    _township_staff(actor)
    if not covers(actor, transfer.to_area_id):
        raise NotFound(field="transfer")
    t = _pending(transfer)
    note = text_clean(note, field="note", zh_label="说明", en_label="Note", max_length=200)
    household = Household.objects.select_for_update().get(pk=t.household_id)
    old_area = household.area_id
    household.area_id = t.to_area_id
    if t.address:
        household.address = t.address
    household.save()
    facts_refresh([household.pk])
    moved = list(
        Enrolment.objects.filter(household=household, status__in=LIVE_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Enrolment.objects.filter(pk__in=moved).update(area_code=t.to_area_id)
    cases = list(
        Case.objects.filter(household=household, state__in=wf.OPEN_STATES).order_by("pk").values_list("pk", flat=True)
    )
    Case.objects.filter(pk__in=cases).update(area_code=t.to_area_id)
    # applications of its open cases, and those not yet made into a case
    applications = Application.objects.filter(Q(cases__pk__in=cases) | Q(cases__isnull=True), household=household)
    Application.objects.filter(pk__in=list(applications.values_list("pk", flat=True))).update(area_code=t.to_area_id)
    for watcher in _MOVED:
        watcher(actor=actor, household=household, old_area=old_area, new_area=t.to_area_id)
    t.state, t.decided_by, t.decided_at, t.note = TransferState.ACCEPTED, actor, timezone.now(), note
    t.save(update_fields=["state", "decided_by", "decided_at", "note"])
    audit_record(
        actor=actor,
        action=BenefitEvent.TRANSFER_ACCEPT,
        target=t,
        area_code=t.to_area_id,
        household_id=household.pk,
        old={"from_area": old_area},
        new={"to_area": t.to_area_id, "moved_enrolments": moved, "moved_cases": cases, "note": note},
    )
    return t


@action
def transfer_refuse(*, actor, transfer: Transfer, note: str) -> Transfer:
    """The township it moves to sends the request back, saying why (the household stays where it is)."""
    _township_staff(actor)
    if not covers(actor, transfer.to_area_id):
        raise NotFound(field="transfer")
    t = _pending(transfer)
    note = text_clean(note, field="note", zh_label="退回原因", en_label="Reason", max_length=200, required=True)
    t.state, t.decided_by, t.decided_at, t.note = TransferState.REFUSED, actor, timezone.now(), note
    t.save(update_fields=["state", "decided_by", "decided_at", "note"])
    audit_record(
        actor=actor,
        action=BenefitEvent.TRANSFER_REFUSE,
        target=t,
        area_code=t.from_area_id,
        household_id=t.household_id,
        new={"note": note},
    )
    return t


@action
def transfer_withdraw(*, actor, transfer: Transfer) -> Transfer:
    """The township the household leaves takes back a request not yet answered."""
    _township_staff(actor)
    if not covers(actor, transfer.from_area_id):
        raise NotFound(field="transfer")
    t = _pending(transfer)
    t.state, t.decided_by, t.decided_at = TransferState.WITHDRAWN, actor, timezone.now()
    t.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=BenefitEvent.TRANSFER_WITHDRAW,
        target=t,
        area_code=t.from_area_id,
        household_id=t.household_id,
    )
    return t
