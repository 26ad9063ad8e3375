from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from refuge.web.pages import views as pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="pages/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("incidents/", include("refuge.web.incidents.urls")),
    path("sources/", include("refuge.web.sources.urls")),
    path("persons/", include("refuge.web.incidents.person_urls")),
    path("admin/", admin.site.urls),
]
