"""The one place where web requests turn an ApplicationError into a page."""

from __future__ import annotations

from django.shortcuts import render

from .errors import ApplicationError, NotFound, PermissionDenied


def error_response(request, error: ApplicationError):
    if request.path.startswith("/api/"):  # an address under the API that matches no endpoint, a refused body …
        from django.http import JsonResponse

        return JsonResponse(error.as_dict(), status=error.status_code)
    template = "core/_error.html" if getattr(request, "htmx", False) else "core/error.html"
    return render(request, template, {"error": error}, status=error.status_code)


def not_found(request, exception=None):
    return error_response(request, NotFound())


def bad_request(request, exception=None):
    """A request Django refused before any view (a body over the size limit, too many fields, a bad host)."""
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig

    if isinstance(exception, RequestDataTooBig):
        limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:g} MB"
        error = ApplicationError(
            f"提交的内容超过 {limit} 的上限",
            f"The submitted data exceeds the {limit} limit",
            field="body",
            code="too_large",
        )
    else:
        error = ApplicationError("请求无效", "Bad request", code="bad_request")
    return error_response(request, error)


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
