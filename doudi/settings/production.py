"""Production: secret key is required, cookies secure."""

import os

from .base import *  # noqa: F401,F403
from .base import env_bool

SECRET_KEY = os.environ["DOUDI_SECRET_KEY"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
DOUDI_KEY_FILE_CREATE = env_bool("DOUDI_KEY_FILE_CREATE", False)
