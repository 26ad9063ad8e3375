"""Incidents, events, victims, places, actors and the claims that support them."""
