"""The only writers of the registry. Each action checks permission and area scope, changes the data and
writes one audit event, all in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import area_get, covers, perm_require
from doudi.audit.actions import audit_record, diff, snapshot
from doudi.core.actions import action
from doudi.core.crypto import blind_index
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.validation import date_range_check, text_clean

from .choices import Relation
from .events import RecordEvent, RegistryEvent
from .facts import facts_refresh
from .models import RECORD_MODELS, Household, Membership, Person
from .records import record_clean
from .validation import duplicate_id_message, household_clean, person_clean, relation_clean


def _ensure_village(area) -> None:
    if area.level != "village":
        raise ApplicationError(
            "家庭须登记到村或社区",
            "A household must be registered to a village or community",
            field="area",
            code="area_level",
        )


def _ensure_editable(actor, household: Household) -> None:
    perm_require(actor, Perm.REGISTRY_EDIT)
    if not covers(actor, household.area_id):
        raise NotFound()


def _current_membership(person: Person) -> Membership | None:
    return person.memberships.filter(end_date__isnull=True).select_related("household__area").first()


def _ensure_id_free(id_number: str | None, *, except_person: Person | None = None) -> None:
    if not id_number:
        return
    clash = Person.objects.filter(id_index=blind_index(id_number, domain="id_number"))
    if except_person is not None:
        clash = clash.exclude(pk=except_person.pk)
    other = clash.first()
    if other is not None:
        membership = _current_membership(other)
        raise duplicate_id_message(id_number, membership.household if membership else None)


def household_refresh(household: Household) -> None:
    """Recompute the denormalised head name and member count shown in lists."""
    current = household.memberships.filter(end_date__isnull=True).select_related("person")
    head = next((m.person.name for m in current if m.relation == Relation.HEAD), "")
    Household.objects.filter(pk=household.pk).update(head_name=head, member_count=len(current))
    household.head_name, household.member_count = head, len(current)
    facts_refresh([household.pk])


def _check_members(members: list[dict]) -> None:
    if not members:
        raise ApplicationError(
            "至少登记一名成员（户主）", "Register at least one member (the head)", field="members", code="no_members"
        )
    heads = [m for m in members if m.get("relation") == Relation.HEAD]
    if len(heads) != 1:
        raise ApplicationError(
            f"一户须有且只有一名户主，现有{len(heads)}名",
            f"A household needs exactly one head; found {len(heads)}",
            field="members",
            code="one_head",
        )
    seen: dict[str, int] = {}
    for i, m in enumerate(members):
        if m.get("id_number"):
            if m["id_number"] in seen:
                raise ApplicationError(
                    f"第{i + 1}名成员与第{seen[m['id_number']] + 1}名成员身份证号相同",
                    f"Members {seen[m['id_number']] + 1} and {i + 1} have the same ID number",
                    field=f"members.{i}.id_number",
                    code="duplicate_id",
                )
            seen[m["id_number"]] = i


def members_clean(raw_members: list[dict], today: dt.date | None = None) -> list[dict]:
    cleaned = []
    for i, raw in enumerate(raw_members):
        try:
            member = person_clean(raw, today=today)
            member["relation"] = relation_clean(raw.get("relation"))
        except ApplicationError as e:
            e.field = f"members.{i}.{e.field}"
            raise
        cleaned.append(member)
    _check_members(cleaned)
    return cleaned


@action
def household_register(
    *, actor, area_code: str, data: dict, members: list[dict], batch_id: str = "", joined: dt.date | None = None
) -> Household:
    """Register a household with its members (one of them the head)."""
    perm_require(actor, Perm.REGISTRY_EDIT)
    area = area_get(actor, area_code)
    _ensure_village(area)
    fields = household_clean(data)
    cleaned = members_clean(members)
    for i, m in enumerate(cleaned):
        try:
            _ensure_id_free(m.get("id_number"))
        except ApplicationError as e:
            e.field = f"members.{i}.id_number"
            raise
    household = Household.objects.create(area=area, created_by=actor if actor.pk else None, batch_id=batch_id, **fields)
    joined = joined or timezone.localdate()
    people = []
    for m in cleaned:
        relation = m.pop("relation")
        person = Person.objects.create(**m)
        Membership.objects.create(person=person, household=household, relation=relation, start_date=joined)
        people.append({"id": person.pk, "relation": relation, **snapshot(person, exclude=("created_at", "updated_at"))})
    household_refresh(household)
    audit_record(
        actor=actor,
        action=RegistryEvent.HOUSEHOLD_REGISTER,
        target=household,
        area_code=area.code,
        household_id=household.pk,
        batch_id=batch_id,
        new={**snapshot(household, exclude=("created_at", "updated_at")), "members": people},
    )
    return household


@action
def household_update(*, actor, household: Household, data: dict) -> Household:
    _ensure_editable(actor, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    before = snapshot(household, exclude=("created_at", "updated_at"))
    fields = household_clean(data, partial=True)
    if "area_code" in data and data["area_code"] != household.area_id:
        area = area_get(actor, data["area_code"])
        _ensure_village(area)
        household.area = area
    for k, v in fields.items():
        setattr(household, k, v)
    household.save()
    facts_refresh([household.pk])
    old, new = diff(before, snapshot(household, exclude=("created_at", "updated_at")))
    if new:
        audit_record(
            actor=actor,
            action=RegistryEvent.HOUSEHOLD_UPDATE,
            target=household,
            old=old,
            new=new,
            area_code=household.area_id,
            household_id=household.pk,
        )
    return household


@action
def member_add(*, actor, household: Household, data: dict, joined: dt.date | None = None) -> Person:
    """Register a new person as a member of ``household``."""
    _ensure_editable(actor, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    fields = person_clean(data)
    relation = relation_clean(data.get("relation"))
    _ensure_one_head(household, relation)
    _ensure_id_free(fields.get("id_number"))
    person = Person.objects.create(**fields)
    Membership.objects.create(
        person=person, household=household, relation=relation, start_date=joined or timezone.localdate()
    )
    household_refresh(household)
    audit_record(
        actor=actor,
        action=RegistryEvent.PERSON_ADD,
        target=person,
        area_code=household.area_id,
        household_id=household.pk,
        new={**snapshot(person, exclude=("created_at", "updated_at")), "relation": relation},
    )
    return person


def _ensure_one_head(household: Household, relation: str, *, except_person: Person | None = None) -> None:
    if relation != Relation.HEAD:
        return
    heads = household.memberships.filter(end_date__isnull=True, relation=Relation.HEAD)
    if except_person is not None:
        heads = heads.exclude(person=except_person)
    if heads.exists():
        raise ApplicationError("该户已有户主", "This household already has a head", field="relation", code="one_head")


@action
def person_update(*, actor, person: Person, data: dict) -> Person:
    membership = _current_membership(person)
    if membership is None:
        raise NotFound()
    _ensure_editable(actor, membership.household)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = {**snapshot(person, exclude=("created_at", "updated_at")), "relation": membership.relation}
    fields = person_clean(data, partial=True)
    if "id_number" in fields:
        _ensure_id_free(fields["id_number"], except_person=person)
    died_on = fields.get("died_on", person.died_on)
    if died_on is not None and died_on < fields.get("birth_date", person.birth_date):
        raise ApplicationError(
            "死亡日期不能早于出生日期", "The date of death is before the birth date", field="died_on"
        )
    for k, v in fields.items():
        setattr(person, k, v)
    person.save()
    if "relation" in data and data["relation"] != membership.relation:
        relation = relation_clean(data["relation"])
        _ensure_one_head(membership.household, relation, except_person=person)
        membership.relation = relation
        membership.save(update_fields=["relation"])
    household_refresh(membership.household)
    old, new = diff(before, {**snapshot(person, exclude=("created_at", "updated_at")), "relation": membership.relation})
    if new:
        audit_record(
            actor=actor,
            action=RegistryEvent.PERSON_UPDATE,
            target=person,
            old=old,
            new=new,
            area_code=membership.household.area_id,
            household_id=membership.household_id,
        )
    return person


@action
def person_move(
    *, actor, person: Person, to_household: Household, relation: str, on: dt.date | None = None, reason: str = ""
) -> Membership:
    """Move a person to another household. The old membership is closed, not deleted: history stays."""
    current = _current_membership(person)
    if current is None:
        raise NotFound()
    _ensure_editable(actor, current.household)
    _ensure_editable(actor, to_household)
    if current.household_id == to_household.pk:
        raise ApplicationError(
            "该成员已在目标家庭中",
            "The person is already in that household",
            field="to_household",
            code="same_household",
        )
    relation = relation_clean(relation)
    reason = text_clean(reason, field="reason", zh_label="迁移原因", en_label="Reason", max_length=100)
    # Lock both households in primary-key order so two moves cannot deadlock.
    list(Household.objects.select_for_update().filter(pk__in=[current.household_id, to_household.pk]).order_by("pk"))
    _ensure_one_head(to_household, relation)
    on = date_range_check(on or timezone.localdate(), field="on", zh_label="迁移日期", en_label="Date of the move")
    _ensure_after_start(current, on)
    current.end_date, current.end_reason = on, reason or "迁入其他家庭"
    current.save(update_fields=["end_date", "end_reason"])
    new = Membership.objects.create(person=person, household=to_household, relation=relation, start_date=on)
    household_refresh(current.household)
    household_refresh(to_household)
    payload = {
        "person": person.pk,
        "from_household": current.household_id,
        "to_household": to_household.pk,
        "relation": relation,
        "date": on,
        "reason": reason,
    }
    audit_record(
        actor=actor,
        action=RegistryEvent.PERSON_MOVE,
        target=person,
        area_code=current.household.area_id,
        household_id=current.household_id,
        old={"household": current.household_id, "relation": current.relation},
        new=payload,
    )
    return new


@action
def member_leave(*, actor, person: Person, on: dt.date | None = None, reason: str) -> None:
    """End a person's membership without a new household (moved out of the county, died…)."""
    current = _current_membership(person)
    if current is None:
        raise NotFound()
    _ensure_editable(actor, current.household)
    reason = text_clean(
        reason, field="reason", zh_label="离开原因", en_label="Reason for leaving", max_length=100, required=True
    )
    on = date_range_check(on or timezone.localdate(), field="on", zh_label="离开日期", en_label="Date of leaving")
    _ensure_after_start(current, on)
    current.end_date, current.end_reason = on, reason
    current.save(update_fields=["end_date", "end_reason"])
    household_refresh(current.household)
    audit_record(
        actor=actor,
        action=RegistryEvent.PERSON_LEAVE,
        target=person,
        area_code=current.household.area_id,
        household_id=current.household_id,
        old={"household": current.household_id},
        new={"end_date": current.end_date, "reason": current.end_reason},
    )


def _ensure_after_start(membership: Membership, on: dt.date) -> None:
    if on < membership.start_date:
        raise ApplicationError(
            f"日期不能早于加入本户的日期 {membership.start_date:%Y-%m-%d}",
            f"Date cannot be before joining the household on {membership.start_date:%Y-%m-%d}",
            field="on",
            code="date_before_start",
        )


def _record_model(kind: str):
    try:
        return RECORD_MODELS[kind]
    except KeyError:
        raise NotFound("没有这种记录类型", "No such record kind") from None


@action
def record_add(*, actor, household: Household, kind: str, data: dict[str, Any]):
    """Add an income, expenditure, asset, business role or supporter record to a household."""
    _ensure_editable(actor, household)
    model = _record_model(kind)
    fields = record_clean(model, data, household=household)
    record = model.objects.create(household=household, **fields)
    facts_refresh([household.pk])
    audit_record(
        actor=actor,
        action=RecordEvent.of(model, "add"),
        target=record,
        area_code=household.area_id,
        household_id=household.pk,
        label=f"{household} {model._meta.verbose_name}",
        new=snapshot(record),
    )
    return record


@action
def record_update(*, actor, household: Household, kind: str, record_id: int, data: dict[str, Any]):
    _ensure_editable(actor, household)
    model = _record_model(kind)
    record = model.objects.select_for_update().filter(household=household, pk=record_id).first()
    if record is None:
        raise NotFound()
    before = snapshot(record)
    for k, v in record_clean(model, data, household=household).items():
        setattr(record, k, v)
    record.save()
    facts_refresh([household.pk])
    old, new = diff(before, snapshot(record))
    if new:
        audit_record(
            actor=actor,
            action=RecordEvent.of(model, "update"),
            target=record,
            old=old,
            new=new,
            area_code=household.area_id,
            household_id=household.pk,
            label=f"{household} {model._meta.verbose_name}",
        )
    return record


@action
def record_delete(*, actor, household: Household, kind: str, record_id: int) -> None:
    _ensure_editable(actor, household)
    model = _record_model(kind)
    record = model.objects.select_for_update().filter(household=household, pk=record_id).first()
    if record is None:
        raise NotFound()
    old = snapshot(record)
    record.delete()
    facts_refresh([household.pk])
    audit_record(
        actor=actor,
        action=RecordEvent.of(model, "delete"),
        target_type=model._meta.model_name,
        target_id=record_id,
        label=f"{household} {model._meta.verbose_name}",
        old=old,
        area_code=household.area_id,
        household_id=household.pk,
    )
