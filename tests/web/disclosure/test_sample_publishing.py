"""The demo's publishing: `refuge load-sample` releases, embargoes and builds the stores."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from refuge.sample import load_sample_data
from refuge.sample.parse import EMBARGO_CONDITIONS, RELEASE_AUDIENCES
from refuge.web.disclosure.embargoes import is_embargoed
from refuge.web.disclosure.models import Audience, EmbargoCondition, Release
from refuge.web.incidents.models import Incident, Person

pytestmark = pytest.mark.django_db


def test_the_sample_vocabularies_are_the_models_ones() -> None:
    assert set(RELEASE_AUDIENCES) == set(Audience.values)
    assert set(EMBARGO_CONDITIONS) == set(EmbargoCondition.values)


@pytest.mark.slow
def test_the_sample_releases_to_the_public_and_to_partners_and_holds_one_back(
    reader: Callable[[str], list[Any]],
) -> None:
    from refuge.publish.sdc_audit import audit_tables
    from refuge.publish.store import StoreReader
    from refuge.web.disclosure.snapshot import store_file
    from refuge.web.incidents.sample import sample_load

    data = load_sample_data()
    summary = sample_load()
    assert summary.releases_created == len(data.releases) >= 3
    titles = {i.key: i.title for i in data.incidents}

    def ids(keys: set[str]) -> set[str]:
        return {Incident.objects.get(title=titles[k]).public_id for k in keys}

    public = {r.incident for r in data.releases if r.audience == "public"}
    partners_only = {r.incident for r in data.releases if r.audience == "partners"}
    [held] = data.embargoes
    assert public and partners_only and held.condition == "family_consents"
    assert {i.public_id for i in reader("public")} == ids(public)
    assert {i.public_id for i in reader("partners")} == ids(public | partners_only)
    embargoed = Incident.objects.get(title=titles[held.incident])
    assert is_embargoed(embargoed)
    assert not Release.objects.filter(incident=embargoed).exists()
    # Persons with identifying data, marked fictional; nothing of them in a store.
    assert Person.objects.count() >= 3
    for person in Person.objects.all():
        assert person.name.startswith("(fictional)")
        for audience in ("public", "partners"):
            assert person.name not in repr(reader(audience))
    # The published tables pass the linear-programming audit.
    for audience in ("public", "partners"):
        with StoreReader(store_file(audience)) as store:  # type: ignore[arg-type]
            tables = store.tables()
            threshold = store.meta().threshold
        assert tables and audit_tables(tables, threshold or 5) == []
    # Loading again changes nothing.
    again = sample_load()
    assert again.already_loaded and again.releases_created == 0
    assert Release.objects.count() == len(data.releases)
