"""The packaged demo data: it loads, says it is sample data, and covers what the demo shows."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest

from refuge.periods import parse_prefix
from refuge.sample import SAMPLE_MARKERS, SampleData, load_sample_data


@pytest.fixture(scope="module")
def data() -> SampleData:
    return load_sample_data()


def test_it_loads_the_same_data_from_a_folder_as_from_the_package(
    data: SampleData, sample_copy: Path
) -> None:
    assert load_sample_data(sample_copy) == data


def test_it_has_at_least_ten_english_and_two_korean_reports(data: SampleData) -> None:
    languages = Counter(s.language for s in data.sources)
    assert languages["en"] >= 10
    assert languages["ko"] >= 2


def test_every_report_file_begins_with_the_sample_marker() -> None:
    reports = [
        r for r in files("refuge.sample").joinpath("reports").iterdir() if r.name.endswith(".txt")
    ]
    assert len(reports) >= 12
    for report in reports:
        first_line = report.read_text("utf-8").split("\n", 1)[0]
        assert first_line in SAMPLE_MARKERS, report.name


def test_every_report_file_is_a_source_and_is_short(data: SampleData) -> None:
    on_disk = {f"reports/{r.name}" for r in files("refuge.sample").joinpath("reports").iterdir()}
    assert on_disk == {s.file for s in data.sources}
    for source in data.sources:
        body = source.text.split("\n", 1)[1]
        assert 80 <= len(body.split()) <= 250, source.key


def test_it_marks_the_data_as_sample_everywhere_a_user_could_see_it(data: SampleData) -> None:
    assert "SAMPLE DATA" in data.notice
    assert all(s.url is None or s.url.startswith("https://sample.invalid/") for s in data.sources)
    assert all(p.name.startswith("(fictional)") for p in data.persons)


def test_it_keeps_one_testimony_confidential(data: SampleData) -> None:
    confidential = [s for s in data.sources if s.content_class == "confidential"]
    assert confidential
    assert all(s.url is None for s in confidential)


def test_every_claim_span_is_the_quote_in_its_source(data: SampleData) -> None:
    claims = [
        claim
        for incident in data.incidents
        for claim in (
            *(c for g in incident.victim_groups for c in g.claims),
            *(c for e in incident.events for c in e.claims),
        )
    ]
    assert len(claims) > 100
    for claim in claims:
        start, end = claim.span
        assert data.source(claim.source).text[start:end] == claim.quote


def test_a_claim_can_point_at_a_later_repeat_of_its_quote(data: SampleData) -> None:
    # "600여명" is first in the headline; the claim points at the sentence in the body.
    group = next(i for i in data.incidents if i.key == "i01").victim_groups[0]
    korean = next(c for c in group.claims if c.source == "s03")
    text = data.source("s03").text
    second = text.index(korean.quote, text.index(korean.quote) + 1)
    assert korean.span == (second, second + len(korean.quote))


def test_two_sources_disagree_on_the_count_of_one_incident(data: SampleData) -> None:
    disagreements = []
    for incident in data.incidents:
        relations = {link.source: link.relation for link in incident.sources}
        for group in incident.victim_groups:
            totals = {c.source: c.value for c in group.claims if c.field == "total"}
            if len(set(totals.values())) > 1 and "contradicts" in {relations[s] for s in totals}:
                disagreements.append(incident.key)
                assert group.total is not None
                assert group.total.min < group.total.max
    assert disagreements


def test_the_events_cover_every_kind_the_demo_shows(data: SampleData) -> None:
    types = {e.type for i in data.incidents for e in i.events}
    assert {"arrest", "detention", "transfer", "repatriation", "deportation", "release"} <= types


def test_a_deportation_is_carried_out_by_a_third_country(data: SampleData) -> None:
    countries = {a.key: a.country for a in data.actors}
    deporting = {
        countries[actor]
        for incident in data.incidents
        for event in incident.events
        if event.type == "deportation"
        for actor in event.actors
    }
    assert deporting & {"LA", "VN"}


def test_one_person_has_a_custody_path_of_four_ordered_events(data: SampleData) -> None:
    incidents = {i.key: i for i in data.incidents}
    paths = []
    for person in data.persons:
        links = [link for link in person.events if link.role == "victim"]
        if len(links) >= 4 and len({link.incident for link in links}) == 1:
            incident = incidents[links[0].incident]
            events = {e.order: e for e in incident.events}
            path = [events[link.event_order].type for link in links]
            paths.append(path)
    assert any(path[0] == "arrest" and "repatriation" in path[1:] for path in paths)


def test_no_event_is_dated_after_the_reports_that_state_its_date(data: SampleData) -> None:
    for incident in data.incidents:
        for event in incident.events:
            if event.date_start is None:
                continue
            first_day, _, _ = parse_prefix(event.date_start)
            for claim in event.claims:
                if claim.field == "date":
                    assert first_day <= data.source(claim.source).published, (
                        incident.key,
                        event.order,
                    )


def test_every_status_is_one_an_incident_can_reach(data: SampleData) -> None:
    assert {i.status for i in data.incidents} >= {
        "detained",
        "repatriated",
        "released",
        "repatriation_pending",
    }


def test_importing_the_sample_package_does_not_import_django() -> None:
    code = "import sys, refuge.sample; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
