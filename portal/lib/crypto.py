"""Encryption of denouncers' identities and original file names to a custodian key pair.

The Law on Denunciation 2018 (Arts. 9.1.b, 47) requires the denouncer's identity to be kept
secret, so it is encrypted at rest with a libsodium sealed box (X25519 + XSalsa20-Poly1305) to
the custodian's public key. The web server holds that public key and, at most, the private key
encrypted under the custodian's passphrase: nothing on the server can decrypt alone.

Sealed private key envelope (base64 of the bytes below, version 1)::

    version (1 byte) | opslimit (u32, big-endian) | memlimit (u64) | salt (16 bytes)
    | SecretBox ciphertext of the 32-byte private key (24-byte nonce, 16-byte MAC, 32 bytes)

The SecretBox key is derived from the passphrase (NFC, UTF-8) with Argon2id. The Argon2id
limits are read back from the envelope, within bounds, so a tampered envelope cannot make the
server spend unbounded memory.

Plaintexts are padded to a multiple of :data:`PADDING_BLOCK` bytes (ISO/IEC 7816-4 padding)
before sealing, so the ciphertext's length does not give away the length of a name.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import struct
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import nacl.exceptions
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.pwhash import argon2id
from nacl.secret import SecretBox

ENVELOPE_VERSION: Final[int] = 1
MIN_PASSPHRASE_LENGTH: Final[int] = 12
PADDING_BLOCK: Final[int] = 256

MAX_OPSLIMIT: Final[int] = 16
MAX_MEMLIMIT: Final[int] = argon2id.MEMLIMIT_SENSITIVE
"""Upper bounds for the limits accepted when generating or opening an envelope (1 GiB)."""

_HEADER: Final = struct.Struct(">BIQ16s")
_SEALED_KEY_LENGTH: Final[int] = SecretBox.NONCE_SIZE + SecretBox.MACBYTES + PrivateKey.SIZE


class CryptoError(Exception):
    """Base class of the errors raised here."""


class PublicKeyError(CryptoError):
    """The configured custodian public key is missing or not a usable X25519 key."""


class CustodianKeyError(CryptoError):
    """Wrong passphrase, or a sealed private key that is damaged or of an unknown version."""


class DecryptionError(CryptoError):
    """The ciphertext was not sealed to this key pair, or is damaged."""


@dataclass(frozen=True)
class CustodianKeys:
    """A new custodian key pair, as it is stored: the private key only in sealed form."""

    public_key_b64: str
    sealed_private_key_b64: str


def generate_custodian_keys(
    passphrase: str,
    *,
    opslimit: int = argon2id.OPSLIMIT_MODERATE,
    memlimit: int = argon2id.MEMLIMIT_MODERATE,
) -> CustodianKeys:
    """A new key pair whose private key is encrypted under ``passphrase``.

    The moderate Argon2id limits (256 MiB, about a second) suit a key opened only for an
    identity reveal; tests pass ``argon2id.OPSLIMIT_INTERACTIVE``/``MEMLIMIT_INTERACTIVE`` or
    the minimums. Raises ``ValueError`` for a passphrase shorter than
    :data:`MIN_PASSPHRASE_LENGTH` characters or limits out of range.
    """
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_LENGTH:
        raise ValueError(f"the passphrase must have at least {MIN_PASSPHRASE_LENGTH} characters")
    if not _limits_in_range(opslimit, memlimit):
        raise ValueError("Argon2id limits out of range")
    private_key = PrivateKey.generate()
    salt = nacl.utils.random(argon2id.SALTBYTES)
    box = SecretBox(_derive_key(passphrase, salt, opslimit, memlimit))
    envelope = _HEADER.pack(ENVELOPE_VERSION, opslimit, memlimit, salt) + bytes(
        box.encrypt(bytes(private_key))
    )
    return CustodianKeys(
        public_key_b64=base64.b64encode(bytes(private_key.public_key)).decode("ascii"),
        sealed_private_key_b64=base64.b64encode(envelope).decode("ascii"),
    )


def check_public_key(public_key_b64: str | None) -> bool:
    """Whether the configured public key can be sealed to.

    False when it is missing, not base64, not 32 bytes or a degenerate key that libsodium
    refuses; the app then answers "temporarily unavailable" for denunciations.
    """
    try:
        _load_public_key(public_key_b64)
    except PublicKeyError:
        return False
    return True


def seal(public_key_b64: str, payload: Mapping[str, str | None]) -> bytes:
    """Seal identity fields (JSON, sorted keys, UTF-8) to the custodian public key.

    Raises ``TypeError`` when a key is not a string or a value is neither a string nor None,
    and :class:`PublicKeyError` for an unusable key.
    """
    for key, value in payload.items():
        if not isinstance(key, str) or not (value is None or isinstance(value, str)):
            raise TypeError("the payload maps strings to strings or None")
    document = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _seal_bytes(public_key_b64, document.encode("utf-8"))


def seal_text(public_key_b64: str, text: str) -> bytes:
    """Seal one string, such as an attachment's original file name."""
    return _seal_bytes(public_key_b64, text.encode("utf-8"))


def unlock_private_key(sealed_private_key_b64: str, passphrase: str) -> PrivateKey:
    """Open the sealed private key, e.g. once for a reveal that decrypts several values.

    Raises :class:`CustodianKeyError` for a wrong passphrase or a damaged or unknown envelope.
    """
    try:
        envelope = base64.b64decode(sealed_private_key_b64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise CustodianKeyError("the sealed private key is not base64") from error
    if len(envelope) != _HEADER.size + _SEALED_KEY_LENGTH:
        raise CustodianKeyError("the sealed private key has the wrong length")
    version, opslimit, memlimit, salt = _HEADER.unpack_from(envelope)
    if version != ENVELOPE_VERSION:
        raise CustodianKeyError(f"unsupported sealed key version {version}")
    if not _limits_in_range(opslimit, memlimit):
        raise CustodianKeyError("the sealed private key has out-of-range Argon2id limits")
    box = SecretBox(_derive_key(passphrase, salt, opslimit, memlimit))
    try:
        return PrivateKey(box.decrypt(envelope[_HEADER.size :]))
    except nacl.exceptions.CryptoError as error:
        raise CustodianKeyError("wrong passphrase or damaged sealed private key") from error


def unseal(
    sealed_private_key_b64: str, passphrase: str, ciphertext: bytes
) -> dict[str, str | None]:
    """Decrypt what :func:`seal` produced.

    Raises :class:`CustodianKeyError` (passphrase, envelope) or :class:`DecryptionError`
    (ciphertext not for this key, or damaged).
    """
    return unseal_with_key(unlock_private_key(sealed_private_key_b64, passphrase), ciphertext)


def unseal_text(sealed_private_key_b64: str, passphrase: str, ciphertext: bytes) -> str:
    """Decrypt what :func:`seal_text` produced; errors as for :func:`unseal`."""
    return unseal_text_with_key(unlock_private_key(sealed_private_key_b64, passphrase), ciphertext)


def unseal_with_key(private_key: PrivateKey, ciphertext: bytes) -> dict[str, str | None]:
    """:func:`unseal` with a key already opened by :func:`unlock_private_key`."""
    try:
        payload = json.loads(_unseal_bytes(private_key, ciphertext).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DecryptionError("the decrypted payload is not JSON") from error
    if not isinstance(payload, dict) or not all(
        value is None or isinstance(value, str) for value in payload.values()
    ):
        raise DecryptionError("the decrypted payload is not a map of strings")
    return payload


def unseal_text_with_key(private_key: PrivateKey, ciphertext: bytes) -> str:
    """:func:`unseal_text` with a key already opened by :func:`unlock_private_key`."""
    try:
        return _unseal_bytes(private_key, ciphertext).decode("utf-8")
    except UnicodeDecodeError as error:
        raise DecryptionError("the decrypted text is not UTF-8") from error


def _limits_in_range(opslimit: int, memlimit: int) -> bool:
    return (
        argon2id.OPSLIMIT_MIN <= opslimit <= MAX_OPSLIMIT
        and argon2id.MEMLIMIT_MIN <= memlimit <= MAX_MEMLIMIT
    )


def _derive_key(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    # NFC, so that the same Vietnamese passphrase typed with Unikey (precomposed) or with the
    # Windows keyboard (combining marks) derives the same key.
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return argon2id.kdf(SecretBox.KEY_SIZE, secret, salt, opslimit=opslimit, memlimit=memlimit)


def _load_public_key(public_key_b64: str | None) -> PublicKey:
    if not public_key_b64:
        raise PublicKeyError("no custodian public key is configured")
    try:
        key = PublicKey(base64.b64decode(public_key_b64, validate=True))
        SealedBox(key).encrypt(b"")
    except (binascii.Error, TypeError, ValueError, nacl.exceptions.CryptoError) as error:
        raise PublicKeyError("the custodian public key is not a usable X25519 key") from error
    return key


def _seal_bytes(public_key_b64: str, plaintext: bytes) -> bytes:
    padding = PADDING_BLOCK - len(plaintext) % PADDING_BLOCK
    padded = plaintext + b"\x80" + bytes(padding - 1)
    return bytes(SealedBox(_load_public_key(public_key_b64)).encrypt(padded))


def _unseal_bytes(private_key: PrivateKey, ciphertext: bytes) -> bytes:
    try:
        padded = SealedBox(private_key).decrypt(bytes(ciphertext))
    except nacl.exceptions.CryptoError as error:
        raise DecryptionError("the ciphertext was not sealed to this key") from error
    unpadded = padded.rstrip(b"\x00")
    if not unpadded.endswith(b"\x80"):
        raise DecryptionError("the decrypted payload has bad padding")
    return unpadded[:-1]


def seal_with_secret(secret: bytes, text: str) -> bytes:
    """Encrypt `text` with a key derived from a server secret (XSalsa20-Poly1305, padded).

    For what must wait a little, unread, for a process that holds the same secret: the address
    of a confidential case's receipt in the outbox, erased once the e-mail has gone.
    """
    plaintext = text.encode("utf-8")
    padding = PADDING_BLOCK - len(plaintext) % PADDING_BLOCK
    return bytes(SecretBox(_secret_key(secret)).encrypt(plaintext + b"\x80" + bytes(padding - 1)))


def open_with_secret(secret: bytes, ciphertext: bytes) -> str:
    try:
        padded = SecretBox(_secret_key(secret)).decrypt(bytes(ciphertext))
    except nacl.exceptions.CryptoError as error:
        raise DecryptionError("the ciphertext was not sealed with this secret") from error
    unpadded = padded.rstrip(b"\x00")
    if not unpadded.endswith(b"\x80"):
        raise DecryptionError("the decrypted payload has bad padding")
    return unpadded[:-1].decode("utf-8")


def _secret_key(secret: bytes) -> bytes:
    return hashlib.blake2b(secret, digest_size=SecretBox.KEY_SIZE, person=b"portal-outbox").digest()
