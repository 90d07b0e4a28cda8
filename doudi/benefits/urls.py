from django.urls import path

from doudi.core import converters  # noqa: F401  (registers <key:…>)

from . import views

urlpatterns = [
    path("temporary/", views.temporary_list, name="temporary_list"),
    path("temporary/hotline/", views.hotline_call, name="hotline_call"),
    path("temporary/new/", views.temporary_new, name="temporary_new"),
    path("temporary/<key:pk>/", views.temporary_detail, name="temporary_detail"),
    path("temporary/<key:pk>/<slug:verb>/", views.temporary_action, name="temporary_action"),
]
