from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "doudi.statistics"
    label = "statistics"
