from django.urls import path

from refuge.web.disclosure import views

app_name = "publishing"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("incident/<str:public_id>/release/", views.propose, name="propose"),
    path("incident/<str:public_id>/embargo/", views.embargo, name="embargo"),
    path("incident/<str:public_id>/consent/", views.consent, name="consent"),
    path("release/<uuid:uuid>/decide/", views.decide, name="decide"),
    path("release/<uuid:uuid>/withdraw/", views.withdraw, name="withdraw"),
    path("embargo/<uuid:uuid>/lift/", views.embargo_lift, name="embargo_lift"),
    path("consent/<uuid:uuid>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("person/<str:public_id>/erase/", views.erase_person, name="erase_person"),
    path("person/<str:public_id>/hold/", views.hold_set_person, name="hold_set_person"),
    path("incident/<str:public_id>/hold/", views.hold_set_incident, name="hold_set_incident"),
    path("hold/<uuid:uuid>/release/", views.hold_release, name="hold_release"),
]
