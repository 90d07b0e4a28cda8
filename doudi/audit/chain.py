"""The tamper-evident audit chain.

Every audit event is sealed into a chain: seal ``n`` holds ``mac_n = HMAC-SM3(key, mac_{n-1} ‖ canonical(event))``
(``mac_0`` is 64 zeros, or the last mac of the archived part). Changing an event's content, removing an event or
a seal, or slipping a row in breaks the mac of that link and of every link after it: ``audit_verify`` recomputes
the chain and names the first broken link.

Sealing runs right after the transaction that wrote the events commits (``seal_after_commit``), under a lock, so
writers never wait for one another and events are sealed in the order they became visible. An event whose
transaction committed after a later one had been sealed is simply sealed later: the chain's order is the order
of sealing, which is what the seal numbers record. ``doudi audit seal`` seals anything left (say the process
ended between commit and seal) and is run daily with ``doudi audit head``, which appends the chain head (number
and mac) to a file the auditor keeps outside the system: a rewritten or truncated chain no longer matches it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from doudi.core.errors import ApplicationError
from doudi.core.keys import current_key, key_by_id

from .models import AuditArchive, AuditEvent, AuditSeal

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
PURPOSE = "audit"
LOCK_ID = 0x646F7564  # "doud": the advisory lock that serialises sealing on PostgreSQL
BATCH = 5000


def canonical(e: AuditEvent) -> bytes:
    """The event's content as sealed: every stored field, in a fixed form (UTC time to the microsecond, JSON with
    sorted keys), so the same row gives the same bytes on SQLite and PostgreSQL."""
    at = e.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    doc = {
        "id": e.pk,
        "at": at,
        "kind": e.kind,
        "actor": e.actor_id,
        "actor_label": e.actor_label,
        "action": e.action,
        "target_type": e.target_type,
        "target_id": e.target_id,
        "target_label": e.target_label,
        "area_code": e.area_code,
        "household_id": e.household_id,
        "old": e.old,
        "new": e.new,
        "request_id": e.request_id,
        "batch_id": e.batch_id,
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link_mac(key: bytes, prev_mac: str, event: AuditEvent) -> str:
    h = hmac.HMAC(key, hashes.SM3())
    h.update(bytes.fromhex(prev_mac))
    h.update(canonical(event))
    return h.finalize().hex()


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


def _start() -> tuple[int, str]:
    """The last seal's number and mac (or where the archive left off, or the genesis)."""
    head = AuditSeal.objects.order_by("-seq").values_list("seq", "mac").first()
    if head:
        return head
    archived = AuditArchive.objects.order_by("-last_seq").values_list("last_seq", "last_mac").first()
    return archived or (0, GENESIS)


def audit_seal(*, recent_only: bool = False) -> int:
    """Seal every committed event not yet sealed, in id order, in batches. ``recent_only`` looks only at events
    written within the grace period (the after-commit path: bounded work whatever the size of the trail); the
    daily command looks at all. Returns the number sealed."""
    sealed = 0
    since = timezone.now() - dt.timedelta(minutes=settings.DOUDI_AUDIT_SEAL_GRACE_MINUTES)
    while True:
        with transaction.atomic():
            _lock()
            seq, prev = _start()
            todo = AuditEvent.objects.filter(seal__isnull=True)
            if recent_only:
                todo = todo.filter(at__gte=since)
            events = list(todo.order_by("id")[:BATCH])
            if not events:
                return sealed
            key_id, key = current_key(PURPOSE)
            seals = []
            for e in events:
                seq += 1
                prev = link_mac(key, prev, e)
                seals.append(AuditSeal(seq=seq, event_id=e.pk, mac=prev, key_id=key_id))
            AuditSeal.objects.bulk_create(seals)
            sealed += len(seals)


def _seal_now() -> None:
    try:
        audit_seal(recent_only=True)
    except DatabaseError:  # another process sealed the same events first (SQLite): they are sealed either way
        logger.info("audit seal: lost a race, left to the next seal", exc_info=True)


def seal_after_commit() -> None:
    """Ask for the events of the current transaction to be sealed once it commits (once per transaction)."""
    conn = transaction.get_connection()
    if any(item[1] is _seal_now for item in conn.run_on_commit):
        return
    transaction.on_commit(_seal_now, robust=True)


@dataclass
class Verification:
    checked: int = 0
    first_seq: int = 0
    last_seq: int = 0
    head_mac: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify(*, heads_file: Path | None = None, progress=None) -> Verification:
    """Recompute the whole chain; stop at the first broken link and name it. Then check that no event older than
    the grace period is unsealed, and that every head recorded in ``heads_file`` is still in the chain."""
    report = Verification()
    archived = AuditArchive.objects.order_by("-last_seq").values_list("last_seq", "last_mac").first()
    expected_seq, prev = archived or (0, GENESIS)
    report.first_seq = expected_seq + 1
    keys: dict[str, bytes] = {}
    after = expected_seq
    while not report.problems:
        batch = list(AuditSeal.objects.filter(seq__gt=after).select_related("event").order_by("seq")[:BATCH])
        if not batch:
            break
        for s in batch:
            expected_seq += 1
            if s.seq != expected_seq:
                report.problems.append(
                    f"第{expected_seq}号封存记录缺失（下一条是第{s.seq}号，审计事件#{s.event_id}）"
                    f" / seal {expected_seq} is missing (next is {s.seq}, event #{s.event_id})"
                )
                break
            if s.key_id not in keys:
                keys[s.key_id] = key_by_id(s.key_id)
            mac = link_mac(keys[s.key_id], prev, s.event)
            if mac != s.mac:
                report.problems.append(
                    f"第{s.seq}号封存（审计事件#{s.event_id}，{timezone.localtime(s.event.at):%Y-%m-%d %H:%M:%S}，"
                    f"{s.event.actor_label} {s.event.action}）校验不符：该事件或此前的封存被改动过"
                    f" / link {s.seq} (audit event #{s.event_id}) does not match: the event or the chain before it"
                    f" was changed"
                )
                break
            prev = mac
            report.checked += 1
            report.last_seq, report.head_mac = s.seq, mac
        after = batch[-1].seq
        if progress:
            progress(report.checked)
    if report.problems:
        return report
    grace = timezone.now() - dt.timedelta(minutes=settings.DOUDI_AUDIT_SEAL_GRACE_MINUTES)
    for e in AuditEvent.objects.filter(seal__isnull=True, at__lt=grace).order_by("id")[:1]:
        report.problems.append(
            f"审计事件#{e.pk}（{timezone.localtime(e.at):%Y-%m-%d %H:%M:%S}）未封存：可能是绕过系统写入的"
            f" / audit event #{e.pk} was never sealed: it may have been written around the system"
        )
        return report
    if heads_file and heads_file.exists():
        report.problems.extend(_heads_check(heads_file))
    return report


def _heads_check(path: Path) -> list[str]:
    for n, line in enumerate(path.read_text().splitlines(), 1):
        parts = line.split()
        if len(parts) < 3 or not parts[1].isdigit():
            continue
        day, seq, mac = parts[0], int(parts[1]), parts[2]
        found = AuditSeal.objects.filter(seq=seq).values_list("mac", flat=True).first()
        archived = AuditArchive.objects.filter(last_seq__gte=seq).exists()
        if found is None and archived:
            continue  # archived since: checked when it was archived
        if found != mac:
            return [
                f"链头记录文件第{n}行（{day}，第{seq}号）与数据库中的审计链不符：审计链被重写或截断"
                f" / the head recorded on {day} (link {seq}, line {n} of {path}) is not in the chain: it was"
                f" rewritten or truncated"
            ]
    return []


def audit_head_write(path: Path | None = None) -> str:
    """Seal what is left, then append today's chain head to the head file the auditor keeps. Returns the line."""
    audit_seal()
    seq, mac = _start()
    path = path or Path(settings.DOUDI_AUDIT_HEAD_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = f"{timezone.localdate().isoformat()} {seq} {mac}"
    with path.open("a") as f:
        f.write(line + "\n")
    return line


def audit_archive(*, before: dt.date, folder: Path) -> AuditArchive | None:
    """Move the events older than ``before`` (and their seals) to a compressed file in ``folder`` and out of the
    database. Refused for any date inside the retention period (at least 184 days; PostgreSQL's trigger checks
    the same in the database). The chain continues from the last archived mac, so ``audit_verify`` still checks
    everything that is left. Returns the archive record, or None when there is nothing to archive."""
    limit = timezone.localdate() - dt.timedelta(days=settings.DOUDI_AUDIT_RETENTION_DAYS)
    if before > limit:
        raise ApplicationError(
            f"审计日志至少保存{settings.DOUDI_AUDIT_RETENTION_DAYS}天：只能归档{limit:%Y年%m月%d日}及以前的记录",
            f"Audit events are kept at least {settings.DOUDI_AUDIT_RETENTION_DAYS} days: archive up to {limit} only",
            field="before",
        )
    audit_seal()
    cut = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    with transaction.atomic():
        _lock()
        first_young = AuditSeal.objects.filter(event__at__gte=cut).order_by("seq").values_list("seq", flat=True)
        young = first_young.first()
        seals = AuditSeal.objects.filter(seq__lt=young) if young is not None else AuditSeal.objects.all()
        last = seals.order_by("-seq").values_list("seq", "mac").first()
        if last is None:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"audit-{last[0]:012d}-{before:%Y%m%d}.jsonl.gz"
        digest = hashlib.sha256()
        count = 0
        with gzip.open(path, "wt", encoding="utf-8") as f:
            for s in seals.select_related("event").order_by("seq").iterator(chunk_size=BATCH):
                row = {"seq": s.seq, "mac": s.mac, "key_id": s.key_id, "event": json.loads(canonical(s.event))}
                line = json.dumps(row, ensure_ascii=False, sort_keys=True)
                digest.update(line.encode())
                f.write(line + "\n")
                count += 1
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL doudi.audit_archive = 'on'")
        event_ids = list(seals.values_list("event_id", flat=True))
        seals.delete()
        for i in range(0, len(event_ids), BATCH):
            AuditEvent.objects.filter(pk__in=event_ids[i : i + BATCH]).delete()
        return AuditArchive.objects.create(
            before=cut, last_seq=last[0], last_mac=last[1], events=count, file=str(path), sha256=digest.hexdigest()
        )
