"""What follows from sign-ins and account changes, whichever screen or command made them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.wsgi import WSGIRequest
from django.db.models.signals import post_save
from django.dispatch import receiver

from refuge.web.accounts.models import User
from refuge.web.accounts.twofactor import SESSION_FLAG, UNVERIFIED

# Set on the request by the sign-in views just before login(): how the person signed in.
REQUEST_MARK = "_refuge_second_factor"


@receiver(user_logged_in)
def _note_second_factor(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    how = getattr(request, REQUEST_MARK, None)
    if how is not None:
        session[SESSION_FLAG] = how
    elif isinstance(request, WSGIRequest | ASGIRequest):
        # A sign-in over the web that bypassed our views (another login view): it proved
        # no second factor, and TwoFactorMiddleware ends it if the account needs one.
        session[SESSION_FLAG] = UNVERIFIED


@receiver(post_save, sender=User)
def _suspended(sender: Any, instance: User, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.is_active:
        return
    from refuge.web.accounts.sessions import sessions_end
    from refuge.web.accounts.tokens import tokens_revoke_all

    # At once, not at the sessions' expiry: a suspended account may be a seized laptop.
    sessions_end(user=instance)
    tokens_revoke_all(user=instance)
