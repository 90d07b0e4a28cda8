"""Production settings: `doudi check --deploy` prints no warning with a real key; a short or development key
refuses to start, saying why, without a traceback."""

import os
import secrets
import subprocess
import sys

import pytest


def doudi(*args, key: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "doudi.settings.production", "DOUDI_SECRET_KEY": key}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process; check --deploy warns of it
    return subprocess.run([sys.executable, "-m", "doudi", *args], env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    done = doudi("check", "--deploy", "--fail-level", "WARNING", key=secrets.token_urlsafe(64))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout and "WARNING" not in done.stderr


@pytest.mark.parametrize(
    "key, says",
    [
        ("", "未设置"),
        ("short-key", "太短"),
        ("dev-only-not-secret-change-me-in-production", "开发用密钥"),
        ("django-insecure-" + "x" * 50, "开发用密钥"),
        ("a" * 60, "太简单"),
    ],
)
def test_a_weak_secret_key_refuses_to_start(key, says):
    done = doudi("check", key=key)
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr


def test_the_second_factor_is_required_by_default_of_the_roles_level_3_names():
    """Administrators, approvers, finance officers and auditors pass a second factor unless the deployment says
    otherwise (DOUDI_2FA_ROLES); the township's staff are not asked by default. (The test settings ask nobody, so
    the tests log in without one: read the base settings' default.)"""
    from doudi.settings import base

    required = set(base.DOUDI_2FA_ROLES)
    assert {
        "system_admin",
        "security_admin",
        "audit_admin",
        "county_approver",
        "finance_officer",
        "auditor",
    } <= required
    assert "township_caseworker" not in required and "village_cadre" not in required
