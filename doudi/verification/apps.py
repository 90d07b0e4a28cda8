from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "doudi.verification"
    label = "verification"
    verbose_name = "家庭经济状况核对"
    default_auto_field = "django.db.models.BigAutoField"
