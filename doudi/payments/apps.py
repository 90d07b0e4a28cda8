from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "doudi.payments"
    label = "payments"
