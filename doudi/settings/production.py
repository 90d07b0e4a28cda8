"""Production: secret key is required, cookies secure."""

import os

from .base import *  # noqa: F401,F403

SECRET_KEY = os.environ["DOUDI_SECRET_KEY"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
