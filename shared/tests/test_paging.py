"""The cursor codec of ``zorgtoezicht.http.paging`` (pure logic; the six operations are tested in tests/test_paging.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from zorgtoezicht.http.paging import Keyset
from zorgtoezicht.http.problems import InvalidInput

KEY = b"k" * 32
ID = uuid.UUID("6f1c1d36-58f4-4f0b-9d55-7a3c3f4c2b10")


@pytest.mark.parametrize(
    ("types", "values"),
    [
        ((datetime, uuid.UUID), (datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC), ID)),
        ((datetime, uuid.UUID), (datetime(2026, 3, 29, 2, 30, tzinfo=timezone(timedelta(hours=2))), ID)),
        ((date, uuid.UUID), (date(2026, 4, 28), ID)),
        ((str, uuid.UUID), ("69599084", ID)),
        ((float, uuid.UUID), (0.6666666865348816, ID)),  # a float4 distance as Python sees it, exactly
        ((int, uuid.UUID), (-(2**31), ID)),
        ((int, uuid.UUID), (2**31 - 1, ID)),
    ],
)
def test_a_position_comes_back_exactly(types, values):
    keyset = Keyset("op", *types)
    assert keyset.decode(KEY, keyset.encode(KEY, values)) == values


def test_the_cursor_is_url_safe_and_short():
    cursor = Keyset("meldingenLijst", datetime, uuid.UUID).encode(KEY, (datetime(2026, 11, 23, tzinfo=UTC), ID))
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") and len(cursor) < 200


def _refused(keyset: Keyset, key: bytes, cursor: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        keyset.decode(key, cursor)
    assert [p["name"] for p in refused.value.invalid_params] == ["cursor"]


def test_another_key_another_operation_or_a_changed_byte_is_refused():
    keyset = Keyset("vergunningenLijst", date, uuid.UUID)
    cursor = keyset.encode(KEY, (date(2026, 4, 28), ID))
    _refused(keyset, b"x" * 32, cursor)
    _refused(Keyset("meldingenLijst", date, uuid.UUID), KEY, cursor)
    body, mac = cursor.split(".")
    for i in range(len(body)):  # every single-character change of the position
        changed = body[:i] + ("A" if body[i] != "A" else "B") + body[i + 1 :]
        _refused(keyset, KEY, f"{changed}.{mac}")
    for broken in ("", ".", body, f"{body}.", f".{mac}", f"{body}.{mac}.x", "!!!", "WyJ4IiwgInkiXQ", f"{body}={mac}"):
        _refused(keyset, KEY, broken)


def test_a_key_type_without_a_codec_is_refused_when_the_operation_is_declared():
    with pytest.raises(TypeError):
        Keyset("op", bytes, uuid.UUID)
