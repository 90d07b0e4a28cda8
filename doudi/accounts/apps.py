from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "doudi.accounts"
    label = "accounts"
