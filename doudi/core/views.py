"""The one place where web requests turn an ApplicationError into a page; and the background job page."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from doudi.accounts.scope import job_get

from .errors import ApplicationError, NotFound, PermissionDenied
from .jobs import job_interrupted, job_summary
from .models import JobState


def error_response(request, error: ApplicationError):
    if request.path.startswith("/api/"):  # an address under the API that matches no endpoint, a refused body …
        return JsonResponse(error.as_dict(), status=error.status_code)
    template = "core/_error.html" if getattr(request, "htmx", False) else "core/error.html"
    return render(request, template, {"error": error}, status=error.status_code)


def not_found(request, exception=None):
    return error_response(request, NotFound())


def bad_request(request, exception=None):
    """A request Django refused before any view (a body over the size limit, too many fields, a bad host)."""
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


@login_required
def job_detail(request, pk: int):
    """A background job's state, polled by htmx (the partial) until it ends; a finished job leads to its result.
    Only the person who started it, or someone whose area and role cover it, may see it (404 otherwise)."""
    return job_response(request, job_get(request.user, pk))


def job_response(request, job):
    """The job's box for htmx — it polls itself while the job runs, showing how far it is, and once it ends says
    what it made with a link to it (the person stays on the page they started it from) — or its page; a finished
    job's page is its result."""
    result = job.result_url() if job.state == JobState.FINISHED else None
    if result and not request.htmx:
        return redirect(result)
    response = render(
        request,
        "core/_job.html" if request.htmx else "core/job.html",
        {
            "job": job,
            "interrupted": job_interrupted(job),
            "result_url": result,
            "summary": job_summary(job) if result else "",
            "percent": int(100 * job.done / job.total) if job.total else None,
            "retries": job.attempts < settings.DOUDI_JOB_ATTEMPTS,
            "polling": job.state in (JobState.QUEUED, JobState.RUNNING),
        },
    )
    if result and (request.htmx.current_url_abs_path or "").split("?")[0] == reverse("job_detail", args=[job.pk]):
        response["HX-Redirect"] = result  # the box is the whole job page: that page becomes the result
    return response


FAVICON = Path(__file__).resolve().parent.parent / "static" / "doudi" / "favicon.ico"


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; answer with the same icon the pages link."""
    response = FileResponse(open(FAVICON, "rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
