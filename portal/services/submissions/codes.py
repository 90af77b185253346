"""Keyed hashes of what must not be stored in clear: the access code of a case (derived from
its form, so a repeated form shows the same code), the contact e-mail and the draft token."""

from __future__ import annotations

import hmac

from portal.domain import tracking


def keyed_hash(pepper: bytes, purpose: str, value: str) -> str:
    return hmac.digest(pepper, f"{purpose}:{value}".encode(), "sha256").hex()


def draft_token_hash(pepper: bytes, token: str) -> str:
    return keyed_hash(pepper, "draft", token)


def access_code_for(pepper: bytes, idempotency_key: str) -> str:
    """The access code of the case a form creates, derived from the form's idempotency key.

    Deriving it (rather than drawing it) lets a repeated POST of the same form, after a double
    click or a lost response, show the citizen the same code again: the code is not stored.
    """
    seed = hmac.digest(pepper, f"code:{idempotency_key}".encode(), "sha256")
    rng = _DigestRandom(seed)
    return tracking.generate_access_code(rng)  # type: ignore[arg-type]  # it uses only .choice


class _DigestRandom:
    """A deterministic `choice` drawn from HMAC-SHA256 in counter mode (unbiased)."""

    def __init__(self, seed: bytes) -> None:
        self._seed = seed
        self._counter = 0

    def _byte(self) -> int:
        # One HMAC per byte drawn (only its first byte is used): the codes of existing forms
        # depend on it. hmac.digest is the same function, in one call.
        block = hmac.digest(self._seed, self._counter.to_bytes(8, "big"), "sha256")
        self._counter += 1
        return block[0]

    def choice(self, items: str) -> str:
        size = len(items)
        limit = 256 - 256 % size  # reject the tail so every symbol is equally likely
        while True:
            value = self._byte()
            if value < limit:
                return items[value % size]
