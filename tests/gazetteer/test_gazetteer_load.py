from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from refuge.errors import GazetteerError
from refuge.gazetteer import load_gazetteer

Row = dict[str, str]
WriteCsv = Callable[..., Path]


def load_error(path: Path) -> GazetteerError:
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(path)
    return caught.value


def test_it_loads_a_valid_file(write_csv: WriteCsv, country: Row, province: Row, city: Row) -> None:
    gazetteer = load_gazetteer(write_csv(country, province, city))
    tumen = gazetteer.get("cn-jl-tumen")
    assert (tumen.kind, tumen.precision, tumen.country, tumen.parent_id) == (
        "city",
        "city",
        "CN",
        "cn-jl",
    )
    assert gazetteer.get("cn-jl").lat is None
    assert gazetteer.get("cn").admin1 is None


def test_it_accepts_a_parent_defined_further_down(
    write_csv: WriteCsv, country: Row, province: Row, city: Row
) -> None:
    assert len(load_gazetteer(write_csv(city, province, country))) == 3


# Each case breaks the city row (line 4: header, country, province, city) in one way.
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"kind": "town"}, "unknown kind 'town'"),
        ({"kind": "prefecture"}, "unknown kind 'prefecture'"),
        ({"precision": "town"}, "unknown precision 'town'"),
        ({"precision": "admin1", "lat": "", "lon": ""}, "does not fit kind 'city'"),
        ({"country": "China"}, "not an ISO 3166-1 alpha-2 code"),
        ({"country": "cn"}, "not an ISO 3166-1 alpha-2 code"),
        ({"country": "XX"}, "not an ISO 3166-1 alpha-2 code"),
        ({"lat": "91"}, "outside -90..90"),
        ({"lat": "-90.5"}, "outside -90..90"),
        ({"lon": "181"}, "outside -180..180"),
        ({"lat": "nan"}, "outside -90..90"),
        ({"lat": "42°58′N"}, "not decimal degrees"),
        ({"lon": ""}, "both lat and lon"),
        ({"parent": "cn-xx"}, "unknown parent 'cn-xx'"),
        ({"parent": "cn-jl-tumen"}, "loops"),
        ({"name": ""}, "name is empty"),
        ({"source": ""}, "source is empty"),
        ({"id": "CN Tumen"}, "not a lowercase slug"),
        ({"variants": "Tumen|-"}, "no letters to match on"),
    ],
)
def test_it_rejects_a_bad_row_with_file_line_and_reason(
    write_csv: WriteCsv, country: Row, province: Row, city: Row, change: Row, reason: str
) -> None:
    path = write_csv(country, province, {**city, **change})
    error = load_error(path)
    assert error.code == "R023"
    assert f"{path}, line 4:" in error.message
    assert reason in error.message


@pytest.mark.parametrize("precision_row", ["province", "country"])
def test_it_rejects_coordinates_on_an_area(
    write_csv: WriteCsv, country: Row, province: Row, city: Row, precision_row: str
) -> None:
    capital_point = {"lat": "43.88", "lon": "125.32"}
    if precision_row == "province":
        province = {**province, **capital_point}
    else:
        country = {**country, **capital_point}
    error = load_error(write_csv(country, province, city))
    assert error.code == "R023"
    assert "is an area and has no coordinates" in error.message


def test_it_rejects_coordinates_on_a_region(
    write_csv: WriteCsv, country: Row, province: Row
) -> None:
    region = {
        **province,
        "id": "cn-jl-yanbian",
        "name": "Yanbian",
        "kind": "region",
        "precision": "region",
        "parent": "cn-jl",
        "lat": "42.9",
        "lon": "129.5",
    }
    error = load_error(write_csv(country, province, region))
    assert "line 4:" in error.message
    assert "is an area" in error.message


def test_it_rejects_a_duplicate_id(
    write_csv: WriteCsv, country: Row, province: Row, city: Row
) -> None:
    error = load_error(write_csv(country, province, city, {**city, "name": "Tumen again"}))
    assert error.code == "R023"
    assert "line 5:" in error.message
    assert "duplicate id 'cn-jl-tumen' (first used on line 4)" in error.message


def test_it_rejects_a_province_whose_admin1_is_not_itself(
    write_csv: WriteCsv, country: Row, province: Row
) -> None:
    error = load_error(write_csv(country, {**province, "admin1": "Liaoning"}))
    assert "line 3:" in error.message
    assert "admin1 must be its own name" in error.message


def test_it_rejects_a_country_with_an_admin1(write_csv: WriteCsv, country: Row) -> None:
    error = load_error(write_csv({**country, "admin1": "Beijing"}))
    assert "a country has no admin1" in error.message


def test_it_rejects_a_loop_of_parents(write_csv: WriteCsv, country: Row, province: Row) -> None:
    other = {**province, "id": "cn-ln", "name": "Liaoning", "admin1": "Liaoning", "parent": "cn-jl"}
    error = load_error(write_csv(country, {**province, "parent": "cn-ln"}, other))
    assert "loops" in error.message


def test_it_rejects_a_wrong_header(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text("id,name,kind\ncn,China,country\n", encoding="utf-8")
    error = load_error(path)
    assert error.code == "R023"
    assert "line 1: the header must be id,name,name_ko" in error.message


def test_it_rejects_a_row_with_missing_fields(write_csv: WriteCsv, country: Row) -> None:
    path = write_csv(country)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("cn-jl,Jilin,,,\n")
    error = load_error(path)
    assert "line 3: 5 fields, expected 13" in error.message


def test_it_skips_blank_lines(write_csv: WriteCsv, country: Row) -> None:
    path = write_csv(country)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert len(load_gazetteer(path)) == 1


def test_it_reports_a_missing_file_as_unreadable(tmp_path: Path) -> None:
    error = load_error(tmp_path / "nowhere.csv")
    assert error.code == "R024"
    assert "nowhere.csv" in error.message


def test_it_reports_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_bytes("id,name\n图们".encode("gb18030"))
    assert load_error(path).code == "R024"


def test_every_error_message_is_one_line(
    write_csv: WriteCsv, country: Row, province: Row, city: Row
) -> None:
    error = load_error(write_csv(country, province, {**city, "kind": "town"}))
    assert "\n" not in str(error)
    assert str(error).startswith("[R023] ")
