"""Settings read from environment variables (documented in README, section Configuration)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent  # the doudi package
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


SECRET_KEY = os.environ.get("DOUDI_SECRET_KEY", "dev-only-not-secret-change-me-in-production")
DEBUG = env_bool("DOUDI_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DOUDI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DOUDI_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE avoids lock-upgrade deadlocks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # its bundled Swagger UI assets (/api/v1/docs without a CDN)
    "axes",
    "django_q",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "doudi.core",
    "doudi.matching",
    "doudi.audit",
    "doudi.areas",
    "doudi.accounts",
    "doudi.registry",
    "doudi.api",
    "doudi.programmes",
    "doudi.cases",
    "doudi.payments",
    "doudi.benefits",
    "doudi.verification",
    "doudi.medical",
    "doudi.demo",
    "doudi.backup",
    "doudi.statistics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "doudi.core.middleware.RequestIdMiddleware",
    "doudi.accounts.policy.PolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "doudi.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "doudi.core.middleware.NoStoreMiddleware",
    # before the account checks below, so their redirects reach an htmx request as HX-Redirect
    "django_htmx.middleware.HtmxMiddleware",
    "doudi.core.middleware.HtmxFragmentMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "doudi.accounts.middleware.IdleLogoutMiddleware",
    "doudi.accounts.middleware.SingleSessionMiddleware",
    "doudi.accounts.middleware.PasswordChangeRequiredMiddleware",
    "doudi.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "doudi.core.middleware.InputGuardMiddleware",
    "doudi.core.views.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "doudi.urls"
WSGI_APPLICATION = "doudi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "doudi.accounts.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.Staff"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "doudi.accounts.passwords.MinimumLengthValidator"},  # DOUDI_PASSWORD_MIN_LENGTH, or the policy's
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name")},
    },
    {"NAME": "doudi.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "doudi.accounts.passwords.PasswordHistoryValidator"},
]
# A password older than this many days must be changed at the next page (0: never); the last N may not be reused.
# These are the defaults of the security policy the security administrator sets on a page, and its floor: the policy
# may be stricter, never weaker (doudi/accounts/policy.py).
DOUDI_PASSWORD_MIN_LENGTH = env_int("DOUDI_PASSWORD_MIN_LENGTH", 10)
DOUDI_PASSWORD_MAX_AGE_DAYS = env_int("DOUDI_PASSWORD_MAX_AGE_DAYS", 90)
DOUDI_PASSWORD_HISTORY = env_int("DOUDI_PASSWORD_HISTORY", 5)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from the app itself only, no inline script
# or style, no framing. Swagger UI's page (/api/v1/docs, django-ninja's template) starts itself with an inline
# script and is left out; it holds no personal data.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Second factor (doudi/accounts/twofactor.py): required for these roles ("all" for every role).
DOUDI_2FA_ROLES = tuple(
    r.strip()
    for r in os.environ.get(
        "DOUDI_2FA_ROLES", "system_admin,security_admin,audit_admin,county_approver,finance_officer,auditor"
    ).split(",")
    if r.strip()
)
OTP_TOTP_ISSUER = os.environ.get("DOUDI_OTP_ISSUER", "兜底 Doudi")

# Session timeout: idle sessions end after DOUDI_SESSION_MINUTES (default 30).
SESSION_COOKIE_AGE = env_int("DOUDI_SESSION_MINUTES", 30) * 60
# Saved when changed, not on every request: the idle logout renews it at most once a minute (accounts/middleware.py).
SESSION_SAVE_EVERY_REQUEST = False
# One account, one place: a new login ends the account's earlier session.
DOUDI_SINGLE_SESSION = env_bool("DOUDI_SINGLE_SESSION", True)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_SECURE = env_bool("DOUDI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Login throttling (django-axes): lock an account+address after N failures for a cool-off period.
AXES_FAILURE_LIMIT = env_int("DOUDI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("DOUDI_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DOUDI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served from the package by WhiteNoise; set DOUDI_STATIC_ROOT only to run collectstatic.
STATIC_ROOT = Path(os.environ["DOUDI_STATIC_ROOT"]) if os.environ.get("DOUDI_STATIC_ROOT") else None
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

DATA_DIR = Path(os.environ.get("DOUDI_DATA_DIR", PROJECT_DIR / "var"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Keys (doudi/core/keys.py): a JSON key file outside the database, mode 0600. Development creates it on first
# use; production refuses to start without it (`doudi keys init`). DOUDI_KEY_PROVIDER plugs in a KMS or HSM.
DOUDI_KEY_FILE = Path(os.environ.get("DOUDI_KEY_FILE", DATA_DIR / "keys" / "doudi-keys.json"))
DOUDI_KEY_FILE_CREATE = env_bool("DOUDI_KEY_FILE_CREATE", True)
DOUDI_KEY_PROVIDER = os.environ.get("DOUDI_KEY_PROVIDER", "")
# Cipher for what Doudi encrypts (backups): SM4-GCM (national standard) or AES-256-GCM.
DOUDI_CIPHER = os.environ.get("DOUDI_CIPHER", "SM4-GCM")
# Audit trail: events are sealed into the HMAC-SM3 chain right after their transaction commits; an event not
# sealed within DOUDI_AUDIT_SEAL_GRACE_MINUTES counts as a break. Archiving keeps at least 184 days.
DOUDI_AUDIT_SEAL_GRACE_MINUTES = env_int("DOUDI_AUDIT_SEAL_GRACE_MINUTES", 120)
DOUDI_AUDIT_RETENTION_DAYS = max(184, env_int("DOUDI_AUDIT_RETENTION_DAYS", 184))
DOUDI_AUDIT_HEAD_FILE = Path(os.environ.get("DOUDI_AUDIT_HEAD_FILE", DATA_DIR / "audit-heads.txt"))

# Pagination size of lists.
DOUDI_PAGE_SIZE = env_int("DOUDI_PAGE_SIZE", 25)
# A medical settlement file of more rows than this is computed and paid by the background worker (the page checks
# it first, then follows the job); a smaller one while the person waits.
DOUDI_MEDICAL_INLINE_ROWS = env_int("DOUDI_MEDICAL_INLINE_ROWS", 200)
# Household economic status verification (domain.md §6, *local*): a department answers a request within this many
# working days; the township re-checks an applicant's objection to a finding within this many.
DOUDI_VERIFICATION_ANSWER_DAYS = env_int("DOUDI_VERIFICATION_ANSWER_DAYS", 5)
DOUDI_VERIFICATION_RECHECK_DAYS = env_int("DOUDI_VERIFICATION_RECHECK_DAYS", 10)
# Largest import file accepted (households, areas, bank return files), in megabytes.
DOUDI_IMPORT_MAX_MB = env_int("DOUDI_IMPORT_MAX_MB", 20)
# A request body other than uploaded files (form fields, an API call's JSON): 2 MB by default — a household
# with 20 members is about 10 KB. Uploaded files are limited by the settings above and below, checked while
# they arrive (doudi.core.uploads.UploadLimitHandler streams them to a temporary file above 2.5 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DOUDI_REQUEST_MAX_MB", 2) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "doudi.core.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DOUDI_LOG_LEVEL", "WARNING")},
}

# Case documents: largest upload in megabytes.
DOUDI_DOCUMENT_MAX_MB = env_int("DOUDI_DOCUMENT_MAX_MB", 10)
# Where messages to applicants go (a class with send(phone=, message=)).
DOUDI_NOTIFY_BACKEND = os.environ.get("DOUDI_NOTIFY_BACKEND", "doudi.cases.notify.LoggingBackend")
# Payroll: share of a payment withheld to recover an overpayment; month-on-month change that is an anomaly (%).
DOUDI_RECOVERY_OFFSET_RATIO = os.environ.get("DOUDI_RECOVERY_OFFSET_RATIO", "0.30")
DOUDI_PAYROLL_CHANGE_PCT = os.environ.get("DOUDI_PAYROLL_CHANGE_PCT", "30")
# Payroll generation reads the enrolments that take the exact path in batches of this many (a fixed number of
# queries per batch); read when a generation starts.
DOUDI_PAYROLL_BATCH = env_int("DOUDI_PAYROLL_BATCH", 5000)

# Background jobs (payroll generation, evaluation runs): django-q2 with the database as its broker, so a job queued
# while no worker runs is done when one starts (README, "Background jobs"; run by `doudi worker`, which
# `doudi serve` starts beside the web server).
# A job may run this long; its worker is then stopped and the job recorded as failed. The largest measured job
# (a 1,000,000-enrolment payroll on PostgreSQL) takes about a minute (docs/benchmarks.md).
DOUDI_JOB_TIMEOUT_SECONDS = env_int("DOUDI_JOB_TIMEOUT_SECONDS", 1800)
# How many times a job is started before it is recorded as failed, when its worker dies each time (killed,
# machine restarted). A job that ends with an error is not retried: the error is the answer.
DOUDI_JOB_ATTEMPTS = env_int("DOUDI_JOB_ATTEMPTS", 2)
Q_CLUSTER = {
    "name": "doudi",
    "orm": "default",  # the database is the broker (table django_q_ormq): no Redis to install on a township PC
    "workers": env_int("DOUDI_JOB_WORKERS", 2),
    "timeout": DOUDI_JOB_TIMEOUT_SECONDS,
    # A task whose worker never reported back is handed out again this long after it was taken. Longer than the
    # timeout (plus the guard's few seconds), so a job still running is never handed out twice.
    "retry": DOUDI_JOB_TIMEOUT_SECONDS + max(10, DOUDI_JOB_TIMEOUT_SECONDS // 10),
    # A task that ran to its end is done, whatever it recorded: tasks record their own failures on the job.
    "ack_failures": True,
    "max_attempts": 1,
    "queue_limit": 1,  # take a task off the queue only when a worker is about to be free
    "poll": 1.0,  # seconds between looks at an empty queue
    "scheduler": False,  # nothing is scheduled through django-q (yet): spare the query every 30 s
    "label": "后台任务 / Background jobs",
}
