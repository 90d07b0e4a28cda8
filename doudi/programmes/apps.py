from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "doudi.programmes"
    label = "programmes"
