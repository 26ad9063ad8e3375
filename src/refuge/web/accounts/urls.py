from django.urls import path

from refuge.web.accounts import views

app_name = "accounts"

urlpatterns = [
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/enrol/", views.enrol, name="enrol"),
    path("security/", views.security, name="security"),
    path("security/recovery-codes/", views.recovery_codes_renew, name="recovery_codes"),
    path("tokens/new/", views.token_new, name="token_new"),
    path("tokens/revoke/", views.token_revoke_view, name="token_revoke"),
]
