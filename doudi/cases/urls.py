from django.urls import path

from doudi.core import converters  # noqa: F401  (registers <key:…>)

from . import views

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/daily/", views.daily_run, name="cases_daily"),
    path("cases/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("cases/<key:pk>/", views.case_detail, name="case_detail"),
    path("cases/<key:pk>/move/<slug:move>/", views.case_move_view, name="case_move"),
    path("cases/<key:pk>/documents/", views.document_upload, name="document_upload"),
    path("cases/<key:pk>/<slug:kind>.pdf", views.case_pdf, name="case_pdf"),
    path("documents/<key:pk>/", views.document_download, name="document_download"),
    path("households/<key:household_id>/apply/", views.application_new, name="application_new"),
    path("applications/<key:pk>/", views.application_detail, name="application_detail"),
    path("applications/<key:pk>/materials-notice.pdf", views.materials_notice_pdf, name="materials_notice_pdf"),
    path("enrolments/", views.enrolment_list, name="enrolment_list"),
    path("enrolments/export.xlsx", views.enrolment_export, name="enrolment_export"),
    path("enrolments/termination-notice.pdf", views.termination_notice_pdf, name="termination_notice_pdf"),
    path("enrolments/<key:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("enrolments/<key:pk>/notice.pdf", views.enrolment_notice_pdf, name="enrolment_notice_pdf"),
]
