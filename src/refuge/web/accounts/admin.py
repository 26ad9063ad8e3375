from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from refuge.web.accounts.models import Team, User


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(User)
class RefugeUserAdmin(UserAdmin[User]):
    list_display = ["username", "role", "team", "is_active", "is_superuser", "last_login"]
    list_filter = ["role", "team", "is_active"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Refuge", {"fields": ("role", "team")}),
    )
