"""Who is told, in the same transaction, that an enrolment began, changed or ended: apps above cases (the
low-income register in doudi/verification) register a watcher here, since cases cannot import them.

A watcher is called as ``watcher(actor=..., enrolment=..., on=...)`` after the enrolment is saved; it runs inside
the calling action's transaction, so what it writes commits or rolls back with the change itself."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

_WATCHERS: list = []


def enrolment_watcher_register(watcher) -> None:
    if watcher not in _WATCHERS:
        _WATCHERS.append(watcher)


def enrolment_changed(*, actor, enrolment, on: dt.date | None = None) -> None:
    on = on or timezone.localdate()
    for watcher in _WATCHERS:
        watcher(actor=actor, enrolment=enrolment, on=on)
