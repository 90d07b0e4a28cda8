"""/api/v1: thin endpoints over the same actions and selectors as the pages (same area scope, same audit)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Router

from doudi.areas.api import router as areas
from doudi.cases.api import router as cases
from doudi.core.api import router as jobs
from doudi.core.errors import ApplicationError
from doudi.payments.api import router as payments
from doudi.programmes.api import router as programmes
from doudi.registry.api import router as registry

from .auth import AUTH

api = NinjaAPI(
    title="Doudi API",
    version="1",
    description="兜底 · 社会救助系统 API。所有数据按账号所属区划隔离。",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


ROUTERS: list[tuple[str, Router]] = [
    ("/areas", areas),
    ("", registry),
    ("", programmes),
    ("", cases),
    ("", payments),
    ("", jobs),
]
for prefix, router in ROUTERS:
    api.add_router(prefix, router)
