from django.urls import path

from refuge.web.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("<str:public_id>/", views.incident_detail, name="detail"),
]
