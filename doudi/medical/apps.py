from django.apps import AppConfig


class MedicalConfig(AppConfig):
    name = "doudi.medical"
    label = "medical"

    def ready(self) -> None:
        from doudi.benefits.life import dibao_follower_register

        from .certificates import disability_follow_household

        dibao_follower_register(disability_follow_household)  # the living subsidy follows dibao at a change report
