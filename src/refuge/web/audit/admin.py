"""The audit log in the admin (superusers): browse and filter, never change."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from refuge.web.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ["seq", "at", "action", "actor"]
    list_filter = ["action", "at"]
    search_fields = ["actor", "action"]
    ordering = ["-seq"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
