"""Password rules for MLPS level 3: three of four character classes, not like the username, not common, none of the
last 5 again, changed every 90 days (the next page after that is the password page)."""

import datetime as dt

import pytest
from django.utils import timezone

from doudi.accounts.actions import password_change
from doudi.accounts.models import PasswordHistory, Staff
from doudi.core.errors import ApplicationError

from .conftest import PASSWORD


def change(user, old, new):
    return password_change(actor=user, old_password=old, new_password=new, new_password2=new)


@pytest.mark.parametrize(
    "new, says",
    [
        ("onlylowercaseletters", "至少3类"),
        ("Approver-12", "相似"),
        ("Short-9x", "太短"),
        ("Q1w2e3r4t5y6", "常见"),  # three classes and long enough, but on Django's list of common passwords
    ],
)
def test_weak_passwords_are_refused_naming_the_rule(staff, new, says):
    user = staff["approver"]  # username "approver"
    with pytest.raises(ApplicationError) as refused:
        change(user, PASSWORD, new)
    assert refused.value.field == "new_password" and says in refused.value.zh


def test_none_of_the_last_five_again(staff):
    user = staff["caseworker_a"]
    passwords = [PASSWORD] + [f"Zq-{n}-Lantern-{n}x" for n in range(1, 7)]
    for old, new in zip(passwords, passwords[1:]):
        change(Staff.objects.get(pk=user.pk), old, new)
    user = Staff.objects.get(pk=user.pk)
    assert PasswordHistory.objects.filter(staff=user).count() == 7  # created + 6 changes, hashes only
    assert not PasswordHistory.objects.filter(password__contains="Lantern").exists()
    with pytest.raises(ApplicationError, match="最近5次"):
        change(user, passwords[-1], passwords[-3])  # used 2 changes ago
    change(user, passwords[-1], passwords[1])  # used 6 passwords ago: allowed again


def test_a_password_older_than_90_days_must_be_changed_first(client, staff):
    user = staff["caseworker_a"]
    Staff.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client.force_login(Staff.objects.get(pk=user.pk))
    r = client.get("/households/")
    assert r.status_code == 302 and r["Location"] == "/accounts/password/"
    assert "已使用超过90天" in client.get("/accounts/password/").content.decode()
    new = "Fresh-Orchid-77"
    r = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": new, "new_password2": new})
    assert r.status_code == 302 and client.get("/households/").status_code == 200


def test_a_new_login_ends_the_earlier_session(client, staff, settings):
    from django.test import Client

    settings.DOUDI_SINGLE_SESSION = True
    first, second = Client(), Client()
    login = {"username": "cw_a", "password": PASSWORD}
    assert first.post("/accounts/login/", login).status_code == 302
    assert first.get("/households/").status_code == 200
    assert second.post("/accounts/login/", login).status_code == 302
    r = first.get("/households/")
    assert r.status_code == 302 and r["Location"] == "/accounts/login/"
    assert "已在别处登录" in first.get("/accounts/login/").content.decode()
    assert second.get("/households/").status_code == 200
