"""Each rule of the sample-data parser, broken once on a copy of the packaged data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from refuge.errors import RefugeError
from refuge.sample import SampleDataError, load_sample_data

Records = dict[str, Any]
Edit = Callable[[Callable[[Records], object]], Path]


def incident(records: Records, key: str) -> Records:
    return next(i for i in records["incidents"] if i["key"] == key)


def event(records: Records, key: str, order: int) -> Records:
    return next(e for e in incident(records, key)["events"] if e["order"] == order)


def group(records: Records, key: str) -> Records:
    result: Records = incident(records, key)["victim_groups"][0]
    return result


def actor(records: Records, key: str) -> Records:
    return next(a for a in records["actors"] if a["key"] == key)


# (rule, change to the records, expected code, words the message must contain)
BROKEN_RECORDS: list[tuple[str, Callable[[Records], object], str, str]] = [
    ("missing field", lambda r: incident(r, "i03").pop("status"), "R091", "incident i03"),
    (
        "misspelt field",
        lambda r: event(r, "i01", 3)["claims"][0].update(occurence=2),
        "R091",
        "occurence",
    ),
    ("wrong type", lambda r: group(r, "i03")["total"].update(min="5"), "R091", "'min'"),
    (
        "places without precision",
        lambda r: event(r, "i03", 1).update(place_precision=None),
        "R091",
        "incident i03, event 1",
    ),
    (
        "unknown source of an incident",
        lambda r: incident(r, "i02")["sources"].append({"source": "s99", "relation": "reports"}),
        "R092",
        "'s99'",
    ),
    (
        "claim from a source the incident does not list",
        lambda r: group(r, "i03")["claims"][0].update(source="s01"),
        "R092",
        "incident i03",
    ),
    (
        "unknown actor",
        lambda r: event(r, "i03", 1)["actors"].append("cn-nobody"),
        "R092",
        "'cn-nobody'",
    ),
    (
        "unknown actor parent",
        lambda r: actor(r, "cn-psb-kunming").update(parent="cn-x"),
        "R092",
        "actor cn-psb-kunming",
    ),
    (
        "actor listed before its parent",
        lambda r: actor(r, "cn-mps").update(parent="cn-psb-kunming"),
        "R092",
        "listed before",
    ),
    ("duplicate incident key", lambda r: incident(r, "i02").update(key="i01"), "R092", "'i01'"),
    ("duplicate event order", lambda r: event(r, "i03", 2).update(order=1), "R092", "incident i03"),
    (
        "person linked to a missing event",
        lambda r: r["persons"][0]["events"][0].update(event_order=9),
        "R092",
        "person p01",
    ),
    (
        "quote not in the source",
        lambda r: group(r, "i03")["claims"][0].update(quote="six"),
        "R093",
        "'six'",
    ),
    (
        "quote repeated fewer times than its occurrence",
        lambda r: group(r, "i03")["claims"][0].update(occurrence=40),
        "R093",
        "source s07",
    ),
    ("min above best", lambda r: group(r, "i01")["total"].update(min=601), "R094", "min <= best"),
    ("exact count that varies", lambda r: group(r, "i03")["total"].update(max=6), "R094", "exact"),
    (
        "claimed total outside the range",
        lambda r: group(r, "i01")["total"].update(min=550),
        "R094",
        "outside",
    ),
    ("negative breakdown", lambda r: group(r, "i03").update(women=-1), "R094", "women"),
    (
        "unknown event type",
        lambda r: event(r, "i03", 1).update(type="kidnapping"),
        "R095",
        "'kidnapping'",
    ),
    ("unknown status", lambda r: incident(r, "i03").update(status="missing"), "R095", "status"),
    (
        "unknown relation",
        lambda r: incident(r, "i01")["sources"][1].update(relation="mentions"),
        "R095",
        "relation",
    ),
    (
        "unknown qualifier",
        lambda r: group(r, "i02")["total"].update(qualifier="roughly"),
        "R095",
        "qualifier",
    ),
    (
        "country name instead of code",
        lambda r: event(r, "i03", 1)["places"][0].update(country="China"),
        "R095",
        "ISO 3166-1",
    ),
    (
        "credibility off the scale",
        lambda r: r["sources"][0].update(credibility=7),
        "R095",
        "source s01",
    ),
    (
        "unknown claim field",
        lambda r: event(r, "i03", 1)["claims"][0].update(field="weather"),
        "R095",
        "field",
    ),
    (
        "date more precise than its precision",
        lambda r: event(r, "i02", 3).update(date_start="2024-04-15"),
        "R096",
        "date_precision",
    ),
    (
        "date less precise than its precision",
        lambda r: event(r, "i03", 1).update(date_start="2024-03"),
        "R096",
        "incident i03, event 1",
    ),
    (
        "date that does not exist",
        lambda r: event(r, "i02", 3).update(date_start="2024-13"),
        "R096",
        "2024-13",
    ),
    ("end before start", lambda r: event(r, "i09", 1).update(date_end="2023-01"), "R096", "before"),
    (
        "end without start",
        lambda r: event(r, "i03", 2).update(date_end="2024-03"),
        "R096",
        "date_start",
    ),
    (
        "published date not a day",
        lambda r: r["sources"][0].update(published="12/10/2023"),
        "R096",
        "published",
    ),
    ("notice that does not say sample", lambda r: r.update(notice="Reports"), "R097", "notice"),
    (
        "url of a real site",
        lambda r: r["sources"][0].update(url="https://example.org/x"),
        "R097",
        "sample.invalid",
    ),
    (
        "person not marked fictional",
        lambda r: r["persons"][0].update(name="Kim"),
        "R097",
        "(fictional)",
    ),
    (
        "report path outside the folder",
        lambda r: r["sources"][0].update(file="../records.json"),
        "R090",
        "relative",
    ),
    (
        "missing report",
        lambda r: r["sources"][0].update(file="reports/none.txt"),
        "R090",
        "reports/none.txt",
    ),
]


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [pytest.param(change, code, words, id=rule) for rule, change, code, words in BROKEN_RECORDS],
)
def test_it_refuses_records_that_break_a_rule(
    edit_records: Edit, change: Callable[[Records], object], code: str, words: str
) -> None:
    root = edit_records(change)
    with pytest.raises(SampleDataError) as caught:
        load_sample_data(root)
    assert caught.value.code == code
    assert words in str(caught.value)
    assert isinstance(caught.value, RefugeError)
    assert "\n" not in str(caught.value)


def test_the_unchanged_copy_loads(edit_records: Edit) -> None:
    # Guards the table above: each failure comes from its change, not from the copy.
    assert load_sample_data(edit_records(lambda r: None)).incidents


def test_it_refuses_a_report_without_the_sample_marker(sample_copy: Path) -> None:
    report = sample_copy / "reports" / "07-kunming-checkpoint.txt"
    report.write_text(report.read_text("utf-8").split("\n", 1)[1], "utf-8")
    with pytest.raises(SampleDataError, match=r"\[R097\] source s07"):
        load_sample_data(sample_copy)


def test_it_refuses_a_report_that_is_not_utf8(sample_copy: Path) -> None:
    report = sample_copy / "reports" / "03-october-return-ko.txt"
    report.write_bytes(report.read_text("utf-8").encode("cp949", errors="replace"))
    with pytest.raises(SampleDataError, match=r"\[R090\] .*03-october-return-ko.txt"):
        load_sample_data(sample_copy)


def test_it_reads_windows_line_endings_with_the_same_spans(sample_copy: Path) -> None:
    report = sample_copy / "reports" / "07-kunming-checkpoint.txt"
    report.write_bytes(report.read_bytes().replace(b"\n", b"\r\n"))
    assert load_sample_data(sample_copy) == load_sample_data()


def test_it_refuses_records_that_are_not_json(sample_copy: Path) -> None:
    (sample_copy / "records.json").write_text('{"notice": ', "utf-8")
    with pytest.raises(SampleDataError, match=r"\[R090\] records.json is not valid JSON"):
        load_sample_data(sample_copy)


def test_it_refuses_a_key_written_twice_in_one_object(sample_copy: Path) -> None:
    path = sample_copy / "records.json"
    path.write_text(
        path.read_text("utf-8").replace('"notice": ', '"notice": "SAMPLE DATA", "notice": ', 1),
        "utf-8",
    )
    with pytest.raises(SampleDataError, match=r"\[R091\] .*'notice' appears twice"):
        load_sample_data(sample_copy)


def test_it_refuses_a_folder_without_records(tmp_path: Path) -> None:
    with pytest.raises(SampleDataError, match=r"\[R090\] sample file records.json is missing"):
        load_sample_data(tmp_path)
