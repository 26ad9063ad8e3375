from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "refuge.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
