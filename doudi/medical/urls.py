from django.urls import path

from doudi.core import converters  # noqa: F401  (registers <key:…>)

from . import views

urlpatterns = [
    path("medical/", views.medical_home, name="medical_home"),
    path("medical/import/", views.settlement_import, name="medical_import"),
    path("medical/new/", views.settlement_new, name="medical_new"),
    path("medical/settlements/<key:pk>/", views.settlement_detail, name="medical_settlement"),
    path("medical/premiums/", views.premiums, name="medical_premiums"),
    path("medical/export.xlsx", views.year_export, name="medical_export"),
    path("medical/people/<key:pk>/<int:year>/", views.statement, name="medical_statement"),
    path("medical/people/<key:pk>/<int:year>/statement.pdf", views.statement_pdf, name="medical_statement_pdf"),
    path("medical/certificates/", views.certificates, name="certificates"),
    path("medical/certificates/import/", views.certificate_import, name="certificate_import"),
    path("medical/certificates/follow/", views.disability_follow, name="disability_follow"),
    path("medical/certificates/<key:pk>/<slug:verb>/", views.certificate_action, name="certificate_action"),
]
