from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "refuge.web.public"
    label = "public"
    verbose_name = "Public site"
