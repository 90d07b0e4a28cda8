"""Test settings: fast hashing, no throttling surprises across tests."""

import os

from .base import *  # noqa: F401,F403
from .base import PASSWORD_HASHERS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
DEBUG = False
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file (not in-memory) SQLite test database, so threads in tests (background payroll generation, the live
# server of the browser tests) wait for each other's locks as they do in production instead of failing.
from .base import DATABASES, PROJECT_DIR  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(PROJECT_DIR / "var" / "test-db.sqlite3")}
    (PROJECT_DIR / "var").mkdir(exist_ok=True)

# `make test` runs the suite in two processes (pytest-xdist's workers gw0, gw1): pytest-django gives each its own
# test database (test-db.sqlite3_gw0, test_doudi_gw1…); each also gets its own data folder, key file and audit
# head file, so one worker's bank files, key rotation or sealed audit head never meet the other's. `doudi` commands
# a test starts read the same folder (DOUDI_DATA_DIR is passed down in the environment).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_VAR = PROJECT_DIR / "var" / f"xdist-{_WORKER}" if _WORKER else PROJECT_DIR / "var"
if _WORKER:
    DATA_DIR = _VAR
    _VAR.mkdir(parents=True, exist_ok=True)
    os.environ["DOUDI_DATA_DIR"] = str(_VAR)
DOUDI_KEY_FILE = _VAR / "test-keys" / "doudi-keys.json"
DOUDI_AUDIT_HEAD_FILE = _VAR / "test-audit-heads.txt"

# Background jobs run inline in tests (django-q2's sync mode): the job goes through the queue's worker and
# monitor functions in the test's own process. Tests of the queue itself switch it off (tests/core/test_jobs.py).
from .base import Q_CLUSTER  # noqa: E402

Q_CLUSTER = {**Q_CLUSTER, "sync": True}

# The second factor is switched on by the tests of it (tests/test_second_factor.py); the rest log in with a password.
DOUDI_2FA_ROLES = ()
