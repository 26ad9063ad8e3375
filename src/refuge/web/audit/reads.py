"""Collecting the reads of identifying data made while serving one request.

The disclosure policy notes each record whose identifying fields it releases
(``note_read``); the middleware writes one audit entry per request listing them, so a
page of twenty persons is one entry, not twenty. Outside a request (commands, shell) the
notes are dropped: those are the operator's, recorded by the commands themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

_reads: ContextVar[list[str] | None] = ContextVar("refuge_identifying_reads", default=None)
MAX_LISTED = 100


def note_read(obj: Any) -> None:
    reads = _reads.get()
    if reads is None:
        return
    label = f"{obj._meta.label}:{getattr(obj, 'public_id', None) or getattr(obj, 'uuid', obj.pk)}"
    if label not in reads:
        reads.append(label)


class AuditReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reads.set([])
        try:
            response = self.get_response(request)
            reads = _reads.get() or []
            if reads:
                from refuge.web.audit.services import audit_record

                audit_record(
                    action="read_identifying",
                    user=request.user,
                    details={
                        "path": request.path,
                        "count": len(reads),
                        "records": reads[:MAX_LISTED],
                    },
                )
            return response
        finally:
            _reads.reset(token)
