from django.urls import path

from refuge.web.incidents import edit_views, views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    # Fixed words before "<public_id>/": a public id never reads "new" or "actors".
    path("new/", edit_views.incident_new, name="new"),
    path("actors/", edit_views.actor_list, name="actors"),
    path("actors/new/", edit_views.actor_new, name="actor_new"),
    path("actors/<uuid:uuid>/edit/", edit_views.actor_edit, name="actor_edit"),
    path("actors/<uuid:uuid>/delete/", edit_views.actor_delete, name="actor_delete"),
    # A merged incident's page leads on to the incident it joined (edit_views.follow_merge).
    path("<str:public_id>/", edit_views.follow_merge(views.incident_detail), name="detail"),
    path("<str:public_id>/edit/", edit_views.incident_edit, name="edit"),
    path("<str:public_id>/events/new/", edit_views.event_new, name="event_new"),
    path("<str:public_id>/events/<uuid:uuid>/edit/", edit_views.event_edit, name="event_edit"),
    path(
        "<str:public_id>/events/<uuid:uuid>/delete/", edit_views.event_delete, name="event_delete"
    ),
    path("<str:public_id>/victims/new/", edit_views.victims_new, name="victims_new"),
    path("<str:public_id>/victims/<uuid:uuid>/edit/", edit_views.victims_edit, name="victims_edit"),
    path(
        "<str:public_id>/victims/<uuid:uuid>/delete/",
        edit_views.victims_delete,
        name="victims_delete",
    ),
    path("<str:public_id>/merge/", edit_views.merge, name="merge"),
    path("<str:public_id>/unmerge/", edit_views.unmerge, name="unmerge"),
    path("<str:public_id>/split/", edit_views.split, name="split"),
    path("<str:public_id>/unsplit/", edit_views.unsplit, name="unsplit"),
]
