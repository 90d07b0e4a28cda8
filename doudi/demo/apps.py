from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "doudi.demo"
    label = "demo"
