"""Reference data only: places and actors. Persons, claims and incidents are never here."""

from django.contrib import admin

from refuge.web.incidents.models import Actor, Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin[Place]):
    list_display = ["name", "kind", "country", "admin1", "gazetteer_id"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_ko", "name_zh", "gazetteer_id"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin[Actor]):
    list_display = ["name", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
