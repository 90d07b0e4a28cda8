from django.urls import path

from doudi.core import converters  # noqa: F401  (registers <key:…>)

from . import views

urlpatterns = [
    path("payments/", views.payroll_list, name="payroll_list"),
    path("payments/start/", views.payroll_start, name="payroll_start"),
    path("payments/recoveries/", views.recovery_list, name="recovery_list"),
    path("payments/figures/", views.figures, name="payment_figures"),
    path("payments/files/<key:pk>/", views.bank_file, name="bank_file"),
    path("payments/<key:pk>/", views.payroll_detail, name="payroll_detail"),
    path("payments/<key:pk>/<slug:verb>/", views.payroll_action, name="payroll_action"),
]
