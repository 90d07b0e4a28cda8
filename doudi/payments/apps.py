from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "doudi.payments"
    label = "payments"

    def ready(self) -> None:
        from doudi.cases.amounts import paid_reader_register
        from doudi.core.jobs import job_summary_register
        from doudi.core.models import JobKind

        from .selectors import paid_per_month, payroll_summary

        paid_reader_register(paid_per_month)  # late change reports read what the ledger paid
        job_summary_register(JobKind.PAYROLL_GENERATE, payroll_summary)  # the job box says what it made
