"""The enforcement ladder: kinds of measure (maatregel), from soft to formal (see domain.md)."""

from __future__ import annotations

from enum import StrEnum


class MaatregelSoort(StrEnum):
    stimuleren_adviseren = "stimuleren-adviseren"
    verbeterplan = "verbeterplan"
    verscherpt_toezicht = "verscherpt-toezicht"
    waarschuwing = "waarschuwing"
    bevel = "bevel"
    aanwijzing = "aanwijzing"
    last_onder_bestuursdwang = "last-onder-bestuursdwang"
    last_onder_dwangsom = "last-onder-dwangsom"
    bestuurlijke_boete = "bestuurlijke-boete"
    patientenstop = "patientenstop"
