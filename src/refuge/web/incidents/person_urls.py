from django.urls import path

from refuge.web.incidents import person_views

app_name = "persons"
urlpatterns = [
    path("", person_views.person_search, name="search"),
    path("import/", person_views.person_import, name="import"),
]
