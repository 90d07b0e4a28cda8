"""Personal data encrypted at rest (issue 12): no ID number, bank account, phone or diagnosis in plain text in the
database file (SQLite) or a dump (PostgreSQL) of a generated county; search by the full ID number or its last 4
characters through keyed indexes; uniqueness through the index; values stored in the clear sealed batch by batch
by the migration's function (rerun: nothing to do); keys rotated with `doudi keys rotate`."""

import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from doudi.core import crypto, keys
from doudi.core.crypto import is_sealed, value_key_id
from doudi.core.encryption import encrypt_existing, keys_rotate
from doudi.core.errors import ApplicationError
from doudi.demo.generator import Generator
from doudi.payments.models import PayrollLine
from doudi.registry.models import Household, Person
from doudi.registry.selectors import household_search

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def key_file(settings, tmp_path):
    settings.DOUDI_KEY_FILE = tmp_path / "keys" / "doudi-keys.json"
    keys.cache_clear()
    crypto._aeads.clear()
    yield
    keys.cache_clear()
    crypto._aeads.clear()


def stored_bytes(tmp_path: Path) -> bytes:
    """Everything the database holds on disk (SQLite: the file after a checkpoint; PostgreSQL: a plain dump)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        name = Path(connection.settings_dict["NAME"])
        return b"".join(p.read_bytes() for p in (name, Path(f"{name}-wal")) if p.exists())
    s = connection.settings_dict
    out = tmp_path / "dump.sql"
    subprocess.run(
        ["pg_dump", "-h", s["HOST"] or "localhost", "-p", str(s["PORT"] or 5432), "-U", s["USER"], "-f", str(out)]
        + [s["NAME"]],
        check=True,
        env={"PGPASSWORD": s["PASSWORD"] or ""},
    )
    return out.read_bytes()


def test_no_personal_data_in_plain_text_in_the_database(tmp_path, staff):
    Generator(seed=7, households=60).run()
    people = list(Person.objects.exclude(id_number=None))
    households = list(Household.objects.all())
    secrets = (
        [p.id_number for p in people]
        + [h.bank_account for h in households if h.bank_account]
        + [h.phone for h in households if h.phone]
        + [p.diagnosis for p in people if p.diagnosis]
        + [p.disability_card for p in people if p.disability_card]
    )
    assert len(people) > 100 and any(p.diagnosis for p in people) and all(secrets)
    data = stored_bytes(tmp_path)
    found = [s for s in secrets if s.encode() in data]
    assert not found, f"{len(found)} values in the clear, e.g. {found[:3]}"
    # ...while the names, which are not encrypted, are there: the scan reads what it should
    assert people[0].name.encode() in data


def test_search_by_full_id_or_last_4_and_uniqueness_through_the_index(register, staff):
    h = register()
    head = Person.objects.get(name="张大山")
    assert is_sealed(raw("registry_person", "id_number", head.pk))
    user = staff["caseworker_a"]
    assert list(household_search(user, q=head.id_number, area="", hukou_type="")) == [h]
    assert h in household_search(user, q=head.id_number[-4:], area="", hukou_type="")
    assert h in household_search(user, q="13800001111", area="", hukou_type="")
    with pytest.raises(ApplicationError, match="已登记"):
        register()  # the same ID numbers again
    with pytest.raises(TypeError, match="blind index"):
        Person.objects.filter(id_number=head.id_number).exists()


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_values_stored_in_the_clear_are_sealed_in_batches_and_a_rerun_does_nothing(register):
    h = register()
    head = Person.objects.get(name="张大山")
    with connection.cursor() as cursor:  # as a database from before this release holds them
        cursor.execute(
            "UPDATE registry_person SET id_number = %s, id_index = NULL, id_last4 = '' WHERE id = %s",
            ["511425197503020110", head.pk],
        )
        cursor.execute("UPDATE registry_household SET bank_account = %s WHERE id = %s", ["6217000011112222333", h.pk])
    assert Person.objects.get(pk=head.pk).id_number == "511425197503020110"  # read either way meanwhile
    assert encrypt_existing() == 2
    assert is_sealed(raw("registry_person", "id_number", head.pk)) and raw("registry_person", "id_index", head.pk)
    assert is_sealed(raw("registry_household", "bank_account", h.pk))
    assert Household.objects.get(pk=h.pk).bank_account == "6217000011112222333"
    assert encrypt_existing() == 0


def test_keys_rotate_re_encrypts_under_the_new_key(register):
    register()
    old = value_key_id(raw("registry_person", "id_number", Person.objects.first().pk))
    new = keys.keys_add("data")
    call_command("keys", "rotate")
    for pk in Person.objects.values_list("pk", flat=True):
        assert value_key_id(raw("registry_person", "id_number", pk)) == new != old
    assert keys_rotate() == 0
    assert not PayrollLine.objects.exists()


def test_keys_rotate_killed_halfway_leaves_every_value_readable_and_a_rerun_carries_on(monkeypatch):
    from doudi.core import encryption

    Generator(seed=7, households=6).run()
    before = {p.pk: (p.id_number, p.diagnosis) for p in Person.objects.all()}
    old = value_key_id(raw("registry_person", "id_number", min(before)))
    new = keys.keys_add("data")
    monkeypatch.setattr(encryption, "BATCH", 3)

    killed_in = []

    def killed(model, done):  # the process dies right after its second batch of people committed
        if model is Person and done >= 6:
            killed_in.append(model)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        keys_rotate(progress=killed)
    # the table it was in: its first two batches under the new key, the rest still under the old one
    assert killed_in == [Person]
    ids = [value_key_id(raw("registry_person", "id_number", pk)) for pk in sorted(before)]
    assert ids == [new] * 6 + [old] * (len(before) - 6) and len(before) > 10
    # and every value still reads as before
    assert {p.pk: (p.id_number, p.diagnosis) for p in Person.objects.all()} == before
    assert keys_rotate() > 0  # the rerun carries on...
    assert set(value_key_id(raw("registry_person", "id_number", pk)) for pk in before) == {new}
    assert {p.pk: (p.id_number, p.diagnosis) for p in Person.objects.all()} == before
    assert keys_rotate() == 0  # ...and a finished rotation is a no-op


def test_stored_files_are_sealed_under_the_new_files_key_and_a_kill_leaves_each_whole(settings, tmp_path, monkeypatch):
    from doudi.core import sealedfiles
    from doudi.core.sealedfiles import file_key_id, files_rotate, read_plain, write_sealed

    settings.DATA_DIR = tmp_path / "data"
    contents = {
        "bank/7/dibao-2026-11.txt": b"6217000011112222333|511425197503020110|510.00\n" * 50,
        "documents/3/a.pdf": b"%PDF-1.4 id copy 511425197503020110",
        "documents/3/b.pdf": b"%PDF-1.4 income proof",
        "import-reports/1-abc.xlsx": b"PK report",
    }
    for name, content in contents.items():
        path = settings.DATA_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_sealed(path, content)
    legacy = settings.DATA_DIR / "exports" / "evaluation-1.xlsx"  # kept in the clear by an older release
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"PK old export 511425197503020110")
    contents["exports/evaluation-1.xlsx"] = legacy.read_bytes()
    template = settings.DATA_DIR / "summary-zh.md"  # the bureau's own template: not a stored file, left alone
    template.write_bytes("# 年度工作总结".encode())
    old = file_key_id(settings.DATA_DIR / "documents/3/a.pdf")
    new = keys.keys_add("files")
    real, calls = sealedfiles.write_sealed, []

    def killed(path, content):  # the second file's sealing dies halfway: its temporary written in part
        calls.append(path)
        if len(calls) == 2:
            path.with_name(f".{path.name}.sealing").write_bytes(b"DOUDI-ENC-1\n{half")
            raise KeyboardInterrupt
        real(path, content)

    monkeypatch.setattr(sealedfiles, "write_sealed", killed)
    with pytest.raises(KeyboardInterrupt):
        files_rotate()
    monkeypatch.setattr(sealedfiles, "write_sealed", real)
    for name, content in contents.items():  # every file whole and readable, under either key
        assert read_plain(settings.DATA_DIR / name) == content, name
    assert [file_key_id(settings.DATA_DIR / n) for n in sorted(contents)].count(new) == 1
    call_command("keys", "rotate")  # the rerun, through the command
    for name, content in contents.items():
        assert file_key_id(settings.DATA_DIR / name) == new != old and read_plain(settings.DATA_DIR / name) == content
    assert not list(settings.DATA_DIR.rglob(".*.sealing")) and template.read_bytes() == "# 年度工作总结".encode()
    assert files_rotate() == 0
