from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from refuge.web.accounts import views as accounts
from refuge.web.pages import search_views
from refuge.web.pages import views as pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("search/", search_views.search_page, name="search"),
    # Password, then the second factor (refuge.web.accounts.views).
    path("login/", accounts.sign_in, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("refuge.web.accounts.urls")),
    path("incidents/", include("refuge.web.incidents.urls")),
    path("sources/", include("refuge.web.sources.urls")),
    path("review/", include("refuge.web.review.urls")),
    path("persons/", include("refuge.web.incidents.person_urls")),
    # Public side: reads only the publication store (refuge.web.public.reading).
    path("public/", include("refuge.web.public.urls")),
    path("api/", include("refuge.web.api.urls")),
    # Release queue, releases (four eyes), embargoes and consents (refuge.web.disclosure).
    path("publishing/", include("refuge.web.disclosure.urls")),
    # The admin's own login would skip the second factor: everyone signs in through ours.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
