"""The sample data Refuge loads for its demo (``refuge load-sample``): pure data, no Django.

Fourteen short reports written for the demo (every one begins with a SAMPLE DATA line and
names only invented outlets), and ``records.json``: sources, actors, incidents with events
and victim groups, and three fictional persons, each fact tied to the words of a report;
and the demo of publishing: incidents released to the public or to partners (with the
public text written for them) and an embargo.
``load_sample_data()`` validates it all and returns frozen records; every claim carries
its ``span``, ``[start, end)`` in code points of its source's text.

Error codes (all raised as ``SampleDataError``):

- R090 a sample file is missing, not UTF-8, not JSON, or named by a path outside the folder
- R091 a field is missing, misspelt, repeated or of the wrong type
- R092 a key is duplicated, or refers to a source, actor, incident or event that is not there
  (an actor's parent must be listed before it)
- R093 a claim's quote does not occur (that many times) in its source's text
- R094 a count breaks min <= best <= max or its qualifier, or a claimed total lies outside
- R095 a value is outside its vocabulary (event type, status, relation, country code, ...)
- R096 a date is malformed, written more or less precisely than its precision, or ends first
- R097 something could pass for real: no SAMPLE DATA marker or notice, a resolvable URL, or a
  person's name not marked fictional
"""

from refuge.sample.errors import SampleDataError
from refuge.sample.load import load_sample_data
from refuge.sample.model import (
    SampleActor,
    SampleClaim,
    SampleData,
    SampleEmbargo,
    SampleEvent,
    SampleIncident,
    SamplePerson,
    SampleRelease,
    SampleSource,
    SampleVictimGroup,
)
from refuge.sample.parse import SAMPLE_MARKERS

__all__ = [
    "SAMPLE_MARKERS",
    "SampleActor",
    "SampleClaim",
    "SampleData",
    "SampleDataError",
    "SampleEmbargo",
    "SampleEvent",
    "SampleIncident",
    "SamplePerson",
    "SampleRelease",
    "SampleSource",
    "SampleVictimGroup",
    "load_sample_data",
]
