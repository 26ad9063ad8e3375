"""Hash chains: every edit, insertion, deletion and reordering is reported; truncation only
with a checkpoint. Random chains come from hypothesis with the settings given below."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.errors import EvidenceError
from refuge.evidence import (
    CUSTODY_ACTIONS,
    GENESIS,
    ChainEntry,
    ChainProblem,
    Checkpoint,
    Digest,
    canonical_bytes,
    checkpoints_from_json,
    checkpoints_to_json,
    hmac_digest,
    make_entry,
    sha256_digest,
    utc_timestamp,
    verify_chain,
)
from refuge.evidence.chain import JSON

START = datetime(2017, 7, 25, 9, 0, tzinfo=UTC)
KEY = b"k" * 32
OTHER_KEY = b"q" * 32


def build_chain(length: int, digest: Digest = sha256_digest) -> list[ChainEntry]:
    entries: list[ChainEntry] = []
    for index in range(length):
        entries.append(
            make_entry(
                prev=entries[-1] if entries else None,
                action=CUSTODY_ACTIONS[index % len(CUSTODY_ACTIONS)],
                actor=f"editor-{index % 3}",
                at=START + timedelta(minutes=index),
                payload={"note": f"step {index}", "size": index * 10, "tags": ["a", "b"]},
                digest=digest,
            )
        )
    return entries


def kinds(problems: list[ChainProblem]) -> set[str]:
    return {problem.kind for problem in problems}


def test_a_chain_of_a_hundred_entries_verifies() -> None:
    chain = build_chain(100)

    assert [entry.seq for entry in chain] == list(range(1, 101))
    assert chain[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(chain))
    assert verify_chain(chain) == []


def test_the_canonical_form_is_the_documented_one() -> None:
    # Written out by hand from docs/evidence.md, so that the doc and the code cannot drift.
    expected = (
        '{"action":"captured","actor":"김 편집자","at":"2017-07-25T09:00:00.000000Z",'
        '"payload":{"a":[1,null,true],"sha256":"ab"},"prev_hash":"' + "0" * 64 + '","seq":1}'
    ).encode()

    entry = make_entry(
        prev=None,
        action="captured",
        actor="김 편집자",
        at=START,
        payload={"sha256": "ab", "a": [1, None, True]},
    )

    assert canonical_bytes(1, "captured", "김 편집자", entry.at, entry.payload, GENESIS) == expected
    assert entry.hash == hashlib.sha256(expected).hexdigest()


def test_it_writes_times_in_utc_with_microseconds() -> None:
    seoul = timezone(timedelta(hours=9))

    assert (
        utc_timestamp(datetime(2017, 7, 25, 18, 0, tzinfo=seoul)) == "2017-07-25T09:00:00.000000Z"
    )
    assert (
        utc_timestamp(datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC)) == "2024-01-02T03:04:05.000006Z"
    )


def test_it_rejects_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone"):
        make_entry(prev=None, action="viewed", actor="a", at=datetime(2017, 7, 25), payload={})


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ({"ratio": 0.5}, "float"),
        ({"nested": {1: "x"}}, "not a string"),
        ({"when": START}, "JSON cannot hold"),
        ({"text": "\ud800"}, "surrogate"),
    ],
)
def test_it_rejects_payloads_without_a_canonical_form(payload: object, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        make_entry(prev=None, action="viewed", actor="a", at=START, payload=payload)  # type: ignore[arg-type]


def test_the_entry_does_not_change_when_the_callers_payload_does() -> None:
    payload: dict[str, JSON] = {"files": ["a.pdf"]}
    entry = make_entry(prev=None, action="captured", actor="a", at=START, payload=payload)

    payload["files"].append("b.pdf")  # type: ignore[union-attr]

    assert verify_chain([entry]) == []


def test_it_catches_an_edited_payload() -> None:
    chain = build_chain(10)
    chain[4] = dataclasses.replace(chain[4], payload={**chain[4].payload, "note": "changed"})

    problems = verify_chain(chain)

    assert [(p.seq, p.kind) for p in problems] == [(5, "hash_mismatch")]


def test_it_catches_an_edited_actor() -> None:
    chain = build_chain(10)
    chain[7] = dataclasses.replace(chain[7], actor="someone-else")

    assert [(p.seq, p.kind) for p in verify_chain(chain)] == [(8, "hash_mismatch")]


def test_it_catches_an_edit_whose_hash_was_recomputed_by_the_forger() -> None:
    chain = build_chain(10)
    edited = dataclasses.replace(chain[3], actor="forger")
    data = canonical_bytes(
        edited.seq, edited.action, edited.actor, edited.at, edited.payload, edited.prev_hash
    )
    chain[3] = dataclasses.replace(edited, hash=sha256_digest(data))

    assert [(p.seq, p.kind) for p in verify_chain(chain)] == [(5, "broken_link")]


def test_it_catches_a_deleted_middle_entry_once() -> None:
    chain = build_chain(10)
    del chain[5]

    problems = verify_chain(chain)

    assert [(p.seq, p.kind) for p in problems] == [(7, "bad_sequence"), (7, "broken_link")]


def test_it_catches_an_inserted_entry() -> None:
    chain = build_chain(10)
    forged = make_entry(
        prev=chain[4], action="annotated", actor="forger", at=START, payload={"note": "x"}
    )
    chain.insert(5, forged)

    problems = verify_chain(chain)

    assert (6, "bad_sequence") in [(p.seq, p.kind) for p in problems]
    assert (6, "broken_link") in [(p.seq, p.kind) for p in problems]


def test_it_catches_reordered_entries() -> None:
    chain = build_chain(10)
    chain[2], chain[3] = chain[3], chain[2]

    problems = verify_chain(chain)

    assert kinds(problems) == {"bad_sequence", "broken_link"}
    assert {p.seq for p in problems} >= {3, 4}


def test_deleting_the_newest_entries_is_invisible_without_a_checkpoint() -> None:
    # The limit a checkpoint exists for: a shorter chain is still a valid chain.
    chain = build_chain(10)

    assert verify_chain(chain[:7]) == []


def test_a_checkpoint_catches_deleted_newest_entries() -> None:
    chain = build_chain(10)
    checkpoint = Checkpoint.of("custody:source-1", chain[-1], at=START + timedelta(days=1))

    problems = verify_chain(chain[:7], checkpoint=checkpoint)

    assert [(p.seq, p.kind) for p in problems] == [(10, "truncated")]


def test_a_checkpoint_catches_a_chain_rewritten_from_scratch() -> None:
    chain = build_chain(10)
    checkpoint = Checkpoint.of("custody:source-1", chain[-1], at=START)
    rewritten = chain[:5]
    for _ in range(5, 10):
        rewritten.append(
            make_entry(prev=rewritten[-1], action="viewed", actor="forger", at=START, payload={})
        )

    assert verify_chain(rewritten) == []
    assert kinds(verify_chain(rewritten, checkpoint=checkpoint)) == {"checkpoint_mismatch"}


def test_a_checkpoint_accepts_entries_appended_since() -> None:
    chain = build_chain(12)
    checkpoint = Checkpoint.of("custody:source-1", chain[9], at=START)

    assert verify_chain(chain, checkpoint=checkpoint) == []


def test_a_checkpoint_of_an_empty_chain_accepts_any_valid_chain() -> None:
    checkpoint = Checkpoint.of("audit", None, at=START)

    assert checkpoint.head_hash == GENESIS
    assert verify_chain([], checkpoint=checkpoint) == []
    assert verify_chain(build_chain(3), checkpoint=checkpoint) == []


def test_an_hmac_chain_fails_with_the_wrong_key() -> None:
    chain = build_chain(20, digest=hmac_digest(KEY))

    assert verify_chain(chain, digest=hmac_digest(KEY)) == []
    wrong = verify_chain(chain, digest=hmac_digest(OTHER_KEY))
    assert [p.seq for p in wrong if p.kind == "hash_mismatch"] == list(range(1, 21))
    assert len(verify_chain(chain)) == 20


def test_hmac_keys_must_be_long_enough() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        hmac_digest(b"short")


def test_a_checkpoint_round_trips_through_json() -> None:
    checkpoint = Checkpoint.of("custody:source-1", build_chain(3)[-1], at=START)

    assert Checkpoint.from_json(checkpoint.to_json()) == checkpoint
    other = Checkpoint.of("audit", None, at=START)
    assert checkpoints_from_json(checkpoints_to_json([checkpoint, other])) == {
        "audit": other,
        "custody:source-1": checkpoint,
    }
    assert checkpoints_from_json(checkpoint.to_json()) == {"custody:source-1": checkpoint}


@pytest.mark.parametrize(
    "change",
    [
        {"count": -1},
        {"count": True},
        {"count": "3"},
        {"head_hash": "../" + "0" * 61},
        {"head_hash": "A" * 64},
        {"at": "yesterday"},
        {"chain": ""},
        {"extra": 1},
        {"count": 0},
    ],
)
def test_it_rejects_a_malformed_checkpoint(change: Mapping[str, object]) -> None:
    good = json.loads(Checkpoint.of("audit", build_chain(3)[-1], at=START).to_json())

    with pytest.raises(EvidenceError) as error:
        Checkpoint.from_json(json.dumps({**good, **change}))

    assert error.value.code == "R035"


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", "null", '{"chain": "audit"}'])
def test_it_rejects_text_that_is_not_a_checkpoint(text: str) -> None:
    with pytest.raises(EvidenceError, match="R035"):
        checkpoints_from_json(text)


def test_it_rejects_a_checkpoint_file_naming_a_chain_twice() -> None:
    one = Checkpoint.of("audit", None, at=START)

    with pytest.raises(EvidenceError, match="twice"):
        checkpoints_from_json(checkpoints_to_json([one, one]))


# Property: random chains of 1-12 entries (payloads of nested JSON, any Unicode text);
# hypothesis defaults (100 examples) apart from no deadline (hashing is fast but uneven).
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
payloads = st.dictionaries(st.text(max_size=6), json_values, max_size=4)
hex_digests = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
FIELDS = ("seq", "action", "actor", "at", "payload", "prev_hash", "hash")


@st.composite
def random_chains(draw: st.DrawFn) -> list[ChainEntry]:
    length = draw(st.integers(min_value=1, max_value=12))
    entries: list[ChainEntry] = []
    for _ in range(length):
        entries.append(
            make_entry(
                prev=entries[-1] if entries else None,
                action=draw(st.sampled_from(CUSTODY_ACTIONS)),
                actor=draw(st.text(min_size=1, max_size=10)),
                at=START + timedelta(microseconds=draw(st.integers(0, 10**12))),
                payload=draw(payloads),
            )
        )
    return entries


def different_values(field: str, current: object) -> st.SearchStrategy[Any]:
    """Values of ``field`` that differ from ``current`` in value or in JSON type."""
    strategy: st.SearchStrategy[Any] = {
        "seq": st.integers(min_value=-5, max_value=50),
        "action": st.text(max_size=12),
        "actor": st.text(max_size=12),
        "at": st.datetimes(timezones=st.just(UTC)).map(utc_timestamp),
        "payload": payloads,
        "prev_hash": hex_digests,
        "hash": hex_digests,
    }[field]
    return strategy.filter(lambda value: value != current or type(value) is not type(current))


@pytest.mark.slow  # about a second and a half: a hundred random chains
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_any_single_field_change_anywhere_is_detected(data: st.DataObject) -> None:
    chain = data.draw(random_chains())
    index = data.draw(st.integers(min_value=0, max_value=len(chain) - 1))
    field = data.draw(st.sampled_from(FIELDS))
    change: dict[str, Any] = {
        field: data.draw(different_values(field, getattr(chain[index], field)))
    }
    chain[index] = dataclasses.replace(chain[index], **change)

    assert verify_chain(chain) != []
