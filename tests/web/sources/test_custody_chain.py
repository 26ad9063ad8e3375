"""Custody chains in the database: tamper detection, checkpoints, concurrent appends."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from refuge.evidence.bundle import verify_bundle
from refuge.web.sources.custody import chain_name, custody_append, custody_checkpoint
from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes
from refuge.web.sources.models import CustodyEntry, Source
from refuge.web.sources.originals import plain_store as evidence_store
from refuge.web.sources.services import source_export_bundle, source_grade
from refuge.web.sources.verification import sources_checkpoints, sources_verify

TEXT = b"Twelve women were arrested at a bus checkpoint in Kunming, a relative said.\n"


def _source(data: bytes = TEXT, name: str = "r.txt") -> Source:
    [outcome] = ingest_bytes(data, name=name, meta=CaptureMetadata(captured_by_name="desk"))
    return Source.objects.get(uuid=outcome.source_uuids[0])


def _with_entries(n: int) -> Source:
    source = _source()
    for i in range(n):
        custody_append(source=source, action="viewed", actor=f"user:reader{i}", payload={})
    return source


@pytest.mark.django_db
def test_an_intact_store_verifies_clean() -> None:
    _with_entries(3)
    report = sources_verify()
    assert report.problems == []
    assert (report.sources, report.chains) == (1, 1)


@pytest.mark.django_db
def test_a_flipped_byte_in_an_original_is_reported() -> None:
    source = _source()
    path = evidence_store().root / evidence_store().storage_key(source.sha256)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01
    path.write_bytes(bytes(data))
    [problem] = sources_verify().problems
    assert "missing or altered" in problem
    assert str(source.uuid) in problem


@pytest.mark.django_db
def test_edited_derived_text_is_reported() -> None:
    source = _source()
    Source.objects.filter(pk=source.pk).update(text=source.text.replace("Twelve", "Twenty"))
    assert any("derived text altered" in p for p in sources_verify().problems)


@pytest.mark.django_db
def test_an_edited_custody_row_is_reported() -> None:
    source = _with_entries(3)
    CustodyEntry.objects.filter(source=source, seq=2).update(actor="user:someone-else")
    problems = sources_verify().problems
    assert any("custody entry 2: hash_mismatch" in p for p in problems)


@pytest.mark.django_db
def test_a_deleted_middle_row_is_reported() -> None:
    source = _with_entries(3)
    CustodyEntry.objects.filter(source=source, seq=2).delete()
    assert sources_verify().problems != []


@pytest.mark.django_db
def test_deleted_newest_rows_are_caught_only_against_a_checkpoint() -> None:
    source = _with_entries(4)
    checkpoints = {c.chain: c for c in sources_checkpoints()}
    CustodyEntry.objects.filter(source=source, seq__gte=4).delete()
    assert sources_verify().problems == []  # the chain alone cannot know it lost its head
    problems = sources_verify(checkpoints).problems
    assert any("truncated" in p for p in problems)


@pytest.mark.django_db
def test_a_deleted_source_is_caught_against_a_checkpoint() -> None:
    source = _with_entries(1)
    checkpoints = {c.chain: c for c in sources_checkpoints()}
    # Someone with database access removes the source with everything that points to it.
    CustodyEntry.objects.filter(source=source).delete()
    source.claims.all().delete()
    Source.objects.filter(pk=source.pk).delete()
    assert any("the source is gone" in p for p in sources_verify(checkpoints).problems)
    assert chain_name(source) in checkpoints


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_a_chain() -> None:
    source = _source()
    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        try:
            for i in range(25):
                custody_append(source=source, action="viewed", actor=f"user:{tag}{i}", payload={})
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(t,)) for t in "abcd"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(
        CustodyEntry.objects.filter(source=source).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, 102))
    assert sources_verify().problems == []
    assert custody_checkpoint(source).count == 101
    connection.close()


@pytest.mark.django_db
def test_a_bundle_round_trips_and_its_export_is_recorded(tmp_path: Path, alice: object) -> None:
    source = _source()
    manifest = source_export_bundle(source=source, user=alice, out=tmp_path / "bundle")
    assert verify_bundle(manifest.parent) == []
    assert list(source.custody.values_list("action", flat=True)) == ["captured", "exported"]
    original = manifest.parent / "original" / "r.txt"
    assert original.read_bytes() == TEXT
    original.write_bytes(TEXT.replace(b"Twelve", b"Twenty"))
    assert any("content changed" in p for p in verify_bundle(manifest.parent))


@pytest.mark.django_db
def test_exporting_and_grading_need_an_editor(tmp_path: Path, bob: object, alice: object) -> None:
    from refuge.errors import AccessDenied

    source = _source()
    with pytest.raises(AccessDenied):
        source_export_bundle(source=source, user=bob, out=tmp_path / "b")
    with pytest.raises(AccessDenied):
        source_grade(source=source, user=bob, reliability="A", credibility=1)
    graded = source_grade(source=source, user=alice, reliability="C", credibility=3)
    assert (graded.reliability, graded.credibility) == ("C", 3)
    last = source.custody.order_by("-seq").first()
    assert last is not None
    assert last.action == "annotated"
    assert last.payload["after"] == {"reliability": "C", "credibility": 3}


@pytest.mark.django_db
def test_a_transfer_is_recorded_by_an_editor_only(alice: object, bob: object) -> None:
    from refuge.errors import AccessDenied, UsageError
    from refuge.web.sources.services import source_transfer

    source = _source()
    with pytest.raises(AccessDenied):
        source_transfer(source=source, user=bob, recipient="OHCHR Seoul")
    with pytest.raises(UsageError):
        source_transfer(source=source, user=alice, recipient="  ")
    source_transfer(source=source, user=alice, recipient="OHCHR Seoul", note="bundle on USB")
    last = source.custody.order_by("-seq").first()
    assert last is not None
    assert last.action == "transferred"
    assert last.payload["recipient"] == "OHCHR Seoul"
    assert sources_verify().problems == []
