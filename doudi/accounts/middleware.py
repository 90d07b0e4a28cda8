"""Before anything else: the one-time password an administrator set is changed, and the second factor passed."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .policy import policy_current

# What stays open while the password must be changed: the change page itself, logging out, the language switch.
ALLOWED = ("/accounts/password/", "/accounts/logout/", "/i18n/", "/static/", "/favicon.ico")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (getattr(user, "must_change_password", False) or user.password_expired())
            and not request.path.startswith(ALLOWED)
            and not request.path.startswith("/api/")
        ):
            return redirect(reverse("password_change"))
        return self.get_response(request)


# What opens before the second factor is passed: that page, logging out, the language switch, static files.
BEFORE_SECOND_FACTOR = ("/accounts/2fa/", "/accounts/logout/", "/i18n/", "/static/", "/favicon.ico")


class SecondFactorMiddleware:
    """For the roles that require it (the security policy's, DOUDI_2FA_ROLES at least), nothing opens until this session passed the second
    factor: pages send the person to the second-factor page (enrolment first, if they have no device yet), the API
    answers 403. Installed after django-otp's OTPMiddleware, which tells whether the session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .twofactor import second_factor_required  # noqa: PLC0415  (django-otp's models load after apps)

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(BEFORE_SECOND_FACTOR)
            and second_factor_required(user)
            and not user.is_verified()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "code": "second_factor_required",
                        "message": "请先在网页上完成第二重验证（动态口令） / Pass the second factor on the web first",
                    },
                    status=403,
                )
            return redirect(reverse("second_factor") + f"?next={request.get_full_path()}")
        return self.get_response(request)


def session_remember(request, user) -> None:
    """This session is the account's current one (at login, and when the session key changes with the password)."""
    if hasattr(user, "current_session") and request is not None and hasattr(request, "session"):
        if not request.session.session_key:
            request.session.save()
        get_user_model().objects.filter(pk=user.pk).update(current_session=request.session.session_key)
        user.current_session = request.session.session_key


@receiver(user_logged_in)
def _remember_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):  # logging in is activity: the idle time starts now
        request.session[IdleLogoutMiddleware.KEY] = int(time.time())
    session_remember(request, user)


class IdleLogoutMiddleware:
    """A session unused for the policy's idle minutes (DOUDI_SESSION_MINUTES at most, 10 at least) ends: its next
    request goes to the login page saying why (the API answers 401). The session's own expiry, at the settings'
    minutes, stays behind it.

    The time last seen is written to the session at most once a minute (``EVERY`` seconds), not on every request:
    otherwise each page view ends with a write to the session table, one committed transaction per click for
    every person at work (under load, the most frequent write of all). The idle time is therefore counted from
    up to a minute before the last request: a session ends at most a minute early, never late."""

    KEY = "doudi_seen"
    EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            seen = request.session.get(self.KEY)
            if seen is not None and now - int(seen) > policy_current().idle_minutes * 60:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"code": "session_idle", "message": "长时间未操作，已自动退出 / Logged out after inactivity"},
                        status=401,
                    )
                messages.warning(request, _("长时间未操作，已自动退出，请重新登录。"))
                return redirect(reverse("login"))
            if seen is None or now - int(seen) >= self.EVERY:
                request.session[self.KEY] = now  # the session is saved at the end of the request, expiry renewed
        return self.get_response(request)


class SingleSessionMiddleware:
    """With the policy's single session (DOUDI_SINGLE_SESSION, on by default), one account is logged in in one place:
    logging in again ends the earlier session, whose next request goes to the login page saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "current_session", "")
            and request.session.session_key
            and request.session.session_key != user.current_session
            and policy_current().single_session
        ):
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "session_replaced", "message": "该账号已在别处登录，本会话已结束 / Logged in elsewhere"},
                    status=401,
                )
            messages.warning(request, _("您的账号已在别处登录，本处的会话已结束。如非本人操作，请立即修改密码。"))
            return redirect(reverse("login"))
        return self.get_response(request)
