"""After an administrator's password reset, the person changes the one-time password before anything else."""

from __future__ import annotations

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
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(ALLOWED)
            and not request.path.startswith("/api/")
        ):
            return redirect(reverse("password_change"))
        return self.get_response(request)
