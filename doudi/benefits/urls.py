from django.urls import path

from doudi.core import converters  # noqa: F401  (registers <key:…>)

from . import children_views, funeral_views, person_views, roster_views, transfer_views, veterans_views, views

urlpatterns = [
    path("temporary/", views.temporary_list, name="temporary_list"),
    path("temporary/hotline/", views.hotline_call, name="hotline_call"),
    path("temporary/new/", views.temporary_new, name="temporary_new"),
    path("temporary/<key:pk>/", views.temporary_detail, name="temporary_detail"),
    path("temporary/<key:pk>/<slug:verb>/", views.temporary_action, name="temporary_action"),
    path("elderly/rosters/", roster_views.elderly_rosters, name="elderly_rosters"),
    path("elderly/rosters/<key:pk>/", roster_views.elderly_roster_detail, name="elderly_roster_detail"),
    path("elderly/rosters/<key:pk>/roster.xlsx", roster_views.elderly_roster_export, name="elderly_roster_export"),
    path("elderly/rosters/<key:pk>/import/", roster_views.elderly_roster_upload, name="elderly_roster_upload"),
    path("children/", children_views.children_allowance, name="children_allowance"),
    path("children/children.xlsx", children_views.children_export, name="children_export"),
    path("children/import/", children_views.children_import, name="children_import"),
    path("children/reviews/run/", children_views.children_reviews_run, name="children_reviews_run"),
    path("children/reviews/<key:pk>/", children_views.children_review, name="children_review"),
    path("children/applications/", children_views.children_applications_list, name="children_applications"),
    path("children/applications/<key:pk>/", children_views.children_application, name="children_application"),
    path("people/<key:pk>/children/", children_views.child_situations, name="child_situations"),
    path("veterans/", veterans_views.veterans_roster, name="veterans_roster"),
    path("veterans/new/", veterans_views.veteran_new, name="veteran_new"),
    path("veterans/amounts/", veterans_views.veterans_amounts, name="veterans_amounts"),
    path("veterans/<key:pk>/", veterans_views.veteran_detail, name="veteran_detail"),
    path("veterans/<key:pk>/<slug:verb>/", veterans_views.veteran_action, name="veteran_action"),
    # the basic funeral fee waiver: the area's waivers and funeral homes (one changed), and a deceased person's waiver
    path("funeral/", funeral_views.funeral_list, name="funeral_list"),
    path("funeral/waivers.xlsx", funeral_views.funeral_export, name="funeral_export"),
    path("funeral/homes/<key:pk>/", funeral_views.funeral_home_edit, name="funeral_home_edit"),
    path("people/<key:pk>/funeral/", funeral_views.funeral_grant, name="funeral_grant"),
    # one person, all programmes
    path("people/<key:pk>/", person_views.person_detail, name="person_detail"),
    path("people/<key:pk>/grant/<slug:programme>/", person_views.person_grant, name="person_grant"),
    path("people/<key:pk>/report/<slug:event>/", person_views.person_report, name="person_report"),
    path("households/<key:pk>/change-report/", person_views.household_change, name="household_change"),
    path("enrolments/<key:pk>/stop/", person_views.enrolment_stop, name="enrolment_stop"),
    path("enrolments/<key:pk>/hold/", person_views.hold_release, name="hold_release"),
    # a household moving to another township of the county
    path("households/<key:pk>/transfer/", transfer_views.transfer_new, name="transfer_new"),
    path("transfers/", transfer_views.transfer_list, name="transfer_list"),
    path("transfers/<key:pk>/", transfer_views.transfer_detail, name="transfer_detail"),
    path("transfers/<key:pk>/<slug:verb>/", transfer_views.transfer_action, name="transfer_action"),
]
