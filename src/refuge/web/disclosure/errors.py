"""Errors of the publishing side (releases, embargoes, consents, erasure, exports): R140-R149.

- R140 the four-eyes rule: the proposer of a release cannot approve it
- R141 the role may not do this (releases, embargoes, consents, holds and erasure need an
  editor or an admin; partners and analysts never)
- R142 an active embargo blocks the approval
- R143 the release (or embargo, consent, hold) is not in a state that allows this action
- R144 an embargo is malformed (no date and no condition, a date already past, "other"
  without a description)
- R145 the record was not found, or is hidden from this user
- R146 the statistical disclosure audit failed: the stores were not written
- R147 an export was asked for wrongly (partner export id, recipient or passphrase)
- R148 a consent or erasure request is malformed (unknown scope, missing "given by")
- R149 a release lacks its public text (a public title is required)
"""

from __future__ import annotations

from refuge.errors import AccessDenied, RefugeError


class PublishingError(RefugeError):
    """A publishing action that cannot be done as asked; the message says how to fix it."""

    code = "R143"


class PublishingDenied(AccessDenied):
    """The policy or the four-eyes rule refused a publishing action."""

    code = "R141"


__all__ = ["PublishingDenied", "PublishingError"]
