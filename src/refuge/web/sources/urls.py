from django.urls import path

from refuge.web.sources import views

app_name = "sources"
urlpatterns = [
    path("", views.source_list, name="list"),
    path("upload/", views.source_upload, name="upload"),
    path("<uuid:uuid>/", views.source_detail, name="detail"),
    path("<uuid:uuid>/grade/", views.source_grade_view, name="grade"),
]
