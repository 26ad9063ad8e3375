"""The one error shape of the REST API, and the codes R160–R169.

Every error the API answers, whatever raised it (a missing token, a filter out of range, a
record the policy hides, a rule of the domain a new incident breaks, a route that does not
exist), is the same JSON object, so a partner's script needs one branch for all of them::

    {"error": {"code": "R163", "message": "no such record", "fields": {}}}

``fields`` maps an input's name to what is wrong with it (validation errors only). A
``RefugeError`` raised by a service keeps its own code (R130 the policy refuses a write,
R131 a rule of the record): that is the code people search for.

Codes: R160 invalid request (a parameter or body fails the schema), R161 no valid token,
R162 refused by the API's own authorization, R163 no such record (hidden and absent alike),
R164 method not allowed, R165 invalid filter on the public pages, R166 unknown export
format, R167 the publication store cannot be read, R168 a record write broke a rule,
R169 internal error (a bug: never the answer to bad input).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from refuge.errors import AccessDenied, RefugeError

log = logging.getLogger(__name__)

INVALID: Final = "R160"
UNAUTHENTICATED: Final = "R161"
FORBIDDEN: Final = "R162"
NOT_FOUND: Final = "R163"
NOT_ALLOWED: Final = "R164"
BAD_FILTER: Final = "R165"
BAD_FORMAT: Final = "R166"
STORE_UNREADABLE: Final = "R167"
WRITE_REFUSED: Final = "R168"
INTERNAL: Final = "R169"

_STATUS: Final[dict[str, int]] = {
    INVALID: 422,
    UNAUTHENTICATED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    NOT_ALLOWED: 405,
    BAD_FILTER: 422,
    BAD_FORMAT: 404,
    STORE_UNREADABLE: 503,
    WRITE_REFUSED: 422,
    INTERNAL: 500,
}


class ApiError(RefugeError):
    """An error the API answers with its status and the one JSON shape."""

    code = INVALID

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.fields = {k: list(v) for k, v in (fields or {}).items()}

    @property
    def status(self) -> int:
        return _STATUS.get(self.code, 422)


def error_body(
    code: str, message: str, fields: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "fields": {k: list(v) for k, v in (fields or {}).items()},
        }
    }


def error_response(
    code: str,
    message: str,
    *,
    status: int | None = None,
    fields: Mapping[str, Sequence[str]] | None = None,
) -> JsonResponse:
    response = JsonResponse(error_body(code, message, fields), status=status or _STATUS[code])
    if code == UNAUTHENTICATED:
        response["WWW-Authenticate"] = 'Bearer realm="refuge"'
    return response


def _field_name(loc: Sequence[Any]) -> str:
    """ "limit" for ("query", "limit"), "title" for ("body", "payload", "title")."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or "request"


def validation_fields(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Ninja's (pydantic's) error list as {field: [messages]}, without the input echoed."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        name = _field_name(error.get("loc", ()))
        fields.setdefault(name, []).append(str(error.get("msg", "invalid value")))
    return fields


def refuse_unknown_parameters(request: HttpRequest, *known: str) -> None:
    """R160 for a query parameter the endpoint does not define.

    A misspelt filter (``?evnt_type=arrest``) would otherwise be ignored and answer with
    everything, which a reader could take for the filtered figures.
    """
    unknown = sorted(set(request.GET) - set(known))
    if unknown:
        raise ApiError(
            "the request has query parameters this endpoint does not define",
            code=INVALID,
            fields={name or "(empty name)": ["unknown parameter"] for name in unknown},
        )


def _fields_of(exc: BaseException) -> dict[str, list[str]]:
    fields = getattr(exc, "fields", None)
    if not isinstance(fields, Mapping):
        return {}
    return {
        str(k): [str(m) for m in (v if isinstance(v, list | tuple) else [v])]
        for k, v in fields.items()
    }


def from_exception(exc: BaseException) -> JsonResponse:
    """The JSON answer to any exception raised while serving an API request."""
    from ninja.errors import AuthenticationError, AuthorizationError, HttpError
    from ninja.errors import ValidationError as NinjaValidationError

    if isinstance(exc, ApiError):
        return error_response(exc.code, exc.message, status=exc.status, fields=exc.fields)
    if isinstance(exc, NinjaValidationError):
        return error_response(
            INVALID,
            "the request does not match the API schema",
            fields=validation_fields(exc.errors),
        )
    if isinstance(exc, AuthenticationError):
        return error_response(
            UNAUTHENTICATED, "a valid API token is required (Authorization: Bearer …)"
        )
    if isinstance(exc, AuthorizationError):
        return error_response(FORBIDDEN, "your token's role may not do this")
    if isinstance(exc, Http404):
        return error_response(NOT_FOUND, "no such record")
    if isinstance(exc, HttpError):
        code = {401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 405: NOT_ALLOWED}.get(
            exc.status_code, INVALID
        )
        return error_response(code, str(exc), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {}
        )
        message = "; ".join(str(m) for m in exc.messages) or "the record breaks a rule"
        return error_response(WRITE_REFUSED, message, fields=fields)
    if isinstance(exc, RefugeError):
        # A user-caused error from a service keeps its own code (R130 refused by the
        # policy, R131 a rule of the record, ...): people search for that code.
        status = 403 if isinstance(exc, AccessDenied) else _STATUS.get(exc.code, 422)
        return error_response(exc.code, exc.message, status=status, fields=_fields_of(exc))
    # A bug. Logged by type and frames only: the exception's text may quote a record.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("internal error in the API: %s\n%s", type(exc).__name__, frames)
    return error_response(INTERNAL, "internal error", status=500)


def handle(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """Ninja's exception handler for every exception class (registered for Exception)."""
    return from_exception(exc if isinstance(exc, BaseException) else exc())
