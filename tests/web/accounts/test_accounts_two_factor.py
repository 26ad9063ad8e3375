"""Two-factor sign-in: who must give a second factor, enrolment, codes, recovery codes."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY, login
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from totp_app import code_for

from refuge.web.accounts import twofactor
from refuge.web.accounts.models import RecoveryCode, TotpDevice
from refuge.web.accounts.views import PENDING
from refuge.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.parametrize(
    ("persona", "required"),
    [("alice", True), ("root", True), ("bob", False), ("carol", False), ("dave", False)],
)
def test_two_factor_is_required_of_exactly_those_who_can_see_identifying_fields(
    request: pytest.FixtureRequest, persona: str, required: bool
) -> None:
    assert twofactor.two_factor_required(request.getfixturevalue(persona)) is required


def test_an_editor_without_an_authenticator_must_enrol_before_being_signed_in(
    client: Client, alice: Any, sign_in: Callable[..., Any]
) -> None:
    response = sign_in(client, "alice")
    assert response["Location"] == reverse("accounts:enrol")
    assert not _signed_in(client)
    assert client.get(reverse("incidents:list")).status_code == 302


def test_enrolment_shows_a_qr_code_then_signs_in_and_shows_recovery_codes_once(
    client: Client, alice: Any, sign_in: Callable[..., Any]
) -> None:
    sign_in(client, "alice")
    page = client.get(reverse("accounts:enrol")).content.decode()
    device = TotpDevice.objects.get(user=alice)
    assert "<svg" in page and str(device.key) in page and not device.confirmed
    response = client.post(reverse("accounts:enrol"), {"code": code_for(alice)})
    assert response.status_code == 200 and _signed_in(client)
    shown = response.context["codes"]
    assert len(shown) == twofactor.RECOVERY_CODES
    stored = set(RecoveryCode.objects.filter(user=alice).values_list("code_sha256", flat=True))
    assert all(code not in stored for code in shown)  # only hashes are kept
    assert client.session[twofactor.SESSION_FLAG] == twofactor.BY_TOTP
    assert client.get(reverse("incidents:list")).status_code == 200


def test_the_totp_key_is_encrypted_at_rest(alice: Any, enrolled: Callable[[Any], Any]) -> None:
    from django.db import connection

    enrolled(alice)
    key = str(TotpDevice.objects.get(user=alice).key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_totpdevice")
        [(stored,)] = cursor.fetchall()
    assert stored.startswith("v1:") and key not in stored


def test_an_enrolled_editor_signs_in_with_a_current_code(
    client: Client, alice: Any, enrolled: Callable[[Any], Any], sign_in: Callable[..., Any]
) -> None:
    enrolled(alice)
    response = sign_in(client, "alice")
    assert response["Location"] == reverse("accounts:two_factor") and not _signed_in(client)
    response = client.post(reverse("accounts:two_factor"), {"code": code_for(alice, ahead=1)})
    assert response["Location"] == reverse("incidents:list") and _signed_in(client)
    assert ("login", "user:alice") in AuditEntry.objects.values_list("action", "actor")


def test_a_wrong_code_does_not_sign_in_and_is_a_failed_sign_in(
    client: Client, alice: Any, enrolled: Callable[[Any], Any], sign_in: Callable[..., Any]
) -> None:
    enrolled(alice)
    good = code_for(alice, ahead=1)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = sign_in(client, "alice", code=wrong)
    assert response.status_code == 200 and not _signed_in(client)
    assert AuditEntry.objects.filter(action="login_failed").exists()


def test_a_code_is_never_accepted_twice(
    alice: Any, enrolled: Callable[[Any], Any], settings: Any
) -> None:
    settings.TWO_FACTOR_THROTTLE_FACTOR = 0  # the replay, not the back-off, is under test
    enrolled(alice)
    code = code_for(alice, ahead=1)
    assert twofactor.second_factor_check(user=alice, code=code) == twofactor.BY_TOTP
    assert twofactor.second_factor_check(user=alice, code=code) is None


def test_wrong_codes_slow_down_further_tries_on_the_device(
    alice: Any, enrolled: Callable[[Any], Any]
) -> None:
    enrolled(alice)
    good = code_for(alice, ahead=1)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    assert twofactor.second_factor_check(user=alice, code=wrong) is None
    assert twofactor.second_factor_check(user=alice, code=good) is None  # within the back-off
    TotpDevice.objects.filter(user=alice).update(failed_at=timezone.now() - timedelta(seconds=2))
    assert twofactor.second_factor_check(user=alice, code=good) == twofactor.BY_TOTP


def test_a_recovery_code_signs_in_once_only(
    alice: Any, enrolled: Callable[[Any], Any], sign_in: Callable[..., Any]
) -> None:
    codes = enrolled(alice)
    first = Client()
    sign_in(first, "alice", code=codes[0].upper().replace("-", " "))  # as typed from paper
    assert _signed_in(first)
    assert first.session[twofactor.SESSION_FLAG] == twofactor.BY_RECOVERY_CODE
    second = Client()
    response = sign_in(second, "alice", code=codes[0])
    assert response.status_code == 200 and not _signed_in(second)
    assert twofactor.recovery_codes_left(alice) == twofactor.RECOVERY_CODES - 1


def test_new_recovery_codes_cancel_the_old_ones(alice: Any, enrolled: Callable[[Any], Any]) -> None:
    old = enrolled(alice)
    new = twofactor.recovery_codes_create(user=alice)
    assert twofactor.recovery_code_use(user=alice, code=old[1]) is False
    assert twofactor.recovery_code_use(user=alice, code=new[1]) is True


def test_renewing_recovery_codes_from_the_security_page_needs_a_current_code(
    client: Client,
    alice: Any,
    enrolled: Callable[[Any], Any],
    sign_in: Callable[..., Any],
    settings: Any,
) -> None:
    settings.TWO_FACTOR_THROTTLE_FACTOR = 0
    old = enrolled(alice)
    sign_in(client, "alice", code=old[0])
    refused = client.post(reverse("accounts:recovery_codes"), {"code": "12345"})
    assert refused.status_code == 302
    assert twofactor.recovery_code_use(user=alice, code=old[1]) is True
    response = client.post(reverse("accounts:recovery_codes"), {"code": code_for(alice, ahead=1)})
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    assert twofactor.recovery_code_use(user=alice, code=old[2]) is False


def test_an_analyst_signs_in_with_the_password_alone(
    client: Client, bob: Any, sign_in: Callable[..., Any]
) -> None:
    response = sign_in(client, "bob")
    assert response["Location"] == reverse("incidents:list") and _signed_in(client)
    assert client.session[twofactor.SESSION_FLAG] == twofactor.NOT_REQUIRED


def test_a_superuser_must_enrol_too(client: Client, root: Any, sign_in: Callable[..., Any]) -> None:
    assert sign_in(client, "root")["Location"] == reverse("accounts:enrol")
    assert not _signed_in(client)


def test_the_admin_login_leads_to_the_two_factor_sign_in(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == reverse("login") + "?next=/admin/"


def test_a_pending_sign_in_expires(
    client: Client, alice: Any, enrolled: Callable[[Any], Any], sign_in: Callable[..., Any]
) -> None:
    enrolled(alice)
    sign_in(client, "alice")
    session = client.session
    session[PENDING] = {**session[PENDING], "at": time.time() - 3600}
    session.save()
    response = client.post(reverse("accounts:two_factor"), {"code": code_for(alice, ahead=1)})
    assert response["Location"] == reverse("login") and not _signed_in(client)


def test_an_analyst_promoted_to_editor_is_signed_out_until_enrolled(
    client: Client, bob: Any, sign_in: Callable[..., Any]
) -> None:
    sign_in(client, "bob")
    bob.role = "editor"
    bob.save()
    response = client.get(reverse("incidents:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not _signed_in(client)


def test_a_sign_in_through_another_login_view_is_ended_at_the_next_request(
    alice: Any, enrolled: Callable[[Any], Any], settings: Any
) -> None:
    # What Django's own LoginView (or any other) does once the password is right.
    enrolled(alice)
    request = RequestFactory().post("/another-login/")
    request.session = SessionStore()
    login(request, alice, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    assert request.session[twofactor.SESSION_FLAG] == twofactor.UNVERIFIED
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    response = client.get(reverse("incidents:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_sessions_made_outside_the_web_are_not_held_to_a_second_factor(alice: Any) -> None:
    # The test client's force_login and shell scripts run on the server itself.
    assert twofactor.session_acceptable(alice, None)


def test_demo_accounts_skip_two_factor_only_in_demo_mode(
    client: Client, alice: Any, settings: Any, sign_in: Callable[..., Any]
) -> None:
    alice.is_demo = True
    alice.save()
    settings.DEMO = True
    sign_in(client, "alice")
    assert _signed_in(client)
    assert client.session[twofactor.SESSION_FLAG] == twofactor.DEMO_SKIP
    page = client.get(reverse("incidents:list")).content.decode()
    assert "two-factor sign-in is skipped for demo accounts" in page
    settings.DEMO = False  # the server restarted without REFUGE_DEMO=1
    assert client.get(reverse("incidents:list")).status_code == 302
    assert not _signed_in(client)
    assert sign_in(Client(), "alice")["Location"] == reverse("accounts:enrol")


def test_a_demo_flag_alone_does_not_skip_two_factor_outside_demo_mode(
    client: Client, alice: Any, sign_in: Callable[..., Any]
) -> None:
    alice.is_demo = True
    alice.save()
    assert sign_in(client, "alice")["Location"] == reverse("accounts:enrol")


def test_the_demo_accounts_are_marked_as_demo_accounts(db: Any) -> None:
    from refuge.web.accounts.models import User
    from refuge.web.accounts.services import demo_users_create

    demo_users_create(password="a demo password long enough")
    assert set(User.objects.filter(is_demo=True).values_list("username", flat=True)) == {
        "admin",
        "editor",
        "analyst",
        "partner",
    }


def test_an_administrator_resets_a_lost_authenticator(
    alice: Any, root: Any, enrolled: Callable[[Any], Any], sign_in: Callable[..., Any]
) -> None:
    enrolled(alice)
    client = Client()
    client.force_login(alice)
    twofactor.two_factor_reset(user=alice, actor=root)
    assert not TotpDevice.objects.filter(user=alice).exists()
    assert not RecoveryCode.objects.filter(user=alice).exists()
    assert client.get(reverse("incidents:list")).status_code == 302  # her session ended
    assert sign_in(Client(), "alice")["Location"] == reverse("accounts:enrol")


def test_an_analyst_may_enrol_from_the_security_page_and_is_then_asked_for_codes(
    client: Client, bob: Any, sign_in: Callable[..., Any]
) -> None:
    client.force_login(bob)
    assert "Set it up anyway" in client.get(reverse("accounts:security")).content.decode()
    client.get(reverse("accounts:enrol"))
    response = client.post(reverse("accounts:enrol"), {"code": code_for(bob)})
    assert len(response.context["codes"]) == twofactor.RECOVERY_CODES
    assert "Recovery codes left: 10" in client.get(reverse("accounts:security")).content.decode()
    assert sign_in(Client(), "bob")["Location"] == reverse("accounts:two_factor")


def test_reloading_the_enrolment_page_keeps_the_key_already_scanned(
    client: Client, alice: Any, sign_in: Callable[..., Any]
) -> None:
    sign_in(client, "alice")
    client.get(reverse("accounts:enrol"))
    first = str(TotpDevice.objects.get(user=alice).key)
    assert first in client.get(reverse("accounts:enrol")).content.decode()
    assert TotpDevice.objects.filter(user=alice).count() == 1
