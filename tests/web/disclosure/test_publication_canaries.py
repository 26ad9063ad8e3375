"""The property of issue #8: nothing unreleased or identifying ever reaches a published output.

Hypothesis generates databases of 1 to 5 incidents, each with one dated, placed event, one
victim group, one linked person, and a random disclosure level, release plan (none,
proposed, rejected, public, partners, both, withdrawn, superseded), embargo (none, waiting
for a condition, on the person, dated and ended, dated and still running, lifted), consent
(none, given, revoked) and sensitivity. Every identifying or internal field carries a
canary unique to its example (internal title and summary, the group's description, the
event's free-text facility, the person's names, home town, notes, family and contact, the
embargo's reason, who consented, why a release was rejected or withdrawn), and so does the
public text of every release, approved or not.

It then builds both stores through the services and ``publish`` (as the release queue
does, with a clock set by the test) and reads every output it can reach: the stores
through ``StoreReader``, every export format through ``write_export``, the aggregate
tables, and the public pages and the public API through the Django test client. It asserts:

- no canary of an internal or identifying field, no public text of a release that is not
  live, and no public id of an unreleased incident appears in any output of an audience;
- every released incident appears in every output of its audiences, with its live title;
- the aggregate tables are exactly those of the released incidents' figures (computed here
  from the generated figures, not from the code under test): no unreleased incident is
  counted anywhere.

Generator settings: 20 examples, no deadline (each example builds a database and two
stores); the database of each example is rolled back by hypothesis' Django TestCase.
"""

from __future__ import annotations

import calendar
import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from openpyxl import load_workbook

from refuge.errors import RefugeError
from refuge.publish.exports import write_export
from refuge.publish.records import AggregateInput
from refuge.publish.sdc import build_tables
from refuge.publish.store import StoreFilters, StoreReader
from refuge.web.accounts.models import User
from refuge.web.accounts.services import team_get_or_create
from refuge.web.disclosure import services
from refuge.web.disclosure.snapshot import publish, store_file
from refuge.web.incidents import services as incidents
from refuge.web.incidents.services import place_for

LEVELS = ("team", "organisation", "partners", "public")
RELEASE_PLANS = (
    "none",
    "proposed",
    "rejected",
    "public",
    "partners",
    "both",
    "withdrawn",
    "superseded",
)
EMBARGO_PLANS = ("none", "condition", "person", "dated_ended", "dated_active", "lifted")
# gazetteer id -> (country, province) the tables count it under
PLACES = {
    "cn-jl-tumen": ("CN", "Jilin"),
    "cn-ln-dandong": ("CN", "Liaoning"),
    "cn-jl": ("CN", "Jilin"),
    "la": ("LA", ""),
    "kp-nh": ("KP", "North Hamgyong"),
}
FORMATS = ("csv", "json", "geojson", "xlsx")
T0 = datetime(2031, 1, 10, 12, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=20)
K = 5
_examples = itertools.count()

incident_specs = st.fixed_dictionaries(
    {
        "level": st.sampled_from(LEVELS),
        "release": st.sampled_from(RELEASE_PLANS),
        "embargo": st.sampled_from(EMBARGO_PLANS),
        "consent": st.sampled_from(("none", "given", "revoked")),
        "sensitive": st.booleans(),
        "year": st.integers(2019, 2024),
        "month": st.integers(1, 12),
        "day": st.integers(1, 28),
        "precision": st.sampled_from(("day", "month")),
        "place": st.sampled_from(sorted(PLACES)),
        "total": st.integers(0, 40),
        "adults": st.none() | st.integers(0, 40),
        "women": st.none() | st.integers(0, 40),
    }
)


@dataclass
class World:
    """What was generated, and what the outputs must and must not show."""

    forbidden: set[str] = field(default_factory=set)  # in no output of any audience
    live: dict[str, dict[str, str]] = field(
        default_factory=lambda: {"public": {}, "partners": {}}
    )  # audience -> public id -> live title
    unreleased: dict[str, set[str]] = field(
        default_factory=lambda: {"public": set(), "partners": set()}
    )  # audience -> public ids that must not appear
    inputs: dict[str, list[AggregateInput]] = field(
        default_factory=lambda: {"public": [], "partners": []}
    )


@pytest.mark.slow
class TestNothingUnreleasedIsEverPublished(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        team = team_get_or_create(name="Documentation", slug="docs")
        cls.alice = User.objects.create(username="alice", role="editor", team=team)
        cls.erin = User.objects.create(username="erin", role="editor", team=team)
        cls.team = team
        cls.places = {gid: place_for(gid) for gid in PLACES}

    @hypothesis_settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(specs=st.lists(incident_specs, min_size=1, max_size=5))
    def test_no_canary_of_an_unreleased_or_identifying_field_reaches_any_output(
        self, specs: list[dict[str, Any]]
    ) -> None:
        example = next(_examples)
        world = World()
        for n, spec in enumerate(specs):
            self._build(world, spec, f"{example}x{n}")
        publish(now=T1 + timedelta(hours=1), k=K)
        outputs = self._outputs(example)
        for audience, texts in outputs.items():
            for where, text in texts.items():
                for canary in world.forbidden:
                    assert canary not in text, (audience, where, canary)
                for public_id in world.unreleased[audience]:
                    assert public_id not in text, (audience, where, public_id)
                if where.startswith("detail:") or where.endswith("meta"):
                    continue
                for public_id, title in world.live[audience].items():
                    assert public_id in text, (audience, where, public_id)
                    assert title in text, (audience, where, title)
        for audience in ("public", "partners"):
            with StoreReader(store_file(audience)) as store:  # type: ignore[arg-type]
                tables = store.tables()
            expected = sorted(world.inputs[audience], key=lambda i: i.public_id)
            assert tables == build_tables(expected, k=K), audience

    # --- the generated database ----------------------------------------------------------

    def _build(self, world: World, spec: dict[str, Any], tag: str) -> None:
        canary = {
            name: f"QZX{name}{tag}Q"
            for name in (
                "title",
                "summary",
                "description",
                "facility",
                "name",
                "namekr",
                "hometown",
                "notes",
                "family",
                "contact",
                "reason",
                "givenby",
                "note",
            )
        }
        world.forbidden.update(canary.values())
        incident = incidents.incident_create(
            title=canary["title"],
            summary=canary["summary"],
            team=self.team,
            disclosure=spec["level"],
            status="detained",
        )
        start, end = _period(spec)
        incidents.event_create(
            incident=incident,
            order=1,
            type="detention",
            date_start=start,
            date_end=end,
            date_precision=spec["precision"],
            places=[self.places[spec["place"]]],
            place_precision=self.places[spec["place"]].precision,
            facility=canary["facility"],
        )
        total = spec["total"]
        adults = None if spec["adults"] is None else min(spec["adults"], total)
        women = None if spec["women"] is None else min(spec["women"], total)
        minors = None if adults is None else total - adults
        men = None if women is None else total - women
        incidents.victim_group_create(
            incident=incident,
            nationality="KP",
            description=canary["description"],
            total=(total, total, total),
            qualifier="exact",
            adults=adults,
            minors=minors,
            women=women,
            men=men,
        )
        person = incidents.person_create(
            team=self.team,
            disclosure=spec["level"],
            name=canary["name"],
            name_ko=canary["namekr"],
            hometown=canary["hometown"],
            notes=canary["notes"],
            family=canary["family"],
            contact=canary["contact"],
        )
        incidents.victimhood_create(person=person, incident=incident)
        if spec["consent"] != "none":
            consent = services.consent_record(
                user=self.alice,
                person=person,
                scope="public",
                given_by=canary["givenby"],
                given_at=date(2030, 12, 1),
                now=T0,
            )
            if spec["consent"] == "revoked":
                services.consent_revoke(user=self.alice, consent=consent, now=T0)
        embargo = self._embargo(incident, person, spec["embargo"], canary["reason"])
        if embargo is not None and spec["embargo"] == "lifted":
            services.embargo_lift(user=self.erin, embargo=embargo, note=canary["note"], now=T1)
        live = self._release(world, incident, spec, tag, canary["note"])
        for audience in ("public", "partners"):
            if audience in live:
                world.live[audience][incident.public_id] = live[audience]
                world.inputs[audience].append(_expected_input(incident.public_id, spec))
            else:
                world.unreleased[audience].add(incident.public_id)

    def _embargo(self, incident: Any, person: Any, plan: str, reason: str) -> Any:
        kwargs: dict[str, Any] = {"user": self.alice, "reason": reason, "now": T0}
        if plan == "condition" or plan == "lifted":
            return services.embargo_set(incident=incident, condition="family_consents", **kwargs)
        if plan == "person":
            return services.embargo_set(person=person, condition="person_reached_safety", **kwargs)
        if plan == "dated_ended":
            return services.embargo_set(
                incident=incident, until=(T0 + timedelta(days=10)).date(), **kwargs
            )
        if plan == "dated_active":
            return services.embargo_set(
                incident=incident, until=(T1 + timedelta(days=30)).date(), **kwargs
            )
        return None

    def _release(
        self, world: World, incident: Any, spec: dict[str, Any], tag: str, note: str
    ) -> dict[str, str]:
        """Carry out the release plan at T1; the live title of each audience released to."""
        plan = spec["release"]
        audiences = {"both": ("public", "partners"), "partners": ("partners",)}.get(
            plan, ("public",)
        )
        titles: dict[str, str] = {}
        steps = 2 if plan == "superseded" else 1
        for audience in audiences if plan != "none" else ():
            for step in range(steps):
                title = f"PUB{audience}{step}{tag}P"
                summary = f"PUBSUM{audience}{step}{tag}P"
                when = T1 + timedelta(minutes=len(titles) * 2 + step)
                release = services.release_propose(
                    user=self.alice,
                    incident=incident,
                    audience=audience,
                    public_title=title,
                    public_summary=summary,
                    sensitive=spec["sensitive"],
                    now=when,
                )
                if plan == "proposed":
                    world.forbidden.update((title, summary))
                    continue
                if plan == "rejected":
                    services.release_reject(user=self.erin, release=release, note=note, now=when)
                    world.forbidden.update((title, summary))
                    continue
                if spec["embargo"] in ("condition", "person", "dated_active"):
                    # An active embargo: the approval is refused, the proposal stays.
                    with pytest.raises(RefugeError) as refused:
                        services.release_approve(user=self.erin, release=release, now=when)
                    assert refused.value.code == "R142"
                    world.forbidden.update((title, summary))
                    break
                services.release_approve(user=self.erin, release=release, now=when)
                if plan == "withdrawn":
                    services.release_withdraw(
                        user=self.alice, release=release, reason=note, now=when
                    )
                    world.forbidden.update((title, summary))
                    continue
                if steps == 2 and step == 0:
                    world.forbidden.update((title, summary))  # superseded by step 1
                    continue
                titles[audience] = title
        if "public" in titles and "partners" not in titles:
            titles["partners"] = titles["public"]  # the partner store holds public releases
        elif "public" in titles:
            # Both released: the partner store shows the newer one (approved last).
            pass
        return titles

    # --- every output ------------------------------------------------------------------------

    def _outputs(self, example: int) -> dict[str, dict[str, str]]:
        folder = Path(settings.DATA_DIR) / f"exports-{example}"
        folder.mkdir()
        outputs: dict[str, dict[str, str]] = {"public": {}, "partners": {}}
        for audience in ("public", "partners"):
            with StoreReader(store_file(audience)) as store:  # type: ignore[arg-type]
                records = store.incidents(StoreFilters(), offset=0, limit=1000)
                tables = store.tables()
                meta = store.meta()
            outputs[audience]["store"] = repr(records)
            outputs[audience]["store-tables meta"] = repr(tables)
            outputs[audience]["store-meta"] = repr(meta)
            for fmt in FORMATS:
                out = folder / f"{audience}.{fmt}"
                manifest = write_export(
                    records,
                    tables,
                    fmt=fmt,
                    out=out,
                    audience=audience,
                    export_id="rx-test-recipient" if audience == "partners" else None,
                    generated_at=T1,
                )
                outputs[audience][f"export-{fmt}"] = _read(out)
                outputs[audience][f"export-{fmt}-manifest meta"] = manifest.manifest_path.read_text(
                    encoding="utf-8"
                )
        outputs["public"].update(self._public_side())
        return outputs

    def _public_side(self) -> dict[str, str]:
        """Public pages and API responses, where those routes exist (refuge.web.public, api)."""
        client = Client()
        pages: dict[str, str] = {}
        with StoreReader(store_file("public")) as store:  # type: ignore[arg-type]
            published = [i.public_id for i in store.incidents(StoreFilters(), offset=0, limit=1000)]
        routes = {
            "page-list": ("public:list", ()),
            "page-tables meta": ("public:tables", ()),
            **{
                f"page-export-{fmt}": ("public:export", (fmt,))
                for fmt in ("csv", "json", "geojson")
            },
        }
        for where, (name, args) in routes.items():
            try:
                url = reverse(name, args=args)
            except NoReverseMatch:
                continue
            response = client.get(url)
            assert response.status_code == 200, where
            pages[where] = _body(response)
        for where, url in {
            "api-list": "/api/public/incidents?limit=100",
            "api-tables meta": "/api/public/tables",
            "api-meta": "/api/public/meta",
        }.items():
            response = client.get(url)
            if response.status_code == 404 and "no such endpoint" in response.content.decode():
                continue
            assert response.status_code == 200, where
            pages[where] = response.content.decode()
        for public_id in published:
            for kind, url in (
                ("page", _reverse_or_none("public:incident", public_id)),
                ("api", f"/api/public/incidents/{public_id}"),
            ):
                if url is None:
                    continue
                response = client.get(url)
                assert response.status_code == 200, (kind, public_id)
                pages[f"detail:{kind}:{public_id}"] = response.content.decode()
        return pages


def _reverse_or_none(name: str, *args: str) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", errors="replace")
    return str(response.content.decode("utf-8", errors="replace"))


def _read(path: Path) -> str:
    if path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        book.close()
        return "\n".join(cells)
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix in (".json", ".geojson"):
        json.loads(text)  # well-formed
    return text


def _period(spec: dict[str, Any]) -> tuple[date, date]:
    year, month = spec["year"], spec["month"]
    if spec["precision"] == "month":
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date(year, month, spec["day"])
    return day, day


def _expected_input(public_id: str, spec: dict[str, Any]) -> AggregateInput:
    """A released incident's figures as the tables must count them, from the generator."""
    total = spec["total"]
    adults = None if spec["adults"] is None else min(spec["adults"], total)
    women = None if spec["women"] is None else min(spec["women"], total)
    country, province = PLACES[spec["place"]]
    return AggregateInput(
        public_id=public_id,
        month=f"{spec['year']:04d}-{spec['month']:02d}",
        country=country,
        province=province,
        facility="",  # the event's facility is free text, never a gazetteer name: never used
        total=total,
        adults=adults,
        minors=None if adults is None else total - adults,
        women=women,
        men=None if women is None else total - women,
    )
