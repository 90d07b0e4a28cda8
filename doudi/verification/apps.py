from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "doudi.verification"
    label = "verification"
    verbose_name = "家庭经济状况核对"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from doudi.benefits.transfers import household_moved_register
        from doudi.cases.watchers import enrolment_watcher_register

        from .monitoring import household_moved, register_watch_enrolment

        enrolment_watcher_register(register_watch_enrolment)  # the register follows the enrolments as they change
        household_moved_register(household_moved)  # and a household moving to another township
