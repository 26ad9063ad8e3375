from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "refuge.web.pages"
    label = "pages"
