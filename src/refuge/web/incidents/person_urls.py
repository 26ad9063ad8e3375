from django.urls import path

from refuge.web.incidents import person_views

app_name = "persons"
urlpatterns = [
    path("", person_views.person_search, name="search"),
    path("import/", person_views.person_import, name="import"),
    path("new/", person_views.person_new, name="new"),
    path("<str:public_id>/edit/", person_views.person_edit, name="edit"),
]
