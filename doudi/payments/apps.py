from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "doudi.payments"
    label = "payments"

    def ready(self) -> None:
        from doudi.cases.amounts import paid_reader_register

        from .selectors import paid_per_month

        paid_reader_register(paid_per_month)  # late change reports read what the ledger paid
