from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "refuge.web.sources"
    label = "sources"
