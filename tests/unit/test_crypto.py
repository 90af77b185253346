"""Sealing denouncers' identities to the custodian key pair (portal.lib.crypto)."""

from __future__ import annotations

import base64
import struct
import unicodedata

import pytest
from nacl.pwhash import argon2id

from portal.lib.crypto import (
    ENVELOPE_VERSION,
    MIN_PASSPHRASE_LENGTH,
    PADDING_BLOCK,
    CustodianKeyError,
    CustodianKeys,
    DecryptionError,
    PublicKeyError,
    check_public_key,
    generate_custodian_keys,
    seal,
    seal_text,
    unlock_private_key,
    unseal,
    unseal_text,
    unseal_text_with_key,
    unseal_with_key,
)

PASSPHRASE = "Cây đa, bến nước, sân đình 2026"
NAME = "Nguyễn Thị Minh Khai"
PHONE = "+84912345678"
IDENTITY: dict[str, str | None] = {
    "full_name": NAME,
    "phone": PHONE,
    "citizen_id": "072085012345",
    "address": "Ấp Tân Lập, xã Tân Biên, tỉnh Tây Ninh",
    "email": None,
}
FAST = {"opslimit": argon2id.OPSLIMIT_INTERACTIVE, "memlimit": argon2id.MEMLIMIT_INTERACTIVE}


@pytest.fixture(scope="module")
def keys() -> CustodianKeys:
    return generate_custodian_keys(PASSPHRASE, **FAST)


@pytest.fixture(scope="module")
def other_keys() -> CustodianKeys:
    return generate_custodian_keys("một cụm mật khẩu khác hẳn", **FAST)


def _envelope(keys: CustodianKeys) -> bytes:
    return base64.b64decode(keys.sealed_private_key_b64)


def _b64(envelope: bytes) -> str:
    return base64.b64encode(envelope).decode("ascii")


def test_round_trip_with_vietnamese_text(keys: CustodianKeys) -> None:
    ciphertext = seal(keys.public_key_b64, IDENTITY)
    assert unseal(keys.sealed_private_key_b64, PASSPHRASE, ciphertext) == IDENTITY


def test_text_round_trip(keys: CustodianKeys) -> None:
    name = "Biên bản họp ấp Tân Lập (bản chụp).pdf"
    ciphertext = seal_text(keys.public_key_b64, name)
    assert unseal_text(keys.sealed_private_key_b64, PASSPHRASE, ciphertext) == name


@pytest.mark.parametrize("text", ["", "\x00", "tên kết thúc bằng NUL\x00\x00", "Ā" * 300])
def test_text_round_trip_keeps_awkward_endings(keys: CustodianKeys, text: str) -> None:
    # The padding is removed exactly, whatever bytes the text ends with.
    private_key = unlock_private_key(keys.sealed_private_key_b64, PASSPHRASE)
    assert unseal_text_with_key(private_key, seal_text(keys.public_key_b64, text)) == text


def test_unlocked_key_opens_several_values(keys: CustodianKeys) -> None:
    private_key = unlock_private_key(keys.sealed_private_key_b64, PASSPHRASE)
    assert base64.b64encode(bytes(private_key.public_key)).decode() == keys.public_key_b64
    assert unseal_with_key(private_key, seal(keys.public_key_b64, IDENTITY)) == IDENTITY
    assert unseal_text_with_key(private_key, seal_text(keys.public_key_b64, "ảnh.jpg")) == "ảnh.jpg"


def test_passphrase_typed_with_combining_marks_still_works(keys: CustodianKeys) -> None:
    nfd = unicodedata.normalize("NFD", PASSPHRASE)
    assert nfd != PASSPHRASE
    ciphertext = seal(keys.public_key_b64, IDENTITY)
    assert unseal(keys.sealed_private_key_b64, nfd, ciphertext) == IDENTITY


@pytest.mark.parametrize(
    "passphrase", ["Cây đa, bến nước, sân đình 2025", "cây đa, bến nước, sân đình 2026", ""]
)
def test_wrong_passphrase_refused(keys: CustodianKeys, passphrase: str) -> None:
    ciphertext = seal(keys.public_key_b64, IDENTITY)
    with pytest.raises(CustodianKeyError):
        unseal(keys.sealed_private_key_b64, passphrase, ciphertext)


def test_ciphertext_for_another_key_refused(keys: CustodianKeys, other_keys: CustodianKeys) -> None:
    ciphertext = seal(other_keys.public_key_b64, IDENTITY)
    with pytest.raises(DecryptionError):
        unseal(keys.sealed_private_key_b64, PASSPHRASE, ciphertext)
    with pytest.raises(DecryptionError):
        unseal_text(
            keys.sealed_private_key_b64, PASSPHRASE, seal_text(other_keys.public_key_b64, "x")
        )


def test_damaged_ciphertext_refused(keys: CustodianKeys) -> None:
    ciphertext = bytearray(seal(keys.public_key_b64, IDENTITY))
    ciphertext[-1] ^= 0x01
    with pytest.raises(DecryptionError):
        unseal(keys.sealed_private_key_b64, PASSPHRASE, bytes(ciphertext))
    with pytest.raises(DecryptionError):
        unseal(keys.sealed_private_key_b64, PASSPHRASE, b"")


def test_text_ciphertext_is_not_an_identity(keys: CustodianKeys) -> None:
    with pytest.raises(DecryptionError):
        unseal(keys.sealed_private_key_b64, PASSPHRASE, seal_text(keys.public_key_b64, NAME))
    with pytest.raises(DecryptionError):
        unseal(keys.sealed_private_key_b64, PASSPHRASE, seal_text(keys.public_key_b64, "[1]"))


def test_stored_values_do_not_contain_the_identity(keys: CustodianKeys) -> None:
    ciphertext = seal(keys.public_key_b64, IDENTITY)
    stored = [
        ciphertext,
        base64.b64encode(ciphertext),
        keys.sealed_private_key_b64.encode("ascii"),
        keys.public_key_b64.encode("ascii"),
    ]
    for secret in (NAME, PHONE, "912345678", "Minh Khai"):
        for form in ("NFC", "NFD"):
            raw = unicodedata.normalize(form, secret).encode("utf-8")
            needles = [raw, base64.b64encode(raw), raw.hex().encode("ascii")]
            for blob in stored:
                for needle in needles:
                    assert needle not in blob


def test_ciphertext_length_does_not_reveal_name_length(keys: CustodianKeys) -> None:
    short = seal(keys.public_key_b64, {"full_name": "Lê Út"})
    long = seal(keys.public_key_b64, {"full_name": "Tôn Nữ Thị Hoàng Phương Thảo"})
    assert len(short) == len(long)
    assert (len(short) - 48) % PADDING_BLOCK == 0


def test_sealing_twice_gives_different_ciphertexts(keys: CustodianKeys) -> None:
    assert seal(keys.public_key_b64, IDENTITY) != seal(keys.public_key_b64, IDENTITY)


def test_public_key_check(keys: CustodianKeys) -> None:
    assert check_public_key(keys.public_key_b64)


@pytest.mark.parametrize(
    "public_key_b64",
    [
        None,
        "",
        "not base64!",
        base64.b64encode(b"\x01" * 31).decode(),
        base64.b64encode(b"\x01" * 33).decode(),
        # The all-zero point has low order: libsodium refuses to seal to it.
        base64.b64encode(bytes(32)).decode(),
    ],
)
def test_invalid_public_key_detected(public_key_b64: str | None) -> None:
    assert not check_public_key(public_key_b64)
    with pytest.raises(PublicKeyError):
        seal(public_key_b64, IDENTITY)  # type: ignore[arg-type]
    with pytest.raises(PublicKeyError):
        seal_text(public_key_b64, NAME)  # type: ignore[arg-type]


def test_envelope_records_version_and_limits(keys: CustodianKeys) -> None:
    envelope = _envelope(keys)
    version, opslimit, memlimit = struct.unpack_from(">BIQ", envelope)
    assert (version, opslimit, memlimit) == (
        ENVELOPE_VERSION,
        argon2id.OPSLIMIT_INTERACTIVE,
        argon2id.MEMLIMIT_INTERACTIVE,
    )


def test_default_limits_are_moderate() -> None:
    keys = generate_custodian_keys(PASSPHRASE)
    _, opslimit, memlimit = struct.unpack_from(">BIQ", _envelope(keys))
    assert (opslimit, memlimit) == (argon2id.OPSLIMIT_MODERATE, argon2id.MEMLIMIT_MODERATE)
    assert unseal(keys.sealed_private_key_b64, PASSPHRASE, seal(keys.public_key_b64, {})) == {}


@pytest.mark.parametrize("version", [0, 2, 255])
def test_envelope_version_checked(keys: CustodianKeys, version: int) -> None:
    envelope = bytes([version]) + _envelope(keys)[1:]
    with pytest.raises(CustodianKeyError, match="version"):
        unlock_private_key(_b64(envelope), PASSPHRASE)


def test_tampered_limits_refused_before_key_derivation(keys: CustodianKeys) -> None:
    envelope = bytearray(_envelope(keys))
    struct.pack_into(">Q", envelope, 5, 2**42)
    with pytest.raises(CustodianKeyError, match="out-of-range"):
        unlock_private_key(_b64(bytes(envelope)), PASSPHRASE)


@pytest.mark.parametrize("offset", [4, 10, 13, 28, 40, 60, -1])
def test_tampered_envelope_refused(keys: CustodianKeys, offset: int) -> None:
    # Bytes 1-4 are opslimit, 5-12 memlimit, 13-28 the salt, 29-52 the nonce, 53-68 the MAC,
    # then the encrypted private key.
    envelope = bytearray(_envelope(keys))
    envelope[offset] ^= 0x01
    with pytest.raises(CustodianKeyError):
        unlock_private_key(_b64(bytes(envelope)), PASSPHRASE)


@pytest.mark.parametrize("sealed", ["", "%%%", "AAAA", "not base64 at all"])
def test_broken_envelope_refused(sealed: str) -> None:
    with pytest.raises(CustodianKeyError):
        unlock_private_key(sealed, PASSPHRASE)


def test_truncated_envelope_refused(keys: CustodianKeys) -> None:
    with pytest.raises(CustodianKeyError, match="length"):
        unlock_private_key(_b64(_envelope(keys)[:-1]), PASSPHRASE)


def test_short_passphrase_refused() -> None:
    with pytest.raises(ValueError, match="passphrase"):
        generate_custodian_keys("x" * (MIN_PASSPHRASE_LENGTH - 1), **FAST)


@pytest.mark.parametrize(
    "limits",
    [
        {"opslimit": 0, "memlimit": argon2id.MEMLIMIT_INTERACTIVE},
        {"opslimit": 17, "memlimit": argon2id.MEMLIMIT_INTERACTIVE},
        {"opslimit": 2, "memlimit": 1024},
        {"opslimit": 2, "memlimit": 2 * argon2id.MEMLIMIT_SENSITIVE},
    ],
)
def test_limits_out_of_range_refused(limits: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="limits"):
        generate_custodian_keys(PASSPHRASE, **limits)


@pytest.mark.parametrize(
    "payload", [{"name": 1}, {"name": b"bytes"}, {1: "one"}, {"name": ["list"]}]
)
def test_payload_must_map_strings(keys: CustodianKeys, payload: dict[object, object]) -> None:
    with pytest.raises(TypeError):
        seal(keys.public_key_b64, payload)  # type: ignore[arg-type]
