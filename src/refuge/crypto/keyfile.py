"""The master key file, and where Refuge finds the master key.

The key never sits in the data dir: ``REFUGE_MASTER_KEY`` (base64 of 32 bytes, or
``"2:<base64>,1:<base64>"`` for several versions, the highest current) or the file named by
``REFUGE_KEY_FILE`` (default ``master.key`` in the user's config directory, from
platformdirs). Someone who copies the data dir, or seizes a server's disk image without the
key, gets ciphertext only.

The file is JSON::

    {"format": "refuge-master-key", "format_version": 1,
     "current": 2, "keys": {"1": "<base64>", "2": "<base64>"}}

or, protected by a passphrase, the same ``current``/``keys`` object encrypted with AES-GCM
under a key stretched from the passphrase with scrypt (n=2**15, r=8, p=1, 32 MiB, a fraction
of a second; enough to make guessing costly, little enough for a laptop)::

    {"format": "refuge-master-key", "format_version": 1,
     "wrapped": {"kdf": "scrypt", "n": 32768, "r": 8, "p": 1,
                 "salt": "<base64>", "nonce": "<base64>", "ciphertext": "<base64>"}}

Files are created owner-only (0600) with O_EXCL so an existing key is never overwritten, and
replaced atomically (write a new file, fsync, rename) so a crash during rotation leaves either
the old file or the new one, never half of each. A file readable by group or others is
refused: on a shared machine another account could have copied it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from refuge.crypto.errors import CryptoError
from refuge.crypto.keys import KEY_BYTES, Keyring

FORMAT = "refuge-master-key"
FORMAT_VERSION = 1
KEY_FILE_NAME = "master.key"
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
_WRAP_AAD = b"refuge-master-key/1"
# Bounds on the cost parameters read from a file: a crafted file must not make loading it
# take gigabytes of memory (scrypt needs 128 * n * r bytes).
_MAX_N = 2**20
_MAX_R = 16
_MAX_P = 4


def default_key_path() -> Path:
    """``master.key`` in the user's config directory (``~/.config/refuge`` on Linux)."""
    return platformdirs.user_config_path("refuge") / KEY_FILE_NAME


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, what: str) -> bytes:
    if not isinstance(text, str):
        raise CryptoError(f"{what} in the key file is not text", code="R073")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise CryptoError(f"{what} in the key file is not base64", code="R073") from None


def _keys_payload(keyring: Keyring) -> dict[str, Any]:
    return {
        "current": keyring.current,
        "keys": {str(v): _b64(keyring.keys[v]) for v in keyring.versions},
    }


def _keyring_from_payload(payload: object) -> Keyring:
    if not isinstance(payload, dict):
        raise CryptoError("the key file is malformed; restore it from its backup", code="R073")
    current, keys = payload.get("current"), payload.get("keys")
    if not isinstance(current, int) or not isinstance(keys, dict):
        raise CryptoError("the key file has no current version or no keys", code="R073")
    parsed: dict[int, bytes] = {}
    for version, encoded in keys.items():
        if not (isinstance(version, str) and version.isdigit()):
            raise CryptoError(f"key version {version!r} is not a number", code="R073")
        parsed[int(version)] = _unb64(encoded, f"key version {version}")
    return Keyring(keys=parsed, current=current)


def _stretch(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _serialize(keyring: Keyring, passphrase: str | None) -> bytes:
    document: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    if passphrase is None:
        document.update(_keys_payload(keyring))
    else:
        if not passphrase:
            raise CryptoError("the passphrase is empty; choose a long one", code="R074")
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        kek = _stretch(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        inner = json.dumps(_keys_payload(keyring)).encode("utf-8")
        document["wrapped"] = {
            "kdf": "scrypt",
            "n": SCRYPT_N,
            "r": SCRYPT_R,
            "p": SCRYPT_P,
            "salt": _b64(salt),
            "nonce": _b64(nonce),
            "ciphertext": _b64(AESGCM(kek).encrypt(nonce, inner, _WRAP_AAD)),
        }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _unwrap(wrapped: object, passphrase: str | None, path: Path) -> Keyring:
    if passphrase is None:
        raise CryptoError(
            f"the key file {str(path)!r} is protected by a passphrase; give the passphrase",
            code="R074",
        )
    if not isinstance(wrapped, dict) or wrapped.get("kdf") != "scrypt":
        raise CryptoError("the key file's passphrase wrapping is not scrypt", code="R073")
    n, r, p = wrapped.get("n"), wrapped.get("r"), wrapped.get("p")
    if not (
        isinstance(n, int)
        and isinstance(r, int)
        and isinstance(p, int)
        and 2 <= n <= _MAX_N
        and n & (n - 1) == 0
        and 1 <= r <= _MAX_R
        and 1 <= p <= _MAX_P
    ):
        raise CryptoError("the key file's scrypt parameters are out of bounds", code="R073")
    salt = _unb64(wrapped.get("salt"), "the salt")
    nonce = _unb64(wrapped.get("nonce"), "the nonce")
    ciphertext = _unb64(wrapped.get("ciphertext"), "the wrapped keys")
    kek = _stretch(passphrase, salt, n, r, p)
    try:
        inner = AESGCM(kek).decrypt(nonce, ciphertext, _WRAP_AAD)
    except (InvalidTag, ValueError):
        raise CryptoError(
            f"wrong passphrase for the key file {str(path)!r} (or the file was altered)",
            code="R074",
        ) from None
    return _keyring_from_payload(json.loads(inner))


def parse_key_file(
    data: bytes, *, passphrase: str | None = None, path: Path = Path("?")
) -> Keyring:
    """The keyring in a key file's bytes (see the module docstring for the format)."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CryptoError(
            f"the key file {str(path)!r} is not a Refuge key file (not JSON)", code="R073"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CryptoError(f"the key file {str(path)!r} is not a Refuge key file", code="R073")
    if document.get("format_version") != FORMAT_VERSION:
        raise CryptoError(
            f"the key file {str(path)!r} has format version "
            f"{document.get('format_version')!r}; this Refuge reads version {FORMAT_VERSION}",
            code="R073",
        )
    if "wrapped" in document:
        return _unwrap(document["wrapped"], passphrase, path)
    return _keyring_from_payload(document)


def is_passphrase_protected(path: Path) -> bool:
    """Whether the key file at ``path`` needs a passphrase (for the CLI to ask for one)."""
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and "wrapped" in document


def _check_private(path: Path, stat_result: os.stat_result) -> None:
    if os.name == "posix" and stat_result.st_mode & 0o077:
        raise CryptoError(
            f"the key file {str(path)!r} can be read by other users; run: chmod 600 {path}",
            code="R072",
        )


def read_key_file(path: Path, *, passphrase: str | None = None) -> Keyring:
    """The keyring in the file at ``path``, refusing a file others may read."""
    try:
        with path.open("rb") as handle:
            _check_private(path, os.fstat(handle.fileno()))
            data = handle.read()
    except FileNotFoundError:
        raise CryptoError(
            f"no master key at {str(path)!r}; run `refuge keys init` or set REFUGE_KEY_FILE",
            code="R071",
        ) from None
    except OSError as exc:
        raise CryptoError(
            f"the key file {str(path)!r} cannot be read ({exc.strerror})", code="R071"
        ) from None
    return parse_key_file(data, passphrase=passphrase, path=path)


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_exclusive(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the umask can only remove bits; this states the intent
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def create_key_file(path: Path | None = None, *, passphrase: str | None = None) -> Keyring:
    """Write a new key file (0600, parent folder 0700) and return its keyring.

    Never overwrites: an existing file is an error (R079), because replacing a key makes
    every value encrypted under it unreadable.
    """
    target = default_key_path() if path is None else path
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    keyring = Keyring.generate()
    try:
        _write_exclusive(target, _serialize(keyring, passphrase))
    except FileExistsError:
        raise CryptoError(
            f"a key file already exists at {str(target)!r}; it was left untouched",
            code="R079",
        ) from None
    _fsync_dir(target.parent)
    return keyring


def write_key_file(path: Path, keyring: Keyring, *, passphrase: str | None = None) -> None:
    """Replace the key file at ``path`` atomically with ``keyring`` (0600)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    _write_exclusive(temporary, _serialize(keyring, passphrase))
    try:
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _keep_protection(path: Path, passphrase: str | None) -> str | None:
    # A passphrase given for a plain file must not silently start protecting it (the
    # operator would not know they need it next time): rewriting keeps the file as it was.
    return passphrase if is_passphrase_protected(path) else None


def rotate_key_file(path: Path, *, passphrase: str | None = None) -> Keyring:
    """Add a new key version to the file and make it current; older versions stay readable.

    Only the file changes here; re-encrypting data to the new version is the caller's
    (resumable) work, after which :func:`retire_version` drops the old key.
    """
    keyring = read_key_file(path, passphrase=passphrase).with_new_version()
    write_key_file(path, keyring, passphrase=_keep_protection(path, passphrase))
    return keyring


def retire_version(path: Path, version: int, *, passphrase: str | None = None) -> Keyring:
    """Remove ``version`` from the key file once nothing is encrypted under it any more."""
    keyring = read_key_file(path, passphrase=passphrase).without_version(version)
    write_key_file(path, keyring, passphrase=_keep_protection(path, passphrase))
    return keyring


def _keyring_from_environment(value: str) -> Keyring:
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    keys: dict[int, bytes] = {}
    for entry in entries:
        version_text, sep, encoded = entry.rpartition(":")
        if not sep:
            version_text, encoded = "1", entry
        if not version_text.isdigit():
            raise CryptoError(
                "REFUGE_MASTER_KEY is malformed; give base64 of 32 bytes", code="R073"
            )
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise CryptoError("REFUGE_MASTER_KEY is not base64", code="R073") from None
        keys[int(version_text)] = key
    if not keys:
        raise CryptoError("REFUGE_MASTER_KEY is empty; give base64 of 32 bytes", code="R073")
    return Keyring(keys=keys, current=max(keys))


def _inside(path: Path, directory: Path) -> bool:
    return path.resolve().is_relative_to(directory.resolve())


def load_keyring(
    path: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    passphrase: str | None = None,
    data_dir: Path | None = None,
) -> Keyring:
    """The master keyring from ``path``, ``REFUGE_MASTER_KEY`` or ``REFUGE_KEY_FILE``.

    An explicit ``path`` wins; then the environment (setting both variables is an error, as
    it is ambiguous which key is meant); then the default file. With ``data_dir`` given, a
    key file inside it is refused: the key must not travel with the data.
    """
    env = os.environ if environ is None else environ
    if path is None:
        inline, file_name = env.get("REFUGE_MASTER_KEY"), env.get("REFUGE_KEY_FILE")
        if inline and file_name:
            raise CryptoError("set REFUGE_MASTER_KEY or REFUGE_KEY_FILE, not both", code="R071")
        if inline:
            return _keyring_from_environment(inline)
        path = Path(file_name).expanduser() if file_name else default_key_path()
    if data_dir is not None and _inside(path, data_dir):
        raise CryptoError(
            f"the key file {str(path)!r} is inside the data dir; move it elsewhere and set "
            "REFUGE_KEY_FILE",
            code="R072",
        )
    return read_key_file(path, passphrase=passphrase)


__all__ = [
    "create_key_file",
    "default_key_path",
    "is_passphrase_protected",
    "load_keyring",
    "parse_key_file",
    "read_key_file",
    "retire_version",
    "rotate_key_file",
    "write_key_file",
]
