"""API key and public identifier material: generate, parse, hash. Pure functions, no I/O."""

from __future__ import annotations

import hashlib
import secrets

API_KEY_PREFIX = "nm_"
# 32 bytes of randomness (256 bits) in URL-safe base64: 43 characters.
_API_KEY_RANDOM_BYTES = 32
_API_KEY_TOKEN_LEN = 43
VISIBLE_PREFIX_LEN = 8  # characters after "nm_" kept in clear to tell keys apart
_TRACKER_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1: read aloud safely
TRACKER_ID_LEN = 12  # 32**12 = 2**60 possibilities


def api_key_generate() -> str:
    """A new secret: `nm_` followed by 256 bits of URL-safe randomness."""
    return API_KEY_PREFIX + secrets.token_urlsafe(_API_KEY_RANDOM_BYTES)


def api_key_hash(secret: str) -> str:
    """SHA-256 hex digest of the full secret: what the database stores under a unique index.

    A plain (unsalted) hash is right here: the secret has 256 bits of entropy, so it cannot be
    brute-forced, and a deterministic hash makes the lookup one indexed equality query whose
    timing does not depend on how much of the secret matched.
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_key_is_well_formed(secret: str) -> bool:
    token = secret[len(API_KEY_PREFIX):]
    return (
        secret.startswith(API_KEY_PREFIX)
        and len(token) == _API_KEY_TOKEN_LEN
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)
    )


def api_key_visible_prefix(secret: str) -> str:
    return secret[: len(API_KEY_PREFIX) + VISIBLE_PREFIX_LEN]


def tracker_public_id_generate() -> str:
    return "".join(secrets.choice(_TRACKER_ID_ALPHABET) for _ in range(TRACKER_ID_LEN))


def tracker_public_id_is_well_formed(value: str) -> bool:
    return len(value) == TRACKER_ID_LEN and all(c in _TRACKER_ID_ALPHABET for c in value)
