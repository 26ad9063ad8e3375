from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "refuge.web.audit"
    label = "audit"

    def ready(self) -> None:
        from refuge.web.audit import signals  # noqa: F401 (connects the receivers)
