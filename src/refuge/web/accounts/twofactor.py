"""Second factors: who needs one, TOTP enrolment and verification, recovery codes.

Two-factor is required of everyone who can ever see identifying fields (the disclosure
policy's ``may_read_identifying``), of staff and of superusers. Demo accounts may skip it
only while REFUGE_DEMO=1 (settings.DEMO), and base.html says so on every page.

How a session was signed in is written into it (``SESSION_FLAG``) by the sign-in views and
checked on every request by ``TwoFactorMiddleware``, so a session that skipped a factor it
now needs (a promotion, the end of demo mode, a sign-in through another view) is ended.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any, Final
from urllib.parse import quote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from refuge.web.accounts.errors import AccountError
from refuge.web.accounts.models import TOTP_DIGITS, TOTP_STEP, RecoveryCode, TotpDevice, User

SESSION_FLAG: Final = "refuge_second_factor"
# The values of SESSION_FLAG.
BY_TOTP: Final = "totp"
BY_RECOVERY_CODE: Final = "recovery-code"
DEMO_SKIP: Final = "demo-skip"
NOT_REQUIRED: Final = "not-required"
# Written when a sign-in over the web did not go through the two-factor step at all.
UNVERIFIED: Final = "unverified"
VERIFIED: Final = frozenset({BY_TOTP, BY_RECOVERY_CODE})

RECOVERY_CODES = 10
ISSUER = "Refuge"


def two_factor_required(user: Any) -> bool:
    from refuge.web.disclosure import policy

    return bool(user.is_superuser or user.is_staff or policy.may_read_identifying(user))


def demo_skip_allowed(user: Any) -> bool:
    return bool(getattr(settings, "DEMO", False) and getattr(user, "is_demo", False))


def session_acceptable(user: Any, flag: str | None) -> bool:
    """Whether a session signed in as ``flag`` may go on serving ``user`` as they are now.

    No flag: the login did not come over the web (the test client's force_login, a shell);
    there is no request to hold to a second factor.
    """
    if flag is None or flag in VERIFIED:
        return True
    if not two_factor_required(user):
        return flag in (NOT_REQUIRED, DEMO_SKIP)
    return flag == DEMO_SKIP and demo_skip_allowed(user)


def confirmed_device(user: Any) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed=True).first()


def device_start(*, user: User) -> TotpDevice:
    """A new, unconfirmed authenticator key for ``user``; replaces an unconfirmed one."""
    TotpDevice.objects.filter(user=user, confirmed=False).delete()
    return device_for_enrolment(user=user)


def device_for_enrolment(*, user: User) -> TotpDevice:
    """The key being enrolled (the same across reloads of the page), or a new one."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is None:
        key = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
        try:
            with transaction.atomic():
                device = TotpDevice.objects.create(user=user, key=key, confirmed=False)
        except IntegrityError:
            # Two tabs (or two people with one password) opened enrolment at once: one key.
            device = TotpDevice.objects.get(user=user)
    if device.confirmed:
        raise AccountError(
            "an authenticator is already enrolled; an administrator resets it first", code="R112"
        )
    return device


def provisioning_uri(device: TotpDevice) -> str:
    """The otpauth:// URI that authenticator apps read from the QR code."""
    label = quote(f"{ISSUER}:{device.user.username}")
    return (
        f"otpauth://totp/{label}?secret={device.key}&issuer={ISSUER}"
        f"&algorithm=SHA1&digits={TOTP_DIGITS}&period={TOTP_STEP}"
    )


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no image request, nothing for the CSP to allow)."""
    import segno

    # A white background: a dark page behind a transparent code defeats phone cameras.
    return str(segno.make(data, error="m").svg_inline(scale=4, border=2, light="#fff"))


def device_confirm(*, device: TotpDevice, code: str) -> list[str] | None:
    """Confirm enrolment with one code from the app; the new recovery codes, or None."""
    if device.confirmed or not device.verify_token(_normalise(code)):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_create(user=device.user)
    _audit(device.user, "two_factor_enrolled")
    return codes


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode("ascii", "replace")).hexdigest()


def recovery_codes_create(*, user: User) -> list[str]:
    """New recovery codes, shown once; the old ones stop working.

    80 random bits each: a bare SHA-256 is enough to keep them, no one can search 2^80.
    """
    if confirmed_device(user) is None:
        raise AccountError("enrol an authenticator app before making recovery codes", code="R112")
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()
        codes.append("-".join(raw[i : i + 4] for i in range(0, len(raw), 4)))
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_sha256=_digest(code)) for code in codes
        )
    return codes


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def recovery_code_use(*, user: User, code: str) -> bool:
    """Spend one recovery code; a code works once, even for two requests at the same time."""
    spent = RecoveryCode.objects.filter(
        user=user, code_sha256=_digest(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if spent:
        _audit(user, "recovery_code_used", left=recovery_codes_left(user))
    return spent == 1


def second_factor_check(*, user: User, code: str) -> str | None:
    """How ``code`` proves the second factor (BY_TOTP, BY_RECOVERY_CODE), or None."""
    device = confirmed_device(user)
    if device is None:
        return None
    if _normalise(code).isdigit() and len(_normalise(code)) == TOTP_DIGITS:
        return BY_TOTP if device.verify_token(_normalise(code)) else None
    return BY_RECOVERY_CODE if recovery_code_use(user=user, code=code) else None


def two_factor_reset(*, user: User, actor: Any) -> None:
    """Remove the authenticator and recovery codes (a lost phone); the next sign-in enrols."""
    from refuge.web.accounts.sessions import sessions_end

    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
    sessions_end(user=user)
    _audit(user, "two_factor_reset", by=getattr(actor, "username", str(actor)))


def _audit(user: User, operation: str, **extra: Any) -> None:
    from refuge.web.audit.services import audit_record

    # "key_operation": the audit vocabulary has no entry for second factors yet.
    audit_record(
        action="key_operation",
        actor="system",
        details={"operation": operation, "account": user.username, **extra},
    )
