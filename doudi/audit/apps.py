from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "doudi.audit"
    label = "audit"
