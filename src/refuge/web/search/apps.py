from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "refuge.web.search"
    label = "search"
