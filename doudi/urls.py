from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("doudi.api.urls")),
    path("", include("doudi.core.urls")),
    path("", include("doudi.accounts.urls")),
    path("", include("doudi.registry.urls")),
    path("", include("doudi.areas.urls")),
    path("", include("doudi.audit.urls")),
    path("", include("doudi.programmes.urls")),
    path("", include("doudi.cases.urls")),
    path("", include("doudi.payments.urls")),
    path("", include("doudi.benefits.urls")),
    path("", include("doudi.statistics.urls")),
    path("", include("doudi.verification.urls")),
    path("", include("doudi.medical.urls")),
]
handler400 = "doudi.core.views.bad_request"
handler404 = "doudi.core.views.not_found"
handler403 = "doudi.core.views.forbidden"
