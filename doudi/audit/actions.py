"""audit_record(): the only writer of audit events. Actions call it inside their own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any

from django.db import models, transaction
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

from doudi.core.fields import BlindIndexField
from doudi.core.idnumber import account_mask, id_mask, phone_mask
from doudi.core.jobs import job_enqueue
from doudi.core.models import BackgroundJob, JobKind
from doudi.core.request_context import current_request_id

from .chain import seal_after_commit
from .events import AccessEvent, JobEvent, is_event
from .models import AuditEvent, EventKind


def jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return f"{value:.2f}" if value == value.quantize(decimal.Decimal("0.01")) else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


# Personal data never enters the audit trail in full: the event records that it changed, with a masked value
# (the full value is in the record itself, where reading it is audited).
RECORDED = "（已填写）"
MASKS = {
    "id_number": id_mask,
    "bank_account": account_mask,
    "disability_card": account_mask,
    "phone": phone_mask,
    "diagnosis": lambda v: RECORDED if v else "",
}


# ...and an ID number anywhere else (a note, a message, a list of numbers, an old event's free text) is masked too:
# 18 characters with a right check character and a real birth date, or the old 15-digit form with a real one
ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


def _is_id_number(s: str) -> bool:
    try:
        if len(s) == 18:
            return s[-1].upper() == ric.calc_check_digit(s) and bool(ric.get_birth_date(s.upper()))
        return bool(dt.date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12])))
    except (ValueError, stdnum_exceptions.ValidationError):
        return False


def ids_masked(text: str) -> str:
    """``text`` with each resident ID number in it masked (511425********123X)."""
    if len(text) < 15:
        return text
    return ID_IN_TEXT.sub(lambda m: id_mask(m[0]) if _is_id_number(m[0]) else m[0], text)


def masked(value: Any) -> Any:
    """``value`` with every personal-data field (ID number, bank account, phone, diagnosis, disability card) masked,
    and every ID number in any other text, at any depth."""
    if isinstance(value, dict):
        return {k: (MASKS[k](v) if k in MASKS and isinstance(v, str) else masked(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, str):
        return ids_masked(value)
    return value


def snapshot(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> dict:
    """Concrete field values of a model instance, JSON-ready (FKs as their keys)."""
    out = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or isinstance(field, BlindIndexField):  # an index tells a reader nothing
            continue
        out[field.attname if field.is_relation else field.name] = jsonable(getattr(instance, field.attname))
    return out


def diff(old: dict, new: dict) -> tuple[dict, dict]:
    changed = {k for k in new if old.get(k) != new.get(k)}
    return {k: old.get(k) for k in sorted(changed)}, {k: new.get(k) for k in sorted(changed)}


def _target_fields(target: models.Model | None, target_type: str | None, target_id: Any, label: str | None):
    if target is not None:
        return target._meta.model_name, str(target.pk), (label if label is not None else str(target))[:200]
    return target_type or "", "" if target_id is None else str(target_id), (label or "")[:200]


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    target_type: str | None = None,
    target_id: Any = None,
    label: str | None = None,
    old: dict | None = None,
    new: dict | None = None,
    area_code: str = "",
    household_id: int | None = None,
    kind: str = EventKind.CHANGE,
    batch_id: str = "",
) -> AuditEvent:
    """Write one audit event. Must run inside the caller's transaction (so both commit or neither). ``action`` is a
    member of an app's registered event enumeration (doudi/audit/events.py), never a bare string."""
    if not is_event(action):
        raise TypeError(f"audit action {action!r} is not a registered event type (doudi/<app>/events.py)")
    if kind == EventKind.CHANGE and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record for a change must run inside the action's transaction")
    ttype, tid, tlabel = _target_fields(target, target_type, target_id, label)
    seal_after_commit()
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(getattr(actor, "username", "") or "system")[:150],
        action=action,
        target_type=ttype,
        target_id=tid,
        target_label=tlabel,
        area_code=area_code or "",
        household_id=household_id,
        old=masked(jsonable(old)) if old else None,
        new=masked(jsonable(new)) if new else None,
        request_id=current_request_id(),
        batch_id=batch_id,
    )


def access_record(
    *,
    actor,
    field: str,
    target: models.Model | None = None,
    target_type: str | None = None,
    label: str | None = None,
    area_code: str = "",
    household_id: int | None = None,
    count: int | None = None,
    purpose: str = "view",
) -> AuditEvent:
    """Log that ``actor`` saw the full value of ``field`` (ID number, bank account) of ``target`` — or, for an
    export, of ``count`` rows."""
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action=AccessEvent.of(field, purpose),
            target=target,
            target_type=target_type,
            label=label,
            kind=EventKind.ACCESS,
            area_code=area_code,
            household_id=household_id,
            new={"field": field, **({"count": count} if count is not None else {})},
        )


def job_enqueue_audited(*, actor, kind: str, params: dict, area_prefix: str, task: str) -> BackgroundJob:
    """Queue a background job and record who asked for what, in one transaction: a job that later fails (or
    is refused by the action it runs) still shows in the audit trail as asked for."""
    with transaction.atomic():
        job = job_enqueue(actor=actor, kind=kind, params=params, area_prefix=area_prefix, task=task)
        audit_record(
            actor=actor,
            action=JobEvent.QUEUE,
            target=job,
            label=f"{JobKind(kind).label} #{job.pk}",
            new={"kind": kind, **params},
            area_code=area_prefix,
        )
    return job
