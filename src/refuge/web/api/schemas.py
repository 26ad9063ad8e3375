"""The shapes of the REST API's requests and answers (and so of its OpenAPI schema).

Text inputs refuse control characters (NUL above all: PostgreSQL cannot store it, and no
title needs a tab); numbers have bounds, so that no generated input can overflow a column
or an SQLite integer. Vocabulary values (event types, statuses, levels) are enums in the
schema, read from ``refuge.vocabulary`` and the disclosure levels.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Final

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, WithJsonSchema

from refuge.vocabulary import EVENT_TYPES, STATUSES
from refuge.web.disclosure.levels import Level

MAX_LIMIT: Final = 100
MAX_OFFSET: Final = 100_000
DEFAULT_LIMIT: Final = 25
# No control characters in a line of text; a longer text may hold tabs and line breaks.
LINE_PATTERN: Final = r"^[^\x00-\x1f\x7f]*$"
TEXT_PATTERN: Final = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
PUBLIC_ID_PATTERN: Final = r"^[A-Za-z0-9-]{1,32}$"
COUNTRY_PATTERN: Final = r"^[A-Za-z]{2}$"
LEVELS: Final = tuple(str(v) for v in Level.values)


def _member_of(values: tuple[str, ...], what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in values:
            raise ValueError(f"unknown {what}; one of: {', '.join(values)}")
        return value

    return check


def _enum(values: tuple[str, ...]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": list(values)})


EventType = Annotated[
    str, AfterValidator(_member_of(EVENT_TYPES, "event type")), _enum(EVENT_TYPES)
]
IncidentStatus = Annotated[str, AfterValidator(_member_of(STATUSES, "status")), _enum(STATUSES)]
LevelName = Annotated[str, AfterValidator(_member_of(LEVELS, "disclosure level")), _enum(LEVELS)]


# --- errors -------------------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str = Field(..., description="Stable code (R160–R169, or the code of the rule broken)")
    message: str
    fields: dict[str, list[str]] = Field(
        default_factory=dict, description="What is wrong with each input, by its name"
    )


class ErrorOut(Schema):
    error: ErrorDetail


# --- published records (the publication store) ------------------------------------------


class CountOut(Schema):
    low: int | None = Field(..., description="Lower bound; null when unknown")
    high: int | None = Field(..., description="Upper bound; null when open or unknown")
    approx: bool = Field(..., description="The source gave the figure as approximate")
    label: str = Field(..., description='As shown: "12", "~600", "1–4", "3+", "" when unknown')


class PlaceOut(Schema):
    name: str
    name_ko: str
    gazetteer_id: str
    country: str
    admin1: str
    precision: str
    lat: float | None = Field(..., description="Centroid of the generalised place, never a site")
    lon: float | None


class PublishedEventOut(Schema):
    order: int
    type: str
    date_start: date | None
    date_end: date | None
    date_precision: str
    place: PlaceOut | None


class PublishedIncidentOut(Schema):
    public_id: str
    audience: str
    title: str
    summary: str
    status: str
    event_types: list[str]
    date_start: date | None
    date_end: date | None
    date_precision: str
    place: PlaceOut | None
    nationality: str
    total: CountOut
    adults: CountOut
    minors: CountOut
    women: CountOut
    men: CountOut
    minors_involved: bool
    events: list[PublishedEventOut]
    released_at: datetime


class PublishedIncidentPage(Schema):
    count: int = Field(..., description="Incidents matching the filters, over all pages")
    limit: int
    offset: int
    items: list[PublishedIncidentOut]


class TableRowOut(Schema):
    categories: dict[str, str] = Field(..., description="The cell's value of each dimension")
    count: int | None = Field(..., description="null when the cell is suppressed")
    suppressed: bool


class TableOut(Schema):
    name: str
    dimensions: list[str]
    threshold: int = Field(..., description="Cells below this (k) are suppressed")
    rows: list[TableRowOut]


class StoreMetaOut(Schema):
    audience: str
    available: bool = Field(..., description="false before the first publish")
    generated_at: datetime | None = Field(..., description="null before the first publish")
    incidents: int
    tables: int
    threshold: int | None = Field(..., description="k of the aggregate tables")
    schema_version: int | None


class PublicIncidentQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    event_type: EventType | None = None
    country: str | None = Field(None, pattern=COUNTRY_PATTERN, description="ISO 3166-1 alpha-2")
    province: str | None = Field(None, min_length=1, max_length=200, pattern=LINE_PATTERN)
    year: int | None = Field(None, ge=1900, le=2100)
    minors_involved: bool | None = None


# --- internal records (the confidential database, through the policy) --------------------


class RecordQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class IncidentRecordQuery(RecordQuery):
    status: IncidentStatus | None = None
    event_type: EventType | None = None
    country: str | None = Field(None, pattern=COUNTRY_PATTERN, description="ISO 3166-1 alpha-2")
    year: int | None = Field(None, ge=1900, le=2100)


class IncidentRecordOut(Schema):
    public_id: str
    title: str
    summary: str
    status: str
    disclosure: str
    event_types: list[str]
    created_at: datetime
    updated_at: datetime


class EventRecordOut(Schema):
    order: int
    type: str
    date_start: date | None
    date_end: date | None
    date_precision: str
    places: list[str] = Field(..., description="Gazetteer ids; several are alternatives")
    place_precision: str
    facility: str


class VictimGroupOut(Schema):
    nationality: str
    description: str
    total_min: int | None
    total_best: int | None
    total_max: int | None
    total_qualifier: str
    adults: int | None
    minors: int | None
    women: int | None
    men: int | None


class PersonIdentifyingOut(Schema):
    name: str
    name_ko: str
    name_zh: str
    birth_year: int | None
    birth_date: str
    hometown: str
    family: str
    contact: str
    notes: str


class PersonRecordOut(Schema):
    public_id: str
    sex: str
    disclosure: str
    identifying: PersonIdentifyingOut | None = Field(
        ..., description="null unless the policy lets this token read identifying fields"
    )


class IncidentRecordDetail(IncidentRecordOut):
    events: list[EventRecordOut]
    victim_groups: list[VictimGroupOut]
    sources: list[str] = Field(..., description="UUIDs of the sources this token may see")
    persons: list[PersonRecordOut]


class IncidentRecordPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[IncidentRecordOut]


class IncidentIn(Schema):
    # A misspelt field must not be dropped silently: it is refused (additionalProperties).
    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., min_length=1, max_length=300, pattern=LINE_PATTERN)
    summary: str = Field("", max_length=10_000, pattern=TEXT_PATTERN)
    status: IncidentStatus = "unknown"
    disclosure: LevelName = "team"


class IncidentPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=300, pattern=LINE_PATTERN)
    summary: str | None = Field(None, max_length=10_000, pattern=TEXT_PATTERN)
    status: IncidentStatus | None = None
    disclosure: LevelName | None = None


class SourceRecordOut(Schema):
    uuid: str
    disclosure: str
    content_class: str
    kind: str
    sha256: str
    mime: str
    size: int
    outlet: str
    published: date | None
    language: str
    reliability: str
    credibility: int | None
    captured_at: datetime
    title: str | None = Field(..., description="null when withheld from this token")
    author: str | None
    url: str | None
    withheld: list[str] = Field(..., description="Fields the policy withholds from this token")


class SourceRecordDetail(SourceRecordOut):
    text: str | None = Field(..., description="null when withheld from this token")


class SourceRecordPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SourceRecordOut]
