"""Residual information (剩余信息保护, GB/T 22239-2019 8.1.4.10): what identified a person or showed their data is
cleared when it is no longer theirs — the session's row when they log out or go idle, the browser's copy of every
page they saw (no-store; logging out asks the browser to clear the site's cache), the temporary files of bank
files, backups and restores."""

import time
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from doudi.accounts.middleware import IdleLogoutMiddleware
from doudi.registry.models import Person

from .conftest import PASSWORD


def logged_in(username="cw_a") -> Client:
    c = Client()
    assert c.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return c


def test_logging_out_deletes_the_session_and_asks_the_browser_to_clear_the_site(db, staff):
    c = logged_in()
    key = c.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    r = c.post("/accounts/logout/")
    assert r.status_code == 302 and r["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in r["Cache-Control"]
    assert not Session.objects.filter(session_key=key).exists()
    # the old cookie, replayed, is nobody's
    replay = Client()
    replay.cookies["sessionid"] = key
    r = replay.get("/households/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_an_idle_session_is_deleted_not_only_refused(db, staff):
    c = logged_in()
    key = c.session.session_key
    session = c.session
    session[IdleLogoutMiddleware.KEY] = int(time.time()) - 31 * 60
    session.save()
    r = c.get("/households/")
    assert r.status_code == 302 and r["Location"] == "/accounts/login/"
    assert not Session.objects.filter(session_key=key).exists()


def test_no_page_a_signed_in_person_sees_stays_in_the_browser_cache(db, staff, register, client_for):
    h = register()
    head = Person.objects.get(name="张大山")
    c = client_for(staff["caseworker_a"])
    for url in ("/", "/households/", f"/households/{h.pk}/", "/households/export.xlsx", f"/api/v1/households/{h.pk}"):
        r = c.get(url)
        assert r.status_code == 200, url
        assert r["Cache-Control"] == "no-store, private", url
    reveal = c.get(f"/reveal/person/{head.pk}/", HTTP_HX_REQUEST="true")
    assert head.id_number in reveal.content.decode() and reveal["Cache-Control"] == "no-store, private"
    # what is public stays cacheable: the favicon, the static assets
    assert "public" in Client().get("/favicon.ico")["Cache-Control"]


def test_the_bank_files_check_leaves_no_plain_file_behind(db, staff, tmp_path, settings, monkeypatch):
    """Before export, the payroll's total is checked against the file as it would be written: written in the clear
    to a temporary file (the bank's layout needs the full numbers), read back, and deleted whatever happens."""
    import tempfile

    from doudi.payments import bankfiles

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen = []

    def failing_read(path, fmt, layout, **kw):
        seen.append(path)
        assert path.exists()
        raise RuntimeError("the check failed halfway")

    monkeypatch.setattr(bankfiles, "read_total", failing_read)
    monkeypatch.setattr(bankfiles, "_write", lambda path, payroll, layout, fmt: path.write_text("6217000011112222333"))
    with pytest.raises(RuntimeError):
        bankfiles.unexported_total(payroll=SimpleNamespace(pk=1))
    assert seen and not seen[0].exists() and not list(tmp_path.iterdir())
