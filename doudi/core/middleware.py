from __future__ import annotations

import re

from django.conf import settings
from django.utils import translation

from .request_context import current_request_id, reset_request_id, set_request_id

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
