"""The normenkader (the norms a judgement is given against) as versioned data, per sector.

The kader is JSON (``normenkader.json`` in this package, or the file named by ``TOEZICHT_NORMENKADER``), so the
inspectorate replaces it without a code change. The shipped file is an EXAMPLE kader (its ``toelichting`` says so),
to be replaced by the inspectorate's own. Format::

    {"versie": "...", "toelichting": "...",
     "algemeen": [{"id": "alg-1", "tekst": "Dutch norm text", "bron": "Wkkgz art. 2"}, ...],
     "sectoren": {"<Sector value>": [{"id": ..., "tekst": ..., "bron": ...}, ...], ...}}

A sector's kader is the general norms plus its own; a sector without its own norms (or an activity without a
sector) gets the general norms only. Norm ids are unique across the whole file. Besides its ``versie`` the kader
has a content hash (SHA-256 of the file), so a judgement names exactly which text it was given against.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from zorgtoezicht.domain.sectoren import Sector

ENV_KADER = "TOEZICHT_NORMENKADER"
STANDAARD_KADER = "normenkader.json"
_NORM_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9.]+)+$")  # e.g. vv-2, alg-1 (fits the event's 64 characters)


class NormenkaderFout(ValueError):
    """The kader file is invalid; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Norm:
    id: str
    tekst: str
    bron: str


@dataclass(frozen=True)
class Normenkader:
    versie: str
    inhoud_hash: str  # SHA-256 of the file, hex
    toelichting: str
    algemeen: tuple[Norm, ...]
    sectoren: dict[Sector, tuple[Norm, ...]]

    @property
    def kenmerk(self) -> str:
        """Version and the start of the content hash: what a judgement and its event name."""
        return f"{self.versie}@{self.inhoud_hash[:12]}"

    def voor(self, sector: Sector | str | None) -> dict[str, Norm]:
        """The norms a judgement in ``sector`` is given against, by id (general first, then the sector's own)."""
        eigen = self.sectoren.get(Sector(sector), ()) if sector else ()
        return {n.id: n for n in (*self.algemeen, *eigen)}


def _normen(ruw: object, waar: str, naam: str, gezien: set[str]) -> tuple[Norm, ...]:
    if not isinstance(ruw, list) or not ruw:
        raise NormenkaderFout(f"{naam}: {waar} must be a non-empty list of norms")
    normen = []
    for i, item in enumerate(ruw):
        plek = f"{waar}[{i}]"
        if not isinstance(item, dict) or set(item) != {"id", "tekst", "bron"}:
            raise NormenkaderFout(f"{naam}: {plek} must have exactly id, tekst and bron")
        if not all(isinstance(item[k], str) and item[k].strip() for k in ("id", "tekst", "bron")):
            raise NormenkaderFout(f"{naam}: {plek} has an empty or non-text field")
        if not _NORM_ID.match(item["id"]) or len(item["id"]) > 64:
            raise NormenkaderFout(f"{naam}: {plek} id {item['id']!r} is not like 'vv-2'")
        if item["id"] in gezien:
            raise NormenkaderFout(f"{naam}: norm id {item['id']!r} appears twice")
        gezien.add(item["id"])
        normen.append(Norm(item["id"], item["tekst"].strip(), item["bron"].strip()))
    return tuple(normen)


def lees_kader(inhoud: bytes, naam: str = STANDAARD_KADER) -> Normenkader:
    try:
        data = json.loads(inhoud)
    except json.JSONDecodeError as fout:
        raise NormenkaderFout(f"{naam}: not JSON ({fout})") from None
    if not isinstance(data, dict) or not {"versie", "algemeen", "sectoren"} <= set(data):
        raise NormenkaderFout(f"{naam}: expected an object with versie, algemeen and sectoren")
    if onbekend := set(data) - {"versie", "toelichting", "algemeen", "sectoren"}:
        raise NormenkaderFout(f"{naam}: unknown keys {sorted(onbekend)}")
    if not isinstance(data["versie"], str) or not data["versie"].strip():
        raise NormenkaderFout(f"{naam}: 'versie' must be a non-empty string")
    gezien: set[str] = set()
    algemeen = _normen(data["algemeen"], "algemeen", naam, gezien)
    if not isinstance(data["sectoren"], dict):
        raise NormenkaderFout(f"{naam}: 'sectoren' must map a sector to its norms")
    sectoren = {}
    for sleutel, normen in data["sectoren"].items():
        try:
            sector = Sector(sleutel)
        except ValueError:
            raise NormenkaderFout(f"{naam}: unknown sector {sleutel!r}") from None
        sectoren[sector] = _normen(normen, f"sectoren.{sleutel}", naam, gezien)
    return Normenkader(
        versie=data["versie"].strip(),
        inhoud_hash=hashlib.sha256(inhoud).hexdigest(),
        toelichting=str(data.get("toelichting", "")),
        algemeen=algemeen,
        sectoren=sectoren,
    )


def laad_kader() -> Normenkader:
    """The configured kader (``TOEZICHT_NORMENKADER``) or the example shipped with the package."""
    pad = os.environ.get(ENV_KADER)
    if pad:
        return lees_kader(Path(pad).read_bytes(), pad)
    return lees_kader(resources.files("toezicht").joinpath(STANDAARD_KADER).read_bytes())


_kader: Normenkader | None = None


def kader() -> Normenkader:
    """The kader of this process, loaded once (a changed file takes effect on restart, with its new hash)."""
    global _kader
    if _kader is None:
        _kader = laad_kader()
    return _kader
