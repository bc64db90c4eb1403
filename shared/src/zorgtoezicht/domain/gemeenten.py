"""Dutch municipalities (gemeenten) with their CBS codes, from the packaged ``gemeenten.csv``.

The list changes on 1 January when municipalities merge: update the CSV (code;naam), no code change.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def gemeenten() -> dict[str, str]:
    """CBS code (``GM0363``) → name (``Amsterdam``)."""
    with resources.files(__package__).joinpath("gemeenten.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row["naam"] for row in csv.DictReader(handle, delimiter=";")}


def naam_van(code: str) -> str | None:
    return gemeenten().get(code)
