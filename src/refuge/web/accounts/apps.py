from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "refuge.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Receivers: session flags and suspension (signals), narrowed users (tokens).
        from refuge.web.accounts import signals, tokens  # noqa: F401
