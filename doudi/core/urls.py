from django.urls import path

from . import views
from .converters import KeyConverter  # noqa: F401  (registers <key:…>)

urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("jobs/<key:pk>/", views.job_detail, name="job_detail"),
]
