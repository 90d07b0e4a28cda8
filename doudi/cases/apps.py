from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "doudi.cases"
    label = "cases"
