"""Approval publishes at once, withdrawal unpublishes at once: end to end through the stores."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from refuge.web.audit.models import AuditEntry
from refuge.web.disclosure import services
from refuge.web.disclosure.models import Release

pytestmark = pytest.mark.django_db


def _release(
    alice: Any, erin: Any, incident: Any, audience: str, capture: Callable[..., Any]
) -> Release:
    release = services.release_propose(
        user=alice,
        incident=incident,
        audience=audience,
        public_title=f"Public title of {incident.public_id}",
        public_summary="Written for the public.",
    )
    with capture(execute=True):
        return services.release_approve(user=erin, release=release)


def test_an_approval_rebuilds_the_stores_with_the_public_text_only(
    make_incident: Callable[..., Any],
    alice: Any,
    erin: Any,
    reader: Callable[[str], list[Any]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    incident = make_incident("Zqx internal title", disclosure="organisation")
    assert reader("public") == []
    _release(alice, erin, incident, "public", django_capture_on_commit_callbacks)
    [published] = reader("public")
    assert published.public_id == incident.public_id
    assert published.title == f"Public title of {incident.public_id}"
    assert published.summary == "Written for the public."
    assert "Zqx" not in repr(published)
    assert "Sample incident." not in repr(published)  # the internal summary
    # Twelve children: the public rules for sensitive records, the year and the country
    # (never April, Jilin or Tumen), and counts as the internal figures give them.
    assert (published.date_start.isoformat(), published.date_precision) == ("2024-01-01", "year")
    assert published.place is not None
    assert (published.place.name, published.place.precision) == ("China", "country")
    assert published.total.label() == "~60"
    assert [i.public_id for i in reader("partners")] == [incident.public_id]


def test_a_withdrawal_disappears_from_every_store_at_the_next_build(
    make_incident: Callable[..., Any],
    alice: Any,
    erin: Any,
    reader: Callable[[str], list[Any]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    kept = make_incident("Kept", disclosure="organisation")
    pulled = make_incident("Pulled", disclosure="organisation")
    _release(alice, erin, kept, "public", django_capture_on_commit_callbacks)
    release = _release(alice, erin, pulled, "public", django_capture_on_commit_callbacks)
    assert {i.public_id for i in reader("public")} == {kept.public_id, pulled.public_id}
    with django_capture_on_commit_callbacks(execute=True):
        services.release_withdraw(user=alice, release=release, reason="the family asked")
    assert [i.public_id for i in reader("public")] == [kept.public_id]
    assert [i.public_id for i in reader("partners")] == [kept.public_id]
    entry = AuditEntry.objects.filter(action="export").order_by("-seq").first()
    assert entry is not None and entry.payload["public_incidents"] == 1


def test_a_partner_release_stays_out_of_the_public_store(
    make_incident: Callable[..., Any],
    alice: Any,
    erin: Any,
    reader: Callable[[str], list[Any]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    incident = make_incident(disclosure="partners")
    _release(alice, erin, incident, "partners", django_capture_on_commit_callbacks)
    assert reader("public") == []
    [shared] = reader("partners")
    assert shared.audience == "partners"


def test_setting_an_embargo_withdraws_the_live_release_and_unpublishes_it(
    make_incident: Callable[..., Any],
    alice: Any,
    erin: Any,
    reader: Callable[[str], list[Any]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    incident = make_incident(disclosure="organisation")
    release = _release(alice, erin, incident, "public", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.embargo_set(user=erin, incident=incident, condition="repatriation_completed")
    release.refresh_from_db()
    assert release.state == "withdrawn"
    assert reader("public") == [] and reader("partners") == []


def test_a_failed_rebuild_removes_the_stores_rather_than_keep_a_withdrawn_record(
    make_incident: Callable[..., Any],
    alice: Any,
    erin: Any,
    reader: Callable[[str], list[Any]],
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from refuge.web.disclosure import snapshot
    from refuge.web.disclosure.snapshot import store_file

    incident = make_incident(disclosure="organisation")
    release = _release(alice, erin, incident, "public", django_capture_on_commit_callbacks)
    assert store_file("public").exists()

    def broken(**kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(snapshot, "publish", broken)  # the services call it through the module
    with django_capture_on_commit_callbacks(execute=True):
        services.release_withdraw(user=alice, release=release, reason="pulled")
    assert not store_file("public").exists() and not store_file("partners").exists()
    assert reader("public") == []  # a missing store reads as empty
