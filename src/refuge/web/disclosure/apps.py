from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "refuge.web.disclosure"
    label = "disclosure"
