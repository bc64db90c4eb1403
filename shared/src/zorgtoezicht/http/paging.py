"""Keyset paging, once for every paged operation: signed cursors and ``next`` links on the public URL.

A page is the next ``size`` rows after a position in a stable order (the operation's sort key, ending
in a unique id). The position travels as an opaque cursor:

- **signed**: ``base64url(json values) . base64url(HMAC-SHA256)``, the MAC over the operation's name
  and the values, with a key from settings (``ZT_CURSOR_SLEUTEL``; a fixed dev key when
  ``ZT_DEV_SLEUTELS=1``). A partner cannot forge a position, and a cursor of another operation
  does not fit;
- **typed**: the values are checked against the operation's key types all the same (a date is a
  date, an int fits the column), so a cursor never reaches SQL as something the query cannot bind;
- anything else (forged, truncated, another operation's, garbage) is 400 naming ``cursor``.

The ``next`` link is the service's configured public URL plus the request's path and query with the
new cursor: never the request's ``Host`` header, which the caller controls.
"""

# No ``from __future__ import annotations`` here: FastAPI must evaluate the query dependency's annotations,
# which use the factory's arguments (page size limits).
import base64
import binascii
import hashlib
import hmac
import json
import math
import os
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request

from zorgtoezicht.http.problems import InvalidInput

R = TypeVar("R")

DEV_SLEUTEL = b"zorgtoezicht dev cursor key: never in production"
_MAC_BYTES = 16  # 128 bits: enough against forging, short enough for a URL
_INT_RANGE = (-(2**31), 2**31 - 1)  # the Integer columns cursors point into
_FLOAT_MAX = 3.4e38  # the real (float4) columns cursors point into
_MAX_TEXT = 200


def cursor_sleutel(runtime: Any) -> bytes:  # a ServiceRuntime
    """The key that signs cursors: ``ZT_CURSOR_SLEUTEL`` (32+ characters), or the dev key in the local setup."""
    configured = getattr(runtime.platform, "cursor_sleutel", None)
    if configured is not None:
        value = configured.get_secret_value() if hasattr(configured, "get_secret_value") else str(configured)
        return value.encode()
    if os.environ.get("ZT_DEV_SLEUTELS") == "1":
        return DEV_SLEUTEL
    raise RuntimeError("set ZT_CURSOR_SLEUTEL (32+ random characters, the same for every replica of a service): it signs page cursors")


def _invalid(reason: str) -> InvalidInput:
    return InvalidInput("The cursor is not valid", invalid_params=[{"name": "cursor", "code": "invalid", "reason": reason}])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    if not text or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _dump(value: Any, kind: type) -> Any:
    if kind is datetime or kind is date:
        return value.isoformat()
    if kind is uuid.UUID:
        return str(value)
    return kind(value)


def _load(value: Any, kind: type) -> Any:
    """The value as ``kind``, or ValueError: exact JSON types only, no coercion of one kind into another."""
    if kind is datetime:
        if not isinstance(value, str):
            raise ValueError
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError
        return moment
    if kind is date:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    if kind is uuid.UUID:
        if not isinstance(value, str):
            raise ValueError
        return uuid.UUID(value)
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool) or not _INT_RANGE[0] <= value <= _INT_RANGE[1]:
            raise ValueError
        return value
    if kind is float:
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value) or abs(value) > _FLOAT_MAX:
            raise ValueError
        return float(value)
    if kind is str:
        if not isinstance(value, str) or len(value) > _MAX_TEXT or "\x00" in value:
            raise ValueError
        return value
    raise TypeError(f"no cursor codec for {kind}")


@dataclass(frozen=True)
class Keyset:
    """The sort key of one paged operation: its name (a cursor fits only the operation it came from) and
    the types of the key's values, e.g. ``Keyset("meldingenLijst", datetime, uuid.UUID)``."""

    operation: str
    types: tuple[type, ...]

    def __init__(self, operation: str, *types: type) -> None:
        for kind in types:
            if kind not in (datetime, date, uuid.UUID, int, float, str):
                raise TypeError(f"no cursor codec for {kind}")
        object.__setattr__(self, "operation", operation)
        object.__setattr__(self, "types", types)

    def _mac(self, key: bytes, payload: bytes) -> bytes:
        return hmac.new(key, self.operation.encode() + b"\x00" + payload, hashlib.sha256).digest()[:_MAC_BYTES]

    def encode(self, key: bytes, values: Sequence[Any]) -> str:
        if len(values) != len(self.types):
            raise ValueError(f"{self.operation}: a cursor has {len(self.types)} values")
        payload = json.dumps([_dump(v, t) for v, t in zip(values, self.types, strict=True)], separators=(",", ":")).encode()
        return f"{_b64(payload)}.{_b64(self._mac(key, payload))}"

    def decode(self, key: bytes, cursor: str) -> tuple[Any, ...]:
        """The position in ``cursor``; InvalidInput (400, naming ``cursor``) for anything this operation did not sign."""
        try:
            body, _, mac = cursor.partition(".")
            payload, signature = _unb64(body), _unb64(mac)
        except (ValueError, binascii.Error) as error:
            raise _invalid("not a cursor from a next link of this operation") from error
        if not hmac.compare_digest(signature, self._mac(key, payload)):
            raise _invalid("not a cursor from a next link of this operation")
        try:
            values = json.loads(payload)
            if not isinstance(values, list) or len(values) != len(self.types):
                raise ValueError
            return tuple(_load(v, t) for v, t in zip(values, self.types, strict=True))
        except (ValueError, TypeError, OverflowError) as error:  # signed but not of this shape: an old key or format
            raise _invalid("the cursor's position does not fit this operation") from error


class Paging:
    """One request's page: its size, the raw cursor (checked when the page is read, after authentication
    and validation), and how to link to the next page."""

    def __init__(self, request: Request, keyset: Keyset, size: int, cursor: str | None) -> None:
        self.request = request
        self.keyset = keyset
        self.size = size
        self.cursor = cursor
        self._runtime = request.app.state.runtime

    @property
    def _key(self) -> bytes:
        return cursor_sleutel(self._runtime)

    @property
    def after(self) -> tuple[Any, ...] | None:
        """The position to continue after (None on the first page); 400 for a bad cursor."""
        return None if self.cursor is None else self.keyset.decode(self._key, self.cursor)

    async def rows(
        self, fetch: Callable[[int, tuple[Any, ...] | None], Awaitable[Sequence[R]]], key: Callable[[R], Sequence[Any]]
    ) -> tuple[list[R], str | None]:
        """This page's rows and the cursor of the next page (None on the last). ``fetch(limit, after)`` returns
        up to ``limit`` rows in the keyset's order strictly after ``after``; ``key(row)`` is a row's position."""
        after = self.after
        found = list(await fetch(self.size + 1, after))
        if len(found) <= self.size:
            return found, None
        found = found[: self.size]
        return found, self.keyset.encode(self._key, key(found[-1]))

    def link(self, cursor: str | None) -> str | None:
        """The URL of the page at ``cursor``: the configured public URL, this path, this query with the cursor
        replaced. Never built from the request's Host header."""
        if cursor is None:
            return None
        public = str(self._runtime.settings.public_url).rstrip("/")
        path = self.request.url.path
        root = self.request.scope.get("root_path") or ""
        if root and path.startswith(root):
            path = path[len(root) :]
        query = [(k, v) for k, v in self.request.query_params.multi_items() if k != "cursor"] + [("cursor", cursor)]
        return f"{public}{path}?{urlencode(query)}"

    async def page(
        self, fetch: Callable[[int, tuple[Any, ...] | None], Awaitable[Sequence[R]]], key: Callable[[R], Sequence[Any]]
    ) -> tuple[list[R], str | None]:
        """Like ``rows``, with the next page as a link (for GET collections)."""
        found, cursor = await self.rows(fetch, key)
        return found, self.link(cursor)


def query_paging(keyset: Keyset, *, default: int = 100, maximum: int = 500) -> Any:  # a FastAPI dependency
    """Dependency for a GET collection: the ``pageSize`` and ``cursor`` query parameters, as a ``Paging``."""

    async def paging(
        request: Request,
        page_size: Annotated[int, Query(alias="pageSize", ge=1, le=maximum, description="Rows per page")] = default,
        cursor: Annotated[str | None, Query(max_length=500, description="From the previous page's next link")] = None,
    ) -> Paging:
        return Paging(request, keyset, page_size, cursor)

    return Depends(paging)
