"""The base fixture world: one organisation, named personas, records made through services.

Personas (each test says which it acts as):
- alice: editor of the documentation team; reads everything, identifying fields included.
- bob: analyst; reads records but never identifying fields.
- carol: partner at another organisation; sees nothing until records are released.
- dave: signed-in account without a role; sees nothing.
- root: superuser; the only one who opens the Django admin.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the checkout; tests that need it skip cleanly when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture
def team(db: Any) -> Any:
    from refuge.web.accounts.services import team_get_or_create

    return team_get_or_create(name="Documentation", slug="docs")


def _user(username: str, role: str, team: Any, **extra: Any) -> Any:
    from refuge.web.accounts.models import User

    user = User(username=username, role=role, team=team, **extra)
    user.set_password("correct horse battery staple")
    user.save()
    return user


@pytest.fixture
def alice(team: Any) -> Any:
    return _user("alice", "editor", team)


@pytest.fixture
def bob(team: Any) -> Any:
    return _user("bob", "analyst", team)


@pytest.fixture
def carol(db: Any) -> Any:
    from refuge.web.accounts.services import team_get_or_create

    return _user("carol", "partner", team_get_or_create(name="Partner NGO", slug="partner"))


@pytest.fixture
def dave(team: Any) -> Any:
    return _user("dave", "", team)


@pytest.fixture
def root(db: Any) -> Any:
    return _user("root", "", None, is_staff=True, is_superuser=True)


REPORT = (
    "SAMPLE DATA. Border Watch Wire, 3 May 2024.\n"
    "About 60 North Koreans, among them 12 children, were arrested in Tumen last month "
    "and held at the border detention center before they were sent back."
)


@pytest.fixture
def make_incident(team: Any) -> Callable[..., Any]:
    """Build an incident through the services, with a source, claims, an event and a group."""
    from refuge.web.incidents import services
    from refuge.web.incidents.models import Place
    from refuge.web.sources.services import TextSourceInput, source_create_from_text

    def build(
        title: str = "Sixty returned from Tumen",
        *,
        text: str = REPORT,
        disclosure: str = "team",
        person: dict[str, Any] | None = None,
    ) -> Any:
        source, _ = source_create_from_text(
            data=TextSourceInput(
                text=text,
                title=title,
                outlet="Border Watch Wire",
                published=date(2024, 5, 3),
                language="en",
                reliability="B",
                credibility=2,
                disclosure=disclosure,
            ),
            team=team,
        )
        incident = services.incident_create(
            title=title,
            team=team,
            summary="Sample incident.",
            status="repatriated",
            disclosure=disclosure,
            sources=[(source, "reports")],
        )
        start = text.index("About 60")
        total = services.claim_create(
            source=source,
            field="victims.total",
            value=60,
            span=(start, start + 8),
            extractor_version="test",
        )
        place, _ = Place.objects.get_or_create(
            gazetteer_id="cn-jl-tumen",
            defaults={
                "name": "Tumen",
                "kind": "city",
                "precision": "city",
                "country": "CN",
                "admin1": "Jilin",
                "lat": 42.97,
                "lon": 129.84,
            },
        )
        services.event_create(
            incident=incident,
            order=1,
            type="arrest",
            date_start=date(2024, 4, 1),
            date_end=date(2024, 4, 30),
            date_precision="month",
            places=[place],
            place_precision="city",
        )
        services.victim_group_create(
            incident=incident,
            nationality="KP",
            description="North Koreans",
            total=(60, 60, 60),
            qualifier="approx",
            minors=12,
            figure_claims=[("total", total)],
        )
        if person is not None:
            p = services.person_create(team=team, **person)
            services.victimhood_create(person=p, incident=incident)
        return incident

    return build


@pytest.fixture
def figure_incident(team: Any) -> dict[str, Any]:
    """An organisation-level incident whose sources disagree about how many were sent back.

    "over 500" (B2) and "about 600" (B2) are credible; a rumour of 40 is not (E5); a
    confidential testimony (team level, C3) says 550 and names a witness (a canary). The
    group's recorded total is 500-600 with best 600, as a person entered it. Built through
    services.
    """
    from refuge.web.incidents import services
    from refuge.web.sources.services import TextSourceInput, source_create_from_text

    texts = {
        "over": ("Border Watch Wire", "B", 2, "published", "Police sent back over 500 people."),
        "about": ("Seoul Rights Monitor", "B", 2, "published", "About 600 were returned."),
        "rumour": ("Rumour Mill", "E", 5, "published", "Only 40 were returned, a post said."),
        "testimony": (
            "Field notes",
            "C",
            3,
            "confidential",
            "Witness Zqxwitness Kim said 550 were taken away.",
        ),
    }
    values: dict[str, Any] = {
        "over": {"value": 500, "min": 500, "max": None, "qualifier": "at_least"},
        "about": {"value": 600, "min": None, "max": None, "qualifier": "approx"},
        "rumour": 40,
        "testimony": 550,
    }
    words = {"over": "over 500", "about": "About 600", "rumour": "40", "testimony": "550"}
    sources: dict[str, Any] = {}
    claims: dict[str, Any] = {}
    for key, (outlet, reliability, credibility, content_class, text) in texts.items():
        source, _ = source_create_from_text(
            data=TextSourceInput(
                text=text,
                title=f"{outlet} report",
                outlet=outlet,
                published=date(2023, 10, 12),
                language="en",
                reliability=reliability,
                credibility=credibility,
                content_class=content_class,
                disclosure="team" if content_class == "confidential" else "organisation",
            ),
            team=team,
        )
        start = text.index(words[key])
        sources[key] = source
        claims[key] = services.claim_create(
            source=source,
            field="victims.total",
            value=values[key],
            span=(start, start + len(words[key])),
            extractor_version="test",
            review_status="accepted",
        )
    incident = services.incident_create(
        title="October return, figures disputed",
        team=team,
        status="repatriated",
        disclosure="organisation",
        sources=[(s, "reports") for s in sources.values()],
    )
    group = services.victim_group_create(
        incident=incident,
        nationality="KP",
        description="North Koreans",
        total=(500, 600, 600),
        qualifier="range",
        figure_claims=[("total", c) for c in claims.values()],
    )
    return {"incident": incident, "group": group, "sources": sources, "claims": claims}


@pytest.fixture(scope="session")
def master_key() -> None:
    """The test run's master key (REFUGE_KEY_FILE, set by test_settings) and key check."""
    from refuge.web.keys import keys_init

    keys_init()


@pytest.fixture
def own_evidence_store(settings: Any, tmp_path: Path) -> None:
    """An evidence folder of the test's own: a blob one test tampers with stays there."""
    settings.EVIDENCE_DIR = tmp_path / "evidence"
