"""The one place where web requests turn an ApplicationError into a page."""
from __future__ import annotations

from django.shortcuts import render

from .errors import ApplicationError, NotFound, PermissionDenied


def error_response(request, error: ApplicationError):
    template = "core/_error.html" if getattr(request, "htmx", False) else "core/error.html"
    return render(request, template, {"error": error}, status=error.status_code)


def not_found(request, exception=None):
    return error_response(request, NotFound())


def forbidden(request, exception=None):
    return error_response(request, PermissionDenied())


class ApplicationErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ApplicationError) and not request.path.startswith("/api/"):
            return error_response(request, exception)
        return None
