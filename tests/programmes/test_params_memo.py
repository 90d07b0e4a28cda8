"""The parameters in force read once per batch (params_memo), and never stale: a version approved inside the
batch is seen by the next decision."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from doudi.accounts.actions import staff_create
from doudi.programmes.actions import parameter_version_approve
from doudi.programmes.selectors import params_in_force, params_memo

from .test_versions_and_simulation import raise_rural

TOWNSHIP = "511425102000"
VILLAGE = "511425102001"


def test_outside_a_memo_every_call_reads_the_table(pack):
    with CaptureQueriesContext(connection) as queries:
        for day in range(1, 11):
            params_in_force("dibao", dt.date(2015, 6, day), VILLAGE)
    assert len(queries) == 10


def test_inside_a_memo_the_versions_are_read_once_and_give_the_same_values(pack):
    days = [dt.date(2015, 6, 1) + dt.timedelta(days=i) for i in range(40)] + [dt.date(2016, 2, 1)]
    plain = [params_in_force("dibao", day, VILLAGE) for day in days]
    with CaptureQueriesContext(connection) as queries, params_memo():
        memo = [params_in_force("dibao", day, VILLAGE) for day in days]
        with params_memo():  # nested: the outer memo serves
            params_in_force("dibao", dt.date(2015, 6, 2), TOWNSHIP)
    assert len(queries) == 1
    assert [(p.values, p.version_ids, p.county_code, p.in_county) for p in memo] == [
        (p.values, p.version_ids, p.county_code, p.in_county) for p in plain
    ]
    assert memo[0].values["standard_rural"] != memo[-1].values["standard_rural"]  # the 2016 rise is a new chain


def test_a_version_approved_inside_a_memo_is_seen_at_once(staff, pack):
    on = dt.date(2015, 7, 1)
    checker = staff_create(
        actor=None,
        username="approver2",
        password="x" * 12,
        role="county_approver",
        area_code="511425000000",
        check_password=False,
    )
    with params_memo():
        before = params_in_force("dibao", on, VILLAGE).values["standard_rural"]
        draft = raise_rural(staff["approver"], rural="231.00", on=on)
        assert params_in_force("dibao", on, VILLAGE).values["standard_rural"] == before  # a draft is not in force
        simulated = params_in_force("dibao", on, VILLAGE, draft=draft)  # what-if: the draft as approved
        assert simulated.values["standard_rural"] == Decimal("231.00")
        parameter_version_approve(actor=checker, version=draft)
        assert params_in_force("dibao", on, VILLAGE).values["standard_rural"] == Decimal("231.00")
    assert before != Decimal("231.00")


def test_a_simulated_draft_is_memoised_under_its_own_key(staff, pack):
    """One memo for batches and simulations (evaluate's separate params_cache is gone): the draft's versions are
    read once, keyed by its pk, and never leak into the approved parameters read in the same memo."""
    on = dt.date(2015, 7, 1)
    draft = raise_rural(staff["approver"], rural="231.00", on=on)
    days = [on + dt.timedelta(days=i) for i in range(20)]
    plain = [params_in_force("dibao", day, VILLAGE, draft=draft) for day in days]
    with CaptureQueriesContext(connection) as queries, params_memo():
        simulated = [params_in_force("dibao", day, VILLAGE, draft=draft) for day in days]
        approved = [params_in_force("dibao", day, VILLAGE) for day in days]
        again = params_in_force("dibao", on, TOWNSHIP, draft=draft)
    assert len(queries) == 2  # the draft's key once, the approved key once
    assert [p.values for p in simulated] == [p.values for p in plain]
    assert {p.values["standard_rural"] for p in simulated} == {Decimal("231.00")}
    assert Decimal("231.00") not in {p.values["standard_rural"] for p in approved}
    assert draft.pk in simulated[0].version_ids and draft.pk not in approved[0].version_ids
    assert again.values["standard_rural"] == Decimal("231.00")
