"""Before anything else: the one-time password an administrator set is changed, and the second factor passed."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

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
    """For the roles that require it (``DOUDI_2FA_ROLES``), nothing opens until this session passed the second
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
