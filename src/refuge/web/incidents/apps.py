from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "refuge.web.incidents"
    label = "incidents"
