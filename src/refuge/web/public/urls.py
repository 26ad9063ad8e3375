from django.urls import path, re_path

from refuge.web.public import views

app_name = "public"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("incidents/<str:public_id>/", views.incident_detail, name="incident"),
    path("tables/", views.tables, name="tables"),
    re_path(r"^export\.(?P<fmt>[a-z]+)$", views.export, name="export"),
]
