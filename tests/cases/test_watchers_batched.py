"""Enrolment watchers told together (doudi/cases/watchers.py): inside ``enrolments_changed_together`` the changes are
told at its end — a watcher with ``batch`` once with all of them, any other one change at a time — and nobody is
told if the block raises (its transaction rolls back)."""

import datetime as dt
from types import SimpleNamespace

import pytest

from doudi.cases import watchers
from doudi.cases.watchers import enrolment_changed, enrolments_changed_together

ON = dt.date(2026, 11, 5)


@pytest.fixture
def told(monkeypatch):
    calls = {"single": [], "batch": []}

    def single(*, actor, enrolment, on):
        calls["single"].append(enrolment.pk)

    def batched(*, actor, enrolment, on):
        calls["single"].append(("batched-one", enrolment.pk))

    batched.batch = lambda *, changes: calls["batch"].append([e.pk for _a, e, _on in changes])
    monkeypatch.setattr(watchers, "_WATCHERS", [single, batched])
    return calls


def enrolment(pk):
    return SimpleNamespace(pk=pk, programme_id="dibao", household_id=pk, area_code="511425101201")


def test_outside_a_batch_each_change_is_told_at_once(told):
    enrolment_changed(actor=None, enrolment=enrolment(1), on=ON)
    assert told == {"single": [1, ("batched-one", 1)], "batch": []}


def test_inside_a_batch_the_changes_are_told_at_its_end_together(told):
    with enrolments_changed_together():
        for pk in (1, 2, 3):
            enrolment_changed(actor=None, enrolment=enrolment(pk), on=ON)
        with enrolments_changed_together():  # nested: the outermost tells
            enrolment_changed(actor=None, enrolment=enrolment(4), on=ON)
        assert told == {"single": [], "batch": []}
    assert told == {"single": [1, 2, 3, 4], "batch": [[1, 2, 3, 4]]}


def test_a_batch_that_raises_tells_nobody(told):
    with pytest.raises(RuntimeError), enrolments_changed_together():
        enrolment_changed(actor=None, enrolment=enrolment(1), on=ON)
        raise RuntimeError("the load failed")
    assert told == {"single": [], "batch": []}
    enrolment_changed(actor=None, enrolment=enrolment(2), on=ON)  # and the next change is told at once again
    assert told["single"] == [2, ("batched-one", 2)]
