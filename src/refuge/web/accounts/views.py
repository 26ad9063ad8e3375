"""Sign-in in two steps (password, then a second factor), enrolment, the security page.

The session becomes signed in (``login``) only once every factor the account needs has
been given; until then it holds a short-lived ``PENDING`` note naming the account.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from refuge.web.accounts import twofactor
from refuge.web.accounts.errors import AccountError
from refuge.web.accounts.forms import CodeForm, TokenForm
from refuge.web.accounts.models import User
from refuge.web.accounts.selectors import token_of, user_active
from refuge.web.accounts.signals import REQUEST_MARK
from refuge.web.accounts.tokens import token_create, token_revoke, token_scopes, tokens_of

PENDING = "refuge_pending_sign_in"
# Time to find the phone and type a code; after that the password is asked again.
PENDING_SECONDS = 600
WRONG_CODE = gettext_lazy(
    "That code did not work. Codes change every 30 seconds; try the current one."
)


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _complete(request: HttpRequest, user: Any, how: str, backend: str) -> None:
    setattr(request, REQUEST_MARK, how)  # read by the user_logged_in receiver
    login(request, user, backend=backend)
    request.session.pop(PENDING, None)


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = user_active(pk=int(pending.get("user") or 0))
    return (user, pending) if user is not None else None


def _code_failed(request: HttpRequest, user: User) -> None:
    # Counted by django-axes like a wrong password, for this username and address, and
    # recorded in the audit log as a failed sign-in.
    user_login_failed.send(
        sender=__name__, credentials={"username": user.username}, request=request
    )


def _locked(request: HttpRequest, user: User) -> HttpResponse | None:
    from axes.handlers.proxy import AxesProxyHandler  # type: ignore[import-untyped]
    from axes.helpers import get_lockout_response  # type: ignore[import-untyped]

    credentials = {"username": user.username}
    if AxesProxyHandler.is_allowed(request, credentials):
        return None
    response: HttpResponse = get_lockout_response(request, None, credentials)
    return response


@never_cache
@sensitive_post_parameters("password")
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        backend = str(getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"))
        has_device = twofactor.confirmed_device(user) is not None
        if not has_device and twofactor.demo_skip_allowed(user):
            _complete(request, user, twofactor.DEMO_SKIP, backend)
            return redirect(next_url)
        if not has_device and not twofactor.two_factor_required(user):
            _complete(request, user, twofactor.NOT_REQUIRED, backend)
            return redirect(next_url)
        request.session.cycle_key()  # a new session id once the password is known
        request.session[PENDING] = {
            "user": user.pk,
            "backend": backend,
            "at": time.time(),
            "next": next_url,
        }
        return redirect("accounts:two_factor" if has_device else "accounts:enrol")
    return render(request, "pages/login.html", {"form": form, "next": next_url})


@never_cache
@sensitive_post_parameters("code")
def two_factor(request: HttpRequest) -> HttpResponse:
    found = _pending_user(request)
    if found is None:
        return redirect("login")
    user, pending = found
    if twofactor.confirmed_device(user) is None:
        return redirect("accounts:enrol")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        locked = _locked(request, user)
        if locked is not None:
            return locked
        how = twofactor.second_factor_check(user=user, code=form.cleaned_data["code"])
        if how is not None:
            _complete(request, user, how, pending["backend"])
            if how == twofactor.BY_RECOVERY_CODE:
                left = twofactor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)s left. "
                        "Make new ones on your security page if you are running low."
                    )
                    % {"left": left},
                )
            return redirect(pending["next"])
        _code_failed(request, user)
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/two_factor.html", {"form": form}, status=200)


@never_cache
@sensitive_post_parameters("code")
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: during a pending sign-in, or from the security page."""
    pending: dict[str, Any] | None = None
    if request.user.is_authenticated:
        user: User = request.user
    else:
        found = _pending_user(request)
        if found is None:
            return redirect("login")
        user, pending = found
    if twofactor.confirmed_device(user) is not None:
        return redirect("accounts:security" if pending is None else "accounts:two_factor")
    device = twofactor.device_for_enrolment(user=user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        locked = _locked(request, user)
        if locked is not None:
            return locked
        codes = twofactor.device_confirm(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            if pending is not None:
                _complete(request, user, twofactor.BY_TOTP, pending["backend"])
                next_url = pending["next"]
            else:
                request.session[twofactor.SESSION_FLAG] = twofactor.BY_TOTP
                next_url = resolve_url("accounts:security")
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url}
            )
        _code_failed(request, user)
        form.add_error("code", WRONG_CODE)
    uri = twofactor.provisioning_uri(device)
    return render(
        request,
        "accounts/enrol.html",
        {"form": form, "secret": device.key, "qr_svg": twofactor.qr_svg(uri), "uri": uri},
    )


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    scopes = token_scopes(user)
    return render(
        request,
        "accounts/security.html",
        {
            "device": twofactor.confirmed_device(user),
            "required": twofactor.two_factor_required(user),
            "codes_left": twofactor.recovery_codes_left(user),
            "tokens": tokens_of(user),
            "token_form": TokenForm(scopes=scopes) if scopes else None,
            "code_form": CodeForm(),
        },
    )


@never_cache
@login_required
@sensitive_post_parameters("code")
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    """New recovery codes, asked with a current code so a stolen session cannot take them."""
    if request.method != "POST":
        return redirect("accounts:security")  # the form lives there
    user: User = request.user  # type: ignore[assignment]
    form = CodeForm(request.POST)
    device = twofactor.confirmed_device(user)
    if (
        device is None
        or not form.is_valid()
        or not device.verify_token(form.cleaned_data["code"].strip())
    ):
        messages.error(request, WRONG_CODE)
        return redirect("accounts:security")
    codes = twofactor.recovery_codes_create(user=user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": resolve_url("accounts:security")},
    )


@never_cache
@login_required
def token_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("accounts:security")  # the form lives there
    user: User = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST, scopes=token_scopes(user))
    if not form.is_valid():
        messages.error(request, _("The token was not created: ") + form.errors.as_text())
        return redirect("accounts:security")
    try:
        token, raw = token_create(
            user=user,
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            days=form.cleaned_data["days"],
        )
    except AccountError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:security")
    return render(request, "accounts/token_created.html", {"token": token, "raw": raw})


@login_required
def token_revoke_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("accounts:security")
    try:
        token_uuid = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        raise Http404("no such token") from None
    # Only one's own tokens: another person's token is "not found", not "forbidden".
    token = token_of(user=request.user, token_uuid=token_uuid)
    if token is None:
        raise Http404("no such token")
    token_revoke(token=token)
    messages.success(request, _("The token %(name)r is revoked.") % {"name": token.name})
    return redirect("accounts:security")
