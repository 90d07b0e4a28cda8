from django.urls import path

from . import views
from .converters import KeyConverter  # noqa: F401  (registers <key:…>)

urlpatterns = [
    path("jobs/<key:pk>/", views.job_detail, name="job_detail"),
]
