from django.apps import AppConfig


class MedicalConfig(AppConfig):
    name = "doudi.medical"
    label = "medical"

    def ready(self) -> None:
        from doudi.benefits.grantfacts import grant_facts_register
        from doudi.benefits.life import dibao_follower_register
        from doudi.cases.watchers import enrolment_watcher_register
        from doudi.core.jobs import job_summary_register
        from doudi.core.models import JobKind

        from .certificates import disability_facts_in, disability_follow_household, disability_watch_dibao
        from .tasks import batch_summary

        job_summary_register(JobKind.MEDICAL_IMPORT, batch_summary)  # the job box says what the import paid
        dibao_follower_register(disability_follow_household)  # the living subsidy follows dibao at a change report
        enrolment_watcher_register(disability_watch_dibao)  # and when dibao's own procedure starts or ends it
        grant_facts_register("disability", disability_facts_in)  # a grant on the person page reads that dibao too
