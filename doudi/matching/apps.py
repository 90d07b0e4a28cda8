from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "doudi.matching"
    label = "matching"
    verbose_name = "记录匹配 Record matching"
