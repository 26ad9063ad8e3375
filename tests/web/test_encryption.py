"""Identifying data encrypted at rest: fields, confidential sources, claims, sealed files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from refuge.crypto import CryptoError, Keyring, key_check_value
from refuge.errors import RefugeError
from refuge.web import keys
from refuge.web.encrypted import EncryptedFieldError
from refuge.web.incidents import services
from refuge.web.incidents.models import Claim, Person
from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes
from refuge.web.sources.models import Source
from refuge.web.sources.originals import plain_store, sealed_store

pytestmark = pytest.mark.django_db

CANARY = "Canarykim Jeong-sample"
CANARY_KO = "카나리김"
TESTIMONY = (
    "Interview notes. The witness, Canarywitness Park, said 9 women were held in "
    "Tumen in March before they were sent back.\n"
)


def _raw(table: str, column: str, pk: int) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _person(team: Any, **extra: Any) -> Person:
    return services.person_create(
        team=team,
        name=CANARY,
        name_ko=CANARY_KO,
        birth_year=1990,
        hometown="Hoeryong",
        notes="canary notes",
        **extra,
    )


def test_identifying_fields_are_tokens_in_the_database_and_plain_to_code(team: Any) -> None:
    person = _person(team)
    for column in ("name", "name_ko", "birth_year", "hometown", "notes"):
        stored = _raw("incidents_person", column, person.pk)
        assert stored.startswith("v1:"), column
        assert CANARY not in stored and CANARY_KO not in stored
    again = Person.objects.get(pk=person.pk)
    assert (again.name, again.name_ko, again.birth_year) == (CANARY, CANARY_KO, 1990)


def test_an_unchanged_value_keeps_its_ciphertext_and_a_change_gets_a_new_one(team: Any) -> None:
    person = _person(team)
    before = _raw("incidents_person", "name", person.pk)
    loaded = Person.objects.get(pk=person.pk)
    assert loaded.name == CANARY
    loaded.save()
    assert _raw("incidents_person", "name", person.pk) == before
    loaded.name = "Another Name"
    loaded.save()
    assert _raw("incidents_person", "name", person.pk) != before
    assert Person.objects.get(pk=person.pk).name == "Another Name"


def test_a_ciphertext_moved_to_another_row_or_field_does_not_decrypt(team: Any) -> None:
    first, second = _person(team), _person(team)
    token = _raw("incidents_person", "name", first.pk)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE incidents_person SET name = %s WHERE id = %s", [token, second.pk])
        cursor.execute("UPDATE incidents_person SET hometown = %s WHERE id = %s", [token, first.pk])
    with pytest.raises(CryptoError) as moved_row:
        _ = Person.objects.get(pk=second.pk).name
    assert moved_row.value.code == "R076"
    assert CANARY not in str(moved_row.value)
    with pytest.raises(CryptoError):
        _ = Person.objects.get(pk=first.pk).hometown
    assert Person.objects.get(pk=first.pk).name == CANARY


def test_encrypted_fields_refuse_lookups_and_sorting(team: Any) -> None:
    _person(team)
    with pytest.raises(EncryptedFieldError, match=r"\[R080\] Person.name is encrypted"):
        Person.objects.filter(name=CANARY)
    with pytest.raises(EncryptedFieldError):
        Person.objects.filter(hometown__icontains="Hoe")
    with pytest.raises(EncryptedFieldError, match="sorting"):
        Person.objects.order_by("-name")
    assert Person.objects.order_by("public_id").count() == 1


def test_a_wrong_master_key_is_refused_in_one_line(settings: Any, tmp_path: Path) -> None:
    check = Path(settings.DATA_DIR) / keys.KEY_CHECK_FILE
    original = check.read_text(encoding="ascii")
    try:
        check.write_text(key_check_value(Keyring.generate()), encoding="ascii")
        keys.forget_keyring()
        with pytest.raises(RefugeError) as refused:
            keys.get_keyring()
        assert refused.value.code == "R075"
        assert "\n" not in str(refused.value)
    finally:
        check.write_text(original, encoding="ascii")
        keys.forget_keyring()


def test_the_blind_index_finds_a_person_by_any_spelling(team: Any) -> None:
    from refuge.crypto import blind_terms

    person = services.person_create(team=team, name="Kim Jong-un", name_ko="김정은")
    services.person_create(team=team, name="Pak Sun-hui")
    stored = set(person.name_terms.values_list("term", flat=True))
    assert stored
    for spelling in ("Kim Jong Un", "KIM Jongun", "Gim Jeong-eun", "김정은"):
        assert blind_terms(keys.get_keyring(), spelling) & stored, spelling
    assert not any(CANARY in t or "Kim" in t for t in stored)


def test_a_confidential_source_is_sealed_and_a_published_one_stays_plain() -> None:
    [secret] = ingest_bytes(
        TESTIMONY.encode(),
        name="canary-witness.txt",
        meta=CaptureMetadata(content_class="confidential", captured_by_name="Canary interviewer"),
    )
    [public] = ingest_bytes(
        b"Reuters-style text: 5 arrested in Dandong.\n", name="news.txt", meta=CaptureMetadata()
    )
    source = Source.objects.get(uuid=secret.source_uuids[0])
    for column in ("text", "original_filename", "captured_by_name", "original_sha256"):
        stored = _raw("sources_source", column, source.pk)
        assert stored.startswith("v1:"), column
    assert source.text == TESTIMONY
    assert source.sealed
    assert source.original_sha256 != source.sha256  # the column holds a keyed hash
    assert not plain_store().exists(source.original_sha256)
    assert sealed_store().read(source.sha256) == TESTIMONY.encode()
    for entry in source.custody.all():
        assert "canary" not in str(entry.payload).lower()
    news = Source.objects.get(uuid=public.source_uuids[0])
    assert _raw("sources_source", "text", news.pk).startswith("Reuters-style")
    assert plain_store().exists(news.sha256)


def test_the_same_confidential_file_twice_is_one_source() -> None:
    meta = CaptureMetadata(content_class="confidential")
    first = ingest_bytes(TESTIMONY.encode(), name="a.txt", meta=meta)
    second = ingest_bytes(TESTIMONY.encode(), name="b.txt", meta=meta)
    assert [o.status for o in first + second] == ["ingested", "duplicate"]


def test_a_flipped_byte_in_a_sealed_file_is_reported_by_verify() -> None:
    from refuge.web.sources.verification import sources_verify

    [outcome] = ingest_bytes(
        TESTIMONY.encode(), name="t.txt", meta=CaptureMetadata(content_class="confidential")
    )
    source = Source.objects.get(uuid=outcome.source_uuids[0])
    assert sources_verify().problems == []
    store = sealed_store()
    path = store.root / store.storage_key(source.sha256)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x40
    path.write_bytes(bytes(data))
    [problem] = sources_verify().problems
    assert "missing or altered" in problem


def test_claims_from_a_confidential_source_are_sealed(team: Any) -> None:
    [outcome] = ingest_bytes(
        TESTIMONY.encode(), name="t.txt", meta=CaptureMetadata(content_class="confidential")
    )
    source = Source.objects.get(uuid=outcome.source_uuids[0])
    start = TESTIMONY.index("Canarywitness")
    claim = services.claim_create(
        source=source,
        field="incidents.0.sources.0",
        value={"name": "Canarywitness Park"},
        span=(start, start + 18),
        extractor_version="manual",
    )
    stored = _raw("incidents_claim", "value", claim.pk)
    assert "Canary" not in str(stored)
    assert Claim.objects.get(pk=claim.pk).plain_value == {"name": "Canarywitness Park"}


def test_a_bundle_of_a_sealed_source_holds_the_plain_original(tmp_path: Path, alice: Any) -> None:
    from refuge.evidence.bundle import verify_bundle
    from refuge.web.sources.services import source_export_bundle

    [outcome] = ingest_bytes(
        TESTIMONY.encode(), name="t.txt", meta=CaptureMetadata(content_class="confidential")
    )
    source = Source.objects.get(uuid=outcome.source_uuids[0])
    manifest = source_export_bundle(source=source, user=alice, out=tmp_path / "b")
    assert (manifest.parent / "original" / "t.txt").read_bytes() == TESTIMONY.encode()
    assert verify_bundle(manifest.parent) == []


def test_every_original_can_be_sealed_by_configuration(settings: Any) -> None:
    settings.SEAL_ALL_EVIDENCE = True
    [outcome] = ingest_bytes(
        b"Published: 5 arrested in Dandong.\n", name="news.txt", meta=CaptureMetadata()
    )
    source = Source.objects.get(uuid=outcome.source_uuids[0])
    assert source.sealed
    assert not plain_store().exists(source.original_sha256)
    assert sealed_store().verify(source.sha256)
    assert source.text.startswith("Published")  # published text stays searchable


def test_key_rotation_covers_every_encrypted_field_of_every_model() -> None:
    from django.apps import apps

    from refuge.web.encrypted import EncryptedTextField
    from refuge.web.rotation import text_columns

    columns = text_columns()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, EncryptedTextField):
                assert f.column in columns[model._meta.db_table], (model, f.name)
    # The publishing records' notes are encrypted too, and so rotated.
    assert "reason" in columns["disclosure_embargo"]
    assert "key" in columns["accounts_totpdevice"]
