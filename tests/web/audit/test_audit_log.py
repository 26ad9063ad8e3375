from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from refuge.web.audit.models import AuditEntry
from refuge.web.audit.services import audit_checkpoint, audit_record, audit_verify
from refuge.web.incidents import services

pytestmark = pytest.mark.django_db


def _entries(n: int) -> None:
    for i in range(n):
        audit_record(action="export", actor=f"user:u{i}", details={"n": i})


def test_an_intact_log_verifies() -> None:
    _entries(5)
    assert audit_verify() == []


def test_an_edited_row_is_detected() -> None:
    _entries(5)
    first = AuditEntry.objects.order_by("seq").first()
    assert first is not None
    AuditEntry.objects.filter(seq=first.seq + 2).update(actor="user:nobody")
    assert [p.kind for p in audit_verify()] == ["hash_mismatch"]


def test_an_inserted_row_is_detected_even_with_a_plausible_hash() -> None:
    _entries(3)
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    # Someone with database access appends a row chained with plain SHA-256: without the
    # audit key they cannot produce the keyed hash.
    from refuge.evidence.chain import make_entry, utc_timestamp
    from refuge.web.chains import row_entry

    forged = make_entry(
        prev=row_entry(last), action="login", actor="user:x", at=last.at, payload={}
    )
    AuditEntry.objects.create(
        seq=forged.seq,
        action=forged.action,
        actor=forged.actor,
        at=last.at,
        payload={},
        prev_hash=forged.prev_hash,
        hash=forged.hash,
    )
    assert utc_timestamp(last.at)
    assert [p.kind for p in audit_verify()] == ["hash_mismatch"]


def test_a_deleted_row_is_detected() -> None:
    _entries(5)
    middle = AuditEntry.objects.order_by("seq")[2]
    middle.delete()
    assert audit_verify() != []


def test_deleted_newest_rows_are_caught_against_a_checkpoint() -> None:
    _entries(5)
    checkpoint = audit_checkpoint()
    AuditEntry.objects.order_by("-seq").first().delete()  # type: ignore[union-attr]
    assert audit_verify() == []
    assert [p.kind for p in audit_verify(checkpoint)] == ["truncated"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_never_fork_the_chain() -> None:
    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        try:
            for i in range(25):
                audit_record(action="export", actor=f"user:{tag}", details={"i": i})
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(t,)) for t in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditEntry.objects.filter(action="export").count() == 50
    assert audit_verify() == []
    connection.close()


def test_sign_ins_and_failures_are_recorded(client: Client, bob: Any) -> None:
    # bob is an analyst: a password alone signs him in (editors also give a second factor).
    client.post(reverse("login"), {"username": "bob", "password": "wrong"})
    client.post(reverse("login"), {"username": "bob", "password": "correct horse battery staple"})
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", "actor"))
    assert ("login_failed", "anonymous") in actions
    assert ("login", "user:bob") in actions
    failed = AuditEntry.objects.get(action="login_failed")
    assert failed.payload["username"] == "bob"
    assert "password" not in str(failed.payload).lower().replace("username", "")


def test_reading_identifying_fields_is_recorded_once_per_request(
    client: Client, alice: Any, bob: Any, team: Any
) -> None:
    for name in ("Canary One", "Canary Two"):
        services.person_create(team=team, name=name)
    client.force_login(alice)
    client.get(reverse("persons:search"), {"q": "Canary One"})
    entry = AuditEntry.objects.filter(action="read_identifying").last()
    assert entry is not None
    assert entry.actor == "user:alice"
    assert entry.payload["path"] == reverse("persons:search")
    assert all(r.startswith("incidents.Person:P-") for r in entry.payload["records"])
    assert "Canary" not in str(entry.payload)
    before = AuditEntry.objects.filter(action="read_identifying").count()
    client.force_login(bob)  # an analyst sees no identifying field: nothing to record
    client.get(reverse("incidents:list"))
    assert AuditEntry.objects.filter(action="read_identifying").count() == before


def test_role_changes_and_suspensions_are_recorded(alice: Any) -> None:
    alice.role = "analyst"
    alice.save()
    alice.is_active = False
    alice.save()
    actions = list(
        AuditEntry.objects.filter(payload__account="alice")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["role_change", "account_suspended"]


def test_the_admin_lists_entries_and_cannot_change_them(client: Client, root: Any) -> None:
    _entries(2)
    client.force_login(root)
    page = client.get("/admin/audit/auditentry/")
    assert page.status_code == 200
    assert "export" in page.content.decode()
    entry = AuditEntry.objects.first()
    assert entry is not None
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_record_changes_are_recorded_without_identifying_values(
    make_incident: Any, alice: Any, team: Any
) -> None:
    from refuge.web.sources.services import source_grade

    incident = make_incident(person={"name": "Zqxperson Canary", "hometown": "Zqxtown"})
    created = {e.payload["record"] for e in AuditEntry.objects.filter(action="record_change")}
    assert f"incidents.Incident:{incident.public_id}" in created
    assert any(r.startswith("incidents.Person:P-") for r in created)
    assert "Zqx" not in str(list(AuditEntry.objects.values_list("payload", flat=True)))
    source = incident.sources.get()
    source_grade(source=source, user=alice, reliability="D", credibility=4)
    change = AuditEntry.objects.filter(action="record_change").order_by("-seq").first()
    assert change is not None
    assert change.actor == "user:alice"
    assert change.payload["before"] == {"credibility": 2, "reliability": "B"}
    assert change.payload["after"] == {"credibility": 4, "reliability": "D"}
