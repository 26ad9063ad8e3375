"""An authenticator app in code, for the sign-in tests."""

from __future__ import annotations

import base64
from typing import Any

from django_otp.oath import TOTP


def code_for(user: Any, *, ahead: int = 0) -> str:
    """What the user's authenticator app shows now (or ``ahead`` 30-second steps later)."""
    from refuge.web.accounts.models import TotpDevice

    device = TotpDevice.objects.get(user=user)
    return f"{TOTP(base64.b32decode(str(device.key)), drift=ahead).token():06d}"
