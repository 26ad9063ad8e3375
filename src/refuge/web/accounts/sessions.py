"""Ending every live session of one account (suspension, a reset second factor)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def sessions_end(*, user: Any) -> int:
    """Delete the user's sessions from the store; their next request is signed out.

    Sessions are few (they expire after an idle hour), so reading each is cheap and needs
    no second table to keep in step with the session store.
    """
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY, "")) == str(user.pk):
            session.delete()
            ended += 1
    return ended
