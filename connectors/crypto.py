"""Channel credentials at rest: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`).

Keys come from `NOWMETRIX_CONNECTOR_KEY`, a comma-separated list, or when it is empty from
`SECRET_KEY`. An entry that is a Fernet key (32 url-safe base64 bytes) is used as is; any other
string is stretched with HKDF-SHA256, so a passphrase or the old `SECRET_KEY` works too.

Rotation: put the new key first and keep the old one after it
(`NOWMETRIX_CONNECTOR_KEY=new,old`), run `manage.py rotate_connector_key` (re-encrypts every
channel with the first key), then drop the old one. Changing `SECRET_KEY` without listing the
old one here makes stored credentials unreadable: their channels then fail with a clear error
until an Admin enters the credentials again.
"""

from __future__ import annotations

import base64
import binascii
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


_HKDF_INFO = b"nowmetrix connector credentials v1"


class CredentialsUnreadable(Exception):
    """Stored credentials do not decrypt with any configured key."""


def _fernet(material: str) -> Fernet:
    try:
        if len(base64.urlsafe_b64decode(material.encode())) == 32:
            return Fernet(material.encode())
    except (binascii.Error, ValueError):
        pass
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(material.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    configured = [k.strip() for k in settings.NOWMETRIX_CONNECTOR_KEY.split(",") if k.strip()]
    return MultiFernet([_fernet(k) for k in configured or [settings.SECRET_KEY]])


def encrypt(credentials: dict[str, str]) -> str:
    return _keys().encrypt(json.dumps(credentials, sort_keys=True).encode()).decode()


def decrypt(ciphertext: str) -> dict[str, str]:
    if not ciphertext:
        return {}
    try:
        return json.loads(_keys().decrypt(ciphertext.encode()))
    except InvalidToken:
        raise CredentialsUnreadable("the channel's credentials do not decrypt with the configured "
                                    "NOWMETRIX_CONNECTOR_KEY; enter them again") from None


def rotate(ciphertext: str) -> str:
    """The same credentials encrypted with the first key (see the module docstring)."""
    try:
        return _keys().rotate(ciphertext.encode()).decode()
    except InvalidToken:
        raise CredentialsUnreadable("a channel's credentials decrypt with none of the keys in "
                                    "NOWMETRIX_CONNECTOR_KEY; list the old key after the new one") from None
