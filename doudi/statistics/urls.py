from django.urls import path

from doudi.core import converters  # noqa: F401  (registers <key:…>)

from . import views

urlpatterns = [
    path("statistics/", views.indicators, name="statistics"),
    path("statistics/dashboard/", views.dashboard, name="statistics_dashboard"),
    path("statistics/report.xlsx", views.monthly_report, name="statistics_report"),
    path("statistics/targets/", views.targets, name="statistics_targets"),
    path("statistics/targets/<key:pk>/approve/", views.target_approve, name="statistics_target_approve"),
    path("statistics/<slug:code>/", views.indicator_list, name="statistics_list"),
]
