from django.apps import AppConfig


class MedicalConfig(AppConfig):
    name = "doudi.medical"
    label = "medical"
