from django.urls import path

from doudi.core import converters  # noqa: F401  (registers <key:…>)

from . import views

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/versions/new/", views.version_new, name="version_new"),
    path("programmes/versions/<key:pk>/", views.version_detail, name="version_detail"),
    path("programmes/versions/<key:pk>/approve/", views.version_approve, name="version_approve"),
    path("programmes/versions/<key:pk>/withdraw/", views.version_withdraw, name="version_withdraw"),
    path("programmes/versions/<key:pk>/simulate/", views.version_simulate, name="version_simulate"),
    path("programmes/runs/", views.run_list, name="run_list"),
    path("programmes/runs/<key:pk>/", views.run_detail, name="run_detail"),
    path("programmes/runs/<key:pk>/households.xlsx", views.run_export, name="run_export"),
    path("programmes/exports/<key:pk>.xlsx", views.run_export_file, name="run_export_file"),
    path("households/<key:pk>/decision/<slug:programme>/", views.household_decision, name="household_decision"),
]
