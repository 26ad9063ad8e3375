"""Encryption at rest: field tokens, streamed evidence files, blind index, master keys.

Against an adversary who obtains the database, the evidence folder or a whole disk (a state
seizing a laptop or a server), nothing identifying rests in plaintext and the key does not
sit beside the data (see docs/threat-model.md). One master secret per key version; every
use derives its own key (``Keyring.subkey``). AES-256-GCM throughout, from ``cryptography``.

Error codes (``CryptoError``, a ``RefugeError``):
- R070: an input to a crypto function is malformed (e.g. a content id that is not hex).
- R071: no master key: the key file is missing or unreadable, or both REFUGE_MASTER_KEY and
  REFUGE_KEY_FILE are set.
- R072: the key file is unsafe: readable by group or others, or inside the data dir.
- R073: the key file or REFUGE_MASTER_KEY is malformed (not JSON/base64, wrong key length,
  unknown format version, missing current version, out-of-bounds scrypt parameters).
- R074: the key file needs a passphrase and none was given, or the passphrase is wrong.
- R075: the master key does not match this data dir (key-check value), or that value is
  malformed.
- R076: an encrypted field cannot be decrypted: wrong key, a value moved from another
  table/field/record, tampering, or not a token.
- R077: an encrypted evidence file cannot be decrypted: wrong key or context, altered,
  truncated, reordered or extended, or its content does not match the recorded SHA-256.
- R078: data needs a key version that the key file no longer holds (it was retired).
- R079: a key-file operation was refused: a key file already exists (never overwritten),
  or the version to retire is current or absent.
"""

from refuge.crypto.blind_index import DEFAULT_BITS, blind_terms, matches
from refuge.crypto.blobs import (
    BlobHeader,
    blob_key_version,
    blob_name,
    decrypt_stream,
    encrypt_stream,
    rewrap_stream,
)
from refuge.crypto.errors import CryptoError
from refuge.crypto.fields import (
    decrypt_field,
    encrypt_field,
    is_token,
    needs_reencryption,
    reencrypt_field,
    token_version,
)
from refuge.crypto.keycheck import key_check_value, verify_key_check
from refuge.crypto.keyfile import (
    create_key_file,
    default_key_path,
    is_passphrase_protected,
    load_keyring,
    retire_version,
    rotate_key_file,
)
from refuge.crypto.keys import Keyring

__all__ = [
    "DEFAULT_BITS",
    "BlobHeader",
    "CryptoError",
    "Keyring",
    "blind_terms",
    "blob_key_version",
    "blob_name",
    "create_key_file",
    "decrypt_field",
    "decrypt_stream",
    "default_key_path",
    "encrypt_field",
    "encrypt_stream",
    "is_passphrase_protected",
    "is_token",
    "key_check_value",
    "load_keyring",
    "matches",
    "needs_reencryption",
    "reencrypt_field",
    "retire_version",
    "rewrap_stream",
    "rotate_key_file",
    "token_version",
    "verify_key_check",
]
