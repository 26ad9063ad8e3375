"""The Django admin, for superusers and reference data only.

Staff roles work through Refuge's own screens, which ask the disclosure policy; the admin
does not, so it is closed to everyone but superusers, and no model holding identifying
fields (persons, sources' testimony text) is registered in it.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class RefugeAdminSite(admin.AdminSite):
    site_header = "Refuge reference data"
    site_title = "Refuge admin"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class RefugeAdminConfig(AdminConfig):
    default_site = "refuge.web.pages.admin_site.RefugeAdminSite"
