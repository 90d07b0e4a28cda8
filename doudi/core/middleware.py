from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.utils import translation

from .errors import ApplicationError
from .request_context import current_request_id, reset_request_id, set_request_id
from .views import error_response

_VALID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (or keeps a sane X-Request-ID from a proxy) and echoes it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        token = set_request_id(incoming if _VALID.match(incoming) else None)
        request.request_id = current_request_id()
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request.request_id
        return response


class LanguageMiddleware:
    """Simplified Chinese unless the person chose another language (the language cookie set by the switch).

    Django's LocaleMiddleware would follow the browser's Accept-Language; intranet PCs often have English
    browsers, and the bureau wants Chinese by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class InputGuardMiddleware:
    """Refuses, before any view runs, what no field may contain and what is too big to read: a NUL character
    in a query or form value (PostgreSQL cannot store it and nobody types it), a form body over
    DATA_UPLOAD_MAX_MEMORY_SIZE or with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields. Pages get the error
    page, the API its JSON error — a clear 4xx naming the field or the limit instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            # The API reads its own (JSON) body: parsing it here as a form would leave nothing for it to read.
            form = request.method == "POST" and not request.path.startswith("/api/")
            error = self._nul_field(request.GET) or (self._nul_field(request.POST) if form else None)
        except RequestDataTooBig:
            limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:g} MB"
            error = ApplicationError(
                f"提交的内容超过 {limit} 的上限",
                f"The submitted data exceeds the {limit} limit",
                field="body",
                code="too_large",
            )
            error.status_code = 413
        except TooManyFieldsSent:
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            error = ApplicationError(
                f"提交的字段超过 {limit} 个",
                f"More than {limit} fields were submitted",
                field="body",
                code="too_many_fields",
            )
        if error is None:
            response = self.get_response(request)
            if response.status_code == 405 and request.path.startswith("/api/"):
                # an address of the API that exists for other methods: the same JSON error as any other
                allowed = response.headers.get("Allow", "")
                error = ApplicationError(
                    f"此地址不接受 {request.method[:10]} 请求（可用：{allowed}）",
                    f"This address does not accept {request.method[:10]} (allowed: {allowed})",
                    code="method_not_allowed",
                )
                answer = JsonResponse(error.as_dict(), status=405)
                answer.headers["Allow"] = allowed
                return answer
            return response
        if request.path.startswith("/api/"):
            return JsonResponse(error.as_dict(), status=error.status_code)
        return error_response(request, error)

    @staticmethod
    def _nul_field(values):
        for key, items in values.lists():
            if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in items):
                name = key.replace("\x00", "")[:40]
                return ApplicationError(
                    f"{name}：含有不允许的控制字符（NUL）",
                    f"{name}: contains a NUL character",
                    field=name,
                    code="control_characters",
                )
        return None


class HtmxFragmentMiddleware:
    """An htmx request swaps its answer into a part of the page, so it must never get a whole page:
    - a redirect (a session that expired sends to the login page; a form that finished sends to its result) is
      turned into ``HX-Redirect``, so the browser goes there as a page instead of nesting it in the box;
    - a refusal answered as a whole page by code that does not know about htmx (Django's CSRF failure page) is
      replaced by the error fragment.
    Boosted requests (whole-page navigation done by htmx) are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if not htmx or htmx.boosted or request.path.startswith("/api/"):
            return response
        if response.status_code in (301, 302, 303, 307, 308) and response.has_header("Location"):
            location = response["Location"]
            response = HttpResponse(status=200)
            response["HX-Redirect"] = location
            return response
        if response.status_code >= 400 and _whole_page(response):
            status = response.status_code
            error = ApplicationError(
                "请求未能完成，请刷新页面后重试", "The request could not be completed; reload the page", code="refused"
            )
            error.status_code = status
            return error_response(request, error)
        return response


def _whole_page(response) -> bool:
    if getattr(response, "streaming", False) or "html" not in response.get("Content-Type", ""):
        return False
    head = response.content[:512].lstrip().lower()
    return head.startswith(b"<!doctype") or head.startswith(b"<html")


class NoStoreMiddleware:
    """Residual information (剩余信息保护, GB/T 22239-2019 8.1.4.10): what one person saw must not be left behind
    for the next on a shared office PC. Every answer to a signed-in person's request says
    ``Cache-Control: no-store, private`` — the browser keeps no copy of a household's page, a revealed ID number or
    a downloaded list, and Back after logging out shows nothing — unless the view itself made it public (the API
    documents' assets). Logging out also asks the browser to clear what it holds for the site
    (``Clear-Site-Data``: its cache and storage; cookies go with the session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "logout":
            response["Clear-Site-Data"] = '"cache", "storage"'
            signed_in = True
        if signed_in and "public" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store, private"
        return response
