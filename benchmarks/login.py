"""Logging one load account in, as a person does in the morning: the login page, the password (a deliberately
slow Argon2 check), and for the roles that need it the second factor's code from the authenticator app.

Used by benchmarks/load.py, which logs all the load's staff in before the measured clicks begin (as a county's
staff log in over the morning, not all within the first seconds of a five-minute run), and by the locustfile when
it is run on its own.
"""

from __future__ import annotations

import re
import time

import requests
from django_otp.oath import TOTP

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def log_in(host: str, username: str, password: str, otp_key_hex: str) -> tuple[dict[str, str], float]:
    """The session's cookies and the seconds the login took; RuntimeError naming the account if refused."""
    started = time.perf_counter()
    session = requests.Session()
    page = session.get(host + "/accounts/login/", timeout=120)
    r = session.post(
        host + "/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": TOKEN.search(page.text).group(1)},
        headers={"Referer": host + "/accounts/login/"},
        timeout=120,
    )
    if "/accounts/login/" in r.url:
        raise RuntimeError(f"login refused for {username}")
    if "/accounts/2fa/" in r.url:  # the roles that need a second factor: the code from the app, as a phone would
        code = TOTP(bytes.fromhex(otp_key_hex)).token()
        r = session.post(
            host + "/accounts/2fa/",
            {"token": f"{code:06d}", "next": "/", "csrfmiddlewaretoken": TOKEN.search(r.text).group(1)},
            headers={"Referer": r.url},
            timeout=120,
        )
        if "/accounts/2fa/" in r.url:
            raise RuntimeError(f"second factor refused for {username}")
    return {c.name: c.value for c in session.cookies}, time.perf_counter() - started
