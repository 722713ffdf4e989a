"""Encryption at rest: AES-256-GCM with a key ring kept outside the database.

A ciphertext is text: ``v1.<key id>.<base64url(nonce + ciphertext + tag)>``. The key id is
the first 12 hex digits of a SHA-256 of the key, so a database knows which key each value
needs, and an error can say which one is missing. Every value is bound to its place
(``table.column:row``) as associated data: a value copied to another row does not decrypt.

The key ring comes from ``CATALOGUS_DATA_KEY`` (base64 keys, comma-separated, the first one
encrypts) or from a 0600 JSON file (``CATALOGUS_DATA_KEY_FILE``, by default
``<data dir>/data_keys.json``, made on first start). A ring read from a file is read again when
the file changes, so ``catalogus keys rotate`` can add a key while servers run.

A blind index (``blind_index``) is an HMAC of a normalised value with a key derived from a
data key: equal phone numbers give equal indexes, without the number being stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..datadir import make_private_dir, replace_private_file, too_open, write_private_file
from ..errors import StartupError

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
KEY_ID_CHARS = 12
KEY_FILE = "data_keys.json"


class Undecryptable(Exception):
    """A value cannot be decrypted; ``reason`` says why in Dutch (for staff and the console)."""

    def __init__(self, reason: str, key_id: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.key_id = key_id


@dataclass(frozen=True)
class DataKey:
    id: str
    secret: bytes
    active: bool = False

    @classmethod
    def new(cls) -> "DataKey":
        return cls.of(os.urandom(KEY_BYTES), active=True)

    @classmethod
    def of(cls, secret: bytes, active: bool = False) -> "DataKey":
        if len(secret) != KEY_BYTES:
            raise ValueError(f"een sleutel is {KEY_BYTES} bytes (base64: 44 tekens), niet {len(secret)}")
        return cls(key_id(secret), secret, active)

    @property
    def encoded(self) -> str:
        return base64.b64encode(self.secret).decode("ascii")


def key_id(secret: bytes) -> str:
    return hashlib.sha256(b"catalogus-data-key:" + secret).hexdigest()[:KEY_ID_CHARS]


def key_id_of(token: str | None) -> str | None:
    """The key id in a ciphertext, or None for a value that is not one (plain text from before).

    >>> key_id_of("v1.0123456789ab.AAAA"), key_id_of("JBSWY3DPEHPK3PXP")
    ('0123456789ab', None)
    """
    if not token or not token.startswith(VERSION + "."):
        return None
    parts = token.split(".")
    return parts[1] if len(parts) == 3 and len(parts[1]) == KEY_ID_CHARS else None


def parse_keys(text: str) -> list[DataKey]:
    """Keys from ``CATALOGUS_DATA_KEY``: base64, comma-separated; the first one encrypts."""
    keys = []
    for position, part in enumerate(p.strip() for p in text.split(",") if p.strip()):
        try:
            secret = base64.b64decode(part, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("CATALOGUS_DATA_KEY moet base64 zijn (maak een sleutel met: catalogus keys new)") from None
        try:
            keys.append(DataKey.of(secret, active=position == 0))
        except ValueError as exc:
            raise ValueError(f"CATALOGUS_DATA_KEY: {exc}") from None
    return keys


class Keyring:
    """The data keys: one encrypts, all decrypt (old ones stay readable during a rotation)."""

    def __init__(self, keys: list[DataKey], path: Path | None = None):
        self._lock = threading.Lock()
        self.path = path
        self._stamp = _stamp(path)
        self._set(keys)

    def _set(self, keys: list[DataKey]) -> None:
        self.keys = {key.id: key for key in keys}
        self.active = next((key for key in keys if key.active), keys[0] if keys else None)

    @property
    def ids(self) -> list[str]:
        return list(self.keys)

    def refresh(self) -> None:
        """Read the key file again when it changed (another process rotated)."""
        if self.path is None or _stamp(self.path) == self._stamp:
            return
        with self._lock:
            stamp = _stamp(self.path)
            if stamp != self._stamp and stamp is not None:
                self._set(read_key_file(self.path))
                self._stamp = stamp

    def encrypt(self, plaintext: str, context: str) -> str:
        self.refresh()
        if self.active is None:
            raise Undecryptable("er is geen sleutel om mee te versleutelen")
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.active.secret).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
        return f"{VERSION}.{self.active.id}." + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str, context: str) -> str:
        found = key_id_of(token)
        if found is None:
            raise Undecryptable("deze gegevens zijn niet versleuteld opgeslagen of zijn beschadigd")
        if found not in self.keys:
            self.refresh()
        key = self.keys.get(found)
        if key is None:
            raise Undecryptable(f"de sleutel {found} ontbreekt (de database hoort bij een andere sleutel)", found)
        try:
            raw = base64.urlsafe_b64decode(token.split(".")[2])
            return AESGCM(key.secret).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode("utf-8")
        except (InvalidTag, ValueError, binascii.Error):
            raise Undecryptable(f"de gegevens passen niet bij sleutel {found}: beschadigd of verplaatst", found) \
                from None

    def blind_index(self, value: str | None, key: DataKey | None = None) -> str | None:
        """The blind index of a normalised value with ``key`` (the active key by default)."""
        key = key or self.active
        if not value or key is None:
            return None
        index_key = hmac.new(key.secret, b"catalogus-blind-index", hashlib.sha256).digest()
        return hmac.new(index_key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:40]

    def blind_indexes(self, value: str | None) -> list[str]:
        """The value's index under every key (rows written before a rotation finished use an older key)."""
        self.refresh()
        return [index for key in self.keys.values() if (index := self.blind_index(value, key))]


def _stamp(path: Path | None) -> tuple[int, int] | None:
    try:
        info = os.stat(path) if path is not None else None
    except FileNotFoundError:
        return None
    return (info.st_mtime_ns, info.st_size) if info else None


# ---------------------------------------------------------------- the key file

def read_key_file(path: Path) -> list[DataKey]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return [DataKey.of(base64.b64decode(item["key"]), active=item.get("state") == "active")
                for item in data["keys"]]
    except (OSError, ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise StartupError(f"Het sleutelbestand {path} is niet te lezen ({type(exc).__name__}). Zet de "
                           "reservekopie terug; zonder deze sleutel zijn de aanmeldingen niet te lezen.",
                           "data_key_file_unreadable") from exc


def key_file_text(keys: list[DataKey]) -> str:
    return json.dumps({"format": 1, "keys": [{"id": k.id, "key": k.encoded, "state": "active" if k.active else "old"}
                                             for k in keys]}, indent=2) + "\n"


def write_key_file(path: Path, keys: list[DataKey]) -> None:
    replace_private_file(Path(path), key_file_text(keys))


def load_keyring(data_key: str, key_file: Path, *, create: bool) -> Keyring:
    """The key ring from the setting, or from the key file (made when ``create`` and it does not exist)."""
    if data_key.strip():
        try:
            return Keyring(parse_keys(data_key))
        except ValueError as exc:
            raise StartupError(str(exc), "data_key_setting_invalid") from None
    key_file = Path(key_file)
    if key_file.exists():
        if too_open(key_file):
            raise StartupError(f"Andere gebruikers van deze computer kunnen het sleutelbestand {key_file} lezen. "
                               f"Maak het privé met: chmod 600 {key_file}", "data_key_file_too_open")
        return Keyring(read_key_file(key_file), key_file)
    if not create:
        return Keyring([], key_file)
    make_private_dir(key_file.parent)
    write_private_file(key_file, key_file_text([DataKey.new()]))  # False: another process made one first
    return Keyring(read_key_file(key_file), key_file)
