"""Production: a real secret key, HTTPS only (redirect, HSTS, secure cookies), keys from a key file that exists.

Behind the bureau's reverse proxy (docs/deployment.md), which terminates TLS and sets X-Forwarded-Proto.
``doudi check --deploy`` with these settings prints no warning (tests/test_settings.py).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, env_int

DEVELOPMENT_KEY = "dev-only-not-secret-change-me-in-production"
MIN_SECRET_KEY_LENGTH = 50


def secret_key_check(key: str) -> str:
    """Refuse to start with no key, the development key, Django's sample keys or a key under 50 characters."""
    if not key:
        raise ImproperlyConfigured("DOUDI_SECRET_KEY 未设置 / DOUDI_SECRET_KEY is not set")
    if key == DEVELOPMENT_KEY or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DOUDI_SECRET_KEY 仍是开发用密钥，生产环境不能使用 / DOUDI_SECRET_KEY is the development key"
        )
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"DOUDI_SECRET_KEY 太短或太简单（至少{MIN_SECRET_KEY_LENGTH}个字符）；可用 "
            f'python -c "import secrets; print(secrets.token_urlsafe(64))" 生成 / DOUDI_SECRET_KEY must be at '
            f"least {MIN_SECRET_KEY_LENGTH} random characters"
        )
    return key


SECRET_KEY = secret_key_check(os.environ.get("DOUDI_SECRET_KEY", ""))
DEBUG = False

# HTTPS only. The proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite a client's header).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DOUDI_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DOUDI_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DOUDI_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DOUDI_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True

DOUDI_KEY_FILE_CREATE = env_bool("DOUDI_KEY_FILE_CREATE", False)
