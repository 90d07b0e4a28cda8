from django.urls import path

from . import views

urlpatterns = [path("areas/", views.area_list, name="area_list")]
