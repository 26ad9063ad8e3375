from django.urls import path

from refuge.web.review import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:uuid>/", views.review, name="source"),
    path("figures/<uuid:group>/<str:figure>/", views.figure_choose, name="figure"),
]
