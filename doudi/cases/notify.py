"""Messages to applicants. The backend is a setting (DOUDI_NOTIFY_BACKEND); the default logs and keeps a copy
(an SMS gateway on the intranet plugs in here). Sent only after the transaction commits."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

log = logging.getLogger("doudi.notify")


class LoggingBackend:
    name = "logging"

    def send(self, *, phone: str, message: str) -> None:
        log.info("notify %s: %s", phone or "-", message)


def backend():
    return import_string(getattr(settings, "DOUDI_NOTIFY_BACKEND", "doudi.cases.notify.LoggingBackend"))()


def notify(*, household, message: str, case=None) -> None:
    from .models import Notification

    b = backend()
    Notification.objects.create(
        household=household, case=case, phone=household.phone, message=message, backend=type(b).__name__
    )
    transaction.on_commit(lambda: b.send(phone=household.phone, message=message))
