import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from doudi.audit.models import AuditEvent
from doudi.core.errors import ApplicationError, NotFound
from doudi.registry import actions
from doudi.registry.models import Household, Membership, Person

from .conftest import member


def test_register_creates_household_members_and_one_audit_event(register, staff):
    h = register()
    assert h.head_name == "张大山" and h.member_count == 2
    people = Person.objects.filter(memberships__household=h)
    assert {p.sex for p in people} == {"M", "F"}
    assert people.get(name="李秀英").birth_date == dt.date(1978, 6, 15)
    events = AuditEvent.objects.filter(action="household.register")
    assert events.count() == 1
    e = events.get()
    assert e.actor == staff["caseworker_a"] and e.household_id == h.pk and e.area_code == "511425101201"
    assert len(e.new["members"]) == 2


def test_duplicate_id_refused_naming_the_household(register, staff):
    h = register()
    with pytest.raises(ApplicationError) as info:
        register(members=[member("王五", "1975-03-02", 11, "head")])
    assert info.value.code == "duplicate_id"
    assert f"户编号 {h.pk}" in info.value.message and "张大山" in info.value.message
    assert info.value.field == "members.0.id_number"
    with pytest.raises(ApplicationError):
        actions.member_add(actor=staff["caseworker_a"], household=h, data=member("复制", "1978-06-15", 22, "child"))
    assert Household.objects.count() == 1  # nothing half-saved


def test_household_needs_exactly_one_head(register):
    with pytest.raises(ApplicationError) as info:
        register(members=[member("甲", "1970-01-01", 1, "spouse")])
    assert info.value.code == "one_head"
    with pytest.raises(ApplicationError):
        register(members=[member("甲", "1970-01-01", 1, "head"), member("乙", "1971-01-01", 1, "head")])
    assert Household.objects.count() == 0 and Person.objects.count() == 0


def test_same_id_twice_in_one_registration_refused(register):
    with pytest.raises(ApplicationError) as info:
        register(members=[member("甲", "1970-01-01", 1, "head"), member("乙", "1970-01-01", 1, "child")])
    assert info.value.field == "members.1.id_number"


def test_move_keeps_history_and_one_current_household(register, staff):
    a = register()
    b = register(members=[member("赵四", "1980-02-02", 31, "head")])
    wife = Person.objects.get(name="李秀英")
    joined = Membership.objects.get(person=wife).start_date
    with pytest.raises(ApplicationError) as info:
        actions.person_move(
            actor=staff["caseworker_a"],
            person=wife,
            to_household=b,
            relation="spouse",
            on=joined - dt.timedelta(days=1),
        )
    assert info.value.field == "on"
    moved = joined + dt.timedelta(days=3)
    actions.person_move(
        actor=staff["caseworker_a"], person=wife, to_household=b, relation="spouse", on=moved, reason="再婚"
    )
    history = list(Membership.objects.filter(person=wife).order_by("id"))
    assert len(history) == 2
    assert history[0].household == a and history[0].end_date == moved
    assert history[1].household == b and history[1].end_date is None
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.member_count, b.member_count) == (1, 2)
    assert AuditEvent.objects.filter(action="person.move").count() == 1
    # The database itself refuses a second current membership.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=wife, household=a, relation="spouse", start_date=moved)


def test_move_refuses_a_second_head(register, staff):
    register()
    b = register(members=[member("赵四", "1980-02-02", 31, "head")])
    with pytest.raises(ApplicationError) as info:
        actions.person_move(
            actor=staff["caseworker_a"], person=Person.objects.get(name="李秀英"), to_household=b, relation="head"
        )
    assert info.value.code == "one_head"
    assert Membership.objects.filter(end_date__isnull=False).count() == 0


def test_update_audits_old_and_new_values(register, staff):
    h = register()
    actions.household_update(actor=staff["caseworker_a"], household=h, data={"phone": "13900002222"})
    e = AuditEvent.objects.get(action="household.update")
    # personal data is recorded as changed, masked: the full value stays in the record (reading it is audited)
    assert e.old == {"phone": "138****1111"} and e.new == {"phone": "139****2222"}
    p = Person.objects.get(name="张大山")
    actions.person_update(
        actor=staff["caseworker_a"],
        person=p,
        data={"disability_kind": "physical", "disability_grade": 2, "diagnosis": "脑梗塞后遗症"},
    )
    e = AuditEvent.objects.get(action="person.update")
    assert e.new == {"disability_kind": "physical", "disability_grade": 2, "diagnosis": "（已填写）"}
    assert "脑梗塞" not in str(AuditEvent.objects.values_list("old", "new")[::1])


def test_records_add_update_delete_each_audited_once(register, staff):
    h = register()
    head = Person.objects.get(name="张大山")
    inc = actions.record_add(
        actor=staff["caseworker_a"],
        household=h,
        kind="incomes",
        data={"person": head.pk, "kind": "wage", "monthly": "800.00"},
    )
    actions.record_update(
        actor=staff["caseworker_a"],
        household=h,
        kind="incomes",
        record_id=inc.pk,
        data={"person": head.pk, "kind": "wage", "monthly": "500.00"},
    )
    actions.record_delete(actor=staff["caseworker_a"], household=h, kind="incomes", record_id=inc.pk)
    actions.record_add(
        actor=staff["caseworker_a"],
        household=h,
        kind="vehicles",
        data={"value": "25000", "purpose": "livelihood", "plate": "川Z12345"},
    )
    actions.record_add(
        actor=staff["caseworker_a"],
        household=h,
        kind="supporters",
        data={"name": "张小山", "able": "", "reason": "服刑"},
    )
    assert [e.action for e in AuditEvent.objects.filter(household_id=h.pk).order_by("id")][1:] == [
        "income.add",
        "income.update",
        "income.delete",
        "vehicle.add",
        "supporter.add",
    ]
    assert AuditEvent.objects.get(action="income.update").old == {"monthly": "800.00"}


def test_record_validation_names_the_field(register, staff):
    h = register()
    with pytest.raises(ApplicationError) as info:
        actions.record_add(
            actor=staff["caseworker_a"], household=h, kind="incomes", data={"kind": "wage", "monthly": "-5"}
        )
    assert info.value.field == "monthly"
    with pytest.raises(ApplicationError) as info:
        actions.record_add(
            actor=staff["caseworker_a"], household=h, kind="incomes", data={"kind": "salary", "monthly": "5"}
        )
    assert info.value.field == "kind"
    with pytest.raises(ApplicationError) as info:
        actions.record_add(
            actor=staff["caseworker_a"],
            household=h,
            kind="incomes",
            data={"kind": "wage", "monthly": "5", "support_from": "sibling"},
        )
    assert info.value.field == "support_from"


def test_member_of_another_household_cannot_be_attached_to_a_record(register, staff):
    h = register()
    other = register(members=[member("赵四", "1980-02-02", 31, "head")])
    stranger = Person.objects.get(name="赵四")
    with pytest.raises(ApplicationError) as info:
        actions.record_add(
            actor=staff["caseworker_a"],
            household=h,
            kind="incomes",
            data={"person": stranger.pk, "kind": "wage", "monthly": "5"},
        )
    assert info.value.field == "person"
    assert other.pk


def test_leave_ends_membership(register, staff):
    h = register()
    p = Person.objects.get(name="李秀英")
    with pytest.raises(ApplicationError):
        actions.member_leave(actor=staff["caseworker_a"], person=p, reason=" ")
    actions.member_leave(actor=staff["caseworker_a"], person=p, reason="死亡")
    h.refresh_from_db()
    assert h.member_count == 1
    with pytest.raises(NotFound):
        actions.member_leave(actor=staff["caseworker_a"], person=p, reason="again")


def test_village_cadre_may_edit_only_own_village(register, staff):
    own = register(actor=staff["cadre_a"])
    assert own.area_id == "511425101201"
    with pytest.raises(NotFound):
        register(actor=staff["cadre_a"], area="511425101001", members=[member("钱六", "1960-01-01", 5, "head")])


def test_read_only_roles_cannot_change(register, staff):
    from doudi.core.errors import PermissionDenied

    h = register()
    for role in ("auditor", "approver"):
        with pytest.raises(PermissionDenied):
            actions.household_update(actor=staff[role], household=h, data={"phone": "13900000000"})


def test_maker_checker_rule(staff):
    from doudi.accounts.scope import ensure_not_maker
    from doudi.core.errors import PermissionDenied

    ensure_not_maker(staff["approver"], staff["caseworker_a"].pk)
    with pytest.raises(PermissionDenied) as info:
        ensure_not_maker(staff["approver"], staff["approver"].pk, what="case")
    assert info.value.code == "maker_checker"


def test_register_without_id_number_for_a_newborn(register):
    h = register(
        members=[
            member("赵四", "1980-02-02", 31, "head"),
            {"name": "赵小宝", "relation": "child", "birth_date": "2026-10-01", "sex": "M"},
        ]
    )
    assert h.member_count == 2 and Person.objects.get(name="赵小宝").id_number is None


def test_account_problem_is_recorded_when_the_household_is_saved(register, staff):
    from stdnum import luhn

    h = register(bank_account="6217000012345678")  # 16 digits failing the Luhn check digit
    assert "校验位" in Household.objects.get(pk=h.pk).bank_account_problem
    good = "621700001234567" + luhn.calc_check_digit("621700001234567")
    actions.household_update(actor=staff["caseworker_a"], household=h, data={"bank_account": good})
    assert Household.objects.get(pk=h.pk).bank_account_problem == ""
    actions.household_update(actor=staff["caseworker_a"], household=h, data={"bank_account": ""})
    assert "没有银行账号" in Household.objects.get(pk=h.pk).bank_account_problem
