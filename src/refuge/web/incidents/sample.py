"""Loading the packaged sample data (refuge.sample) into the database, through the services.

Idempotent: sources are found again by their hash, and an incident is skipped when the sample
team already holds one with its title, so `make run` can run any number of times.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from refuge.gazetteer import default_gazetteer
from refuge.periods import parse_prefix
from refuge.sample import SampleClaim, SampleData, load_sample_data
from refuge.web.accounts.services import SAMPLE_TEAM, team_get_or_create
from refuge.web.incidents import services
from refuge.web.incidents.models import Actor, Claim, Incident, Person, Place
from refuge.web.sources.extraction import source_extract
from refuge.web.sources.models import Source
from refuge.web.sources.services import TextSourceInput, source_create_from_text

SAMPLE_EXTRACTOR = "sample-data/manual"
# Sample incidents are visible to the whole organisation; persons stay with their team.
SAMPLE_LEVEL = "organisation"


@dataclass(frozen=True)
class SampleSummary:
    sources_created: int
    incidents_created: int
    persons_created: int
    already_loaded: bool
    releases_created: int = 0


def _claim(source: Source, claim: SampleClaim, field: str, value: object) -> Claim:
    return services.claim_create(
        source=source,
        field=field,
        value=value,
        span=claim.span,
        extractor_version=SAMPLE_EXTRACTOR,
        review_status=Claim.Review.ACCEPTED,
    )


def _event_claim_field(kind: str, event_type: str) -> str:
    # The extraction contract's evidence keys, so sample claims read like extracted ones.
    return {
        "type": f"event_types.{event_type}",
        "date": "when.start",
        "place": "places",
        "facility": "facilities",
    }.get(kind, kind)


def sample_load(data: SampleData | None = None) -> SampleSummary:
    """Load every sample source, actor, incident and person that is not there yet."""
    data = data or load_sample_data()
    gazetteer = default_gazetteer()
    if not Place.objects.exists():
        services.place_sync(gazetteer=gazetteer)
    team = team_get_or_create(name=SAMPLE_TEAM[0], slug=SAMPLE_TEAM[1])
    sources_created = incidents_created = persons_created = 0
    with transaction.atomic():
        sources: dict[str, Source] = {}
        for s in data.sources:
            source, created = source_create_from_text(
                data=TextSourceInput(
                    text=s.text,
                    title=s.title,
                    outlet=s.outlet,
                    url=s.url or "",
                    author=s.author or "",
                    published=s.published,
                    language=s.language,
                    reliability=s.reliability,
                    credibility=s.credibility,
                    content_class=s.content_class,
                    original_filename=s.file.rsplit("/", 1)[-1],
                    disclosure=SAMPLE_LEVEL if s.content_class == "published" else "team",
                ),
                team=team,
                capture_tool="refuge load-sample",
            )
            sources[s.key] = source
            sources_created += int(created)
            source_extract(source=source)  # machine proposals beside the sample's own claims
        actors: dict[str, Actor] = {}
        for a in data.actors:  # parents are listed before their units
            actors[a.key] = services.actor_get_or_create(
                name=a.name,
                kind=a.kind,
                country=a.country,
                parent=actors.get(a.parent) if a.parent else None,
            )
        incidents: dict[str, Incident] = {}
        for inc in data.incidents:
            existing = Incident.objects.filter(team=team, title=inc.title).first()
            if existing is not None:
                incidents[inc.key] = existing
                continue
            incident = services.incident_create(
                title=inc.title,
                team=team,
                summary=inc.summary,
                status=inc.status,
                disclosure=SAMPLE_LEVEL,
                sources=[(sources[link.source], link.relation) for link in inc.sources],
            )
            incidents[inc.key] = incident
            incidents_created += 1
            for event in inc.events:
                start = end = None
                if event.date_start:
                    start = parse_prefix(event.date_start)[0]
                    end = parse_prefix(event.date_end or event.date_start)[1]
                places = [
                    Place.objects.get(gazetteer_id=gazetteer.resolve(p.name, country=p.country).id)
                    for p in event.places
                ]
                claims = [
                    _claim(
                        sources[c.source],
                        c,
                        _event_claim_field(c.field, event.type),
                        c.value if c.value is not None else c.quote,
                    )
                    for c in event.claims
                ]
                services.event_create(
                    incident=incident,
                    order=event.order,
                    type=event.type,
                    date_start=start,
                    date_end=end,
                    date_precision=event.date_precision or "",
                    places=places,
                    place_precision=event.place_precision or "",
                    facility=event.facility or "",
                    actors=[actors[k] for k in event.actors],
                    claims=claims,
                )
            for group in inc.victim_groups:
                total = group.total
                services.victim_group_create(
                    incident=incident,
                    nationality=group.nationality,
                    description=group.description,
                    total=(total.min, total.best, total.max) if total else (None, None, None),
                    qualifier=total.qualifier if total else "",
                    adults=group.adults,
                    minors=group.minors,
                    women=group.women,
                    men=group.men,
                    figure_claims=[
                        (c.field, _claim(sources[c.source], c, f"victims.{c.field}", c.value))
                        for c in group.claims
                    ],
                )
        for person in data.persons:
            if Person.objects.filter(public_id=person.public_id).exists():
                continue
            created_person = services.person_create(
                team=team,
                public_id=person.public_id,
                name=person.name,
                name_ko=person.name_ko or "",
                sex=person.sex or "",
                birth_year=person.birth_year,
                hometown=person.hometown or "",
                notes=person.notes,
            )
            persons_created += 1
            for link in person.events:
                incident = incidents[link.incident]
                services.victimhood_create(
                    person=created_person,
                    incident=incident,
                    event=incident.events.get(order=link.event_order),
                    role=link.role,
                )
        releases_created = _load_publishing(data, incidents)
    # The stores follow the releases (the sample's and any made since): built on every load.
    from refuge.web.disclosure.snapshot import publish

    publish(actor="system:load-sample")
    return SampleSummary(
        sources_created=sources_created,
        incidents_created=incidents_created,
        persons_created=persons_created,
        already_loaded=sources_created == incidents_created == persons_created == 0,
        releases_created=releases_created,
    )


def _load_publishing(data: SampleData, incidents: dict[str, Incident]) -> int:
    """The demo of publishing: released incidents (public, partners only) and an embargo."""
    from datetime import date

    from refuge.web.disclosure.services import embargo_load_sample, release_load_sample

    created = 0
    for embargo in data.embargoes:
        embargo_load_sample(
            incident=incidents[embargo.incident],
            until=date.fromisoformat(embargo.until) if embargo.until else None,
            condition=embargo.condition or "",
            reason=embargo.reason,
        )
    for release in data.releases:
        made = release_load_sample(
            incident=incidents[release.incident],
            audience=release.audience,
            public_title=release.public_title,
            public_summary=release.public_summary,
        )
        created += int(made is not None)
    return created
