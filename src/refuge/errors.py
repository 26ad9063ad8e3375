"""The project's exception hierarchy.

Every error a user can cause carries a stable code (``R0xx``) so that people in the field
can search for it; the CLI prints ``str(error)`` as one line on stderr and exits 2, the web
shows it as a form error. Codes are never reused: add new ones at the end of their block.

Blocks: R00x configuration, R01x-R02x CLI input, R02x gazetteer, R03x evidence and intake,
R04x extraction, R05x domain validation, R06x access, R07x keys and encryption, R080
encrypted fields, R09x sample data, R10x person lists, R11x accounts, R12x search,
R130-R136 editing, merging and splitting records (refuge.web.incidents.services, .merging),
R137-R139 choosing a victim group's best figure (refuge.web.review.figure_services),
R14x releases, embargoes, consents and erasure (refuge.web.disclosure.errors),
R15x publication store (R157-R159 exports, their encryption, metadata stripping),
R16x public pages and the REST API (refuge.web.api.errors).
"""

from __future__ import annotations


class RefugeError(Exception):
    """Base class of errors a user can cause and fix; ``code`` is stable, ``message`` human."""

    code: str = "R000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class ConfigurationError(RefugeError):
    """A setting from the environment is missing, malformed or unusable."""

    code = "R001"


class UsageError(RefugeError):
    """A command was called with arguments that cannot work."""

    code = "R010"


class GazetteerError(RefugeError):
    """The gazetteer data is malformed, or a name cannot be resolved to one place."""

    code = "R020"


class EvidenceError(RefugeError):
    """An input could not be preserved or read as evidence."""

    code = "R030"


class ExtractionError(RefugeError):
    """A text could not be read for extraction."""

    code = "R040"


class DomainValidationError(RefugeError):
    """A record breaks a rule of the domain model (e.g. min > best)."""

    code = "R050"


class AccessDenied(RefugeError):
    """The disclosure policy refused an action."""

    code = "R060"


class PublicationError(RefugeError):
    """A publication could not be generalised, aggregated, audited, stored or read."""

    code = "R150"


__all__ = [
    "AccessDenied",
    "ConfigurationError",
    "DomainValidationError",
    "EvidenceError",
    "ExtractionError",
    "GazetteerError",
    "PublicationError",
    "RefugeError",
    "UsageError",
]
