"""Personal data (persoonsgegevens): the BSN type, field encryption, BSN fingerprints, log redaction.

Rules this module serves (issue "Personal data", docs/domain.md "Privacy and security"):

- A BSN, if given, is checked with the 11-proef and stored only encrypted (``Versleuteling``); to find
  the same patient across meldingen, store its keyed fingerprint (``bsn_vingerafdruk``), never the
  BSN itself.
- A BSN never appears in an event, a log line or a list response. ``BsnRedactie`` is the safety net
  for logs: it masks anything that looks like a BSN before a handler writes it.

``Bsn`` accepts exactly 9 digits as a JSON string. Old 8-digit numbers are *not* padded: the client
must send the leading zero (``012345672``), so the value stored is the value the client sent and a
JSON number (which would lose the zero) is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import AfterValidator, Field, SecretStr, WithJsonSchema
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "BSN_MASKER",
    "Bsn",
    "BsnRedactie",
    "OntsleutelFout",
    "PersoonsgegevensSettings",
    "SleutelFout",
    "Versleuteling",
    "bsn_vingerafdruk",
    "dev_sleutelring",
    "install_bsn_redactie",
    "is_geldig_bsn",
    "redigeer_bsn",
]

# --------------------------------------------------------------------------------------------- BSN

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_NINE_DIGITS = re.compile(r"[0-9]{9}")


def is_geldig_bsn(value: object) -> bool:
    """True when ``value`` is a string of exactly 9 ASCII digits, not all zeros, passing the 11-proef."""
    if not isinstance(value, str) or not _NINE_DIGITS.fullmatch(value):
        return False
    if value == "000000000":
        return False
    return sum(int(digit) * weight for digit, weight in zip(value, _WEIGHTS, strict=True)) % 11 == 0


def _check_bsn(value: str) -> str:
    # The reason never repeats the value: error messages end up in responses and logs.
    if not _NINE_DIGITS.fullmatch(value):
        raise PydanticCustomError("bsn", "a BSN consists of exactly 9 digits (include a leading zero)")
    if not is_geldig_bsn(value):
        raise PydanticCustomError("bsn", "this is not a valid BSN (it fails the 11-proef)")
    return value


Bsn = Annotated[
    str,
    AfterValidator(_check_bsn),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[0-9]{9}$",
            "minLength": 9,
            "maxLength": 9,
            "writeOnly": True,
            "description": "Burgerservicenummer of the patient: 9 digits passing the 11-proef. "
            "Write-only: stored encrypted and never returned in lists, events or logs.",
        }
    ),
]
"""A BSN: 9 digits (as a string) passing the 11-proef; error code ``bsn``; writeOnly, no example."""

# ------------------------------------------------------------------------------------- encryption

_FORMAT = 1  # first byte of every blob: the blob layout
_NONCE_BYTES = 12  # 96-bit random nonce, the AES-GCM standard
_KEY_BYTES = 32  # AES-256


class SleutelFout(ValueError):
    """The keyring is missing or malformed (configuration error)."""


class OntsleutelFout(Exception):
    """A blob cannot be decrypted: tampered, moved to another record (context), or unknown key."""


class PersoonsgegevensSettings(BaseSettings):
    """Keyring from ``ZT_PERSOONSGEGEVENS_SLEUTELS`` (JSON ``{"1": "<base64 32 bytes>"}``) and
    ``ZT_PERSOONSGEGEVENS_ACTIEVE_SLEUTEL`` (``"1"``); ``ZT_PERSOONSGEGEVENS_VINGERAFDRUK_SLEUTEL``
    (base64, at least 32 bytes) keys the BSN fingerprints and must never rotate."""

    model_config = SettingsConfigDict(env_prefix="ZT_PERSOONSGEGEVENS_", extra="ignore")

    sleutels: dict[str, SecretStr] = Field(
        default_factory=dict, description="Key id (1-255) → base64 AES-256 key; old keys stay to decrypt old blobs"
    )
    actieve_sleutel: str | None = Field(None, description="Key id new blobs are encrypted with")
    vingerafdruk_sleutel: SecretStr | None = Field(None, description="Base64 HMAC key for BSN fingerprints")


def _key_id(raw: int | str) -> int:
    try:
        key_id = int(raw)
    except (TypeError, ValueError):
        raise SleutelFout("a key id is a number from 1 to 255") from None
    if not 1 <= key_id <= 255:
        raise SleutelFout("a key id is a number from 1 to 255")
    return key_id


def _key_bytes(raw: bytes | str | SecretStr, *, minimum: int, exact: bool) -> bytes:
    if isinstance(raw, SecretStr):
        raw = raw.get_secret_value()
    if isinstance(raw, str):
        try:
            raw = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise SleutelFout("a key is base64-encoded") from None
    if (exact and len(raw) != minimum) or len(raw) < minimum:
        raise SleutelFout(f"a key is {minimum} bytes" + ("" if exact else " or more"))
    return bytes(raw)


class Versleuteling:
    """AES-256-GCM encryption of small JSON-able values (a str or a dict) bound to a context.

    Blob layout: ``format (1 byte) | key id (1 byte) | nonce (12 bytes) | ciphertext + tag``. The
    associated data is the header plus the context (e.g. the melding id), so a blob copied to another
    record, or with its header edited, fails to decrypt. Old keys stay in the ring to decrypt old blobs;
    new blobs use the active key.
    """

    def __init__(
        self,
        sleutels: Mapping[int | str, bytes | str | SecretStr],
        actief: int | str,
        *,
        vingerafdruk_sleutel: bytes | str | SecretStr | None = None,
    ) -> None:
        if not sleutels:
            raise SleutelFout("the keyring is empty: set ZT_PERSOONSGEGEVENS_SLEUTELS")
        self._keys = {_key_id(kid): AESGCM(_key_bytes(key, minimum=_KEY_BYTES, exact=True)) for kid, key in sleutels.items()}
        self.actieve_sleutel = _key_id(actief)
        if self.actieve_sleutel not in self._keys:
            raise SleutelFout("the active key id is not in the keyring")
        self._fingerprint_key = None if vingerafdruk_sleutel is None else _key_bytes(vingerafdruk_sleutel, minimum=32, exact=False)

    def __repr__(self) -> str:  # never the keys
        return f"Versleuteling(sleutels={sorted(self._keys)}, actief={self.actieve_sleutel})"

    @classmethod
    def uit_instellingen(cls, instellingen: PersoonsgegevensSettings | None = None) -> Versleuteling:
        """From the environment; raises ``SleutelFout`` when no keyring is configured (no silent fallback)."""
        instellingen = instellingen or PersoonsgegevensSettings()
        if not instellingen.sleutels or instellingen.actieve_sleutel is None:
            raise SleutelFout("set ZT_PERSOONSGEGEVENS_SLEUTELS and ZT_PERSOONSGEGEVENS_ACTIEVE_SLEUTEL (or use dev_sleutelring() locally)")
        return cls(instellingen.sleutels, instellingen.actieve_sleutel, vingerafdruk_sleutel=instellingen.vingerafdruk_sleutel)

    @staticmethod
    def _aad(header: bytes, context: str) -> bytes:
        if not isinstance(context, str) or not context:
            raise ValueError("context (e.g. the melding id) is required")
        return header + context.encode("utf-8")

    def versleutel(self, waarde: dict[str, Any] | str, *, context: str) -> bytes:
        if not isinstance(waarde, dict | str):
            raise TypeError("only a str or a dict is encrypted")
        header = bytes((_FORMAT, self.actieve_sleutel))
        nonce = os.urandom(_NONCE_BYTES)
        plaintext = json.dumps(waarde, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return header + nonce + self._keys[self.actieve_sleutel].encrypt(nonce, plaintext, self._aad(header, context))

    def ontsleutel(self, blob: bytes | bytearray | memoryview, *, context: str) -> dict[str, Any] | str:
        blob = bytes(blob)
        aad_header = blob[:2]
        aad = self._aad(aad_header, context)
        if len(blob) < 2 + _NONCE_BYTES + 16 or blob[0] != _FORMAT:
            raise OntsleutelFout("not an encrypted personal-data blob (unknown format)")
        key = self._keys.get(blob[1])
        if key is None:
            raise OntsleutelFout(f"blob encrypted with key {blob[1]}, which is not in the keyring")
        nonce, ciphertext = blob[2 : 2 + _NONCE_BYTES], blob[2 + _NONCE_BYTES :]
        try:
            plaintext = key.decrypt(nonce, ciphertext, aad)
        except InvalidTag:
            raise OntsleutelFout("blob fails authentication: tampered, or it belongs to another context") from None
        return json.loads(plaintext.decode("utf-8"))

    @staticmethod
    def sleutel_van(blob: bytes | bytearray | memoryview) -> int:
        """The key id a blob was encrypted with (to find blobs still on an old key)."""
        return bytes(blob)[1]

    def herversleutel(self, blob: bytes | bytearray | memoryview, *, context: str) -> bytes:
        """The same value under the active key (for re-encrypting after a rotation)."""
        if self.sleutel_van(blob) == self.actieve_sleutel:
            return bytes(blob)
        return self.versleutel(self.ontsleutel(blob, context=context), context=context)

    def bsn_vingerafdruk(self, bsn: str) -> str:
        if self._fingerprint_key is None:
            raise SleutelFout("no fingerprint key: set ZT_PERSOONSGEGEVENS_VINGERAFDRUK_SLEUTEL")
        return bsn_vingerafdruk(bsn, self._fingerprint_key)


def bsn_vingerafdruk(bsn: str, sleutel: bytes) -> str:
    """Keyed fingerprint (HMAC-SHA256, hex) of a BSN, to match a patient across meldingen.

    Without the key, the 10^9 BSN space cannot be searched to reverse it. Use a dedicated key that never
    rotates (a rotation would break matching) and never the encryption keys.
    """
    if not is_geldig_bsn(bsn):
        raise ValueError("not a valid BSN")
    if len(sleutel) < 32:
        raise SleutelFout("a fingerprint key is 32 bytes or more")
    return hmac.new(sleutel, b"zorgtoezicht.bsn.v1:" + bsn.encode("ascii"), hashlib.sha256).hexdigest()


def dev_sleutelring(pad: Path | None = None) -> Versleuteling:
    """Local keyring: random keys created once under ``pad`` (default ``$ZT_HOME/persoonsgegevens``,
    ``ZT_HOME`` defaulting to ``.local``) in ``sleutelring.json`` (mode 600). Never use in production."""
    folder = pad if pad is not None else Path(os.environ.get("ZT_HOME", ".local")) / "persoonsgegevens"
    path = folder / "sleutelring.json"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        ring = {
            "sleutels": {"1": base64.b64encode(secrets.token_bytes(_KEY_BYTES)).decode()},
            "actieveSleutel": "1",
            "vingerafdrukSleutel": base64.b64encode(secrets.token_bytes(32)).decode(),
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(ring, handle)
    ring = json.loads(path.read_text())
    return Versleuteling(ring["sleutels"], ring["actieveSleutel"], vingerafdruk_sleutel=ring["vingerafdrukSleutel"])


# ----------------------------------------------------------------------------------- log redaction

BSN_MASKER = "[bsn verwijderd]"
# Nine digits, written plain (123456782), spaced (123 456 782), dotted (1234.56.782) or with hyphens: one
# separator at most between two digits, and not directly next to another digit.
_DIGITS_9 = r"[0-9](?:[ .\u00a0-]?[0-9]){8}"
_DIGITS_8_9 = r"[0-9](?:[ .\u00a0-]?[0-9]){7,8}"
_NOT_AFTER_DIGITS = r"(?<![0-9])"
_NOT_BEFORE_DIGITS = r"(?![0-9])"
# Ids are no BSNs: a UUID or a hex id may contain a run of nine digits that happens to pass the 11-proef.
_ID = (
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|(?<![0-9A-Za-z])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{10,}(?![0-9A-Za-z])"
)
_CANDIDATE = re.compile(rf"(?P<id>{_ID})|{_NOT_AFTER_DIGITS}(?P<bsn>{_DIGITS_9}){_NOT_BEFORE_DIGITS}")
# "bsn" (also inside patientBsn / patient_bsn), up to a few non-alphanumerics (": ", "=", '": "'),
# then 8 or 9 digits (separators allowed): masked whatever the 11-proef says.
_AFTER_WORD = re.compile(rf"(bsn[^0-9A-Za-z]{{0,5}})({_DIGITS_8_9}){_NOT_BEFORE_DIGITS}", re.IGNORECASE)
_IN_BSN_FIELD = re.compile(rf"{_NOT_AFTER_DIGITS}{_DIGITS_8_9}{_NOT_BEFORE_DIGITS}")


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _mask_candidate(match: re.Match[str]) -> str:
    if match.group("id") is not None:
        return match.group(0)
    return BSN_MASKER if is_geldig_bsn(_digits(match.group("bsn"))) else match.group(0)


_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


def redigeer_bsn(text: str) -> str:
    """``text`` with every BSN-like number replaced by ``[bsn verwijderd]``."""
    text = _AFTER_WORD.sub(lambda m: m.group(1) + BSN_MASKER, text)
    return _CANDIDATE.sub(_mask_candidate, text)


def _redact_value(value: Any, *, bsn_key: bool = False) -> Any:
    if isinstance(value, str):
        if bsn_key:
            value = _IN_BSN_FIELD.sub(BSN_MASKER, value)
        return redigeer_bsn(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if (bsn_key and 10_000_000 <= value <= 999_999_999) or is_geldig_bsn(str(value)):
            return BSN_MASKER
        return value
    if isinstance(value, Mapping):
        return {k: _redact_value(v, bsn_key=bsn_key or "bsn" in str(k).lower()) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact_value(item, bsn_key=bsn_key) for item in value]
    return value


class BsnRedactie(logging.Filter):
    """Masks BSNs in a record's message, its ``extra`` fields, exception and stack text.

    Masked: any 9-digit number (not part of a longer digit run) passing the 11-proef, and any 8- or
    9-digit number right after the word "bsn" or in an extra field whose name contains "bsn".
    Put it on handlers (logger filters do not see records propagated from child loggers).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not stop the log line
            message = str(record.msg)
        redacted = redigeer_bsn(message)
        if redacted != message or record.args:
            record.msg, record.args = redacted, None
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                record.__dict__[key] = _redact_value(value, bsn_key="bsn" in key.lower())
        if record.exc_info:
            # Exception messages may hold input values (pydantic's input_value=…, SQL parameters): only the
            # stack and the exception types are kept; JsonFormatter emits ``exception``, others use exc_text.
            from zorgtoezicht.logs import safe_traceback

            text = redigeer_bsn(safe_traceback(record.exc_info[1])) if record.exc_info[1] is not None else ""
            record.exc_info, record.exc_text = None, text
            record.__dict__["exception"] = text
        elif record.exc_text:
            record.exc_text = redigeer_bsn(record.exc_text)
        if record.stack_info:
            record.stack_info = redigeer_bsn(record.stack_info)
        return True


def install_bsn_redactie(logger: logging.Logger | None = None) -> None:
    """Put one ``BsnRedactie`` on every handler of ``logger`` (default the root logger); idempotent."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, BsnRedactie) for f in handler.filters):
            handler.addFilter(BsnRedactie())
