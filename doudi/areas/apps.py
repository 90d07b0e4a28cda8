from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "doudi.areas"
    label = "areas"
