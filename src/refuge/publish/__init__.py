"""Publishing: what leaves Refuge, generalised, aggregated under disclosure control, stored apart.

The pure core of issue #8, without Django: the records every part exchanges
(``records``), the generalisation rules (``generalise``), the aggregate tables with cell
suppression (``sdc``) and their linear-programming audit (``sdc_audit``), and the
publication store the public site reads (``store``). Import the submodules for their
functions; this package only re-exports the records, so importing it stays cheap (the audit
pulls in scipy).
"""

from __future__ import annotations

from refuge.publish.records import (
    AUDIENCES,
    AggregateInput,
    Audience,
    PublishedCount,
    PublishedEvent,
    PublishedIncident,
    PublishedPlace,
    PublishedTable,
)

__all__ = [
    "AUDIENCES",
    "AggregateInput",
    "Audience",
    "PublishedCount",
    "PublishedEvent",
    "PublishedIncident",
    "PublishedPlace",
    "PublishedTable",
]
