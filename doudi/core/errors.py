"""One application error type; views and the API turn it into a response in one place each."""

from __future__ import annotations


class ApplicationError(Exception):
    """A refusal a person can act on, in Chinese and English.

    ``field`` names the form field (or ``row``/column of an import) the message is about.
    ``code`` is a stable machine-readable identifier for API clients and tests.
    """

    status_code = 400

    def __init__(self, zh: str, en: str, *, field: str | None = None, code: str = "invalid", extra: dict | None = None):
        self.zh = zh
        self.en = en
        self.field = field
        self.code = code
        self.extra = extra or {}
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "message_zh": self.zh,
            "message_en": self.en,
            **self.extra,
        }


class PermissionDenied(ApplicationError):
    status_code = 403

    def __init__(self, zh: str = "无权操作此对象", en: str = "You may not act on this object", **kw):
        kw.setdefault("code", "forbidden")
        super().__init__(zh, en, **kw)


class NotFound(ApplicationError):
    """Also used for objects outside the user's area, so their existence is not revealed."""

    status_code = 404

    def __init__(self, zh: str = "未找到，或不在您的管辖区域内", en: str = "Not found, or outside your area", **kw):
        kw.setdefault("code", "not_found")
        super().__init__(zh, en, **kw)


class Conflict(ApplicationError):
    status_code = 409

    def __init__(self, zh: str, en: str, **kw):
        kw.setdefault("code", "conflict")
        super().__init__(zh, en, **kw)
