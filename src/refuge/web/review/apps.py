from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "refuge.web.review"
    label = "review"
