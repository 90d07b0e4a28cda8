from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "doudi.accounts"
    label = "accounts"

    def ready(self):
        from . import middleware  # noqa: F401, PLC0415  (connects the login signal that records the session)
