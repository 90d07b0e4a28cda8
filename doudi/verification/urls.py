from django.urls import path

from doudi.core import converters  # noqa: F401  (registers <key:…>)

from . import views

urlpatterns = [
    path("verification/", views.verification_home, name="verification_home"),
    path("verification/loads/new/", views.load_new, name="verification_load_new"),
    path("verification/loads/<key:pk>/", views.load_detail, name="verification_load"),
    path("verification/kinds/<slug:kind>/", views.kind_detail, name="verification_kind"),
    path("verification/requests/", views.request_list, name="verification_requests"),
    path("verification/alerts/", views.alert_list, name="verification_alerts"),
    path("verification/discovery/", views.discovery_list, name="discovery_list"),
    path("verification/discovery/export.xlsx", views.discovery_export, name="discovery_export"),
    path("verification/discovery/<key:pk>/", views.discovery_detail, name="discovery_detail"),
    path("verification/monitoring/", views.monitoring_list, name="monitoring_list"),
    path("verification/monitoring/<key:pk>/", views.monitoring_detail, name="monitoring_detail"),
    path("verification/monitoring/<key:pk>/leave/", views.monitoring_leave_view, name="monitoring_leave"),
    path("verification/requests/<key:pk>/", views.request_detail, name="verification_request"),
    path("verification/requests/<key:pk>/file.csv", views.request_file_view, name="verification_request_file"),
    path("verification/findings/<key:pk>/<slug:verb>/", views.finding_action, name="verification_finding"),
    path("cases/<key:pk>/verification/", views.case_report, name="verification_case_report"),
    path("cases/<key:pk>/verification/report.pdf", views.case_report_pdf, name="verification_case_pdf"),
]
