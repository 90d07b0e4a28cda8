from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "doudi.backup"
    label = "backup"
