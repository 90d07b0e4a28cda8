"""The tamper-evident audit chain (doudi/audit/chain.py): events sealed after their transaction commits, a change
by SQL named by `doudi audit verify`, the daily head file, archiving outside the retention only, key rotation,
the key file's permissions, and on PostgreSQL the table refusing UPDATE and DELETE."""

import datetime as dt
import gzip
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from doudi.audit.actions import access_record
from doudi.audit.chain import GENESIS, audit_archive, audit_head_write, audit_seal, audit_verify, canonical, link_mac
from doudi.audit.models import AuditArchive, AuditEvent, AuditSeal
from doudi.core import keys
from doudi.core.errors import ApplicationError

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def key_file(settings, tmp_path):
    settings.DOUDI_KEY_FILE = tmp_path / "keys" / "doudi-keys.json"
    settings.DOUDI_AUDIT_HEAD_FILE = tmp_path / "heads.txt"
    keys.cache_clear()
    yield settings.DOUDI_KEY_FILE
    keys.cache_clear()


@pytest.fixture
def tables_writable():
    """Tamper tests change rows by SQL, which PostgreSQL's trigger refuses (tested below): SQLite only."""
    if connection.vendor != "sqlite":
        pytest.skip("the trail is append-only on PostgreSQL")


def look(n: int, who: str = "person") -> list[AuditEvent]:
    """``n`` audited looks at a full ID number, each in its own committed transaction."""
    return [access_record(actor=None, field="id_number", target_type=who, label=f"{who} {i}") for i in range(n)]


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_events_are_sealed_when_their_transaction_commits_and_the_chain_verifies():
    events = look(3)
    seals = list(AuditSeal.objects.order_by("seq"))
    assert [s.event_id for s in seals] == [e.pk for e in events] and [s.seq for s in seals] == [1, 2, 3]
    _kid, key = keys.current_key("audit")
    first = AuditEvent.objects.get(pk=events[0].pk)
    assert seals[0].mac == link_mac(key, GENESIS, first) and seals[1].mac == link_mac(key, seals[0].mac, events[1])
    report = audit_verify()
    assert report.ok and (report.checked, report.last_seq, report.head_mac) == (3, 3, seals[2].mac)


def test_a_rolled_back_transaction_leaves_no_seal_and_no_gap():
    look(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        access_record(actor=None, field="id_number", target_type="person", label="rolled back")
        raise RuntimeError("the action failed")
    look(1)
    assert list(AuditSeal.objects.values_list("seq", flat=True)) == [1, 2] and audit_verify().ok


def test_the_canonical_form_is_fixed():
    e = look(1)[0]
    e.refresh_from_db()
    doc = json.loads(canonical(e))
    assert doc["id"] == e.pk and doc["at"].endswith("Z") and doc["new"] == {"field": "id_number"}
    assert canonical(e) == canonical(AuditEvent.objects.get(pk=e.pk))


@pytest.mark.usefixtures("tables_writable")
def test_changing_one_row_by_sql_is_named_by_verify():
    events = look(4)
    sql("UPDATE audit_auditevent SET target_label = 'someone else' WHERE id = %s", [events[2].pk])
    report = audit_verify()
    assert not report.ok and report.checked == 2
    assert f"第3号封存（审计事件#{events[2].pk}" in report.problems[0]
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")
    assert raised.value.returncode == 1


@pytest.mark.usefixtures("tables_writable")
def test_a_removed_seal_or_an_event_slipped_in_is_named(settings):
    events = look(3)
    sql("DELETE FROM audit_auditseal WHERE seq = 2")
    assert "第2号封存记录缺失" in audit_verify().problems[0]
    sql("DELETE FROM audit_auditseal WHERE seq = 3")  # chain 1 intact again; events 2 and 3 now unsealed
    settings.DOUDI_AUDIT_SEAL_GRACE_MINUTES = 0
    problem = audit_verify().problems[0]
    assert f"审计事件#{events[1].pk}" in problem and "未封存" in problem


@pytest.mark.usefixtures("tables_writable")
def test_a_rewritten_chain_no_longer_matches_the_daily_head(settings):
    look(2)
    line = audit_head_write()
    assert line.split()[1:] == ["2", AuditSeal.objects.get(seq=2).mac]
    assert settings.DOUDI_AUDIT_HEAD_FILE.read_text() == line + "\n"
    # Someone with database access drops the trail and re-seals a new one from scratch with the key.
    sql("DELETE FROM audit_auditseal")
    sql("DELETE FROM audit_auditevent")
    look(3)
    assert audit_verify().ok  # the chain alone is consistent...
    problem = audit_verify(heads_file=settings.DOUDI_AUDIT_HEAD_FILE).problems[0]
    assert "链头记录文件第1行" in problem  # ...but not with the head the auditor kept


def test_key_rotation_keeps_older_links_verifiable():
    look(2)
    new_id = keys.keys_add("audit")
    look(2)
    first = keys.provider().key_ids()[0]["id"]
    assert list(AuditSeal.objects.values_list("key_id", flat=True)) == [first, first, new_id, new_id]
    assert first.startswith("audit-1-") and new_id.startswith("audit-2-") and audit_verify().ok


def test_a_key_file_others_may_read_is_refused(key_file):
    look(1)
    os.chmod(key_file, 0o644)
    keys.cache_clear()
    with pytest.raises(keys.KeyFileError, match="权限过宽"):
        keys.current_key("audit")
    os.chmod(key_file, 0o600)
    keys.cache_clear()
    assert keys.current_key("audit")[0].startswith("audit-1-")


def test_a_missing_key_file_is_refused_when_it_may_not_be_created(settings, key_file):
    settings.DOUDI_KEY_FILE_CREATE = False
    with pytest.raises(keys.KeyFileError, match="doudi keys init"):
        keys.current_key("audit")
    call_command("keys", "init")
    assert oct(key_file.stat().st_mode & 0o777) == "0o600" and keys.current_key("audit")[0].startswith("audit-1-")
    with pytest.raises(CommandError, match="已存在"):
        call_command("keys", "init")


def test_archiving_is_refused_inside_the_retention_period():
    look(2)
    with pytest.raises(ApplicationError) as refused:
        audit_archive(before=timezone.localdate() - dt.timedelta(days=100), folder=None)
    assert refused.value.field == "before" and "184" in refused.value.zh
    assert AuditEvent.objects.count() == 2


@pytest.mark.usefixtures("tables_writable")
def test_archiving_old_events_keeps_the_rest_of_the_chain_verifiable(tmp_path):
    events = look(5)
    old = timezone.now() - dt.timedelta(days=400)
    # The first three happened 400 days ago (set before sealing, as if written then).
    sql("DELETE FROM audit_auditseal")
    sql(
        "UPDATE audit_auditevent SET at = %s WHERE id IN (%s, %s, %s)",
        [old, events[0].pk, events[1].pk, events[2].pk],
    )
    audit_seal()
    archive = audit_archive(before=timezone.localdate() - dt.timedelta(days=200), folder=tmp_path)
    assert (archive.events, archive.last_seq) == (3, 3) and AuditEvent.objects.count() == 2
    with gzip.open(archive.file, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    assert [r["event"]["id"] for r in rows] == [e.pk for e in events[:3]] and rows[-1]["mac"] == archive.last_mac
    report = audit_verify()
    assert report.ok and (report.first_seq, report.checked) == (4, 2)
    assert AuditArchive.objects.count() == 1


@pytest.mark.postgres_only
def test_postgresql_refuses_update_and_delete_of_the_trail():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's trigger (SQLite relies on the chain alone)")
    events = look(2)
    for statement in (
        "UPDATE audit_auditevent SET target_label = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            sql(statement, [events[0].pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql("UPDATE audit_auditseal SET mac = %s WHERE seq = 1", [GENESIS])
    # Even with the archiving switch on, a young event cannot be deleted: the database checks the 184 days.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql("SET LOCAL doudi.audit_archive = 'on'")
        sql("DELETE FROM audit_auditseal WHERE seq = 1")
    assert AuditEvent.objects.count() == 2 and audit_verify().ok


def _chain_admin():
    from doudi.accounts.actions import staff_create
    from doudi.areas.models import Area

    Area.objects.get_or_create(code="511425000000", defaults={"name": "县", "level": "county", "kind": "county"})
    return staff_create(
        actor=None,
        username="chain_auditor",
        password="x" * 12,
        role="audit_admin",
        area_code="511425000000",
        check_password=False,
    )


def test_the_chain_page_verifies_in_the_background_and_shows_when(client):
    """Issue 12: the page queues a job instead of recomputing the chain in the request; the job keeps what it found
    (AuditVerification, with when it ran and who asked) and the page shows it."""
    from doudi.audit.models import AuditVerification
    from doudi.core.models import BackgroundJob, JobKind, JobState

    admin = _chain_admin()
    look(3)
    client.force_login(admin)
    r = client.post("/audit/chain/", {"do": "verify"})
    assert r.status_code == 302
    job = BackgroundJob.objects.get(kind=JobKind.AUDIT_VERIFY)
    assert job.state == JobState.FINISHED and job.created_by == admin and job.result_url() == "/audit/chain/"
    v = AuditVerification.objects.get()
    assert v.ok and v.job == job and v.by == admin and v.checked >= 3 and v.started_at <= v.finished_at
    assert job.result_id == v.pk
    page = client.get("/audit/chain/").content.decode()
    assert "审计链完整" in page and timezone.localtime(v.finished_at).strftime("%Y-%m-%d %H:%M:%S") in page
    assert AuditEvent.objects.filter(actor=admin, action="audit.verify", new__ok=True).exists()


@pytest.mark.usefixtures("tables_writable")
def test_a_background_verification_names_the_broken_link_on_the_page(client):
    from doudi.audit.models import AuditVerification

    admin = _chain_admin()
    events = look(4)
    sql("UPDATE audit_auditevent SET target_label = 'someone else' WHERE id = %s", [events[2].pk])
    client.force_login(admin)
    client.post("/audit/chain/", {"do": "verify"})
    v = AuditVerification.objects.get()
    assert not v.ok and f"审计事件#{events[2].pk}" in v.problems[0]
    page = client.get("/audit/chain/").content.decode()
    assert "审计链校验未通过" in page and f"审计事件#{events[2].pk}" in page


def test_a_second_request_while_one_runs_queues_nothing(client):
    from doudi.core.models import BackgroundJob, JobKind, JobState

    admin = _chain_admin()
    BackgroundJob.objects.create(kind=JobKind.AUDIT_VERIFY, state=JobState.RUNNING, created_by=admin, done=7)
    client.force_login(admin)
    assert client.post("/audit/chain/", {"do": "verify"}).status_code == 302
    assert BackgroundJob.objects.filter(kind=JobKind.AUDIT_VERIFY).count() == 1
    assert "已核对 7 条" in client.get("/audit/chain/").content.decode()


def test_events_from_before_masking_are_masked_by_the_upgrade_and_sealed_ones_left_whole():
    """An upgraded database's old events held full ID numbers, accounts and diagnoses in their JSON; the migration
    (audit/0004_mask_legacy) masks those not yet sealed, the way audit_record writes new ones, and never rewrites a
    sealed one (the chain would break)."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    mask_legacy = importlib.import_module("doudi.audit.migrations.0004_mask_legacy").mask_legacy
    sealed = look(1)[0]
    with transaction.atomic():  # as the old release wrote them, straight into the table, unsealed
        old = AuditEvent.objects.create(
            action="registry.person_update",
            target_type="person",
            old={"id_number": "511425197503020110", "diagnosis": "尿毒症"},
            new={
                "id_number": "51142519750302011X",
                "bank_account": "6217000011112222333",
                "note": "换证 511425750302011",
            },
        )
        plain = AuditEvent.objects.create(action="registry.person_update", target_type="person", new={"name": "张三"})
    if connection.vendor == "sqlite":  # an event sealed with a full number (SQL may write one here, not on PostgreSQL)
        AuditEvent.objects.filter(pk=sealed.pk).update(new={"note": "511425197503020110"})
    report = mask_legacy(apps, SimpleNamespace(connection=connection))
    old.refresh_from_db()
    assert old.old == {"id_number": "511425********0110", "diagnosis": "（已填写）"}
    assert old.new == {
        "id_number": "511425********011X",
        "bank_account": "***************2333",
        "note": "换证 511425*****2011",
    }
    assert AuditEvent.objects.get(pk=plain.pk).new == {"name": "张三"}
    if connection.vendor == "sqlite":  # a sealed event is left as it is, and counted
        assert report == {"masked": 1, "sealed_left": 1}
        assert AuditEvent.objects.get(pk=sealed.pk).new == {"note": "511425197503020110"}
    else:  # and PostgreSQL's append-only trigger is on again
        assert report == {"masked": 1, "sealed_left": 0}
        with pytest.raises(DatabaseError), transaction.atomic():
            sql("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [plain.pk])
    audit_seal()
    if connection.vendor != "sqlite":
        assert audit_verify().ok
