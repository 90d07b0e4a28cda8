"""Who is told, in the same transaction, that an enrolment began, changed or ended: apps above cases (the
low-income register in doudi/verification) register a watcher here, since cases cannot import them.

A watcher is called as ``watcher(actor=..., enrolment=..., on=...)`` after the enrolment is saved; it runs inside
the calling action's transaction, so what it writes commits or rolls back with the change itself.

A bulk action changing many enrolments at once (a department's file of deaths holding thousands of payments) runs
inside ``enrolments_changed_together()``: the watchers are told at its end, once — a watcher with a ``batch``
attribute in one call with every change (the register recomputes all the households in one pass), any other one
change at a time as before."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_WATCHERS: list = []
_PENDING: ContextVar[list | None] = ContextVar("doudi_enrolments_changed", default=None)


def enrolment_watcher_register(watcher) -> None:
    if watcher not in _WATCHERS:
        _WATCHERS.append(watcher)


def enrolment_changed(*, actor, enrolment, on: dt.date | None = None) -> None:
    on = on or timezone.localdate()
    pending = _PENDING.get()
    if pending is not None:
        pending.append((actor, enrolment, on))
        return
    for watcher in _WATCHERS:
        watcher(actor=actor, enrolment=enrolment, on=on)


@contextmanager
def enrolments_changed_together():
    """Within it, enrolment changes are told to the watchers at its end, together (inside the caller's transaction;
    if the block raises, nobody is told: the transaction rolls back). Nested, the outermost one tells."""
    if _PENDING.get() is not None:
        yield
        return
    token = _PENDING.set([])
    try:
        yield
        pending = _PENDING.get()
    finally:
        _PENDING.reset(token)
    if not pending:
        return
    for watcher in _WATCHERS:
        batch = getattr(watcher, "batch", None)
        if batch is not None:
            batch(changes=pending)
        else:
            for actor, enrolment, on in pending:
                watcher(actor=actor, enrolment=enrolment, on=on)
