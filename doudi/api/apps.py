from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "doudi.api"
    label = "api"
