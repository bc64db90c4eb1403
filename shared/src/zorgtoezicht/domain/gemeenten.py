"""Dutch municipalities (gemeenten) with their CBS codes, from the packaged ``gemeenten.csv``.

The list changes on 1 January when municipalities merge: update the CSV (code;naam) and ``BRON`` and
``GELDIG_TOT`` below, no code change. A test fails when ``GELDIG_TOT`` is less than 12 months ahead.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from importlib import resources

# Where the list comes from and how far it is known to hold. Mergers (herindelingen) take effect on
# 1 January; the list is the CBS indeling of 2025 (342 gemeenten, with the mergers of 2022 and 2023), and
# the repository holds no source for the indeling of a later year, so it is vouched for through 2025 only.
BRON = "CBS, Gemeentelijke indeling op 1 januari 2025 (342 gemeenten)"
GELDIG_TOT = date(2025, 12, 31)


@cache
def gemeenten() -> dict[str, str]:
    """CBS code (``GM0363``) → name (``Amsterdam``)."""
    with resources.files(__package__).joinpath("gemeenten.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row["naam"] for row in csv.DictReader(handle, delimiter=";")}


def naam_van(code: str) -> str | None:
    return gemeenten().get(code)
