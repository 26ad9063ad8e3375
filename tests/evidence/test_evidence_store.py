"""LocalEvidenceStore: originals kept once, by SHA-256, atomically, and never left half-written."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import threading
from pathlib import Path

import pytest

from refuge.errors import EvidenceError
from refuge.evidence import EvidenceStore, LocalEvidenceStore, sha256_bytes, sha256_file
from refuge.evidence.hashing import CHUNK_SIZE

REPORT = "70명 강제북송 — seventy returned via Tumen, July 2017\n".encode()


@pytest.fixture
def store(tmp_path: Path) -> LocalEvidenceStore:
    return LocalEvidenceStore(tmp_path / "evidence")


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


class FailingReader(io.RawIOBase):
    """Gives one chunk of data, then fails as a dropped connection would."""

    def __init__(self) -> None:
        self.calls = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.calls += 1
        if self.calls == 1:
            return b"x" * CHUNK_SIZE
        raise ConnectionResetError("the upload was cut off")


def test_it_returns_what_was_stored(store: LocalEvidenceStore) -> None:
    blob = store.put(REPORT)

    assert blob.sha256 == hashlib.sha256(REPORT).hexdigest()
    assert blob.size == len(REPORT)
    assert blob.created is True
    assert store.get(blob.sha256) == REPORT
    with store.open(blob.sha256) as stream:
        assert stream.read() == REPORT
    assert store.exists(blob.sha256)
    assert store.verify(blob.sha256)


def test_it_is_an_evidence_store(store: LocalEvidenceStore) -> None:
    assert isinstance(store, EvidenceStore)


def test_it_streams_a_file_larger_than_one_chunk(store: LocalEvidenceStore) -> None:
    data = os.urandom(2 * CHUNK_SIZE + 12345)

    blob = store.put(io.BytesIO(data))

    assert blob.sha256 == sha256_bytes(data)
    assert blob.size == len(data)
    assert store.get(blob.sha256) == data


def test_it_lays_blobs_out_by_content_id(store: LocalEvidenceStore) -> None:
    blob = store.put(REPORT)
    sha = blob.sha256

    assert blob.storage_key == f"objects/{sha[:2]}/{sha[2:4]}/{sha}"
    path = store.root / blob.storage_key
    assert path.read_bytes() == REPORT
    assert sha256_file(path) == sha


def test_it_makes_stored_blobs_read_only(store: LocalEvidenceStore) -> None:
    blob = store.put(REPORT)

    mode = stat.S_IMODE((store.root / blob.storage_key).stat().st_mode)
    assert mode == 0o444


def test_it_stores_a_duplicate_once(store: LocalEvidenceStore) -> None:
    first = store.put(REPORT)
    second = store.put(io.BytesIO(REPORT))

    assert second.created is False
    assert second.sha256 == first.sha256
    assert second.storage_key == first.storage_key
    assert files_under(store.root / "objects") == [store.root / first.storage_key]
    assert files_under(store.root / "tmp") == []


def test_concurrent_puts_of_the_same_content_create_it_exactly_once(
    store: LocalEvidenceStore,
) -> None:
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def put() -> None:
        barrier.wait()
        results.append(store.put(REPORT).created)

    threads = [threading.Thread(target=put) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 7 + [True]
    assert len(files_under(store.root / "objects")) == 1
    assert files_under(store.root / "tmp") == []


def test_it_still_stores_on_a_filesystem_without_hard_links(
    store: LocalEvidenceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_link(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "hard links are not supported here")

    monkeypatch.setattr(os, "link", no_link)

    first = store.put(REPORT)
    second = store.put(REPORT)

    assert (first.created, second.created) == (True, False)
    assert store.verify(first.sha256)
    assert files_under(store.root / "tmp") == []


def test_a_put_that_fails_mid_stream_leaves_nothing_behind(store: LocalEvidenceStore) -> None:
    reader = FailingReader()

    with pytest.raises(ConnectionResetError):
        store.put(reader)  # type: ignore[arg-type]

    assert reader.calls == 2  # the first chunk really was written before the failure
    assert files_under(store.root) == []
    assert list(store.iter_ids()) == []


def test_it_refuses_more_than_max_bytes_and_leaves_nothing(store: LocalEvidenceStore) -> None:
    with pytest.raises(EvidenceError) as refused:
        store.put(REPORT, max_bytes=len(REPORT) - 1)

    assert refused.value.code == "R031"
    assert files_under(store.root) == []


def test_it_refuses_a_stream_over_the_limit_before_reading_it_all(
    store: LocalEvidenceStore,
) -> None:
    stream = io.BytesIO(b"y" * (3 * CHUNK_SIZE))

    with pytest.raises(EvidenceError, match="R031"):
        store.put(stream, max_bytes=CHUNK_SIZE)

    assert stream.tell() == 2 * CHUNK_SIZE
    assert files_under(store.root) == []


def test_it_accepts_exactly_max_bytes(store: LocalEvidenceStore) -> None:
    blob = store.put(REPORT, max_bytes=len(REPORT))

    assert blob.size == len(REPORT)


def test_verify_detects_a_flipped_byte(store: LocalEvidenceStore) -> None:
    blob = store.put(REPORT)
    path = store.root / blob.storage_key
    path.chmod(0o644)
    tampered = bytearray(path.read_bytes())
    tampered[10] ^= 0x01
    path.write_bytes(bytes(tampered))

    assert store.verify(blob.sha256) is False


def test_verify_reports_a_missing_blob_as_false(store: LocalEvidenceStore) -> None:
    assert store.verify(sha256_bytes(b"never stored")) is False


def test_opening_a_missing_blob_says_so(store: LocalEvidenceStore) -> None:
    missing = sha256_bytes(b"never stored")

    with pytest.raises(EvidenceError) as error:
        store.get(missing)

    assert error.value.code == "R032"
    assert not store.exists(missing)


@pytest.mark.parametrize(
    "bad_id",
    [
        "../" * 21 + "a",
        "../../../../etc/passwd",
        "ab/cd/" + "0" * 58,
        "A" * 64,
        "0" * 63,
        "0" * 65,
        "0" * 64 + "\n",
        "g" * 64,
        "",
    ],
)
def test_it_rejects_strings_that_are_not_content_ids(
    store: LocalEvidenceStore, bad_id: str
) -> None:
    for call in (store.open, store.get, store.exists, store.verify, store.storage_key):
        with pytest.raises(EvidenceError) as error:
            call(bad_id)
        assert error.value.code == "R036"


def test_it_lists_stored_ids_and_ignores_stray_files(store: LocalEvidenceStore) -> None:
    ids = sorted(store.put(data).sha256 for data in (b"one", b"two", b"three"))
    misplaced = sha256_bytes(b"misplaced")
    (store.root / "objects" / "zz").mkdir()
    (store.root / "objects" / "zz" / "notes.txt").write_text("not evidence")
    wrong_folder = store.root / "objects" / ids[0][:2] / ids[0][2:4]
    (wrong_folder / misplaced).write_bytes(b"misplaced")

    assert list(store.iter_ids()) == ids


def test_sweep_temp_removes_only_old_leftovers(store: LocalEvidenceStore) -> None:
    tmp = store.root / "tmp"
    old = tmp / "put-killed.part"
    old.write_bytes(b"half an upload")
    fresh = tmp / "put-running.part"
    fresh.write_bytes(b"an upload in progress")
    now = 1_700_000_000.0
    os.utime(old, (now - 7200, now - 7200))
    os.utime(fresh, (now - 60, now - 60))

    removed = store.sweep_temp(older_than_seconds=3600, now=now)

    assert removed == 1
    assert not old.exists()
    assert fresh.exists()


def test_it_keeps_its_folders_private(tmp_path: Path) -> None:
    store = LocalEvidenceStore(tmp_path / "new")
    blob = store.put(REPORT)

    folders = [store.root, store.root / "tmp", (store.root / blob.storage_key).parent]
    assert all(stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0 for folder in folders)
