from django.urls import path

from doudi.core import converters  # noqa: F401  (registers <key:…>)

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("households/", views.household_search, name="household_search"),
    path("households/new/", views.household_register, name="household_register"),
    path("households/new/member-row/", views.member_row, name="member_row"),
    path("households/export.xlsx", views.household_export, name="household_export"),
    path("households/import/", views.household_import, name="household_import"),
    path("households/import/template.xlsx", views.import_template, name="import_template"),
    path("households/import/report/<str:token>.xlsx", views.import_report, name="import_report"),
    path("households/<key:pk>/", views.household_detail, name="household_detail"),
    path("households/<key:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<key:pk>/members/new/", views.member_add, name="member_add"),
    path("households/<key:pk>/<slug:kind>/new/", views.record_form, name="record_add"),
    path("households/<key:pk>/<slug:kind>/<key:record_id>/", views.record_form, name="record_edit"),
    path("households/<key:pk>/<slug:kind>/<key:record_id>/delete/", views.record_delete, name="record_delete"),
    path("people/<key:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<key:pk>/move/", views.person_move, name="person_move"),
    path("people/<key:pk>/leave/", views.member_leave, name="member_leave"),
    path("reveal/<str:kind>/<key:pk>/", views.reveal, name="reveal"),
]
