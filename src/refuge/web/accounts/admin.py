from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from refuge.web.accounts.models import ApiToken, Team, User
from refuge.web.accounts.services import user_suspend
from refuge.web.accounts.tokens import token_revoke
from refuge.web.accounts.twofactor import two_factor_reset


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(User)
class RefugeUserAdmin(UserAdmin[User]):
    list_display = ["username", "role", "team", "is_active", "is_superuser", "last_login"]
    list_filter = ["role", "team", "is_active"]
    readonly_fields = ["is_demo"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Refuge", {"fields": ("role", "team", "is_demo")}),
    )
    actions = ["suspend", "reset_two_factor"]

    @admin.action(description="Suspend (ends their sessions and API tokens now)")
    def suspend(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            user_suspend(user=user)
        self.message_user(request, f"{queryset.count()} account(s) suspended.", messages.SUCCESS)

    @admin.action(description="Reset two-factor (lost phone: they enrol again at next sign-in)")
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            two_factor_reset(user=user, actor=request.user)
        self.message_user(request, f"Two-factor reset for {queryset.count()} account(s).")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are seen and revoked here, never made: their owners make them."""

    list_display = ["name", "user", "role", "prefix", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["role"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Revoke")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token_revoke(token=token)
