from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "doudi.benefits"
    label = "benefits"

    def ready(self) -> None:
        from doudi.payments.generation import payment_gate_register
        from doudi.payments.payees import payee_resolver_register

        from .payees import funeral_home_payees
        from .rosters import PAYMENT_GATE
        from .veterans import veterans_payees

        payee_resolver_register("funeral", funeral_home_payees)  # the waiver is paid to the funeral home
        payment_gate_register("elderly", PAYMENT_GATE)  # only what the village confirmed is paid
        payee_resolver_register("veterans", veterans_payees)  # to the person's own account where given
